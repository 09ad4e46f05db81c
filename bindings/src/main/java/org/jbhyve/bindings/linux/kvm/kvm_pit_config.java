// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_pit_config} from {@code <linux/kvm.h>} (x86-64, 64 bytes): the in-kernel PIT configuration (KVM_CREATE_PIT2). */
@SuppressWarnings("unused")
public final class kvm_pit_config {
    private kvm_pit_config() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(15, JAVA_INT).withName("pad")).withName("kvm_pit_config");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 64; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long flags$OFFSET = 0;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long pad$OFFSET = 4;
    /** Offset of field {@code pad}. */
    public static long pad$offset() { return pad$OFFSET; }
    public static MemorySegment pad(MemorySegment struct) { return struct.asSlice(pad$OFFSET, 60); }
    public static int pad(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_INT, pad$OFFSET / 4 + java.util.Objects.checkIndex(index, 15)); }
    public static void pad(MemorySegment struct, long index, int value) { struct.setAtIndex(JAVA_INT, pad$OFFSET / 4 + java.util.Objects.checkIndex(index, 15), value); }
}
