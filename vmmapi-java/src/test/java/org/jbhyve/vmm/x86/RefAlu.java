package org.jbhyve.vmm.x86;

import java.math.BigInteger;

/**
 * Reference arithmetic for the tests, written from the definitions in the Intel SDM (vol. 1, 3.4.3.1)
 * in the most literal way: unsigned and signed results computed with BigInteger and compared with the
 * range of the operand size. Independent of {@link Flags}' bit tricks on purpose.
 */
final class RefAlu {
    private RefAlu() {}

    record Out(long value, long flags) {}

    static BigInteger unsigned(long v, int size) {
        BigInteger b = BigInteger.valueOf(v).and(BigInteger.ONE.shiftLeft(size * 8).subtract(BigInteger.ONE));
        return b;
    }

    static BigInteger signed(long v, int size) {
        BigInteger u = unsigned(v, size);
        return u.testBit(size * 8 - 1) ? u.subtract(BigInteger.ONE.shiftLeft(size * 8)) : u;
    }

    private static long zsp(BigInteger result, int size) {
        BigInteger r = result.mod(BigInteger.ONE.shiftLeft(size * 8));
        long f = 0;
        if (r.signum() == 0) f |= Flags.ZF;
        if (r.testBit(size * 8 - 1)) f |= Flags.SF;
        int ones = 0;
        for (int i = 0; i < 8; i++) if (r.testBit(i)) ones++;
        if (ones % 2 == 0) f |= Flags.PF;
        return f;
    }

    private static boolean fits(BigInteger signedResult, int size) {
        BigInteger min = BigInteger.ONE.shiftLeft(size * 8 - 1).negate();
        BigInteger max = BigInteger.ONE.shiftLeft(size * 8 - 1).subtract(BigInteger.ONE);
        return signedResult.compareTo(min) >= 0 && signedResult.compareTo(max) <= 0;
    }

    static Out add(long a, long b, int carry, int size) {
        BigInteger u = unsigned(a, size).add(unsigned(b, size)).add(BigInteger.valueOf(carry));
        BigInteger s = signed(a, size).add(signed(b, size)).add(BigInteger.valueOf(carry));
        long f = zsp(u, size);
        if (u.bitLength() > size * 8) f |= Flags.CF;
        if (!fits(s, size)) f |= Flags.OF;
        if ((a & 0xf) + (b & 0xf) + carry > 0xf) f |= Flags.AF;
        return new Out(u.longValue() & mask(size), f);
    }

    static Out sub(long a, long b, int borrow, int size) {
        BigInteger u = unsigned(a, size).subtract(unsigned(b, size)).subtract(BigInteger.valueOf(borrow));
        BigInteger s = signed(a, size).subtract(signed(b, size)).subtract(BigInteger.valueOf(borrow));
        long f = zsp(u, size);
        if (u.signum() < 0) f |= Flags.CF;
        if (!fits(s, size)) f |= Flags.OF;
        if ((a & 0xf) < (b & 0xf) + borrow) f |= Flags.AF;
        return new Out(u.mod(BigInteger.ONE.shiftLeft(size * 8)).longValue() & mask(size), f);
    }

    /** AND/OR/XOR/TEST: CF and OF cleared; AF is undefined (compare with AF masked out). */
    static Out logic(long r, int size) {
        return new Out(r & mask(size), zsp(unsigned(r, size), size));
    }

    static Out op(Operation op, long a, long b, int carry, int size) {
        return switch (op) {
            case ADD -> add(a, b, 0, size);
            case ADC -> add(a, b, carry, size);
            case SUB, CMP -> sub(a, b, 0, size);
            case SBB -> sub(a, b, carry, size);
            case AND, TEST -> logic(a & b, size);
            case OR -> logic(a | b, size);
            case XOR -> logic(a ^ b, size);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /** The flags {@code op} defines (logic ops leave AF undefined). */
    static long defined(Operation op) {
        return switch (op) {
            case AND, OR, XOR, TEST -> Flags.STATUS & ~Flags.AF;
            default -> Flags.STATUS;
        };
    }

    static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }
}
