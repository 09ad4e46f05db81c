package org.jbhyve.vmm.state;

/**
 * A segment register: selector plus the hidden descriptor cache (base, limit, attributes).
 *
 * @param type     descriptor type (4 bits)
 * @param s        1 for code/data, 0 for system segments
 * @param db       default operation size (1 = 32-bit)
 * @param l        64-bit code segment
 * @param g        limit granularity (4 KiB)
 * @param unusable the segment is not usable (null selector in protected mode)
 */
public record Segment(long base, int limit, int selector, int type, boolean present, int dpl, boolean db,
                      boolean s, boolean l, boolean g, boolean avl, boolean unusable) {

    /** A flat 64-bit code segment (long mode, ring 0). */
    public static Segment code64(int selector) {
        return new Segment(0, 0xffffffff, selector, 0xb, true, 0, false, true, true, true, false, false);
    }

    /** A flat 32-bit code segment (ring 0). */
    public static Segment code32(int selector) {
        return new Segment(0, 0xffffffff, selector, 0xb, true, 0, true, true, false, true, false, false);
    }

    /** A flat read/write data segment (ring 0). */
    public static Segment data(int selector) {
        return new Segment(0, 0xffffffff, selector, 0x3, true, 0, true, true, false, true, false, false);
    }

    /** A real-mode segment whose base is selector * 16. */
    public static Segment realMode(int selector, int type) {
        return new Segment((long) selector << 4, 0xffff, selector, type, true, 0, false, true, false, false, false,
                false);
    }

    /** A busy 64-bit TSS (needed by VMX for a valid guest state even if never used). */
    public static Segment tss(long base, int limit, int selector) {
        return new Segment(base, limit, selector, 0xb, true, 0, false, false, false, false, false, false);
    }

    /** An LDT that is not in use. */
    public static Segment unusableLdt() {
        return new Segment(0, 0xffff, 0, 0x2, true, 0, false, false, false, false, false, true);
    }
}
