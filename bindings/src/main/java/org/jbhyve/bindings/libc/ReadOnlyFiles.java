package org.jbhyve.bindings.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opening a file that should be a regular file to read it (a snapshot, or the snapshot RAM is mapped from),
 * without ever waiting on something else in its place: O_NONBLOCK, so that a FIFO does not wait for a
 * writer. The flag changes nothing for a regular file, with one exception: a lease another party holds on
 * it (an NFS server's delegation, Samba's oplocks) makes the open fail with EWOULDBLOCK instead of waiting
 * for the lease to break; a regular file is then opened again, waiting as any reader would. The caller
 * checks with {@code fstat} that it got a regular file.
 */
public final class ReadOnlyFiles {
    private static final boolean FREEBSD = FileStat.FREEBSD;
    private static final int O_NONBLOCK = FREEBSD ? org.jbhyve.bindings.freebsd.libc.fcntl_h.O_NONBLOCK
            : libc_h.O_NONBLOCK;
    private static final int O_CLOEXEC = FREEBSD ? org.jbhyve.bindings.freebsd.libc.fcntl_h.O_CLOEXEC
            : libc_h.O_CLOEXEC;
    private static final int EWOULDBLOCK = FREEBSD ? org.jbhyve.bindings.freebsd.libc.errno_h.EWOULDBLOCK
            : Errno.EWOULDBLOCK;

    private ReadOnlyFiles() {}

    /** The descriptor ({@code O_RDONLY|O_CLOEXEC}), or -1 with errno in {@code errnoState}. */
    public static int open(MemorySegment errnoState, String path) {
        int fd = openRetrying(errnoState, path, libc_h.O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0 && libc_h.errno(errnoState) == EWOULDBLOCK && Files.isRegularFile(Path.of(path))) {
            fd = openRetrying(errnoState, path, libc_h.O_RDONLY | O_CLOEXEC);
        }
        return fd;
    }

    private static int openRetrying(MemorySegment errnoState, String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path);
            while (true) {
                int fd = libc_h.open(errnoState, p, flags, 0);
                if (fd >= 0 || libc_h.errno(errnoState) != Errno.EINTR) return fd; // EINTR is 4 on FreeBSD too
            }
        }
    }
}
