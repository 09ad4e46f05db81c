// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_signal_mask} from {@code <linux/kvm.h>} (x86-64, 4 bytes): header of KVM_SET_SIGNAL_MASK; len bytes of the kernel sigset follow. */
@SuppressWarnings("unused")
public final class kvm_signal_mask {
    private kvm_signal_mask() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("len")).withName("kvm_signal_mask");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 4; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long len$OFFSET = 0;
    /** Offset of field {@code len}. */
    public static long len$offset() { return len$OFFSET; }
    public static int len(MemorySegment struct) { return struct.get(JAVA_INT, len$OFFSET); }
    public static void len(MemorySegment struct, int value) { struct.set(JAVA_INT, len$OFFSET, value); }
}
