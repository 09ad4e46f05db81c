// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_pit_state2} from {@code <asm/kvm.h>} (x86-64, 112 bytes): the in-kernel PIT state (KVM_GET/SET_PIT2). */
@SuppressWarnings("unused")
public final class kvm_pit_state2 {
    private kvm_pit_state2() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(3, kvm_pit_channel_state.layout()).withName("channels"),
            JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(9, JAVA_INT).withName("reserved")).withName("kvm_pit_state2");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 112; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long channels$OFFSET = 0;
    /** Offset of field {@code channels}. */
    public static long channels$offset() { return channels$OFFSET; }
    public static MemorySegment channels(MemorySegment struct) { return struct.asSlice(channels$OFFSET, 72); }
    public static void channels(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, channels$OFFSET, 72); }
    private static final long flags$OFFSET = 72;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long reserved$OFFSET = 76;
    /** Offset of field {@code reserved}. */
    public static long reserved$offset() { return reserved$OFFSET; }
    public static MemorySegment reserved(MemorySegment struct) { return struct.asSlice(reserved$OFFSET, 36); }
    public static int reserved(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_INT, reserved$OFFSET / 4 + java.util.Objects.checkIndex(index, 9)); }
    public static void reserved(MemorySegment struct, long index, int value) { struct.setAtIndex(JAVA_INT, reserved$OFFSET / 4 + java.util.Objects.checkIndex(index, 9), value); }
}
