package org.jbhyve.vmm.x86;

/**
 * A decoded memory operand: segment, base, index*scale and displacement, or RIP-relative.
 *
 * @param segment      the segment the access uses (the override if there is one, otherwise DS, or SS
 *                     for rSP/rBP-based addresses)
 * @param base         base register number (0..15), or -1
 * @param index        index register number (0..15), or -1
 * @param scale        1, 2, 4 or 8
 * @param displacement sign-extended displacement (for moffs, the zero-extended absolute offset)
 * @param ripRelative  the address is relative to the next instruction's RIP (64-bit mode, ModRM
 *                     mod=00 r/m=101)
 * @param addressSize  2, 4 or 8: the effective address wraps at this width
 */
public record MemoryOperand(SegmentRegister segment, int base, int index, int scale, long displacement,
                            boolean ripRelative, int addressSize) {

    /** The effective address (the offset within the segment), wrapped to the address size. */
    public long effectiveAddress(RegisterAccess regs, long nextRip) {
        long ea = displacement;
        if (ripRelative) ea += nextRip;
        if (base >= 0) ea += regs.gpr(base);
        if (index >= 0) ea += regs.gpr(index) * scale;
        return mask(ea, addressSize);
    }

    static long mask(long v, int size) {
        return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(segment.lower()).append(":[");
        boolean any = false;
        if (ripRelative) {
            sb.append(addressSize == 4 ? "eip" : "rip");
            any = true;
        }
        if (base >= 0) {
            sb.append(Gpr.name(base, addressSize, false));
            any = true;
        }
        if (index >= 0) {
            if (any) sb.append('+');
            sb.append(Gpr.name(index, addressSize, false));
            if (scale != 1) sb.append('*').append(scale);
            any = true;
        }
        long d = displacement;
        if (!any) {
            sb.append("0x").append(Long.toHexString(mask(d, addressSize)));
        } else if (d != 0) {
            sb.append(d < 0 ? "-0x" : "+0x").append(Long.toHexString(Math.abs(d)));
        }
        return sb.append(']').toString();
    }
}
