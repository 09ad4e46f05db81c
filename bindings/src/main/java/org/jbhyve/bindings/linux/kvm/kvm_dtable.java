// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_dtable} from {@code <asm/kvm.h>} (x86-64, 16 bytes): GDTR/IDTR. */
@SuppressWarnings("unused")
public final class kvm_dtable {
    private kvm_dtable() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("base"),
            JAVA_SHORT.withName("limit"),
            MemoryLayout.sequenceLayout(3, JAVA_SHORT).withName("padding")).withName("kvm_dtable");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long base$OFFSET = 0;
    /** Offset of field {@code base}. */
    public static long base$offset() { return base$OFFSET; }
    public static long base(MemorySegment struct) { return struct.get(JAVA_LONG, base$OFFSET); }
    public static void base(MemorySegment struct, long value) { struct.set(JAVA_LONG, base$OFFSET, value); }
    private static final long limit$OFFSET = 8;
    /** Offset of field {@code limit}. */
    public static long limit$offset() { return limit$OFFSET; }
    public static short limit(MemorySegment struct) { return struct.get(JAVA_SHORT, limit$OFFSET); }
    public static void limit(MemorySegment struct, short value) { struct.set(JAVA_SHORT, limit$OFFSET, value); }
    private static final long padding$OFFSET = 10;
    /** Offset of field {@code padding}. */
    public static long padding$offset() { return padding$OFFSET; }
    public static MemorySegment padding(MemorySegment struct) { return struct.asSlice(padding$OFFSET, 6); }
    public static short padding(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_SHORT, padding$OFFSET / 2 + java.util.Objects.checkIndex(index, 3)); }
    public static void padding(MemorySegment struct, long index, short value) { struct.setAtIndex(JAVA_SHORT, padding$OFFSET / 2 + java.util.Objects.checkIndex(index, 3), value); }
}
