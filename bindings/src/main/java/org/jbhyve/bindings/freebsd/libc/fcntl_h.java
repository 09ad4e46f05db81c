// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 sys/fcntl.h values; pinned by FreeBsdLibcConstantsTest. Not in
// shared/reference/freebsd-bhyve.md: taken from FreeBSD's sys/fcntl.h, and compared with the real
// header by bindings/jextract/freebsd/regenerate.sh on a FreeBSD host.

package org.jbhyve.bindings.freebsd.libc;

/**
 * The {@code open}/{@code openat}/{@code pipe2} flags whose FreeBSD values differ from Linux's (the Linux ones, and
 * the flags that are the same on both, are in {@link org.jbhyve.bindings.libc.libc_h}; the functions
 * themselves are there too, since their C signatures are the same).
 */
public class fcntl_h {

    fcntl_h() {
        // Should not be called directly
    }

    /** Create if missing (Linux: 0100). */
    public static final int O_CREAT = 0x0000_0200;
    /** Truncate to length 0 (Linux: 01000). */
    public static final int O_TRUNC = 0x0000_0400;
    /** With O_CREAT: fail if the file exists (Linux: 0200). */
    public static final int O_EXCL = 0x0000_0800;
    /** Do not follow a symbolic link in the last component (Linux: 0400000). */
    public static final int O_NOFOLLOW = 0x0000_0100;
    /** Fail unless the path is a directory (Linux: 0200000). */
    public static final int O_DIRECTORY = 0x0002_0000;
    /** Non-blocking reads and writes (Linux: 04000). */
    public static final int O_NONBLOCK = 0x0000_0004;
    /** Close on exec (Linux: 02000000). */
    public static final int O_CLOEXEC = 0x0010_0000;
}
