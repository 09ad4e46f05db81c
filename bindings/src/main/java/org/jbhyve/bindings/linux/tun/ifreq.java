// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.tun;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/**
 * {@code struct ifreq} from {@code <net/if.h>} (40 bytes on x86-64): {@code ifr_name[IFNAMSIZ]}, then
 * a 24-byte union of which only the members the tap backend and the packet socket use are bound:
 * {@code ifr_flags} (short) and {@code ifr_ifindex} (int).
 */
public final class ifreq {
    private ifreq() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(tun_h.IFNAMSIZ, JAVA_BYTE).withName("ifr_name"),
            MemoryLayout.unionLayout(
                    JAVA_SHORT.withName("ifr_flags"),
                    JAVA_INT.withName("ifr_ifindex"),
                    MemoryLayout.sequenceLayout(24, JAVA_BYTE)).withName("$anon0")).withName("ifreq");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 40; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate(40, 8); }

    private static final long ifr_name$OFFSET = 0;
    public static long ifr_name$offset() { return ifr_name$OFFSET; }
    /** {@code char ifr_name[16]}: a slice of {@code struct}, not a copy. */
    public static MemorySegment ifr_name(MemorySegment struct) { return struct.asSlice(ifr_name$OFFSET, tun_h.IFNAMSIZ); }

    private static final long ifr_flags$OFFSET = 16;
    public static long ifr_flags$offset() { return ifr_flags$OFFSET; }
    public static short ifr_flags(MemorySegment struct) { return struct.get(JAVA_SHORT, ifr_flags$OFFSET); }
    public static void ifr_flags(MemorySegment struct, short value) { struct.set(JAVA_SHORT, ifr_flags$OFFSET, value); }

    private static final long ifr_ifindex$OFFSET = 16;
    public static long ifr_ifindex$offset() { return ifr_ifindex$OFFSET; }
    public static int ifr_ifindex(MemorySegment struct) { return struct.get(JAVA_INT, ifr_ifindex$OFFSET); }
    public static void ifr_ifindex(MemorySegment struct, int value) { struct.set(JAVA_INT, ifr_ifindex$OFFSET, value); }
}
