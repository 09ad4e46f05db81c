// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_run_hw} from {@code <linux/kvm.h>} (x86-64, 8 bytes): KVM_EXIT_UNKNOWN detail. */
@SuppressWarnings("unused")
public final class kvm_run_hw {
    private kvm_run_hw() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("hardware_exit_reason")).withName("kvm_run_hw");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 8; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long hardware_exit_reason$OFFSET = 0;
    /** Offset of field {@code hardware_exit_reason}. */
    public static long hardware_exit_reason$offset() { return hardware_exit_reason$OFFSET; }
    public static long hardware_exit_reason(MemorySegment struct) { return struct.get(JAVA_LONG, hardware_exit_reason$OFFSET); }
    public static void hardware_exit_reason(MemorySegment struct, long value) { struct.set(JAVA_LONG, hardware_exit_reason$OFFSET, value); }
}
