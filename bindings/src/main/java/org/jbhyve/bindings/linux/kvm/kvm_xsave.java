// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_xsave} from {@code <asm/kvm.h>} (x86-64, 4096 bytes): the XSAVE area (KVM_GET/SET_XSAVE; KVM_GET_XSAVE2 may need more, see KVM_CAP_XSAVE2). */
@SuppressWarnings("unused")
public final class kvm_xsave {
    private kvm_xsave() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(1024, JAVA_INT).withName("region")).withName("kvm_xsave");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 4096; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long region$OFFSET = 0;
    /** Offset of field {@code region}. */
    public static long region$offset() { return region$OFFSET; }
    public static MemorySegment region(MemorySegment struct) { return struct.asSlice(region$OFFSET, 4096); }
    public static int region(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_INT, region$OFFSET / 4 + java.util.Objects.checkIndex(index, 1024)); }
    public static void region(MemorySegment struct, long index, int value) { struct.setAtIndex(JAVA_INT, region$OFFSET / 4 + java.util.Objects.checkIndex(index, 1024), value); }
}
