package org.jbhyve.snapshot.format;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.ReadOnlyFiles;
import org.jbhyve.bindings.libc.libc_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * File system calls on raw descriptors, errno turned into {@link ErrnoException}. Raw descriptors
 * rather than {@code FileChannel} because the writer works relative to a directory descriptor
 * ({@code openat}/{@code renameat}, as bhyvectl passes one), the reader maps RAM from the very file it
 * validated ({@code mmap} on the same descriptor), and both need {@code flock},
 * {@code SEEK_DATA}/{@code SEEK_HOLE}, none of which {@code java.nio} offers on a descriptor.
 */
final class Fs {
    /**
     * open(2) flags and errno values whose numbers differ between Linux and FreeBSD, chosen for the
     * running OS (the snapshot files are written on both).
     */
    static final boolean FREEBSD = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("freebsd");
    static final int O_RDONLY = libc_h.O_RDONLY;
    static final int O_RDWR = libc_h.O_RDWR;
    static final int O_CREAT = FREEBSD ? org.jbhyve.bindings.freebsd.libc.fcntl_h.O_CREAT : libc_h.O_CREAT;
    static final int O_EXCL = FREEBSD ? org.jbhyve.bindings.freebsd.libc.fcntl_h.O_EXCL : libc_h.O_EXCL;
    static final int O_NOFOLLOW = FREEBSD ? org.jbhyve.bindings.freebsd.libc.fcntl_h.O_NOFOLLOW : libc_h.O_NOFOLLOW;
    static final int O_DIRECTORY = FREEBSD ? org.jbhyve.bindings.freebsd.libc.fcntl_h.O_DIRECTORY : libc_h.O_DIRECTORY;
    static final int O_CLOEXEC = FREEBSD ? org.jbhyve.bindings.freebsd.libc.fcntl_h.O_CLOEXEC : libc_h.O_CLOEXEC;
    /** Opening a FIFO O_NONBLOCK returns at once instead of waiting for a writer; no effect on a regular file. */
    static final int O_NONBLOCK = FREEBSD ? org.jbhyve.bindings.freebsd.libc.fcntl_h.O_NONBLOCK : libc_h.O_NONBLOCK;
    static final int EWOULDBLOCK = FREEBSD ? org.jbhyve.bindings.freebsd.libc.errno_h.EWOULDBLOCK : Errno.EWOULDBLOCK;

    private Fs() {}

    /** A failed system call: {@code what} plus the errno, rendered "ENOSPC (no space left on device)". */
    static final class ErrnoException extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;
        /** What was being done: "writing RAM region 0 (gpa 0x0) at file offset 0x200000". */
        final String what;

