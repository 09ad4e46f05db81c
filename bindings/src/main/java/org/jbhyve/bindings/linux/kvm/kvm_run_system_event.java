// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_run_system_event} from {@code <linux/kvm.h>} (x86-64, 136 bytes): KVM_EXIT_SYSTEM_EVENT detail. */
@SuppressWarnings("unused")
public final class kvm_run_system_event {
    private kvm_run_system_event() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("ndata"),
            MemoryLayout.sequenceLayout(16, JAVA_LONG).withName("data")).withName("kvm_run_system_event");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 136; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long type$OFFSET = 0;
    /** Offset of field {@code type}. */
    public static long type$offset() { return type$OFFSET; }
    public static int type(MemorySegment struct) { return struct.get(JAVA_INT, type$OFFSET); }
    public static void type(MemorySegment struct, int value) { struct.set(JAVA_INT, type$OFFSET, value); }
    private static final long ndata$OFFSET = 4;
    /** Offset of field {@code ndata}. */
    public static long ndata$offset() { return ndata$OFFSET; }
    public static int ndata(MemorySegment struct) { return struct.get(JAVA_INT, ndata$OFFSET); }
    public static void ndata(MemorySegment struct, int value) { struct.set(JAVA_INT, ndata$OFFSET, value); }
    private static final long data$OFFSET = 8;
    /** Offset of field {@code data}. */
    public static long data$offset() { return data$OFFSET; }
    public static MemorySegment data(MemorySegment struct) { return struct.asSlice(data$OFFSET, 128); }
    public static long data(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, data$OFFSET / 8 + java.util.Objects.checkIndex(index, 16)); }
    public static void data(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, data$OFFSET / 8 + java.util.Objects.checkIndex(index, 16), value); }
}
