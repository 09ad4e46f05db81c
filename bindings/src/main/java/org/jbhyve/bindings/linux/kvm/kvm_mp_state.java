// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_mp_state} from {@code <linux/kvm.h>} (x86-64, 4 bytes): the vCPU multiprocessing state (KVM_GET/SET_MP_STATE). */
@SuppressWarnings("unused")
public final class kvm_mp_state {
    private kvm_mp_state() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("mp_state")).withName("kvm_mp_state");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 4; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long mp_state$OFFSET = 0;
    /** Offset of field {@code mp_state}. */
    public static long mp_state$offset() { return mp_state$OFFSET; }
    public static int mp_state(MemorySegment struct) { return struct.get(JAVA_INT, mp_state$OFFSET); }
    public static void mp_state(MemorySegment struct, int value) { struct.set(JAVA_INT, mp_state$OFFSET, value); }
}
