// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_xcr} from {@code <asm/kvm.h>} (x86-64, 16 bytes): one extended control register. */
@SuppressWarnings("unused")
public final class kvm_xcr {
    private kvm_xcr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("xcr"),
            JAVA_INT.withName("reserved"),
            JAVA_LONG.withName("value")).withName("kvm_xcr");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long xcr$OFFSET = 0;
    /** Offset of field {@code xcr}. */
    public static long xcr$offset() { return xcr$OFFSET; }
    public static int xcr(MemorySegment struct) { return struct.get(JAVA_INT, xcr$OFFSET); }
    public static void xcr(MemorySegment struct, int value) { struct.set(JAVA_INT, xcr$OFFSET, value); }
    private static final long reserved$OFFSET = 4;
    /** Offset of field {@code reserved}. */
    public static long reserved$offset() { return reserved$OFFSET; }
    public static int reserved(MemorySegment struct) { return struct.get(JAVA_INT, reserved$OFFSET); }
    public static void reserved(MemorySegment struct, int value) { struct.set(JAVA_INT, reserved$OFFSET, value); }
    private static final long value$OFFSET = 8;
    /** Offset of field {@code value}. */
    public static long value$offset() { return value$OFFSET; }
    public static long value(MemorySegment struct) { return struct.get(JAVA_LONG, value$OFFSET); }
    public static void value(MemorySegment struct, long value) { struct.set(JAVA_LONG, value$OFFSET, value); }
}
