// Hand-written in the shape of bindings' libc_h (one nested holder per function, resolved once,
// called with invokeExact, errno captured with Linker.Option.captureCallState("errno") and passed
// as the first argument). These are the file calls libc_h does not have yet; they belong in
// bindings/libc/libc_h.java and live here, package-private, until they are moved there.
package org.jbhyve.snapshot.format;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code openat}, {@code renameat}, {@code unlinkat}, {@code fsync}, {@code pread}, {@code pwrite},
 * {@code lseek} and {@code flock}: POSIX calls with the same C signatures on Linux and FreeBSD (amd64;
 * {@code off_t}, {@code size_t} and {@code ssize_t} are 64-bit on both). The constants below are
 * Linux's; FreeBSD's differ where noted.
 */
final class fileio_h {
    private fileio_h() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    private static MethodHandle withErrno(String name, FunctionDescriptor fd, Linker.Option... extra) {
        MemorySegment addr = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(addr, fd, options);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    private static final class openat {
        static final MethodHandle HANDLE = withErrno("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
    }

    /** {@code int openat(int dirfd, const char *path, int flags, ... mode_t mode)} */
    static int openat(MemorySegment errnoState, int dirfd, MemorySegment path, int flags, int mode) {
        try {
            return (int) openat.HANDLE.invokeExact(errnoState, dirfd, path, flags, mode);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class renameat {
        static final MethodHandle HANDLE = withErrno("renameat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    }

    /** {@code int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)} */
    static int renameat(MemorySegment errnoState, int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath) {
        try {
            return (int) renameat.HANDLE.invokeExact(errnoState, olddirfd, oldpath, newdirfd, newpath);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class unlinkat {
        static final MethodHandle HANDLE = withErrno("unlinkat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code int unlinkat(int dirfd, const char *path, int flags)} */
    static int unlinkat(MemorySegment errnoState, int dirfd, MemorySegment path, int flags) {
        try {
            return (int) unlinkat.HANDLE.invokeExact(errnoState, dirfd, path, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class fsync {
        static final MethodHandle HANDLE = withErrno("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** {@code int fsync(int fd)} */
    static int fsync(MemorySegment errnoState, int fd) {
        try {
            return (int) fsync.HANDLE.invokeExact(errnoState, fd);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pread {
        static final MethodHandle HANDLE = withErrno("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)} */
    static long pread(MemorySegment errnoState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) pread.HANDLE.invokeExact(errnoState, fd, buf, count, offset);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pwrite {
        static final MethodHandle HANDLE = withErrno("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)} */
    static long pwrite(MemorySegment errnoState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) pwrite.HANDLE.invokeExact(errnoState, fd, buf, count, offset);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class lseek {
        static final MethodHandle HANDLE = withErrno("lseek",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    /** {@code off_t lseek(int fd, off_t offset, int whence)} */
    static long lseek(MemorySegment errnoState, int fd, long offset, int whence) {
        try {
            return (long) lseek.HANDLE.invokeExact(errnoState, fd, offset, whence);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class flock {
        static final MethodHandle HANDLE = withErrno("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int flock(int fd, int operation)} */
    static int flock(MemorySegment errnoState, int fd, int operation) {
        try {
            return (int) flock.HANDLE.invokeExact(errnoState, fd, operation);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- constants -------------------------------------------------------------------------------

    /** lseek whence values; the same on Linux and FreeBSD. */
    static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    /** flock operations; the same on Linux and FreeBSD. */
    static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    /** Linux's O_NOFOLLOW (FreeBSD: 0x0100). The other O_ flags are in libc_h. */
    static final int O_NOFOLLOW = 0400000;
    /** Linux's EWOULDBLOCK (= EAGAIN; FreeBSD: 35). */
    static final int EWOULDBLOCK = 11;
}
