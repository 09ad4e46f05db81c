// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD sys/errno.h values; pinned by FreeBsdLibcConstantsTest. Not in
// shared/reference/freebsd-bhyve.md: taken from FreeBSD's sys/errno.h, and compared with the real
// header by bindings/jextract/freebsd/regenerate.sh on a FreeBSD host.

package org.jbhyve.bindings.freebsd.libc;

/**
 * FreeBSD errno numbers for the errors file, socket and tap device code meets. 1 to 34 are the same as
 * Linux's ({@link org.jbhyve.bindings.libc.Errno}) except 11 ({@code EDEADLK} here, {@code EAGAIN} on
 * Linux); from {@code EAGAIN} (35 here) on they differ.
 */
public class errno_h {

    errno_h() {
        // Should not be called directly
    }

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EPIPE = 32;
    public static final int EAGAIN = 35;
    /** The same number as {@link #EAGAIN}. */
    public static final int EWOULDBLOCK = EAGAIN;
    public static final int EINPROGRESS = 36;
    public static final int ENOTSOCK = 38;
    public static final int EMSGSIZE = 40;
    public static final int EADDRINUSE = 48;
    public static final int ECONNABORTED = 53;
    public static final int ECONNRESET = 54;
    public static final int ENOBUFS = 55;
    public static final int EISCONN = 56;
    public static final int ENOTCONN = 57;
    public static final int ETOOMANYREFS = 59;
    public static final int ETIMEDOUT = 60;
    public static final int ECONNREFUSED = 61;
    public static final int ENAMETOOLONG = 63;
    /** A tap read before the interface is ready (Linux: 112). */
    public static final int EHOSTDOWN = 64;
}
