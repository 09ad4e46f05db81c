// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_run_fail_entry} from {@code <linux/kvm.h>} (x86-64, 16 bytes): KVM_EXIT_FAIL_ENTRY detail. */
@SuppressWarnings("unused")
public final class kvm_run_fail_entry {
    private kvm_run_fail_entry() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("hardware_entry_failure_reason"),
            JAVA_INT.withName("cpu"),
            MemoryLayout.paddingLayout(4)).withName("kvm_run_fail_entry");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long hardware_entry_failure_reason$OFFSET = 0;
    /** Offset of field {@code hardware_entry_failure_reason}. */
    public static long hardware_entry_failure_reason$offset() { return hardware_entry_failure_reason$OFFSET; }
    public static long hardware_entry_failure_reason(MemorySegment struct) { return struct.get(JAVA_LONG, hardware_entry_failure_reason$OFFSET); }
    public static void hardware_entry_failure_reason(MemorySegment struct, long value) { struct.set(JAVA_LONG, hardware_entry_failure_reason$OFFSET, value); }
    private static final long cpu$OFFSET = 8;
    /** Offset of field {@code cpu}. */
    public static long cpu$offset() { return cpu$OFFSET; }
    public static int cpu(MemorySegment struct) { return struct.get(JAVA_INT, cpu$OFFSET); }
    public static void cpu(MemorySegment struct, int value) { struct.set(JAVA_INT, cpu$OFFSET, value); }
}
