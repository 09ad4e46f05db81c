package org.jbhyve.vmm.freebsd;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.vmm.VmmException;

/**
 * FreeBSD errno numbers and their names. Numbers 1 to 34 are the same as Linux's (the historical Unix
 * set), so {@link Errno} names them; above that the two systems differ (FreeBSD's EAGAIN is 35, Linux's
 * 11), and only the few FreeBSD ones the backend meets are named here (sys/sys/errno.h).
 */
final class FreeBsdErrors {
    private FreeBsdErrors() {}

    static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOMEM = 12, EACCES = 13,
            EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19, EINVAL = 22, ENOTTY = 25;
    /** FreeBSD: 35 (Linux 11). */
    static final int EAGAIN = 35;
    /** FreeBSD: 37 (Linux 114). */
    static final int EALREADY = 37;
    /** FreeBSD: 45 (Linux 95). */
    static final int EOPNOTSUPP = 45;
    /** FreeBSD: 78 (Linux 38). */
    static final int ENOSYS = 78;

    /** {@code "EINVAL (invalid argument)"}. */
    static String describe(int errno) {
        if (errno >= 1 && errno <= 34) return Errno.name(errno) + " (" + Errno.describe(errno) + ")";
        return switch (errno) {
            case EAGAIN -> "EAGAIN (resource temporarily unavailable)";
            case EALREADY -> "EALREADY (operation already in progress)";
            case EOPNOTSUPP -> "EOPNOTSUPP (operation not supported)";
            case ENOSYS -> "ENOSYS (function not implemented)";
            default -> "errno " + errno;
        };
    }

    /** {@code "<call> on <target> failed: EINVAL (invalid argument)"}. */
    static VmmException failed(String call, String target, int errno) {
        return new VmmException(call + " on " + target + " failed: " + describe(errno), call, errno);
    }
}
