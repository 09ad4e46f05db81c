// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_msrs} from {@code <asm/kvm.h>} (x86-64, 8 bytes): header of KVM_GET/SET_MSRS; kvm_msr_entry[nmsrs] follows. */
@SuppressWarnings("unused")
public final class kvm_msrs {
    private kvm_msrs() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("nmsrs"),
            JAVA_INT.withName("pad")).withName("kvm_msrs");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 8; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long nmsrs$OFFSET = 0;
    /** Offset of field {@code nmsrs}. */
    public static long nmsrs$offset() { return nmsrs$OFFSET; }
    public static int nmsrs(MemorySegment struct) { return struct.get(JAVA_INT, nmsrs$OFFSET); }
    public static void nmsrs(MemorySegment struct, int value) { struct.set(JAVA_INT, nmsrs$OFFSET, value); }
    private static final long pad$OFFSET = 4;
    /** Offset of field {@code pad}. */
    public static long pad$offset() { return pad$OFFSET; }
    public static int pad(MemorySegment struct) { return struct.get(JAVA_INT, pad$OFFSET); }
    public static void pad(MemorySegment struct, int value) { struct.set(JAVA_INT, pad$OFFSET, value); }
}
