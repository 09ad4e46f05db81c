// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_vcpu_events} from {@code <asm/kvm.h>} (x86-64, 64 bytes): pending exceptions, interrupts, NMI and SMI (KVM_GET/SET_VCPU_EVENTS). C nests triple_fault.pending; here it is the flat field triple_fault_pending. */
@SuppressWarnings("unused")
public final class kvm_vcpu_events {
    private kvm_vcpu_events() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvm_vcpu_events_exception.layout().withName("exception"),
            kvm_vcpu_events_interrupt.layout().withName("interrupt"),
            kvm_vcpu_events_nmi.layout().withName("nmi"),
            JAVA_INT.withName("sipi_vector"),
            JAVA_INT.withName("flags"),
            kvm_vcpu_events_smi.layout().withName("smi"),
            JAVA_BYTE.withName("triple_fault_pending"),
            MemoryLayout.sequenceLayout(26, JAVA_BYTE).withName("reserved"),
            JAVA_BYTE.withName("exception_has_payload"),
            JAVA_LONG.withName("exception_payload")).withName("kvm_vcpu_events");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 64; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long exception$OFFSET = 0;
    /** Offset of field {@code exception}. */
    public static long exception$offset() { return exception$OFFSET; }
    public static MemorySegment exception(MemorySegment struct) { return struct.asSlice(exception$OFFSET, 8); }
    public static void exception(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, exception$OFFSET, 8); }
    private static final long interrupt$OFFSET = 8;
    /** Offset of field {@code interrupt}. */
    public static long interrupt$offset() { return interrupt$OFFSET; }
    public static MemorySegment interrupt(MemorySegment struct) { return struct.asSlice(interrupt$OFFSET, 4); }
    public static void interrupt(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, interrupt$OFFSET, 4); }
    private static final long nmi$OFFSET = 12;
    /** Offset of field {@code nmi}. */
    public static long nmi$offset() { return nmi$OFFSET; }
    public static MemorySegment nmi(MemorySegment struct) { return struct.asSlice(nmi$OFFSET, 4); }
    public static void nmi(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, nmi$OFFSET, 4); }
    private static final long sipi_vector$OFFSET = 16;
    /** Offset of field {@code sipi_vector}. */
    public static long sipi_vector$offset() { return sipi_vector$OFFSET; }
    public static int sipi_vector(MemorySegment struct) { return struct.get(JAVA_INT, sipi_vector$OFFSET); }
    public static void sipi_vector(MemorySegment struct, int value) { struct.set(JAVA_INT, sipi_vector$OFFSET, value); }
    private static final long flags$OFFSET = 20;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long smi$OFFSET = 24;
    /** Offset of field {@code smi}. */
    public static long smi$offset() { return smi$OFFSET; }
    public static MemorySegment smi(MemorySegment struct) { return struct.asSlice(smi$OFFSET, 4); }
    public static void smi(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, smi$OFFSET, 4); }
    private static final long triple_fault_pending$OFFSET = 28;
    /** Offset of field {@code triple_fault_pending}. */
    public static long triple_fault_pending$offset() { return triple_fault_pending$OFFSET; }
    public static byte triple_fault_pending(MemorySegment struct) { return struct.get(JAVA_BYTE, triple_fault_pending$OFFSET); }
    public static void triple_fault_pending(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, triple_fault_pending$OFFSET, value); }
    private static final long reserved$OFFSET = 29;
    /** Offset of field {@code reserved}. */
    public static long reserved$offset() { return reserved$OFFSET; }
    public static MemorySegment reserved(MemorySegment struct) { return struct.asSlice(reserved$OFFSET, 26); }
    public static byte reserved(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, reserved$OFFSET / 1 + java.util.Objects.checkIndex(index, 26)); }
    public static void reserved(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, reserved$OFFSET / 1 + java.util.Objects.checkIndex(index, 26), value); }
    private static final long exception_has_payload$OFFSET = 55;
    /** Offset of field {@code exception_has_payload}. */
    public static long exception_has_payload$offset() { return exception_has_payload$OFFSET; }
    public static byte exception_has_payload(MemorySegment struct) { return struct.get(JAVA_BYTE, exception_has_payload$OFFSET); }
    public static void exception_has_payload(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, exception_has_payload$OFFSET, value); }
    private static final long exception_payload$OFFSET = 56;
    /** Offset of field {@code exception_payload}. */
    public static long exception_payload$offset() { return exception_payload$OFFSET; }
    public static long exception_payload(MemorySegment struct) { return struct.get(JAVA_LONG, exception_payload$OFFSET); }
    public static void exception_payload(MemorySegment struct, long value) { struct.set(JAVA_LONG, exception_payload$OFFSET, value); }
}
