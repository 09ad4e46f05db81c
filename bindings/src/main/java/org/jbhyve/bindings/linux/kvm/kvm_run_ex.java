// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_run_ex} from {@code <linux/kvm.h>} (x86-64, 8 bytes): KVM_EXIT_EXCEPTION detail. */
@SuppressWarnings("unused")
public final class kvm_run_ex {
    private kvm_run_ex() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("exception"),
            JAVA_INT.withName("error_code")).withName("kvm_run_ex");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 8; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long exception$OFFSET = 0;
    /** Offset of field {@code exception}. */
    public static long exception$offset() { return exception$OFFSET; }
    public static int exception(MemorySegment struct) { return struct.get(JAVA_INT, exception$OFFSET); }
    public static void exception(MemorySegment struct, int value) { struct.set(JAVA_INT, exception$OFFSET, value); }
    private static final long error_code$OFFSET = 4;
    /** Offset of field {@code error_code}. */
    public static long error_code$offset() { return error_code$OFFSET; }
    public static int error_code(MemorySegment struct) { return struct.get(JAVA_INT, error_code$OFFSET); }
    public static void error_code(MemorySegment struct, int value) { struct.set(JAVA_INT, error_code$OFFSET, value); }
}
