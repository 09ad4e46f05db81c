// Linux struct sockaddr_un. FreeBSD's (u8 sun_len, u8 sun_family, char sun_path[104]) is
// org.jbhyve.bindings.freebsd.socket.sockaddr_un. Belongs in bindings; package-private here until moved.
package org.jbhyve.snapshot.ipc;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct sockaddr_un {            // Linux
 *     sa_family_t sun_family;     // offset 0, u16 (AF_UNIX = 1)
 *     char sun_path[108];         // offset 2
 * }; // sizeof 110
 * }
 */
final class sockaddr_un {
    private sockaddr_un() {}

    static final int SUN_PATH_SIZE = 108;

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(SUN_PATH_SIZE, JAVA_BYTE).withName("sun_path")).withName("sockaddr_un");

    static GroupLayout layout() { return $LAYOUT; }
    static long sizeof() { return $LAYOUT.byteSize(); }
    static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    static long sun_family$offset() { return 0; }
    static long sun_path$offset() { return 2; }

    static void sun_family(MemorySegment s, short v) { s.set(JAVA_SHORT, 0, v); }
    static MemorySegment sun_path(MemorySegment s) { return s.asSlice(2, SUN_PATH_SIZE); }
}
