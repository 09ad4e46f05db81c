// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_msi} from {@code <linux/kvm.h>} (x86-64, 32 bytes): an MSI message (KVM_SIGNAL_MSI). */
@SuppressWarnings("unused")
public final class kvm_msi {
    private kvm_msi() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("address_lo"),
            JAVA_INT.withName("address_hi"),
            JAVA_INT.withName("data"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("devid"),
            MemoryLayout.sequenceLayout(12, JAVA_BYTE).withName("pad")).withName("kvm_msi");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 32; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long address_lo$OFFSET = 0;
    /** Offset of field {@code address_lo}. */
    public static long address_lo$offset() { return address_lo$OFFSET; }
    public static int address_lo(MemorySegment struct) { return struct.get(JAVA_INT, address_lo$OFFSET); }
    public static void address_lo(MemorySegment struct, int value) { struct.set(JAVA_INT, address_lo$OFFSET, value); }
    private static final long address_hi$OFFSET = 4;
    /** Offset of field {@code address_hi}. */
    public static long address_hi$offset() { return address_hi$OFFSET; }
    public static int address_hi(MemorySegment struct) { return struct.get(JAVA_INT, address_hi$OFFSET); }
    public static void address_hi(MemorySegment struct, int value) { struct.set(JAVA_INT, address_hi$OFFSET, value); }
    private static final long data$OFFSET = 8;
    /** Offset of field {@code data}. */
    public static long data$offset() { return data$OFFSET; }
    public static int data(MemorySegment struct) { return struct.get(JAVA_INT, data$OFFSET); }
    public static void data(MemorySegment struct, int value) { struct.set(JAVA_INT, data$OFFSET, value); }
    private static final long flags$OFFSET = 12;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long devid$OFFSET = 16;
    /** Offset of field {@code devid}. */
    public static long devid$offset() { return devid$OFFSET; }
    public static int devid(MemorySegment struct) { return struct.get(JAVA_INT, devid$OFFSET); }
    public static void devid(MemorySegment struct, int value) { struct.set(JAVA_INT, devid$OFFSET, value); }
    private static final long pad$OFFSET = 20;
    /** Offset of field {@code pad}. */
    public static long pad$offset() { return pad$OFFSET; }
    public static MemorySegment pad(MemorySegment struct) { return struct.asSlice(pad$OFFSET, 12); }
    public static byte pad(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, pad$OFFSET / 1 + java.util.Objects.checkIndex(index, 12)); }
    public static void pad(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, pad$OFFSET / 1 + java.util.Objects.checkIndex(index, 12), value); }
}
