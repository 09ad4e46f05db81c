// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.socket;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/**
 * {@code struct cmsghdr} from {@code <sys/socket.h>} (Linux x86-64, 16 bytes): a control-message header
 * with a {@code size_t cmsg_len} (FreeBSD's is 32-bit: {@link org.jbhyve.bindings.freebsd.socket.cmsghdr}).
 * The data follows at {@link socket_h#CMSG_DATA_OFFSET} (16); see {@link socket_h#CMSG_LEN(long)} and
 * {@link socket_h#CMSG_SPACE(long)}.
 */
public final class cmsghdr {
    private cmsghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"),
            JAVA_INT.withName("cmsg_level"),
            JAVA_INT.withName("cmsg_type")).withName("cmsghdr");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long cmsg_len$OFFSET = 0;
    /** Offset of field {@code cmsg_len}. */
    public static long cmsg_len$offset() { return cmsg_len$OFFSET; }
    public static long cmsg_len(MemorySegment struct) { return struct.get(JAVA_LONG, cmsg_len$OFFSET); }
    public static void cmsg_len(MemorySegment struct, long value) { struct.set(JAVA_LONG, cmsg_len$OFFSET, value); }
    private static final long cmsg_level$OFFSET = 8;
    /** Offset of field {@code cmsg_level}. */
    public static long cmsg_level$offset() { return cmsg_level$OFFSET; }
    public static int cmsg_level(MemorySegment struct) { return struct.get(JAVA_INT, cmsg_level$OFFSET); }
    public static void cmsg_level(MemorySegment struct, int value) { struct.set(JAVA_INT, cmsg_level$OFFSET, value); }
    private static final long cmsg_type$OFFSET = 12;
    /** Offset of field {@code cmsg_type}. */
    public static long cmsg_type$offset() { return cmsg_type$OFFSET; }
    public static int cmsg_type(MemorySegment struct) { return struct.get(JAVA_INT, cmsg_type$OFFSET); }
    public static void cmsg_type(MemorySegment struct, int value) { struct.set(JAVA_INT, cmsg_type$OFFSET, value); }
}
