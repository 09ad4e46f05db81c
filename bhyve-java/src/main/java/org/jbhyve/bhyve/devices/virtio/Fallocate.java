package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.libc_h;

/**
 * Linux {@code fallocate(2)} on a file of its own descriptor, for discard (PUNCH_HOLE) and write
 * zeroes (ZERO_RANGE) of virtio-blk: the one thing {@link java.nio.channels.FileChannel} cannot do.
 * The descriptor is opened by path next to the channel; both refer to the same inode, and the block
 * device's single I/O thread orders their use.
 *
 * <p>{@link #open} gives nothing on other systems (FreeBSD's equivalent is fspacectl(2), not bound
 * here) and when the library has no {@code fallocate}: the device then does not offer discard.
 */
final class Fallocate implements AutoCloseable {
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    static final int FALLOC_FL_ZERO_RANGE = 0x10;

    private static final boolean AVAILABLE =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") && libc_h.hasFallocate();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = libc_h.allocateErrnoState(arena);
    private final int fd;

    private Fallocate(int fd) {
        this.fd = fd;
    }

    /** A writable descriptor on {@code path} for fallocate, or empty where fallocate is unavailable. */
    static Optional<Fallocate> open(Path path) {
        if (!AVAILABLE) return Optional.empty();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(path.toString()), libc_h.O_RDWR | libc_h.O_CLOEXEC, 0);
            if (fd < 0) return Optional.empty();
            return Optional.of(new Fallocate(fd));
        }
    }

    /** Linux's O_TMPFILE (with the O_DIRECTORY it implies): an unnamed file in the directory given. */
    private static final int O_TMPFILE = 020200000;

    /**
     * Which of {@code modes} (each with {@code FALLOC_FL_KEEP_SIZE}) the file system holding {@code file}
     * supports, tried on an unnamed temporary file in its directory, so that the file itself is not touched:
     * even a hole punched past a file's end stamps its modification time, and an image's time is what a
     * restore compares and what backup tools go by. Empty where no such file can be made there (no write
     * access to the directory, a file system without O_TMPFILE), and where that file would not be on
     * {@code file}'s own file system: a block device (its node is in /dev, a tmpfs that punches holes,
     * whatever the device can do) and a file bind-mounted into a directory of another file system. The
     * caller then probes the file itself.
     */
    static Optional<boolean[]> probeBeside(Path file, int... modes) {
        if (!AVAILABLE) return Optional.empty();
        Path dir;
        long fileDev;
        try {
            Path real = file.toRealPath();
            java.nio.file.attribute.BasicFileAttributes attrs =
                    Files.readAttributes(real, java.nio.file.attribute.BasicFileAttributes.class);
            if (!attrs.isRegularFile()) return Optional.empty();
            if (!(Files.getAttribute(real, "unix:dev") instanceof Long dev)) return Optional.empty();
            fileDev = dev;
            dir = real.getParent();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (dir == null) return Optional.empty();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(dir.toString()), O_TMPFILE | libc_h.O_RDWR | libc_h.O_CLOEXEC, 0600);
            if (fd < 0) return Optional.empty();
            try (Fallocate probe = new Fallocate(fd)) {
                FileStat tmp = FileStat.ofDescriptor(err, fd);
                if (tmp == null || tmp.dev() != fileDev) return Optional.empty(); // another file system than the file's
                boolean[] supported = new boolean[modes.length];
                for (int i = 0; i < modes.length; i++) supported[i] = probe.call(modes[i] | FALLOC_FL_KEEP_SIZE, 0, 1) == 0;
                return Optional.of(supported);
            }
        }
    }

    /** Calls fallocate; 0 on success, else the errno. */
    synchronized int call(int mode, long offset, long length) {
        return libc_h.fallocate(errno, fd, mode, offset, length) == 0 ? 0 : libc_h.errno(errno);
    }

    /** Like {@link #call} but an error is an IOException naming the errno. */
    void require(int mode, long offset, long length) throws IOException {
        int e = call(mode, offset, length);
        if (e != 0) {
            throw new IOException("fallocate(mode 0x" + Integer.toHexString(mode) + ", offset " + offset + ", length "
                    + length + "): " + Errno.describe(e) + " (" + Errno.name(e) + ")");
        }
    }

    private boolean closed;

    /** Closes the descriptor once; later calls do nothing (a second close(2) could hit a reused number). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(libc_h.allocateErrnoState(a), fd);
        }
        arena.close();
    }
}
