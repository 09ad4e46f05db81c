// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_cpuid_entry2} from {@code <asm/kvm.h>} (x86-64, 40 bytes): one CPUID leaf. */
@SuppressWarnings("unused")
public final class kvm_cpuid_entry2 {
    private kvm_cpuid_entry2() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("function"),
            JAVA_INT.withName("index"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("eax"),
            JAVA_INT.withName("ebx"),
            JAVA_INT.withName("ecx"),
            JAVA_INT.withName("edx"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("padding")).withName("kvm_cpuid_entry2");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 40; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long function$OFFSET = 0;
    /** Offset of field {@code function}. */
    public static long function$offset() { return function$OFFSET; }
    public static int function(MemorySegment struct) { return struct.get(JAVA_INT, function$OFFSET); }
    public static void function(MemorySegment struct, int value) { struct.set(JAVA_INT, function$OFFSET, value); }
    private static final long index$OFFSET = 4;
    /** Offset of field {@code index}. */
    public static long index$offset() { return index$OFFSET; }
    public static int index(MemorySegment struct) { return struct.get(JAVA_INT, index$OFFSET); }
    public static void index(MemorySegment struct, int value) { struct.set(JAVA_INT, index$OFFSET, value); }
    private static final long flags$OFFSET = 8;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int value) { struct.set(JAVA_INT, flags$OFFSET, value); }
    private static final long eax$OFFSET = 12;
    /** Offset of field {@code eax}. */
    public static long eax$offset() { return eax$OFFSET; }
    public static int eax(MemorySegment struct) { return struct.get(JAVA_INT, eax$OFFSET); }
    public static void eax(MemorySegment struct, int value) { struct.set(JAVA_INT, eax$OFFSET, value); }
    private static final long ebx$OFFSET = 16;
    /** Offset of field {@code ebx}. */
    public static long ebx$offset() { return ebx$OFFSET; }
    public static int ebx(MemorySegment struct) { return struct.get(JAVA_INT, ebx$OFFSET); }
    public static void ebx(MemorySegment struct, int value) { struct.set(JAVA_INT, ebx$OFFSET, value); }
    private static final long ecx$OFFSET = 20;
    /** Offset of field {@code ecx}. */
    public static long ecx$offset() { return ecx$OFFSET; }
    public static int ecx(MemorySegment struct) { return struct.get(JAVA_INT, ecx$OFFSET); }
    public static void ecx(MemorySegment struct, int value) { struct.set(JAVA_INT, ecx$OFFSET, value); }
    private static final long edx$OFFSET = 24;
    /** Offset of field {@code edx}. */
    public static long edx$offset() { return edx$OFFSET; }
    public static int edx(MemorySegment struct) { return struct.get(JAVA_INT, edx$OFFSET); }
    public static void edx(MemorySegment struct, int value) { struct.set(JAVA_INT, edx$OFFSET, value); }
    private static final long padding$OFFSET = 28;
    /** Offset of field {@code padding}. */
    public static long padding$offset() { return padding$OFFSET; }
    public static MemorySegment padding(MemorySegment struct) { return struct.asSlice(padding$OFFSET, 12); }
    public static int padding(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_INT, padding$OFFSET / 4 + java.util.Objects.checkIndex(index, 3)); }
    public static void padding(MemorySegment struct, long index, int value) { struct.setAtIndex(JAVA_INT, padding$OFFSET / 4 + java.util.Objects.checkIndex(index, 3), value); }
}
