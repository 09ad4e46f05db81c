package org.jbhyve.vmm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.libc_h;

/** For tests: a file's identity as a snapshot reader records it ({@code fstat} of an open descriptor). */
public final class FileIdentity {
    private FileIdentity() {}

    public static FileStat of(Path file) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(file.toString()), libc_h.O_RDONLY | libc_h.O_CLOEXEC, 0);
            if (fd < 0) throw new IllegalStateException("open " + file + ": errno " + libc_h.errno(err));
            try {
                return FileStat.ofDescriptor(err, fd);
            } finally {
                libc_h.close(err, fd);
            }
        }
    }
}
