// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.socket;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/**
 * {@code struct iovec} from {@code <sys/uio.h>} (x86-64, 16 bytes): a scatter/gather element, what
 * {@link msghdr}'s {@code msg_iov} points to. The same on FreeBSD amd64.
 */
public final class iovec {
    private iovec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"),
            JAVA_LONG.withName("iov_len")).withName("iovec");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long iov_base$OFFSET = 0;
    /** Offset of field {@code iov_base}. */
    public static long iov_base$offset() { return iov_base$OFFSET; }
    public static MemorySegment iov_base(MemorySegment struct) { return struct.get(ADDRESS, iov_base$OFFSET); }
    public static void iov_base(MemorySegment struct, MemorySegment value) { struct.set(ADDRESS, iov_base$OFFSET, value); }
    private static final long iov_len$OFFSET = 8;
    /** Offset of field {@code iov_len}. */
    public static long iov_len$offset() { return iov_len$OFFSET; }
    public static long iov_len(MemorySegment struct) { return struct.get(JAVA_LONG, iov_len$OFFSET); }
    public static void iov_len(MemorySegment struct, long value) { struct.set(JAVA_LONG, iov_len$OFFSET, value); }
}
