// Linux x86-64 struct msghdr, in the compact shape of bindings' libc/pollfd.java. FreeBSD's (48 bytes,
// 32-bit iovlen/controllen) is org.jbhyve.bindings.freebsd.socket.msghdr. Belongs in bindings
// (e.g. org.jbhyve.bindings.linux.socket); package-private here until it is moved.
package org.jbhyve.snapshot.ipc;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct msghdr {                 // Linux x86-64, glibc <sys/socket.h>
 *     void *msg_name;             // offset  0
 *     socklen_t msg_namelen;      // offset  8
 *     struct iovec *msg_iov;      // offset 16
 *     size_t msg_iovlen;          // offset 24
 *     void *msg_control;          // offset 32
 *     size_t msg_controllen;      // offset 40
 *     int msg_flags;              // offset 48
 * }; // sizeof 56
 * }
 */
final class msghdr {
    private msghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4)).withName("msghdr");

    static GroupLayout layout() { return $LAYOUT; }
    static long sizeof() { return $LAYOUT.byteSize(); }
    static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    static long msg_name$offset() { return 0; }
    static long msg_namelen$offset() { return 8; }
    static long msg_iov$offset() { return 16; }
    static long msg_iovlen$offset() { return 24; }
    static long msg_control$offset() { return 32; }
    static long msg_controllen$offset() { return 40; }
    static long msg_flags$offset() { return 48; }

    static void msg_name(MemorySegment s, MemorySegment v) { s.set(ADDRESS, 0, v); }
    static void msg_namelen(MemorySegment s, int v) { s.set(JAVA_INT, 8, v); }
    static void msg_iov(MemorySegment s, MemorySegment v) { s.set(ADDRESS, 16, v); }
    static void msg_iovlen(MemorySegment s, long v) { s.set(JAVA_LONG, 24, v); }
    static void msg_control(MemorySegment s, MemorySegment v) { s.set(ADDRESS, 32, v); }
    static long msg_controllen(MemorySegment s) { return s.get(JAVA_LONG, 40); }
    static void msg_controllen(MemorySegment s, long v) { s.set(JAVA_LONG, 40, v); }
    static int msg_flags(MemorySegment s) { return s.get(JAVA_INT, 48); }
    static void msg_flags(MemorySegment s, int v) { s.set(JAVA_INT, 48, v); }
}
