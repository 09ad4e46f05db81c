// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_interrupt} from {@code <linux/kvm.h>} (x86-64, 4 bytes): KVM_INTERRUPT argument. */
@SuppressWarnings("unused")
public final class kvm_interrupt {
    private kvm_interrupt() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("irq")).withName("kvm_interrupt");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 4; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long irq$OFFSET = 0;
    /** Offset of field {@code irq}. */
    public static long irq$offset() { return irq$OFFSET; }
    public static int irq(MemorySegment struct) { return struct.get(JAVA_INT, irq$OFFSET); }
    public static void irq(MemorySegment struct, int value) { struct.set(JAVA_INT, irq$OFFSET, value); }
}
