package org.jbhyve.bhyvectl;

import org.jbhyve.bindings.freebsd.libc.fcntl_h;
import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/** The two system calls bhyvectl makes itself: open a directory (for {@code fddir}) and close it. */
final class Posix {
    private Posix() {}

    private static final boolean FREEBSD = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("freebsd");
    /** {@code O_DIRECTORY}: Linux x86-64 or FreeBSD (both bindings' values). */
    private static final int O_DIRECTORY = FREEBSD ? fcntl_h.O_DIRECTORY : libc_h.O_DIRECTORY;
    /** {@code O_CLOEXEC}: Linux x86-64 or FreeBSD (both bindings' values). */
    private static final int O_CLOEXEC = FREEBSD ? fcntl_h.O_CLOEXEC : libc_h.O_CLOEXEC;

    /** A failed call: the errno and its description ("ENOENT (no such file or directory)"). */
    static final class ErrnoException extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        ErrnoException(int errno) {
            super(describe(errno));
            this.errno = errno;
        }
    }

    static String describe(int errno) {
        String name = Errno.name(errno);
        String text = Errno.describe(errno);
        return text.equals(name) ? name : name + " (" + text + ")";
    }

    /**
     * {@code open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)}, as bhyvectl opens the checkpoint directory
     * ({@code O_CLOEXEC} is jbhyve's addition; it does not change what is sent). A relative path is
     * resolved against the process's current directory.
     */
    static int openDirectory(String path) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(path), libc_h.O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
            if (fd < 0) throw new ErrnoException(libc_h.errno(err));
            return fd;
        }
    }

    static void close(int fd) {
        if (fd < 0) return;
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(libc_h.allocateErrnoState(a), fd);
        }
    }
}