        ErrnoException(String what, int errno) {
            super(what + ": " + describe(errno));
            this.errno = errno;
            this.what = what;
        }
    }

    /** "ENOSPC (no space left on device)"; just the name where there is no better description. */
    static String describe(int errno) {
        String name = Errno.name(errno);
        String text = Errno.describe(errno);
        return text.equals(name) ? name : name + " (" + text + ")";
    }

    private static final ThreadLocal<MemorySegment> ERRNO_STATE =
            ThreadLocal.withInitial(() -> libc_h.allocateErrnoState(Arena.ofAuto()));

    static MemorySegment errnoState() {
        return ERRNO_STATE.get();
    }

    private static int errno() {
        return libc_h.errno(ERRNO_STATE.get());
    }

    /**
     * For tests: asked before every system call below, by the name of its libc function, for an errno to fail
     * the call with instead of making it (as the kernel would: a full disk, an I/O error, a signal), or 0 to
     * make it. Null except in tests.
     */
    static volatile FaultInjector faults;

    @FunctionalInterface
    interface FaultInjector {
        int errnoFor(String call);
    }

    /**
     * Makes {@code call}, a libc function that returns -1 and sets errno when it fails, and makes it again
     * for as long as it fails with EINTR: a signal came before the call did anything, so it is made again
     * rather than reported as a failed write (or a failed checkpoint). Returns its result, or minus its errno.
     */
    private static long restarting(String name, LongSupplier call) {
        while (true) {
            FaultInjector f = faults;
            int injected = f == null ? 0 : f.errnoFor(name);
            long r = injected != 0 ? -1 : call.getAsLong();
            if (r >= 0) return r;
            int e = injected != 0 ? injected : errno();
            if (e != Errno.EINTR) return -e;
        }
    }

    static int open(String path, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path);
            long fd = restarting("open", () -> libc_h.open(errnoState(), p, flags | O_CLOEXEC, 0));
            if (fd < 0) throw new ErrnoException("open " + path, (int) -fd);
            return (int) fd;
        }
    }

    static int openat(int dirfd, String name, int flags, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(name);
            long fd = restarting("openat", () -> libc_h.openat(errnoState(), dirfd, p, flags | O_CLOEXEC, mode));
            if (fd < 0) throw new ErrnoException("open " + name, (int) -fd);
            return (int) fd;
        }
    }

    /** {@link ReadOnlyFiles#open}: read-only, never waiting on a FIFO; the caller checks it got a regular file. */
    static int openForReading(String path) throws ErrnoException {
        int fd = ReadOnlyFiles.open(errnoState(), path);
        if (fd < 0) throw new ErrnoException("open " + path, errno());
        return fd;
    }

    /** {@link ReadOnlyFiles#open}'s rules for {@code name} in the directory {@code dirfd}. */
    static int openatForReading(int dirfd, String name) throws ErrnoException {
        try {
            return openat(dirfd, name, O_RDONLY | O_NONBLOCK, 0);
        } catch (ErrnoException e) {
            FileStat st = e.errno == EWOULDBLOCK ? statNoFollow(dirfd, name) : null;
            if (st == null || !st.isRegularFile()) throw e;
            return openat(dirfd, name, O_RDONLY, 0);
        }
    }

    /** {@code fstat(fd)}. */
    static FileStat stat(int fd) throws ErrnoException {
        FileStat[] st = new FileStat[1];
        long r = restarting("fstat", () -> (st[0] = FileStat.ofDescriptor(errnoState(), fd)) == null ? -1 : 0);
        if (r < 0) throw new ErrnoException("fstat", (int) -r);
        return st[0];
    }

    /** What {@code name} in {@code dirfd} is, a symbolic link not followed; null when nothing has that name. */
    static FileStat statNoFollow(int dirfd, String name) throws ErrnoException {
        FileStat[] st = new FileStat[1];
        long r = restarting("fstatat", () -> (st[0] = FileStat.ofNameNoFollow(errnoState(), dirfd, name)) == null ? -1 : 0);
        if (r >= 0) return st[0];
        if (r == -Errno.ENOENT) return null;
        throw new ErrnoException("fstatat " + name, (int) -r);
    }

    /** Closes {@code fd}, ignoring errors (a read-only or already-synced descriptor has nothing to lose). */
    static void closeQuietly(int fd) {
        if (fd >= 0) libc_h.close(errnoState(), fd);
    }

    static void renameat(int dirfd, String from, String to) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(from), t = a.allocateFrom(to);
            long r = restarting("renameat", () -> libc_h.renameat(errnoState(), dirfd, f, dirfd, t));
            if (r < 0) throw new ErrnoException("rename " + from + " to " + to, (int) -r);
        }
    }

    /** Unlinks {@code name} in {@code dirfd}; false (not an error) when it is already gone. */
    static boolean unlinkat(int dirfd, String name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocateFrom(name);
            long r = restarting("unlinkat", () -> libc_h.unlinkat(errnoState(), dirfd, n, 0));
            if (r >= 0) return true;
            if (r == -Errno.ENOENT) return false;
            throw new ErrnoException("unlink " + name, (int) -r);
        }
    }

    static void fsync(int fd, String what) throws ErrnoException {
        long r = restarting("fsync", () -> libc_h.fsync(errnoState(), fd));
        if (r < 0) throw new ErrnoException(what, (int) -r);
    }

    static void ftruncate(int fd, long length, String what) throws ErrnoException {
        long r = restarting("ftruncate", () -> libc_h.ftruncate(errnoState(), fd, length));
        if (r < 0) throw new ErrnoException(what, (int) -r);
    }

    /** The file's length ({@code lseek(fd, 0, SEEK_END)}). */
    static long size(int fd) throws ErrnoException {
        long n = restarting("lseek", () -> libc_h.lseek(errnoState(), fd, 0, libc_h.SEEK_END));
        if (n < 0) throw new ErrnoException("lseek", (int) -n);
        return n;
    }

    /**
     * {@code lseek(fd, from, SEEK_DATA)}: the first data offset at or after {@code from}, or -1 when
     * only a hole follows (ENXIO). Throws for file systems without hole reporting (EINVAL).
     */
    static long seekData(int fd, long from) throws ErrnoException {
        long n = restarting("lseek", () -> libc_h.lseek(errnoState(), fd, from, libc_h.SEEK_DATA));
        if (n >= 0) return n;
        if (n == -Errno.ENXIO) return -1;
        throw new ErrnoException("lseek SEEK_DATA", (int) -n);
    }

    /** {@code lseek(fd, from, SEEK_HOLE)}: the first hole at or after {@code from} (EOF counts as one). */
    static long seekHole(int fd, long from) throws ErrnoException {
        long n = restarting("lseek", () -> libc_h.lseek(errnoState(), fd, from, libc_h.SEEK_HOLE));
        if (n >= 0) return n;
        throw new ErrnoException("lseek SEEK_HOLE", (int) -n);
    }

    /**
     * Bytes in data extents within {@code [from, to)}, walking SEEK_DATA/SEEK_HOLE (what {@code du}
     * would count, at the file system's block granularity); -1 when the file system cannot tell.
     */
    static long dataBytes(int fd, long from, long to) {
        try {
            long total = 0;
            long pos = from;
            while (pos < to) {
                long data = seekData(fd, pos);
                if (data < 0 || data >= to) break;
                long hole = Math.min(seekHole(fd, data), to);
                total += hole - data;
                pos = hole;
            }
            return total;
        } catch (ErrnoException e) {
            return -1;
        }
    }

    /** Tries {@code flock(fd, LOCK_EX|LOCK_NB)}: true when locked, false when someone else holds it. */
    static boolean tryLock(int fd) throws ErrnoException {
        long r = restarting("flock", () -> libc_h.flock(errnoState(), fd, libc_h.LOCK_EX | libc_h.LOCK_NB));
        if (r >= 0) return true;
        if (r == -EWOULDBLOCK) return false;
        throw new ErrnoException("flock", (int) -r);
    }

    /** Largest single pwrite/pread: Linux transfers at most 0x7ffff000 bytes per call anyway. */
    private static final long MAX_IO = 1L << 30;
    /** Bounce buffer size for heap segments. */
    private static final long BOUNCE = 8L << 20;

    /** Writes all of {@code src} at {@code offset}; heap segments go through a native bounce buffer. */
    static void pwriteFully(int fd, MemorySegment src, long offset, String what) throws ErrnoException {
        if (!src.isNative()) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment bounce = a.allocate(Math.min(BOUNCE, Math.max(1, src.byteSize())), 4096);
                for (long done = 0; done < src.byteSize(); ) {
                    long n = Math.min(bounce.byteSize(), src.byteSize() - done);
                    MemorySegment.copy(src, done, bounce, 0, n);
                    pwriteFully(fd, bounce.asSlice(0, n), offset + done, what);
                    done += n;
                }
            }
            return;
        }
        long done = 0;
        long size = src.byteSize();
        while (done < size) {
            long n = Math.min(MAX_IO, size - done);
            MemorySegment from = src.asSlice(done, n);
            long at = offset + done;
            long w = restarting("pwrite", () -> libc_h.pwrite(errnoState(), fd, from, n, at));
            if (w < 0) throw new ErrnoException(what, (int) -w);
            if (w == 0) throw new ErrnoException(what, Errno.EIO);
            done += w;
        }
    }

    /** Writes {@code bytes} at {@code offset}. */
    static void pwriteFully(int fd, byte[] bytes, long offset, String what) throws ErrnoException {
        pwriteFully(fd, MemorySegment.ofArray(bytes), offset, what);
    }

    /** Reads into all of {@code dst} from {@code offset}; returns the bytes read (less only at EOF). */
    static long pread(int fd, MemorySegment dst, long offset, String what) throws ErrnoException {
        long done = 0;
        long size = dst.byteSize();
        while (done < size) {
            long n = Math.min(MAX_IO, size - done);
            MemorySegment into = dst.asSlice(done, n);
            long at = offset + done;
            long r = restarting("pread", () -> libc_h.pread(errnoState(), fd, into, n, at));
            if (r < 0) throw new ErrnoException(what, (int) -r);
            if (r == 0) break;
            done += r;
        }
        return done;
    }

    /** Reads exactly {@code length} bytes at {@code offset} into a new array; fewer at EOF is an error. */
    static byte[] preadBytes(int fd, long offset, int length, String what) throws ErrnoException {
        byte[] out = new byte[length];
        if (length == 0) return out;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(length);
            long n = pread(fd, buf, offset, what);
            if (n != length) throw new ErrnoException(what + " (file ended early)", Errno.EIO);
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, 0, length);
        }
        return out;
    }

    /**
     * A path naming the directory {@code dirfd} refers to, for listing it and for messages:
     * {@code /proc/self/fd/N} on Linux (the kernel resolves it to that very directory, even if it was
     * renamed), {@code /dev/fd/N} on FreeBSD with fdescfs mounted.
     */
    static Path directoryOf(int dirfd) {
        Path proc = Path.of("/proc/self/fd/" + dirfd);
        if (Files.exists(proc)) return proc;
        return Path.of("/dev/fd/" + dirfd);
    }

    /** The directory's real path where the OS can tell ({@code readlink /proc/self/fd/N}), for messages. */
    static String describeDirectory(int dirfd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + dirfd)).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "<directory fd " + dirfd + ">";
        }
    }
}
