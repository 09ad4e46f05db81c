// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_enable_cap} from {@code <linux/kvm.h>} (x86-64, 104 bytes): KVM_ENABLE_CAP argument. */
@SuppressWarnings("unused")
public final class kvm_enable_cap {
    private kvm_enable_cap() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("cap"),
            JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("args"),
            MemoryLayout.sequenceLayout(64, JAVA_BYTE).withName("pad")).withName("kvm_enable_cap");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 104; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long cap$OFFSET = 0;
    /** Offset of field {@code cap}. */
    public static long cap$offset() { return cap$OFFSET; }
    public static int cap(MemorySegment struct) { return struct.get(JAVA_INT, cap$OFFSET); }
    public static void cap(MemorySegment struct, int value) { struct.set(JAVA_INT, cap$OFFSET, value); }
    private static final long flags$OFFSET = 4;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long args$OFFSET = 8;
    /** Offset of field {@code args}. */
    public static long args$offset() { return args$OFFSET; }
    public static MemorySegment args(MemorySegment struct) { return struct.asSlice(args$OFFSET, 32); }
    public static long args(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, args$OFFSET / 8 + java.util.Objects.checkIndex(index, 4)); }
    public static void args(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, args$OFFSET / 8 + java.util.Objects.checkIndex(index, 4), value); }
    private static final long pad$OFFSET = 40;
    /** Offset of field {@code pad}. */
    public static long pad$offset() { return pad$OFFSET; }
    public static MemorySegment pad(MemorySegment struct) { return struct.asSlice(pad$OFFSET, 64); }
    public static byte pad(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, pad$OFFSET / 1 + java.util.Objects.checkIndex(index, 64)); }
    public static void pad(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, pad$OFFSET / 1 + java.util.Objects.checkIndex(index, 64), value); }
}
