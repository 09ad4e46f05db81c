package org.jbhyve.bhyve.devices.virtio;

import java.util.Locale;

import org.jbhyve.bindings.freebsd.libc.errno_h;
import org.jbhyve.bindings.freebsd.libc.fcntl_h;
import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;

/**
 * The running system's numbers where Linux and FreeBSD (amd64) differ, for the code both tap
 * backends share ({@link FrameIo}): the {@code pipe2} flags and the errno values a frame descriptor
 * returns. Chosen once from {@code os.name}, as bhyve-snapshot's {@code Fs} and bhyvectl's
 * {@code Posix} choose theirs; the FreeBSD values come from {@code org.jbhyve.bindings.freebsd.libc}.
 * Numbers that are the same on both ({@code O_RDWR}, {@code EINTR}, {@code EIO}, {@code EBADF}, the
 * {@code POLL*} bits) are taken from {@link libc_h} and {@link Errno} directly.
 */
final class HostAbi {
    private HostAbi() {}

    /** Whether this JVM runs on FreeBSD (else the Linux numbers apply). */
    static final boolean FREEBSD = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("freebsd");

    static final int O_NONBLOCK = FREEBSD ? fcntl_h.O_NONBLOCK : libc_h.O_NONBLOCK;
    static final int O_CLOEXEC = FREEBSD ? fcntl_h.O_CLOEXEC : libc_h.O_CLOEXEC;
    static final int EAGAIN = FREEBSD ? errno_h.EAGAIN : Errno.EAGAIN;
    static final int ENOBUFS = FREEBSD ? errno_h.ENOBUFS : Errno.ENOBUFS;

    /** "permission denied", "errno 70", ...: {@code errno} of this system, for messages. */
    static String describe(int errno) {
        return describe(errno, FREEBSD);
    }

    /**
     * {@code errno} described as the given system numbers it. FreeBSD's 1 to 34 are Linux's except 11
     * (EDEADLK there, EAGAIN on Linux); above that only the ones a frame descriptor returns are named.
     */
    static String describe(int errno, boolean freeBsd) {
        if (!freeBsd || (errno < errno_h.EAGAIN && errno != Errno.EAGAIN)) return Errno.describe(errno);
        return switch (errno) {
            case Errno.EAGAIN -> "resource deadlock avoided";
            case errno_h.EAGAIN -> "resource temporarily unavailable";
            case errno_h.ENOBUFS -> "no buffer space available";
            case errno_h.EMSGSIZE -> "message too long";
            case errno_h.EHOSTDOWN -> "host is down";
            default -> "errno " + errno;
        };
    }
}
