// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_vcpu_events_nmi} from {@code <asm/kvm.h>} (x86-64, 4 bytes): the NMI part of kvm_vcpu_events (anonymous in C). */
@SuppressWarnings("unused")
public final class kvm_vcpu_events_nmi {
    private kvm_vcpu_events_nmi() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("injected"),
            JAVA_BYTE.withName("pending"),
            JAVA_BYTE.withName("masked"),
            JAVA_BYTE.withName("pad")).withName("kvm_vcpu_events_nmi");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 4; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long injected$OFFSET = 0;
    /** Offset of field {@code injected}. */
    public static long injected$offset() { return injected$OFFSET; }
    public static byte injected(MemorySegment struct) { return struct.get(JAVA_BYTE, injected$OFFSET); }
    public static void injected(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, injected$OFFSET, value); }
    private static final long pending$OFFSET = 1;
    /** Offset of field {@code pending}. */
    public static long pending$offset() { return pending$OFFSET; }
    public static byte pending(MemorySegment struct) { return struct.get(JAVA_BYTE, pending$OFFSET); }
    public static void pending(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, pending$OFFSET, value); }
    private static final long masked$OFFSET = 2;
    /** Offset of field {@code masked}. */
    public static long masked$offset() { return masked$OFFSET; }
    public static byte masked(MemorySegment struct) { return struct.get(JAVA_BYTE, masked$OFFSET); }
    public static void masked(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, masked$OFFSET, value); }
    private static final long pad$OFFSET = 3;
    /** Offset of field {@code pad}. */
    public static long pad$offset() { return pad$OFFSET; }
    public static byte pad(MemorySegment struct) { return struct.get(JAVA_BYTE, pad$OFFSET); }
    public static void pad(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, pad$OFFSET, value); }
}
