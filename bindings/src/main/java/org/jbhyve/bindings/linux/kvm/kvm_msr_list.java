// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_msr_list} from {@code <asm/kvm.h>} (x86-64, 4 bytes): header of KVM_GET_MSR_INDEX_LIST; u32 indices follow. */
@SuppressWarnings("unused")
public final class kvm_msr_list {
    private kvm_msr_list() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("nmsrs")).withName("kvm_msr_list");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 4; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long nmsrs$OFFSET = 0;
    /** Offset of field {@code nmsrs}. */
    public static long nmsrs$offset() { return nmsrs$OFFSET; }
    public static int nmsrs(MemorySegment struct) { return struct.get(JAVA_INT, nmsrs$OFFSET); }
    public static void nmsrs(MemorySegment struct, int value) { struct.set(JAVA_INT, nmsrs$OFFSET, value); }
}
