package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.libc.libc_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Descriptor helpers for the socket tests: open a directory, use a received one, find leaks. */
final class TestFds {
    private TestFds() {}

    /** {@code open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)}, as bhyvectl opens the snapshot directory. */
    static int openDirectory(Path dir) {
        return open(dir, libc_h.O_RDONLY | libc_h.O_DIRECTORY | libc_h.O_CLOEXEC);
    }

    static int open(Path path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(path.toString()), flags, 0);
            if (fd < 0) throw new IllegalStateException("open " + path + ": errno " + libc_h.errno(err));
            return fd;
        }
    }

    /** Opens {@code name} relative to the directory descriptor and reads it: proves the descriptor works. */
    static String readAt(int dirFd, String name) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            int fd = libc_h.openat(libc_h.allocateErrnoState(a), dirFd, a.allocateFrom(name),
                    libc_h.O_RDONLY | libc_h.O_CLOEXEC, 0);
            if (fd < 0) throw new IllegalStateException("openat(" + dirFd + ", " + name + ") failed");
            try {
                MemorySegment buf = a.allocate(4096);
                long n = libc_h.read(libc_h.allocateErrnoState(a), fd, buf, buf.byteSize());
                if (n < 0) throw new IllegalStateException("read failed");
                return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            } finally {
                Sys.close(fd);
            }
        }
    }

    static boolean isOpen(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd));
    }

    /** How many of this process's descriptors refer to {@code target} (from /proc/self/fd). */
    static long countOpen(Path target) {
        Path want = target.toAbsolutePath();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).equals(want);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed while listing
                }
            }).count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
    }
}
