// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.socket;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/**
 * {@code struct msghdr} from {@code <sys/socket.h>} (Linux x86-64, glibc, 56 bytes): the
 * {@code sendmsg}/{@code recvmsg} message header, with {@code size_t msg_iovlen} and
 * {@code size_t msg_controllen} (FreeBSD's are 32-bit and the struct is 48 bytes:
 * {@link org.jbhyve.bindings.freebsd.socket.msghdr}).
 */
public final class msghdr {
    private msghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)).withName("msghdr");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 56; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long msg_name$OFFSET = 0;
    /** Offset of field {@code msg_name}. */
    public static long msg_name$offset() { return msg_name$OFFSET; }
    public static MemorySegment msg_name(MemorySegment struct) { return struct.get(ADDRESS, msg_name$OFFSET); }
    public static void msg_name(MemorySegment struct, MemorySegment value) { struct.set(ADDRESS, msg_name$OFFSET, value); }
    private static final long msg_namelen$OFFSET = 8;
    /** Offset of field {@code msg_namelen}. */
    public static long msg_namelen$offset() { return msg_namelen$OFFSET; }
    public static int msg_namelen(MemorySegment struct) { return struct.get(JAVA_INT, msg_namelen$OFFSET); }
    public static void msg_namelen(MemorySegment struct, int value) { struct.set(JAVA_INT, msg_namelen$OFFSET, value); }
    private static final long msg_iov$OFFSET = 16;
    /** Offset of field {@code msg_iov}. */
    public static long msg_iov$offset() { return msg_iov$OFFSET; }
    public static MemorySegment msg_iov(MemorySegment struct) { return struct.get(ADDRESS, msg_iov$OFFSET); }
    public static void msg_iov(MemorySegment struct, MemorySegment value) { struct.set(ADDRESS, msg_iov$OFFSET, value); }
    private static final long msg_iovlen$OFFSET = 24;
    /** Offset of field {@code msg_iovlen}. */
    public static long msg_iovlen$offset() { return msg_iovlen$OFFSET; }
    public static long msg_iovlen(MemorySegment struct) { return struct.get(JAVA_LONG, msg_iovlen$OFFSET); }
    public static void msg_iovlen(MemorySegment struct, long value) { struct.set(JAVA_LONG, msg_iovlen$OFFSET, value); }
    private static final long msg_control$OFFSET = 32;
    /** Offset of field {@code msg_control}. */
    public static long msg_control$offset() { return msg_control$OFFSET; }
    public static MemorySegment msg_control(MemorySegment struct) { return struct.get(ADDRESS, msg_control$OFFSET); }
    public static void msg_control(MemorySegment struct, MemorySegment value) { struct.set(ADDRESS, msg_control$OFFSET, value); }
    private static final long msg_controllen$OFFSET = 40;
    /** Offset of field {@code msg_controllen}. */
    public static long msg_controllen$offset() { return msg_controllen$OFFSET; }
    public static long msg_controllen(MemorySegment struct) { return struct.get(JAVA_LONG, msg_controllen$OFFSET); }
    public static void msg_controllen(MemorySegment struct, long value) { struct.set(JAVA_LONG, msg_controllen$OFFSET, value); }
    private static final long msg_flags$OFFSET = 48;
    /** Offset of field {@code msg_flags}. */
    public static long msg_flags$offset() { return msg_flags$OFFSET; }
    public static int msg_flags(MemorySegment struct) { return struct.get(JAVA_INT, msg_flags$OFFSET); }
    public static void msg_flags(MemorySegment struct, int value) { struct.set(JAVA_INT, msg_flags$OFFSET, value); }
}
