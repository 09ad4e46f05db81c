// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_lapic_state} from {@code <asm/kvm.h>} (x86-64, 1024 bytes): the local APIC register page (KVM_GET/SET_LAPIC). */
@SuppressWarnings("unused")
public final class kvm_lapic_state {
    private kvm_lapic_state() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(1024, JAVA_BYTE).withName("regs")).withName("kvm_lapic_state");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 1024; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long regs$OFFSET = 0;
    /** Offset of field {@code regs}. */
    public static long regs$offset() { return regs$OFFSET; }
    public static MemorySegment regs(MemorySegment struct) { return struct.asSlice(regs$OFFSET, 1024); }
    public static byte regs(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, regs$OFFSET / 1 + java.util.Objects.checkIndex(index, 1024)); }
    public static void regs(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, regs$OFFSET / 1 + java.util.Objects.checkIndex(index, 1024), value); }
}
