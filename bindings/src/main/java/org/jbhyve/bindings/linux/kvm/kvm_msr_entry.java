// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_msr_entry} from {@code <asm/kvm.h>} (x86-64, 16 bytes): one MSR. */
@SuppressWarnings("unused")
public final class kvm_msr_entry {
    private kvm_msr_entry() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("index"),
            JAVA_INT.withName("reserved"),
            JAVA_LONG.withName("data")).withName("kvm_msr_entry");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long index$OFFSET = 0;
    /** Offset of field {@code index}. */
    public static long index$offset() { return index$OFFSET; }
    public static int index(MemorySegment struct) { return struct.get(JAVA_INT, index$OFFSET); }
    public static void index(MemorySegment struct, int value) { struct.set(JAVA_INT, index$OFFSET, value); }
    private static final long reserved$OFFSET = 4;
    /** Offset of field {@code reserved}. */
    public static long reserved$offset() { return reserved$OFFSET; }
    public static int reserved(MemorySegment struct) { return struct.get(JAVA_INT, reserved$OFFSET); }
    public static void reserved(MemorySegment struct, int value) { struct.set(JAVA_INT, reserved$OFFSET, value); }
    private static final long data$OFFSET = 8;
    /** Offset of field {@code data}. */
    public static long data$offset() { return data$OFFSET; }
    public static long data(MemorySegment struct) { return struct.get(JAVA_LONG, data$OFFSET); }
    public static void data(MemorySegment struct, long value) { struct.set(JAVA_LONG, data$OFFSET, value); }
}
