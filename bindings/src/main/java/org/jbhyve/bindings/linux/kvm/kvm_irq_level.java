// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_irq_level} from {@code <linux/kvm.h>} (x86-64, 8 bytes): an interrupt line level (KVM_IRQ_LINE); irq doubles as status for KVM_IRQ_LINE_STATUS. */
@SuppressWarnings("unused")
public final class kvm_irq_level {
    private kvm_irq_level() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("irq"),
            JAVA_INT.withName("level")).withName("kvm_irq_level");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 8; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long irq$OFFSET = 0;
    /** Offset of field {@code irq}. */
    public static long irq$offset() { return irq$OFFSET; }
    public static int irq(MemorySegment struct) { return struct.get(JAVA_INT, irq$OFFSET); }
    public static void irq(MemorySegment struct, int value) { struct.set(JAVA_INT, irq$OFFSET, value); }
    private static final long level$OFFSET = 4;
    /** Offset of field {@code level}. */
    public static long level$offset() { return level$OFFSET; }
    public static int level(MemorySegment struct) { return struct.get(JAVA_INT, level$OFFSET); }
    public static void level(MemorySegment struct, int value) { struct.set(JAVA_INT, level$OFFSET, value); }
}
