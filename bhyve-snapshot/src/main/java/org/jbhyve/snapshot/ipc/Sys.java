package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.libc.pollfd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/** Small system-call helpers shared by the socket classes: errno capture, poll with a deadline, close. */
final class Sys {
    private Sys() {}

    static final SocketAbi ABI = SocketAbi.current();

    /** A fresh errno capture segment. */
    static MemorySegment errnoState(Arena arena) {
        return libc_h.allocateErrnoState(arena);
    }

    static int errno(MemorySegment errnoState) {
        return libc_h.errno(errnoState);
    }

    /** An IpcException for a failed call: "what: ECONNREFUSED (connection refused)". */
    static IpcException fail(String what, int errno) {
        return new IpcException(what + ": " + ABI.describe(errno), ABI.errnoName(errno));
    }

    /** Closes {@code fd}, ignoring errors (there is nothing useful to do about them). */
    static void close(int fd) {
        if (fd < 0) return;
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(errnoState(a), fd);
        }
    }

    /** A deadline {@code timeout} from now, in System.nanoTime() terms (saturating). */
    static long deadline(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("negative timeout " + timeout);
        long now = System.nanoTime();
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        long d = now + Math.min(nanos, Long.MAX_VALUE / 2);
        return d;
    }

    /** Milliseconds left until {@code deadline}, rounded up; 0 once it has passed. */
    static int millisLeft(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return 0;
        return (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
    }

    /**
     * Waits until {@code fd} has one of {@code events} (or an error/hang-up, which the following call
     * then reports) or {@code maxMillis} pass. Returns false on timeout. EINTR is retried.
     */
    static boolean poll(int fd, short events, int maxMillis, String what) throws IpcException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = errnoState(a);
            MemorySegment pfd = pollfd.allocate(a);
            long until = System.nanoTime() + maxMillis * 1_000_000L;
            while (true) {
                pollfd.fd(pfd, fd);
                pollfd.events(pfd, events);
                pollfd.revents(pfd, (short) 0);
                int ms = Math.max(0, (int) Math.min(maxMillis, (until - System.nanoTime() + 999_999) / 1_000_000));
                int n = libc_h.poll(err, pfd, 1, ms);
                if (n > 0) return true;
                if (n == 0) return false;
                int e = errno(err);
                if (e != Errno.EINTR) throw fail(what + ": poll failed", e);
            }
        }
    }
}
