package org.jbhyve.vmm.state;

/**
 * Segment, descriptor-table and control registers.
 *
 * @param interruptBitmap pending external interrupts not yet injected (256 bits, KVM's
 *                        {@code interrupt_bitmap}); all zero when the in-kernel LAPIC is used
 */
public record SpecialRegisters(Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss,
                               Segment tr, Segment ldt, DescriptorTable gdt, DescriptorTable idt,
                               long cr0, long cr2, long cr3, long cr4, long cr8, long efer, long apicBase,
                               long[] interruptBitmap) {

    public static final long CR0_PE = 1L, CR0_MP = 1L << 1, CR0_ET = 1L << 4, CR0_NE = 1L << 5,
            CR0_WP = 1L << 16, CR0_PG = 1L << 31;
    public static final long CR4_PAE = 1L << 5;
    public static final long EFER_SCE = 1L, EFER_LME = 1L << 8, EFER_LMA = 1L << 10, EFER_NXE = 1L << 11;

    public SpecialRegisters {
        interruptBitmap = interruptBitmap == null ? new long[4] : interruptBitmap.clone();
        if (interruptBitmap.length != 4) throw new IllegalArgumentException("interrupt bitmap has 4 words");
    }

    @Override
    public long[] interruptBitmap() { return interruptBitmap.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecialRegisters r && cs.equals(r.cs) && ds.equals(r.ds) && es.equals(r.es)
                && fs.equals(r.fs) && gs.equals(r.gs) && ss.equals(r.ss) && tr.equals(r.tr) && ldt.equals(r.ldt)
                && gdt.equals(r.gdt) && idt.equals(r.idt) && cr0 == r.cr0 && cr2 == r.cr2 && cr3 == r.cr3
                && cr4 == r.cr4 && cr8 == r.cr8 && efer == r.efer && apicBase == r.apicBase
                && java.util.Arrays.equals(interruptBitmap, r.interruptBitmap);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(cs, cr0, cr3, cr4, efer, apicBase);
    }

    /** A copy with other segment registers. */
    public SpecialRegisters withSegments(Segment cs, Segment data, Segment tr, Segment ldt) {
        return new SpecialRegisters(cs, data, data, data, data, data, tr, ldt, gdt, idt, cr0, cr2, cr3, cr4, cr8,
                efer, apicBase, interruptBitmap);
    }

    /** A copy with other descriptor tables. */
    public SpecialRegisters withTables(DescriptorTable gdt, DescriptorTable idt) {
        return new SpecialRegisters(cs, ds, es, fs, gs, ss, tr, ldt, gdt, idt, cr0, cr2, cr3, cr4, cr8, efer,
                apicBase, interruptBitmap);
    }

    /** A copy with other control registers (CR2, CR8 and the APIC base are kept). */
    public SpecialRegisters withControl(long cr0, long cr3, long cr4, long efer) {
        return new SpecialRegisters(cs, ds, es, fs, gs, ss, tr, ldt, gdt, idt, cr0, cr2, cr3, cr4, cr8, efer,
                apicBase, interruptBitmap);
    }
}
