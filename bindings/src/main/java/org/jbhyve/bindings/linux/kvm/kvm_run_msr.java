// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_run_msr} from {@code <linux/kvm.h>} (x86-64, 24 bytes): KVM_EXIT_X86_RDMSR/WRMSR detail. */
@SuppressWarnings("unused")
public final class kvm_run_msr {
    private kvm_run_msr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("error"),
            MemoryLayout.sequenceLayout(7, JAVA_BYTE).withName("pad"),
            JAVA_INT.withName("reason"),
            JAVA_INT.withName("index"),
            JAVA_LONG.withName("data")).withName("kvm_run_msr");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 24; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long error$OFFSET = 0;
    /** Offset of field {@code error}. */
    public static long error$offset() { return error$OFFSET; }
    public static byte error(MemorySegment struct) { return struct.get(JAVA_BYTE, error$OFFSET); }
    public static void error(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, error$OFFSET, value); }
    private static final long pad$OFFSET = 1;
    /** Offset of field {@code pad}. */
    public static long pad$offset() { return pad$OFFSET; }
    public static MemorySegment pad(MemorySegment struct) { return struct.asSlice(pad$OFFSET, 7); }
    public static byte pad(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, pad$OFFSET / 1 + java.util.Objects.checkIndex(index, 7)); }
    public static void pad(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, pad$OFFSET / 1 + java.util.Objects.checkIndex(index, 7), value); }
    private static final long reason$OFFSET = 8;
    /** Offset of field {@code reason}. */
    public static long reason$offset() { return reason$OFFSET; }
    public static int reason(MemorySegment struct) { return struct.get(JAVA_INT, reason$OFFSET); }
    public static void reason(MemorySegment struct, int value) { struct.set(JAVA_INT, reason$OFFSET, value); }
    private static final long index$OFFSET = 12;
    /** Offset of field {@code index}. */
    public static long index$offset() { return index$OFFSET; }
    public static int index(MemorySegment struct) { return struct.get(JAVA_INT, index$OFFSET); }
    public static void index(MemorySegment struct, int value) { struct.set(JAVA_INT, index$OFFSET, value); }
    private static final long data$OFFSET = 16;
    /** Offset of field {@code data}. */
    public static long data$offset() { return data$OFFSET; }
    public static long data(MemorySegment struct) { return struct.get(JAVA_LONG, data$OFFSET); }
    public static void data(MemorySegment struct, long value) { struct.set(JAVA_LONG, data$OFFSET, value); }
}
