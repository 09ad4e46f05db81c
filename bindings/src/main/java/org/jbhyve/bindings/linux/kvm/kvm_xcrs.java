// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_xcrs} from {@code <asm/kvm.h>} (x86-64, 392 bytes): extended control registers (KVM_GET/SET_XCRS). */
@SuppressWarnings("unused")
public final class kvm_xcrs {
    private kvm_xcrs() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("nr_xcrs"),
            JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(16, kvm_xcr.layout()).withName("xcrs"),
            MemoryLayout.sequenceLayout(16, JAVA_LONG).withName("padding")).withName("kvm_xcrs");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 392; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long nr_xcrs$OFFSET = 0;
    /** Offset of field {@code nr_xcrs}. */
    public static long nr_xcrs$offset() { return nr_xcrs$OFFSET; }
    public static int nr_xcrs(MemorySegment struct) { return struct.get(JAVA_INT, nr_xcrs$OFFSET); }
    public static void nr_xcrs(MemorySegment struct, int value) { struct.set(JAVA_INT, nr_xcrs$OFFSET, value); }
    private static final long flags$OFFSET = 4;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long xcrs$OFFSET = 8;
    /** Offset of field {@code xcrs}. */
    public static long xcrs$offset() { return xcrs$OFFSET; }
    public static MemorySegment xcrs(MemorySegment struct) { return struct.asSlice(xcrs$OFFSET, 256); }
    public static void xcrs(MemorySegment struct, MemorySegment value) { MemorySegment.copy(value, 0, struct, xcrs$OFFSET, 256); }
    private static final long padding$OFFSET = 264;
    /** Offset of field {@code padding}. */
    public static long padding$offset() { return padding$OFFSET; }
    public static MemorySegment padding(MemorySegment struct) { return struct.asSlice(padding$OFFSET, 128); }
    public static long padding(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, padding$OFFSET / 8 + java.util.Objects.checkIndex(index, 16)); }
    public static void padding(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, padding$OFFSET / 8 + java.util.Objects.checkIndex(index, 16), value); }
}
