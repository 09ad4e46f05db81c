// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_vcpu_events_interrupt} from {@code <asm/kvm.h>} (x86-64, 4 bytes): the interrupt part of kvm_vcpu_events (anonymous in C). */
@SuppressWarnings("unused")
public final class kvm_vcpu_events_interrupt {
    private kvm_vcpu_events_interrupt() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("injected"),
            JAVA_BYTE.withName("nr"),
            JAVA_BYTE.withName("soft"),
            JAVA_BYTE.withName("shadow")).withName("kvm_vcpu_events_interrupt");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 4; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long injected$OFFSET = 0;
    /** Offset of field {@code injected}. */
    public static long injected$offset() { return injected$OFFSET; }
    public static byte injected(MemorySegment struct) { return struct.get(JAVA_BYTE, injected$OFFSET); }
    public static void injected(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, injected$OFFSET, value); }
    private static final long nr$OFFSET = 1;
    /** Offset of field {@code nr}. */
    public static long nr$offset() { return nr$OFFSET; }
    public static byte nr(MemorySegment struct) { return struct.get(JAVA_BYTE, nr$OFFSET); }
    public static void nr(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, nr$OFFSET, value); }
    private static final long soft$OFFSET = 2;
    /** Offset of field {@code soft}. */
    public static long soft$offset() { return soft$OFFSET; }
    public static byte soft(MemorySegment struct) { return struct.get(JAVA_BYTE, soft$OFFSET); }
    public static void soft(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, soft$OFFSET, value); }
    private static final long shadow$OFFSET = 3;
    /** Offset of field {@code shadow}. */
    public static long shadow$offset() { return shadow$OFFSET; }
    public static byte shadow(MemorySegment struct) { return struct.get(JAVA_BYTE, shadow$OFFSET); }
    public static void shadow(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, shadow$OFFSET, value); }
}
