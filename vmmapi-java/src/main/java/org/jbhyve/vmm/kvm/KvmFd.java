package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.vmm.VmmException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A KVM file descriptor (system, VM or vCPU) and the ioctl calls made on it outside the hot path.
 * Every failure becomes a {@link VmmException} naming the ioctl, the descriptor and the errno.
 * Calls interrupted by a signal (EINTR) are retried.
 */
final class KvmFd implements AutoCloseable {
    private final int fd;
    private final String what;
    private volatile boolean closed;

    KvmFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    int fd() { return fd; }

    String what() { return what + " fd " + fd; }

    /** ioctl with a pointer argument. */
    int ioctl(String name, long request, MemorySegment arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            while (true) {
                int r = libc_h.ioctl(errno, fd, request, arg);
                if (r >= 0) return r;
                int e = libc_h.errno(errno);
                if (e != Errno.EINTR) throw VmmException.failed(name, what(), e);
            }
        }
    }

    /** ioctl with an integer argument. */
    int ioctl(String name, long request, long arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            while (true) {
                int r = libc_h.ioctl(errno, fd, request, arg);
                if (r >= 0) return r;
                int e = libc_h.errno(errno);
                if (e != Errno.EINTR) throw VmmException.failed(name, what(), e);
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(libc_h.allocateErrnoState(a), fd);
        }
    }
}
