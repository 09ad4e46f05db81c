// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_run_io} from {@code <linux/kvm.h>} (x86-64, 16 bytes): KVM_EXIT_IO detail. */
@SuppressWarnings("unused")
public final class kvm_run_io {
    private kvm_run_io() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("direction"),
            JAVA_BYTE.withName("size"),
            JAVA_SHORT.withName("port"),
            JAVA_INT.withName("count"),
            JAVA_LONG.withName("data_offset")).withName("kvm_run_io");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long direction$OFFSET = 0;
    /** Offset of field {@code direction}. */
    public static long direction$offset() { return direction$OFFSET; }
    public static byte direction(MemorySegment struct) { return struct.get(JAVA_BYTE, direction$OFFSET); }
    public static void direction(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, direction$OFFSET, value); }
    private static final long size$OFFSET = 1;
    /** Offset of field {@code size}. */
    public static long size$offset() { return size$OFFSET; }
    public static byte size(MemorySegment struct) { return struct.get(JAVA_BYTE, size$OFFSET); }
    public static void size(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, size$OFFSET, value); }
    private static final long port$OFFSET = 2;
    /** Offset of field {@code port}. */
    public static long port$offset() { return port$OFFSET; }
    public static short port(MemorySegment struct) { return struct.get(JAVA_SHORT, port$OFFSET); }
    public static void port(MemorySegment struct, short value) { struct.set(JAVA_SHORT, port$OFFSET, value); }
    private static final long count$OFFSET = 4;
    /** Offset of field {@code count}. */
    public static long count$offset() { return count$OFFSET; }
    public static int count(MemorySegment struct) { return struct.get(JAVA_INT, count$OFFSET); }
    public static void count(MemorySegment struct, int value) { struct.set(JAVA_INT, count$OFFSET, value); }
    private static final long data_offset$OFFSET = 8;
    /** Offset of field {@code data_offset}. */
    public static long data_offset$offset() { return data_offset$OFFSET; }
    public static long data_offset(MemorySegment struct) { return struct.get(JAVA_LONG, data_offset$OFFSET); }
    public static void data_offset(MemorySegment struct, long value) { struct.set(JAVA_LONG, data_offset$OFFSET, value); }
}
