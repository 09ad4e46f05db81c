// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_segment} from {@code <asm/kvm.h>} (x86-64, 24 bytes): a segment register with its hidden descriptor cache. */
@SuppressWarnings("unused")
public final class kvm_segment {
    private kvm_segment() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("base"),
            JAVA_INT.withName("limit"),
            JAVA_SHORT.withName("selector"),
            JAVA_BYTE.withName("type"),
            JAVA_BYTE.withName("present"),
            JAVA_BYTE.withName("dpl"),
            JAVA_BYTE.withName("db"),
            JAVA_BYTE.withName("s"),
            JAVA_BYTE.withName("l"),
            JAVA_BYTE.withName("g"),
            JAVA_BYTE.withName("avl"),
            JAVA_BYTE.withName("unusable"),
            JAVA_BYTE.withName("padding")).withName("kvm_segment");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 24; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long base$OFFSET = 0;
    /** Offset of field {@code base}. */
    public static long base$offset() { return base$OFFSET; }
    public static long base(MemorySegment struct) { return struct.get(JAVA_LONG, base$OFFSET); }
    public static void base(MemorySegment struct, long value) { struct.set(JAVA_LONG, base$OFFSET, value); }
    private static final long limit$OFFSET = 8;
    /** Offset of field {@code limit}. */
    public static long limit$offset() { return limit$OFFSET; }
    public static int limit(MemorySegment struct) { return struct.get(JAVA_INT, limit$OFFSET); }
    public static void limit(MemorySegment struct, int value) { struct.set(JAVA_INT, limit$OFFSET, value); }
    private static final long selector$OFFSET = 12;
    /** Offset of field {@code selector}. */
    public static long selector$offset() { return selector$OFFSET; }
    public static short selector(MemorySegment struct) { return struct.get(JAVA_SHORT, selector$OFFSET); }
    public static void selector(MemorySegment struct, short value) { struct.set(JAVA_SHORT, selector$OFFSET, value); }
    private static final long type$OFFSET = 14;
    /** Offset of field {@code type}. */
    public static long type$offset() { return type$OFFSET; }
    public static byte type(MemorySegment struct) { return struct.get(JAVA_BYTE, type$OFFSET); }
    public static void type(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, type$OFFSET, value); }
    private static final long present$OFFSET = 15;
    /** Offset of field {@code present}. */
    public static long present$offset() { return present$OFFSET; }
    public static byte present(MemorySegment struct) { return struct.get(JAVA_BYTE, present$OFFSET); }
    public static void present(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, present$OFFSET, value); }
    private static final long dpl$OFFSET = 16;
    /** Offset of field {@code dpl}. */
    public static long dpl$offset() { return dpl$OFFSET; }
    public static byte dpl(MemorySegment struct) { return struct.get(JAVA_BYTE, dpl$OFFSET); }
    public static void dpl(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, dpl$OFFSET, value); }
    private static final long db$OFFSET = 17;
    /** Offset of field {@code db}. */
    public static long db$offset() { return db$OFFSET; }
    public static byte db(MemorySegment struct) { return struct.get(JAVA_BYTE, db$OFFSET); }
    public static void db(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, db$OFFSET, value); }
    private static final long s$OFFSET = 18;
    /** Offset of field {@code s}. */
    public static long s$offset() { return s$OFFSET; }
    public static byte s(MemorySegment struct) { return struct.get(JAVA_BYTE, s$OFFSET); }
    public static void s(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, s$OFFSET, value); }
    private static final long l$OFFSET = 19;
    /** Offset of field {@code l}. */
    public static long l$offset() { return l$OFFSET; }
    public static byte l(MemorySegment struct) { return struct.get(JAVA_BYTE, l$OFFSET); }
    public static void l(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, l$OFFSET, value); }
    private static final long g$OFFSET = 20;
    /** Offset of field {@code g}. */
    public static long g$offset() { return g$OFFSET; }
    public static byte g(MemorySegment struct) { return struct.get(JAVA_BYTE, g$OFFSET); }
    public static void g(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, g$OFFSET, value); }
    private static final long avl$OFFSET = 21;
    /** Offset of field {@code avl}. */
    public static long avl$offset() { return avl$OFFSET; }
    public static byte avl(MemorySegment struct) { return struct.get(JAVA_BYTE, avl$OFFSET); }
    public static void avl(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, avl$OFFSET, value); }
    private static final long unusable$OFFSET = 22;
    /** Offset of field {@code unusable}. */
    public static long unusable$offset() { return unusable$OFFSET; }
    public static byte unusable(MemorySegment struct) { return struct.get(JAVA_BYTE, unusable$OFFSET); }
    public static void unusable(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, unusable$OFFSET, value); }
    private static final long padding$OFFSET = 23;
    /** Offset of field {@code padding}. */
    public static long padding$offset() { return padding$OFFSET; }
    public static byte padding(MemorySegment struct) { return struct.get(JAVA_BYTE, padding$OFFSET); }
    public static void padding(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, padding$OFFSET, value); }
}
