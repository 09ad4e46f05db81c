package org.jbhyve.vmm.x86;

/**
 * RFLAGS bits and the arithmetic that produces the status flags. Results are computed at the operand
 * width (1, 2, 4 or 8 bytes) and returned masked to it.
 */
public final class Flags {
    public static final long CF = 1L, PF = 1L << 2, AF = 1L << 4, ZF = 1L << 6, SF = 1L << 7, TF = 1L << 8,
            IF = 1L << 9, DF = 1L << 10, OF = 1L << 11;
    /** The six status flags. */
    public static final long STATUS = CF | PF | AF | ZF | SF | OF;

    private Flags() {}

    /** A result and the status flags it produced. */
    record Result(long value, long flags) {}

    static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    static long signBit(int size) {
        return 1L << (size * 8 - 1);
    }

    /** Sign-extends the low {@code size} bytes of {@code v}. */
    static long signExtend(long v, int size) {
        int shift = 64 - size * 8;
        return (v << shift) >> shift;
    }

    /** ZF, SF and PF of {@code r} at {@code size}. */
    static long zsp(long r, int size) {
        long f = 0;
        if ((r & mask(size)) == 0) f |= ZF;
        if ((r & signBit(size)) != 0) f |= SF;
        if ((Long.bitCount(r & 0xff) & 1) == 0) f |= PF;
        return f;
    }

    /** a + b + carryIn. */
    static Result add(long a, long b, int carryIn, int size) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a + b + carryIn) & m;
        long carries = r ^ a ^ b; // carry into each bit
        long f = zsp(r, size);
        long sign = signBit(size);
        // carry out of the top bit: majority of a, b and the carry into the top bit
        long carryOut = (a & b) | ((a | b) & carries);
        if ((carryOut & sign) != 0) f |= CF;
        if ((carries & AF) != 0) f |= AF;
        if (((a ^ r) & (b ^ r) & sign) != 0) f |= OF;
        return new Result(r, f);
    }

    /** a - b - borrowIn. */
    static Result sub(long a, long b, int borrowIn, int size) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a - b - borrowIn) & m;
        long borrows = r ^ a ^ b; // borrow into each bit
        long f = zsp(r, size);
        long sign = signBit(size);
        long borrowOut = (~a & b) | ((~a | b) & borrows);
        if ((borrowOut & sign) != 0) f |= CF;
        if ((borrows & AF) != 0) f |= AF;
        if (((a ^ b) & (a ^ r) & sign) != 0) f |= OF;
        return new Result(r, f);
    }

    /** AND/OR/XOR/TEST: CF = OF = 0, AF cleared (architecturally undefined). */
    static Result logic(long r, int size) {
        r &= mask(size);
        return new Result(r, zsp(r, size));
    }
}
