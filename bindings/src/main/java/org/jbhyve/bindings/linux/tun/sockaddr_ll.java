// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.tun;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/**
 * {@code struct sockaddr_ll} from {@code <linux/if_packet.h>} (20 bytes): the address of a packet
 * socket, bound to one interface by {@code sll_ifindex}. {@code sll_protocol} is in network byte order.
 */
public final class sockaddr_ll {
    private sockaddr_ll() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            JAVA_BYTE.withName("sll_pkttype"),
            JAVA_BYTE.withName("sll_halen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr")).withName("sockaddr_ll");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 20; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    public static long sll_family$offset() { return 0; }
    public static short sll_family(MemorySegment struct) { return struct.get(JAVA_SHORT, 0); }
    public static void sll_family(MemorySegment struct, short value) { struct.set(JAVA_SHORT, 0, value); }
    public static long sll_protocol$offset() { return 2; }
    /** Network byte order. */
    public static short sll_protocol(MemorySegment struct) { return struct.get(JAVA_SHORT, 2); }
    public static void sll_protocol(MemorySegment struct, short value) { struct.set(JAVA_SHORT, 2, value); }
    public static long sll_ifindex$offset() { return 4; }
    public static int sll_ifindex(MemorySegment struct) { return struct.get(JAVA_INT, 4); }
    public static void sll_ifindex(MemorySegment struct, int value) { struct.set(JAVA_INT, 4, value); }
    public static long sll_hatype$offset() { return 8; }
    public static long sll_pkttype$offset() { return 10; }
    public static long sll_halen$offset() { return 11; }
    public static long sll_addr$offset() { return 12; }
    /** {@code unsigned char sll_addr[8]}: a slice of {@code struct}, not a copy. */
    public static MemorySegment sll_addr(MemorySegment struct) { return struct.asSlice(12, 8); }
}
