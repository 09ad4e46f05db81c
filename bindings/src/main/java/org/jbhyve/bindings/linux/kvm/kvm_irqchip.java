// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_irqchip} from {@code <linux/kvm.h>} (x86-64, 520 bytes): PIC or IOAPIC state (KVM_GET/SET_IRQCHIP); chip holds kvm_pic_state or kvm_ioapic_state. */
@SuppressWarnings("unused")
public final class kvm_irqchip {
    private kvm_irqchip() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("chip_id"),
            JAVA_INT.withName("pad"),
            MemoryLayout.sequenceLayout(512, JAVA_BYTE).withName("chip")).withName("kvm_irqchip");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 520; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long chip_id$OFFSET = 0;
    /** Offset of field {@code chip_id}. */
    public static long chip_id$offset() { return chip_id$OFFSET; }
    public static int chip_id(MemorySegment struct) { return struct.get(JAVA_INT, chip_id$OFFSET); }
    public static void chip_id(MemorySegment struct, int value) { struct.set(JAVA_INT, chip_id$OFFSET, value); }
    private static final long pad$OFFSET = 4;
    /** Offset of field {@code pad}. */
    public static long pad$offset() { return pad$OFFSET; }
    public static int pad(MemorySegment struct) { return struct.get(JAVA_INT, pad$OFFSET); }
    public static void pad(MemorySegment struct, int value) { struct.set(JAVA_INT, pad$OFFSET, value); }
    private static final long chip$OFFSET = 8;
    /** Offset of field {@code chip}. */
    public static long chip$offset() { return chip$OFFSET; }
    public static MemorySegment chip(MemorySegment struct) { return struct.asSlice(chip$OFFSET, 512); }
    public static byte chip(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, chip$OFFSET / 1 + java.util.Objects.checkIndex(index, 512)); }
    public static void chip(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, chip$OFFSET / 1 + java.util.Objects.checkIndex(index, 512), value); }
}
