// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_fpu} from {@code <asm/kvm.h>} (x86-64, 416 bytes): legacy FPU/SSE state (KVM_GET/SET_FPU). */
@SuppressWarnings("unused")
public final class kvm_fpu {
    private kvm_fpu() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(128, JAVA_BYTE).withName("fpr"),
            JAVA_SHORT.withName("fcw"),
            JAVA_SHORT.withName("fsw"),
            JAVA_BYTE.withName("ftwx"),
            JAVA_BYTE.withName("pad1"),
            JAVA_SHORT.withName("last_opcode"),
            JAVA_LONG.withName("last_ip"),
            JAVA_LONG.withName("last_dp"),
            MemoryLayout.sequenceLayout(256, JAVA_BYTE).withName("xmm"),
            JAVA_INT.withName("mxcsr"),
            JAVA_INT.withName("pad2")).withName("kvm_fpu");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 416; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long fpr$OFFSET = 0;
    /** Offset of field {@code fpr}. */
    public static long fpr$offset() { return fpr$OFFSET; }
    public static MemorySegment fpr(MemorySegment struct) { return struct.asSlice(fpr$OFFSET, 128); }
    public static byte fpr(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, fpr$OFFSET / 1 + java.util.Objects.checkIndex(index, 128)); }
    public static void fpr(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, fpr$OFFSET / 1 + java.util.Objects.checkIndex(index, 128), value); }
    private static final long fcw$OFFSET = 128;
    /** Offset of field {@code fcw}. */
    public static long fcw$offset() { return fcw$OFFSET; }
    public static short fcw(MemorySegment struct) { return struct.get(JAVA_SHORT, fcw$OFFSET); }
    public static void fcw(MemorySegment struct, short value) { struct.set(JAVA_SHORT, fcw$OFFSET, value); }
    private static final long fsw$OFFSET = 130;
    /** Offset of field {@code fsw}. */
    public static long fsw$offset() { return fsw$OFFSET; }
    public static short fsw(MemorySegment struct) { return struct.get(JAVA_SHORT, fsw$OFFSET); }
    public static void fsw(MemorySegment struct, short value) { struct.set(JAVA_SHORT, fsw$OFFSET, value); }
    private static final long ftwx$OFFSET = 132;
    /** Offset of field {@code ftwx}. */
    public static long ftwx$offset() { return ftwx$OFFSET; }
    public static byte ftwx(MemorySegment struct) { return struct.get(JAVA_BYTE, ftwx$OFFSET); }
    public static void ftwx(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, ftwx$OFFSET, value); }
    private static final long pad1$OFFSET = 133;
    /** Offset of field {@code pad1}. */
    public static long pad1$offset() { return pad1$OFFSET; }
    public static byte pad1(MemorySegment struct) { return struct.get(JAVA_BYTE, pad1$OFFSET); }
    public static void pad1(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, pad1$OFFSET, value); }
    private static final long last_opcode$OFFSET = 134;
    /** Offset of field {@code last_opcode}. */
    public static long last_opcode$offset() { return last_opcode$OFFSET; }
    public static short last_opcode(MemorySegment struct) { return struct.get(JAVA_SHORT, last_opcode$OFFSET); }
    public static void last_opcode(MemorySegment struct, short value) { struct.set(JAVA_SHORT, last_opcode$OFFSET, value); }
    private static final long last_ip$OFFSET = 136;
    /** Offset of field {@code last_ip}. */
    public static long last_ip$offset() { return last_ip$OFFSET; }
    public static long last_ip(MemorySegment struct) { return struct.get(JAVA_LONG, last_ip$OFFSET); }
    public static void last_ip(MemorySegment struct, long value) { struct.set(JAVA_LONG, last_ip$OFFSET, value); }
    private static final long last_dp$OFFSET = 144;
    /** Offset of field {@code last_dp}. */
    public static long last_dp$offset() { return last_dp$OFFSET; }
    public static long last_dp(MemorySegment struct) { return struct.get(JAVA_LONG, last_dp$OFFSET); }
    public static void last_dp(MemorySegment struct, long value) { struct.set(JAVA_LONG, last_dp$OFFSET, value); }
    private static final long xmm$OFFSET = 152;
    /** Offset of field {@code xmm}. */
    public static long xmm$offset() { return xmm$OFFSET; }
    public static MemorySegment xmm(MemorySegment struct) { return struct.asSlice(xmm$OFFSET, 256); }
    public static byte xmm(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, xmm$OFFSET / 1 + java.util.Objects.checkIndex(index, 256)); }
    public static void xmm(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, xmm$OFFSET / 1 + java.util.Objects.checkIndex(index, 256), value); }
    private static final long mxcsr$OFFSET = 408;
    /** Offset of field {@code mxcsr}. */
    public static long mxcsr$offset() { return mxcsr$OFFSET; }
    public static int mxcsr(MemorySegment struct) { return struct.get(JAVA_INT, mxcsr$OFFSET); }
    public static void mxcsr(MemorySegment struct, int value) { struct.set(JAVA_INT, mxcsr$OFFSET, value); }
    private static final long pad2$OFFSET = 412;
    /** Offset of field {@code pad2}. */
    public static long pad2$offset() { return pad2$OFFSET; }
    public static int pad2(MemorySegment struct) { return struct.get(JAVA_INT, pad2$OFFSET); }
    public static void pad2(MemorySegment struct, int value) { struct.set(JAVA_INT, pad2$OFFSET, value); }
}
