// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_debugregs} from {@code <asm/kvm.h>} (x86-64, 128 bytes): debug registers (KVM_GET/SET_DEBUGREGS). */
@SuppressWarnings("unused")
public final class kvm_debugregs {
    private kvm_debugregs() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("db"),
            JAVA_LONG.withName("dr6"),
            JAVA_LONG.withName("dr7"),
            JAVA_LONG.withName("flags"),
            MemoryLayout.sequenceLayout(9, JAVA_LONG).withName("reserved")).withName("kvm_debugregs");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 128; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long db$OFFSET = 0;
    /** Offset of field {@code db}. */
    public static long db$offset() { return db$OFFSET; }
    public static MemorySegment db(MemorySegment struct) { return struct.asSlice(db$OFFSET, 32); }
    public static long db(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, db$OFFSET / 8 + java.util.Objects.checkIndex(index, 4)); }
    public static void db(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, db$OFFSET / 8 + java.util.Objects.checkIndex(index, 4), value); }
    private static final long dr6$OFFSET = 32;
    /** Offset of field {@code dr6}. */
    public static long dr6$offset() { return dr6$OFFSET; }
    public static long dr6(MemorySegment struct) { return struct.get(JAVA_LONG, dr6$OFFSET); }
    public static void dr6(MemorySegment struct, long value) { struct.set(JAVA_LONG, dr6$OFFSET, value); }
    private static final long dr7$OFFSET = 40;
    /** Offset of field {@code dr7}. */
    public static long dr7$offset() { return dr7$OFFSET; }
    public static long dr7(MemorySegment struct) { return struct.get(JAVA_LONG, dr7$OFFSET); }
    public static void dr7(MemorySegment struct, long value) { struct.set(JAVA_LONG, dr7$OFFSET, value); }
    private static final long flags$OFFSET = 48;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static long flags(MemorySegment struct) { return struct.get(JAVA_LONG, flags$OFFSET); }
    public static void flags(MemorySegment struct, long value) { struct.set(JAVA_LONG, flags$OFFSET, value); }
    private static final long reserved$OFFSET = 56;
    /** Offset of field {@code reserved}. */
    public static long reserved$offset() { return reserved$OFFSET; }
    public static MemorySegment reserved(MemorySegment struct) { return struct.asSlice(reserved$OFFSET, 72); }
    public static long reserved(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, reserved$OFFSET / 8 + java.util.Objects.checkIndex(index, 9)); }
    public static void reserved(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, reserved$OFFSET / 8 + java.util.Objects.checkIndex(index, 9), value); }
}
