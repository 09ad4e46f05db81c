// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_vcpu_events_exception} from {@code <asm/kvm.h>} (x86-64, 8 bytes): the exception part of kvm_vcpu_events (anonymous in C). */
@SuppressWarnings("unused")
public final class kvm_vcpu_events_exception {
    private kvm_vcpu_events_exception() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("injected"),
            JAVA_BYTE.withName("nr"),
            JAVA_BYTE.withName("has_error_code"),
            JAVA_BYTE.withName("pending"),
            JAVA_INT.withName("error_code")).withName("kvm_vcpu_events_exception");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 8; }
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
    private static final long has_error_code$OFFSET = 2;
    /** Offset of field {@code has_error_code}. */
    public static long has_error_code$offset() { return has_error_code$OFFSET; }
    public static byte has_error_code(MemorySegment struct) { return struct.get(JAVA_BYTE, has_error_code$OFFSET); }
    public static void has_error_code(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, has_error_code$OFFSET, value); }
    private static final long pending$OFFSET = 3;
    /** Offset of field {@code pending}. */
    public static long pending$offset() { return pending$OFFSET; }
    public static byte pending(MemorySegment struct) { return struct.get(JAVA_BYTE, pending$OFFSET); }
    public static void pending(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, pending$OFFSET, value); }
    private static final long error_code$OFFSET = 4;
    /** Offset of field {@code error_code}. */
    public static long error_code$offset() { return error_code$OFFSET; }
    public static int error_code(MemorySegment struct) { return struct.get(JAVA_INT, error_code$OFFSET); }
    public static void error_code(MemorySegment struct, int value) { struct.set(JAVA_INT, error_code$OFFSET, value); }
}
