// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_cpuid2} from {@code <asm/kvm.h>} (x86-64, 8 bytes): header of KVM_GET_SUPPORTED_CPUID / KVM_SET_CPUID2; kvm_cpuid_entry2[nent] follows. */
@SuppressWarnings("unused")
public final class kvm_cpuid2 {
    private kvm_cpuid2() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("nent"),
            JAVA_INT.withName("padding")).withName("kvm_cpuid2");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 8; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long nent$OFFSET = 0;
    /** Offset of field {@code nent}. */
    public static long nent$offset() { return nent$OFFSET; }
    public static int nent(MemorySegment struct) { return struct.get(JAVA_INT, nent$OFFSET); }
    public static void nent(MemorySegment struct, int value) { struct.set(JAVA_INT, nent$OFFSET, value); }
    private static final long padding$OFFSET = 4;
    /** Offset of field {@code padding}. */
    public static long padding$offset() { return padding$OFFSET; }
    public static int padding(MemorySegment struct) { return struct.get(JAVA_INT, padding$OFFSET); }
    public static void padding(MemorySegment struct, int value) { struct.set(JAVA_INT, padding$OFFSET, value); }
}
