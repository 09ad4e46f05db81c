// Linux x86-64 struct cmsghdr and the CMSG_* arithmetic. FreeBSD's (32-bit cmsg_len, data also at 16)
// is org.jbhyve.bindings.freebsd.socket.cmsghdr / socket_h. Belongs in bindings; package-private here
// until it is moved.
package org.jbhyve.snapshot.ipc;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct cmsghdr {                // Linux x86-64
 *     size_t cmsg_len;            // offset  0 (CMSG_LEN of the data)
 *     int cmsg_level;             // offset  8
 *     int cmsg_type;              // offset 12
 * }; // sizeof 16; data at 16. CMSG_LEN(4) = 20, CMSG_SPACE(4) = 24
 * }
 */
final class cmsghdr {
    private cmsghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"), JAVA_INT.withName("cmsg_type"))
            .withName("cmsghdr");

    static GroupLayout layout() { return $LAYOUT; }
    static long sizeof() { return $LAYOUT.byteSize(); }

    static long cmsg_len$offset() { return 0; }
    static long cmsg_level$offset() { return 8; }
    static long cmsg_type$offset() { return 12; }

    static long cmsg_len(MemorySegment s) { return s.get(JAVA_LONG, 0); }
    static void cmsg_len(MemorySegment s, long v) { s.set(JAVA_LONG, 0, v); }
    static int cmsg_level(MemorySegment s) { return s.get(JAVA_INT, 8); }
    static void cmsg_level(MemorySegment s, int v) { s.set(JAVA_INT, 8, v); }
    static int cmsg_type(MemorySegment s) { return s.get(JAVA_INT, 12); }
    static void cmsg_type(MemorySegment s, int v) { s.set(JAVA_INT, 12, v); }

    /** {@code CMSG_ALIGN}: to {@code sizeof(size_t)}. */
    static long CMSG_ALIGN(long n) { return (n + 7) & ~7L; }
    /** Offset of the data from the header: {@code CMSG_ALIGN(sizeof(struct cmsghdr))} = 16. */
    static final long CMSG_DATA_OFFSET = 16;
    static long CMSG_LEN(long l) { return CMSG_DATA_OFFSET + l; }
    static long CMSG_SPACE(long l) { return CMSG_DATA_OFFSET + CMSG_ALIGN(l); }
}
