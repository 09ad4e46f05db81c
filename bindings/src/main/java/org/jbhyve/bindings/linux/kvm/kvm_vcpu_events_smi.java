// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_vcpu_events_smi} from {@code <asm/kvm.h>} (x86-64, 4 bytes): the SMI part of kvm_vcpu_events (anonymous in C). */
@SuppressWarnings("unused")
public final class kvm_vcpu_events_smi {
    private kvm_vcpu_events_smi() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("smm"),
            JAVA_BYTE.withName("pending"),
            JAVA_BYTE.withName("smm_inside_nmi"),
            JAVA_BYTE.withName("latched_init")).withName("kvm_vcpu_events_smi");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 4; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long smm$OFFSET = 0;
    /** Offset of field {@code smm}. */
    public static long smm$offset() { return smm$OFFSET; }
    public static byte smm(MemorySegment struct) { return struct.get(JAVA_BYTE, smm$OFFSET); }
    public static void smm(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, smm$OFFSET, value); }
    private static final long pending$OFFSET = 1;
    /** Offset of field {@code pending}. */
    public static long pending$offset() { return pending$OFFSET; }
    public static byte pending(MemorySegment struct) { return struct.get(JAVA_BYTE, pending$OFFSET); }
    public static void pending(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, pending$OFFSET, value); }
    private static final long smm_inside_nmi$OFFSET = 2;
    /** Offset of field {@code smm_inside_nmi}. */
    public static long smm_inside_nmi$offset() { return smm_inside_nmi$OFFSET; }
    public static byte smm_inside_nmi(MemorySegment struct) { return struct.get(JAVA_BYTE, smm_inside_nmi$OFFSET); }
    public static void smm_inside_nmi(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, smm_inside_nmi$OFFSET, value); }
    private static final long latched_init$OFFSET = 3;
    /** Offset of field {@code latched_init}. */
    public static long latched_init$offset() { return latched_init$OFFSET; }
    public static byte latched_init(MemorySegment struct) { return struct.get(JAVA_BYTE, latched_init$OFFSET); }
    public static void latched_init(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, latched_init$OFFSET, value); }
}
