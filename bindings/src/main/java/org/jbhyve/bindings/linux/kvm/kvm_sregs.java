// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_sregs} from {@code <asm/kvm.h>} (x86-64, 312 bytes): segment and control registers (KVM_GET/SET_SREGS). */
@SuppressWarnings("unused")
public final class kvm_sregs {
    private kvm_sregs() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvm_segment.layout().withName("cs"),
            kvm_segment.layout().withName("ds"),
            kvm_segment.layout().withName("es"),
            kvm_segment.layout().withName("fs"),
            kvm_segment.layout().withName("gs"),
            kvm_segment.layout().withName("ss"),
            kvm_segment.layout().withName("tr"),
            kvm_segment.layout().withName("ldt"),
            kvm_dtable.layout().withName("gdt"),
            kvm_dtable.layout().withName("idt"),
            JAVA_LONG.withName("cr0"),
            JAVA_LONG.withName("cr2"),
            JAVA_LONG.withName("cr3"),
            JAVA_LONG.withName("cr4"),
            JAVA_LONG.withName("cr8"),
            JAVA_LONG.withName("efer"),
            JAVA_LONG.withName("apic_base"),
            MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("interrupt_bitmap")).withName("kvm_sregs");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 312; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long cs$OFFSET = 0;
    /** Offset of field {@code cs}. */
    public static long cs$offset() { return cs$OFFSET; }
    public static MemorySegment cs(MemorySegment struct) { return struct.asSlice(cs$OFFSET, 24); }
    public static void cs(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, cs$OFFSET, 24); }
    private static final long ds$OFFSET = 24;
    /** Offset of field {@code ds}. */
    public static long ds$offset() { return ds$OFFSET; }
    public static MemorySegment ds(MemorySegment struct) { return struct.asSlice(ds$OFFSET, 24); }
    public static void ds(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, ds$OFFSET, 24); }
    private static final long es$OFFSET = 48;
    /** Offset of field {@code es}. */
    public static long es$offset() { return es$OFFSET; }
    public static MemorySegment es(MemorySegment struct) { return struct.asSlice(es$OFFSET, 24); }
    public static void es(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, es$OFFSET, 24); }
    private static final long fs$OFFSET = 72;
    /** Offset of field {@code fs}. */
    public static long fs$offset() { return fs$OFFSET; }
    public static MemorySegment fs(MemorySegment struct) { return struct.asSlice(fs$OFFSET, 24); }
    public static void fs(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, fs$OFFSET, 24); }
    private static final long gs$OFFSET = 96;
    /** Offset of field {@code gs}. */
    public static long gs$offset() { return gs$OFFSET; }
    public static MemorySegment gs(MemorySegment struct) { return struct.asSlice(gs$OFFSET, 24); }
    public static void gs(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, gs$OFFSET, 24); }
    private static final long ss$OFFSET = 120;
    /** Offset of field {@code ss}. */
    public static long ss$offset() { return ss$OFFSET; }
    public static MemorySegment ss(MemorySegment struct) { return struct.asSlice(ss$OFFSET, 24); }
    public static void ss(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, ss$OFFSET, 24); }
    private static final long tr$OFFSET = 144;
    /** Offset of field {@code tr}. */
    public static long tr$offset() { return tr$OFFSET; }
    public static MemorySegment tr(MemorySegment struct) { return struct.asSlice(tr$OFFSET, 24); }
    public static void tr(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, tr$OFFSET, 24); }
    private static final long ldt$OFFSET = 168;
    /** Offset of field {@code ldt}. */
    public static long ldt$offset() { return ldt$OFFSET; }
    public static MemorySegment ldt(MemorySegment struct) { return struct.asSlice(ldt$OFFSET, 24); }
    public static void ldt(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, ldt$OFFSET, 24); }
    private static final long gdt$OFFSET = 192;
    /** Offset of field {@code gdt}. */
    public static long gdt$offset() { return gdt$OFFSET; }
    public static MemorySegment gdt(MemorySegment struct) { return struct.asSlice(gdt$OFFSET, 16); }
    public static void gdt(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, gdt$OFFSET, 16); }
    private static final long idt$OFFSET = 208;
    /** Offset of field {@code idt}. */
    public static long idt$offset() { return idt$OFFSET; }
    public static MemorySegment idt(MemorySegment struct) { return struct.asSlice(idt$OFFSET, 16); }
    public static void idt(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, idt$OFFSET, 16); }
    private static final long cr0$OFFSET = 224;
    /** Offset of field {@code cr0}. */
    public static long cr0$offset() { return cr0$OFFSET; }
    public static long cr0(MemorySegment struct) { return struct.get(JAVA_LONG, cr0$OFFSET); }
    public static void cr0(MemorySegment struct, long value) { struct.set(JAVA_LONG, cr0$OFFSET, value); }
    private static final long cr2$OFFSET = 232;
    /** Offset of field {@code cr2}. */
    public static long cr2$offset() { return cr2$OFFSET; }
    public static long cr2(MemorySegment struct) { return struct.get(JAVA_LONG, cr2$OFFSET); }
    public static void cr2(MemorySegment struct, long value) { struct.set(JAVA_LONG, cr2$OFFSET, value); }
    private static final long cr3$OFFSET = 240;
    /** Offset of field {@code cr3}. */
    public static long cr3$offset() { return cr3$OFFSET; }
    public static long cr3(MemorySegment struct) { return struct.get(JAVA_LONG, cr3$OFFSET); }
    public static void cr3(MemorySegment struct, long value) { struct.set(JAVA_LONG, cr3$OFFSET, value); }
    private static final long cr4$OFFSET = 248;
    /** Offset of field {@code cr4}. */
    public static long cr4$offset() { return cr4$OFFSET; }
    public static long cr4(MemorySegment struct) { return struct.get(JAVA_LONG, cr4$OFFSET); }
    public static void cr4(MemorySegment struct, long value) { struct.set(JAVA_LONG, cr4$OFFSET, value); }
    private static final long cr8$OFFSET = 256;
    /** Offset of field {@code cr8}. */
    public static long cr8$offset() { return cr8$OFFSET; }
    public static long cr8(MemorySegment struct) { return struct.get(JAVA_LONG, cr8$OFFSET); }
    public static void cr8(MemorySegment struct, long value) { struct.set(JAVA_LONG, cr8$OFFSET, value); }
    private static final long efer$OFFSET = 264;
    /** Offset of field {@code efer}. */
    public static long efer$offset() { return efer$OFFSET; }
    public static long efer(MemorySegment struct) { return struct.get(JAVA_LONG, efer$OFFSET); }
    public static void efer(MemorySegment struct, long value) { struct.set(JAVA_LONG, efer$OFFSET, value); }
    private static final long apic_base$OFFSET = 272;
    /** Offset of field {@code apic_base}. */
    public static long apic_base$offset() { return apic_base$OFFSET; }
    public static long apic_base(MemorySegment struct) { return struct.get(JAVA_LONG, apic_base$OFFSET); }
    public static void apic_base(MemorySegment struct, long value) { struct.set(JAVA_LONG, apic_base$OFFSET, value); }
    private static final long interrupt_bitmap$OFFSET = 280;
    /** Offset of field {@code interrupt_bitmap}. */
    public static long interrupt_bitmap$offset() { return interrupt_bitmap$OFFSET; }
    public static MemorySegment interrupt_bitmap(MemorySegment struct) { return struct.asSlice(interrupt_bitmap$OFFSET, 32); }
    public static long interrupt_bitmap(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, interrupt_bitmap$OFFSET / 8 + java.util.Objects.checkIndex(index, 4)); }
    public static void interrupt_bitmap(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, interrupt_bitmap$OFFSET / 8 + java.util.Objects.checkIndex(index, 4), value); }
}
