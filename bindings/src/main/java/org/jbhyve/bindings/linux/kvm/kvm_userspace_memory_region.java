// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_userspace_memory_region} from {@code <linux/kvm.h>} (x86-64, 32 bytes): a guest memory slot (KVM_SET_USER_MEMORY_REGION). */
@SuppressWarnings("unused")
public final class kvm_userspace_memory_region {
    private kvm_userspace_memory_region() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("slot"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("guest_phys_addr"),
            JAVA_LONG.withName("memory_size"),
            JAVA_LONG.withName("userspace_addr")).withName("kvm_userspace_memory_region");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 32; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long slot$OFFSET = 0;
    /** Offset of field {@code slot}. */
    public static long slot$offset() { return slot$OFFSET; }
    public static int slot(MemorySegment struct) { return struct.get(JAVA_INT, slot$OFFSET); }
    public static void slot(MemorySegment struct, int value) { struct.set(JAVA_INT, slot$OFFSET, value); }
    private static final long flags$OFFSET = 4;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long guest_phys_addr$OFFSET = 8;
    /** Offset of field {@code guest_phys_addr}. */
    public static long guest_phys_addr$offset() { return guest_phys_addr$OFFSET; }
    public static long guest_phys_addr(MemorySegment struct) { return struct.get(JAVA_LONG, guest_phys_addr$OFFSET); }
    public static void guest_phys_addr(MemorySegment struct, long value) { struct.set(JAVA_LONG, guest_phys_addr$OFFSET, value); }
    private static final long memory_size$OFFSET = 16;
    /** Offset of field {@code memory_size}. */
    public static long memory_size$offset() { return memory_size$OFFSET; }
    public static long memory_size(MemorySegment struct) { return struct.get(JAVA_LONG, memory_size$OFFSET); }
    public static void memory_size(MemorySegment struct, long value) { struct.set(JAVA_LONG, memory_size$OFFSET, value); }
    private static final long userspace_addr$OFFSET = 24;
    /** Offset of field {@code userspace_addr}. */
    public static long userspace_addr$offset() { return userspace_addr$OFFSET; }
    public static long userspace_addr(MemorySegment struct) { return struct.get(JAVA_LONG, userspace_addr$OFFSET); }
    public static void userspace_addr(MemorySegment struct, long value) { struct.set(JAVA_LONG, userspace_addr$OFFSET, value); }
}
