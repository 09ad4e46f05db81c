// struct iovec: the same 16 bytes on Linux and FreeBSD amd64 (bindings has the FreeBSD copy in
// org.jbhyve.bindings.freebsd.socket.iovec). Package-private here with the other Linux socket structs.
package org.jbhyve.snapshot.ipc;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct iovec {
 *     void *iov_base;             // offset 0
 *     size_t iov_len;             // offset 8
 * }; // sizeof 16
 * }
 */
final class iovec {
    private iovec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len")).withName("iovec");

    static GroupLayout layout() { return $LAYOUT; }
    static long sizeof() { return $LAYOUT.byteSize(); }
    static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    static void iov_base(MemorySegment s, MemorySegment v) { s.set(ADDRESS, 0, v); }
    static void iov_len(MemorySegment s, long v) { s.set(JAVA_LONG, 8, v); }
}
