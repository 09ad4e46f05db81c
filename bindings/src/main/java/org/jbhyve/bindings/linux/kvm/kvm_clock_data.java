// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_clock_data} from {@code <linux/kvm.h>} (x86-64, 48 bytes): the kvmclock value (KVM_GET/SET_CLOCK). */
@SuppressWarnings("unused")
public final class kvm_clock_data {
    private kvm_clock_data() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("clock"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("pad0"),
            JAVA_LONG.withName("realtime"),
            JAVA_LONG.withName("host_tsc"),
            MemoryLayout.sequenceLayout(4, JAVA_INT).withName("pad")).withName("kvm_clock_data");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 48; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long clock$OFFSET = 0;
    /** Offset of field {@code clock}. */
    public static long clock$offset() { return clock$OFFSET; }
    public static long clock(MemorySegment struct) { return struct.get(JAVA_LONG, clock$OFFSET); }
    public static void clock(MemorySegment struct, long value) { struct.set(JAVA_LONG, clock$OFFSET, value); }
    private static final long flags$OFFSET = 8;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long pad0$OFFSET = 12;
    /** Offset of field {@code pad0}. */
    public static long pad0$offset() { return pad0$OFFSET; }
    public static int pad0(MemorySegment struct) { return struct.get(JAVA_INT, pad0$OFFSET); }
    public static void pad0(MemorySegment struct, int value) { struct.set(JAVA_INT, pad0$OFFSET, value); }
    private static final long realtime$OFFSET = 16;
    /** Offset of field {@code realtime}. */
    public static long realtime$offset() { return realtime$OFFSET; }
    public static long realtime(MemorySegment struct) { return struct.get(JAVA_LONG, realtime$OFFSET); }
    public static void realtime(MemorySegment struct, long value) { struct.set(JAVA_LONG, realtime$OFFSET, value); }
    private static final long host_tsc$OFFSET = 24;
    /** Offset of field {@code host_tsc}. */
    public static long host_tsc$offset() { return host_tsc$OFFSET; }
    public static long host_tsc(MemorySegment struct) { return struct.get(JAVA_LONG, host_tsc$OFFSET); }
    public static void host_tsc(MemorySegment struct, long value) { struct.set(JAVA_LONG, host_tsc$OFFSET, value); }
    private static final long pad$OFFSET = 32;
    /** Offset of field {@code pad}. */
    public static long pad$offset() { return pad$OFFSET; }
    public static MemorySegment pad(MemorySegment struct) { return struct.asSlice(pad$OFFSET, 16); }
    public static int pad(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_INT, pad$OFFSET / 4 + java.util.Objects.checkIndex(index, 4)); }
    public static void pad(MemorySegment struct, long index, int value) { struct.setAtIndex(JAVA_INT, pad$OFFSET / 4 + java.util.Objects.checkIndex(index, 4), value); }
}
