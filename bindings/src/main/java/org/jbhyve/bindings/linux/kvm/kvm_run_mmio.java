// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_run_mmio} from {@code <linux/kvm.h>} (x86-64, 24 bytes): KVM_EXIT_MMIO detail. */
@SuppressWarnings("unused")
public final class kvm_run_mmio {
    private kvm_run_mmio() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("phys_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("data"),
            JAVA_INT.withName("len"),
            JAVA_BYTE.withName("is_write"),
            MemoryLayout.paddingLayout(3)).withName("kvm_run_mmio");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 24; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long phys_addr$OFFSET = 0;
    /** Offset of field {@code phys_addr}. */
    public static long phys_addr$offset() { return phys_addr$OFFSET; }
    public static long phys_addr(MemorySegment struct) { return struct.get(JAVA_LONG, phys_addr$OFFSET); }
    public static void phys_addr(MemorySegment struct, long value) { struct.set(JAVA_LONG, phys_addr$OFFSET, value); }
    private static final long data$OFFSET = 8;
    /** Offset of field {@code data}. */
    public static long data$offset() { return data$OFFSET; }
    public static MemorySegment data(MemorySegment struct) { return struct.asSlice(data$OFFSET, 8); }
    public static byte data(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, data$OFFSET / 1 + java.util.Objects.checkIndex(index, 8)); }
    public static void data(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, data$OFFSET / 1 + java.util.Objects.checkIndex(index, 8), value); }
    private static final long len$OFFSET = 16;
    /** Offset of field {@code len}. */
    public static long len$offset() { return len$OFFSET; }
    public static int len(MemorySegment struct) { return struct.get(JAVA_INT, len$OFFSET); }
    public static void len(MemorySegment struct, int value) { struct.set(JAVA_INT, len$OFFSET, value); }
    private static final long is_write$OFFSET = 20;
    /** Offset of field {@code is_write}. */
    public static long is_write$offset() { return is_write$OFFSET; }
    public static byte is_write(MemorySegment struct) { return struct.get(JAVA_BYTE, is_write$OFFSET); }
    public static void is_write(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, is_write$OFFSET, value); }
}
