// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD sys/poll.h values; pinned by FreeBsdLibcConstantsTest. Not in
// shared/reference/freebsd-bhyve.md: taken from FreeBSD's sys/poll.h, and compared with the real
// header by bindings/jextract/freebsd/regenerate.sh on a FreeBSD host.

package org.jbhyve.bindings.freebsd.libc;

/**
 * FreeBSD's {@code poll(2)} event bits. They are the same numbers as Linux's in
 * {@link org.jbhyve.bindings.libc.libc_h}, which callers use on both systems; this class exists so
 * that the claim is pinned by a test here and checked against the real header on FreeBSD. (So is
 * {@code struct pollfd}: {@code int fd; short events; short revents}, 8 bytes, on both.)
 */
public class poll_h {

    poll_h() {
        // Should not be called directly
    }

    /** Readable data available. */
    public static final int POLLIN = 0x0001;
    /** Writable. */
    public static final int POLLOUT = 0x0004;
    /** An error occurred (reported whether asked for or not). */
    public static final int POLLERR = 0x0008;
    /** Hung up (reported whether asked for or not). */
    public static final int POLLHUP = 0x0010;
    /** The descriptor is not open (reported whether asked for or not). */
    public static final int POLLNVAL = 0x0020;
}
