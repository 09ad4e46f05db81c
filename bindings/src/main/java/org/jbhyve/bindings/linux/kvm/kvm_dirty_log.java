// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/**
 * {@code struct kvm_dirty_log} from {@code <linux/kvm.h>} (x86-64, 16 bytes): which memory slot to read the
 * dirty-page bitmap of (KVM_GET_DIRTY_LOG), and where to put it. {@code dirty_bitmap} is a union with a
 * {@code __u64}; it is bound as that u64 (the bitmap's address).
 */
@SuppressWarnings("unused")
public final class kvm_dirty_log {
    private kvm_dirty_log() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("slot"),
            JAVA_INT.withName("padding1"),
            JAVA_LONG.withName("dirty_bitmap")).withName("kvm_dirty_log");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long slot$OFFSET = 0;
    /** Offset of field {@code slot}. */
    public static long slot$offset() { return slot$OFFSET; }
    public static int slot(MemorySegment struct) { return struct.get(JAVA_INT, slot$OFFSET); }
    public static void slot(MemorySegment struct, int value) { struct.set(JAVA_INT, slot$OFFSET, value); }
    private static final long padding1$OFFSET = 4;
    /** Offset of field {@code padding1}. */
    public static long padding1$offset() { return padding1$OFFSET; }
    public static int padding1(MemorySegment struct) { return struct.get(JAVA_INT, padding1$OFFSET); }
    public static void padding1(MemorySegment struct, int value) { struct.set(JAVA_INT, padding1$OFFSET, value); }
    private static final long dirty_bitmap$OFFSET = 8;
    /** Offset of field {@code dirty_bitmap}. */
    public static long dirty_bitmap$offset() { return dirty_bitmap$OFFSET; }
    public static long dirty_bitmap(MemorySegment struct) { return struct.get(JAVA_LONG, dirty_bitmap$OFFSET); }
    public static void dirty_bitmap(MemorySegment struct, long value) { struct.set(JAVA_LONG, dirty_bitmap$OFFSET, value); }
}
