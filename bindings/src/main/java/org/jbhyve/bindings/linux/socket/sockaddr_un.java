// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.socket;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/**
 * {@code struct sockaddr_un} from {@code <sys/un.h>} (Linux, 110 bytes): a 16-bit
 * {@code sa_family_t sun_family} ({@code AF_UNIX} = 1), then {@link socket_h#SUN_PATH_SIZE} (108) path
 * bytes. FreeBSD's starts with a length byte and has 104 path bytes:
 * {@link org.jbhyve.bindings.freebsd.socket.sockaddr_un}.
 */
public final class sockaddr_un {
    private sockaddr_un() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(socket_h.SUN_PATH_SIZE, JAVA_BYTE).withName("sun_path")).withName("sockaddr_un");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 110; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long sun_family$OFFSET = 0;
    /** Offset of field {@code sun_family}. */
    public static long sun_family$offset() { return sun_family$OFFSET; }
    public static short sun_family(MemorySegment struct) { return struct.get(JAVA_SHORT, sun_family$OFFSET); }
    public static void sun_family(MemorySegment struct, short value) { struct.set(JAVA_SHORT, sun_family$OFFSET, value); }
    private static final long sun_path$OFFSET = 2;
    /** Offset of field {@code sun_path}. */
    public static long sun_path$offset() { return sun_path$OFFSET; }
    /** {@code char sun_path[108]}: a slice of {@code struct}, not a copy. */
    public static MemorySegment sun_path(MemorySegment struct) { return struct.asSlice(sun_path$OFFSET, socket_h.SUN_PATH_SIZE); }
}
