// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_pit_channel_state} from {@code <asm/kvm.h>} (x86-64, 24 bytes): one PIT channel. */
@SuppressWarnings("unused")
public final class kvm_pit_channel_state {
    private kvm_pit_channel_state() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("count"),
            JAVA_SHORT.withName("latched_count"),
            JAVA_BYTE.withName("count_latched"),
            JAVA_BYTE.withName("status_latched"),
            JAVA_BYTE.withName("status"),
            JAVA_BYTE.withName("read_state"),
            JAVA_BYTE.withName("write_state"),
            JAVA_BYTE.withName("write_latch"),
            JAVA_BYTE.withName("rw_mode"),
            JAVA_BYTE.withName("mode"),
            JAVA_BYTE.withName("bcd"),
            JAVA_BYTE.withName("gate"),
            JAVA_LONG.withName("count_load_time")).withName("kvm_pit_channel_state");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 24; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long count$OFFSET = 0;
    /** Offset of field {@code count}. */
    public static long count$offset() { return count$OFFSET; }
    public static int count(MemorySegment struct) { return struct.get(JAVA_INT, count$OFFSET); }
    public static void count(MemorySegment struct, int value) { struct.set(JAVA_INT, count$OFFSET, value); }
    private static final long latched_count$OFFSET = 4;
    /** Offset of field {@code latched_count}. */
    public static long latched_count$offset() { return latched_count$OFFSET; }
    public static short latched_count(MemorySegment struct) { return struct.get(JAVA_SHORT, latched_count$OFFSET); }
    public static void latched_count(MemorySegment struct, short value) { struct.set(JAVA_SHORT, latched_count$OFFSET, value); }
    private static final long count_latched$OFFSET = 6;
    /** Offset of field {@code count_latched}. */
    public static long count_latched$offset() { return count_latched$OFFSET; }
    public static byte count_latched(MemorySegment struct) { return struct.get(JAVA_BYTE, count_latched$OFFSET); }
    public static void count_latched(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, count_latched$OFFSET, value); }
    private static final long status_latched$OFFSET = 7;
    /** Offset of field {@code status_latched}. */
    public static long status_latched$offset() { return status_latched$OFFSET; }
    public static byte status_latched(MemorySegment struct) { return struct.get(JAVA_BYTE, status_latched$OFFSET); }
    public static void status_latched(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, status_latched$OFFSET, value); }
    private static final long status$OFFSET = 8;
    /** Offset of field {@code status}. */
    public static long status$offset() { return status$OFFSET; }
    public static byte status(MemorySegment struct) { return struct.get(JAVA_BYTE, status$OFFSET); }
    public static void status(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, status$OFFSET, value); }
    private static final long read_state$OFFSET = 9;
    /** Offset of field {@code read_state}. */
    public static long read_state$offset() { return read_state$OFFSET; }
    public static byte read_state(MemorySegment struct) { return struct.get(JAVA_BYTE, read_state$OFFSET); }
    public static void read_state(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, read_state$OFFSET, value); }
    private static final long write_state$OFFSET = 10;
    /** Offset of field {@code write_state}. */
    public static long write_state$offset() { return write_state$OFFSET; }
    public static byte write_state(MemorySegment struct) { return struct.get(JAVA_BYTE, write_state$OFFSET); }
    public static void write_state(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, write_state$OFFSET, value); }
    private static final long write_latch$OFFSET = 11;
    /** Offset of field {@code write_latch}. */
    public static long write_latch$offset() { return write_latch$OFFSET; }
    public static byte write_latch(MemorySegment struct) { return struct.get(JAVA_BYTE, write_latch$OFFSET); }
    public static void write_latch(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, write_latch$OFFSET, value); }
    private static final long rw_mode$OFFSET = 12;
    /** Offset of field {@code rw_mode}. */
    public static long rw_mode$offset() { return rw_mode$OFFSET; }
    public static byte rw_mode(MemorySegment struct) { return struct.get(JAVA_BYTE, rw_mode$OFFSET); }
    public static void rw_mode(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, rw_mode$OFFSET, value); }
    private static final long mode$OFFSET = 13;
    /** Offset of field {@code mode}. */
    public static long mode$offset() { return mode$OFFSET; }
    public static byte mode(MemorySegment struct) { return struct.get(JAVA_BYTE, mode$OFFSET); }
    public static void mode(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, mode$OFFSET, value); }
    private static final long bcd$OFFSET = 14;
    /** Offset of field {@code bcd}. */
    public static long bcd$offset() { return bcd$OFFSET; }
    public static byte bcd(MemorySegment struct) { return struct.get(JAVA_BYTE, bcd$OFFSET); }
    public static void bcd(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, bcd$OFFSET, value); }
    private static final long gate$OFFSET = 15;
    /** Offset of field {@code gate}. */
    public static long gate$offset() { return gate$OFFSET; }
    public static byte gate(MemorySegment struct) { return struct.get(JAVA_BYTE, gate$OFFSET); }
    public static void gate(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, gate$OFFSET, value); }
    private static final long count_load_time$OFFSET = 16;
    /** Offset of field {@code count_load_time}. */
    public static long count_load_time$offset() { return count_load_time$OFFSET; }
    public static long count_load_time(MemorySegment struct) { return struct.get(JAVA_LONG, count_load_time$OFFSET); }
    public static void count_load_time(MemorySegment struct, long value) { struct.set(JAVA_LONG, count_load_time$OFFSET, value); }
}
