package org.jbhyve.bindings.libc;

/**
 * Linux errno numbers and their symbolic names, so errors read "EINVAL" instead of "22". The numbers are
 * checked against {@code <errno.h>} by LinuxLayoutTest.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
            EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30,
            EPIPE = 32, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOSYS = 38, ENOTSUP = 95,
            EOPNOTSUPP = 95, EADDRINUSE = 98, ECONNREFUSED = 111, ETIMEDOUT = 110, EDQUOT = 122;
    /** {@code EWOULDBLOCK} is {@code EAGAIN} on Linux (FreeBSD: both 35). */
    public static final int EWOULDBLOCK = EAGAIN;
    /** Socket errors (FreeBSD numbers them differently: org.jbhyve.bindings.freebsd.libc.errno_h). */
    public static final int ENOTSOCK = 88, EMSGSIZE = 90, ECONNABORTED = 103, ECONNRESET = 104, ENOBUFS = 105,
            EISCONN = 106, ENOTCONN = 107, ETOOMANYREFS = 109, EINPROGRESS = 115;

    private static final String[] NAMES = new String[134];

    static {
        String[] table = {
            "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
            "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV",
            "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC",
            "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK",
            "ENOSYS", "ENOTEMPTY", "ELOOP"};
        for (int i = 0; i < table.length; i++) NAMES[i + 1] = table[i];
        NAMES[95] = "EOPNOTSUPP";
        NAMES[98] = "EADDRINUSE";
        NAMES[104] = "ECONNRESET";
        NAMES[110] = "ETIMEDOUT";
        NAMES[111] = "ECONNREFUSED";
        NAMES[122] = "EDQUOT";
        NAMES[133] = "EHWPOISON";
    }

    /** The symbolic name of {@code errno}, or {@code "errno N"} for one not in the table. */
    public static String name(int errno) {
        String n = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return n != null ? n : "errno " + errno;
    }

    /** A short human description for the errors people meet when opening /dev/kvm and friends. */
    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or directory";
            case EINTR -> "interrupted system call";
            case EIO -> "input/output error";
            case ENXIO -> "no such device or address";
            case EBADF -> "bad file descriptor";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOMEM -> "out of memory";
            case EACCES -> "permission denied";
            case EFAULT -> "bad address";
            case EBUSY -> "device or resource busy";
            case EEXIST -> "file exists";
            case ENODEV -> "no such device";
            case EINVAL -> "invalid argument";
            case ENOTTY -> "inappropriate ioctl for device";
            case ENOSPC -> "no space left on device";
            case E2BIG -> "argument list too long";
            case ENOSYS -> "function not implemented";
            case EOPNOTSUPP -> "operation not supported";
            case ENOTDIR -> "not a directory";
            case EISDIR -> "is a directory";
            case EROFS -> "read-only file system";
            case EMFILE -> "too many open files";
            case ENFILE -> "too many open files in system";
            case EFBIG -> "file too large";
            case EXDEV -> "invalid cross-device link";
            case ENAMETOOLONG -> "file name too long";
            case EDQUOT -> "disk quota exceeded";
            case ETIMEDOUT -> "connection timed out";
            case ECONNREFUSED -> "connection refused";
            case ECONNRESET -> "connection reset by peer";
            case EPIPE -> "broken pipe";
            default -> name(errno);
        };
    }
}
