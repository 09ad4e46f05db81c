// Hand-written in the spirit of a jextract header class, with typed Java methods over static final method
// handles called with invokeExact. Unlike jextract output, the functions share a few downcall shapes
// (see "how the functions are called" below), every call captures errno
// (Linker.Option.captureCallState("errno")), and the method of a function that can fail takes the capture
// segment first, so errno is read reliably after the call.
package org.jbhyve.bindings.libc;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.*;

/**
 * libc functions jbhyve needs: files, ioctl, mmap, eventfd, pipe2, poll, signals, threads, sockets. The functions
 * take the same arguments in the same registers on Linux and FreeBSD amd64 ({@code off_t}, {@code size_t} and
 * {@code ssize_t} are 64-bit, {@code socklen_t} 32-bit on both; {@code nfds_t} is 64-bit on Linux and 32-bit on
 * FreeBSD, and {@code pthread_t} an integer on Linux and a pointer on FreeBSD, both passed here as a 64-bit
 * register); the constants are Linux's. The struct
 * layouts of the socket calls differ per OS: {@code org.jbhyve.bindings.linux.socket} and
 * {@code org.jbhyve.bindings.freebsd.socket}.
 */
public final class libc_h {
    private libc_h() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    /**
     * Where errno sits in the capture state. Found by walking the struct's members and read with the plain int
     * access every segment read shares: a layout path (a VarHandle or byteOffset with a PathElement) costs
     * several milliseconds of every cold start.
     */
    private static final long ERRNO_OFFSET = errnoOffset();

    private static long errnoOffset() {
        long offset = 0;
        for (MemoryLayout member : CAPTURE_LAYOUT.memberLayouts()) {
            if (member.name().orElse("").equals("errno")) return offset;
            offset += member.byteSize();
        }
        throw new IllegalStateException("the JDK's call-state layout has no errno: " + CAPTURE_LAYOUT);
    }

    public static final AddressLayout C_POINTER = ADDRESS;
    public static final ValueLayout.OfLong C_SIZE_T = JAVA_LONG;

    /** Allocates a segment to pass as the {@code errnoState} argument of the functions below. */
    public static MemorySegment allocateErrnoState(SegmentAllocator allocator) {
        return allocator.allocate(CAPTURE_LAYOUT);
    }

    /** The errno captured by the last call that was given {@code errnoState}. */
    public static int errno(MemorySegment errnoState) {
        return errnoState.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** The address of libc function {@code name}. */
    static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
    }

    /**
     * The errno state given to the functions whose error is their result, not errno (the pthread calls) or that
     * cannot fail (isatty, getpid): every shape captures errno, and nothing reads this. Threads may write it at
     * the same time, harmlessly.
     */
    private static final MemorySegment IGNORED_ERRNO = Arena.global().allocate(CAPTURE_LAYOUT);

    // ---- how the functions are called -------------------------------------------------------------
    //
    // Linking a downcall makes the JVM generate a stub class and a set of lambda forms for each distinct
    // C signature, and none of that can be kept in the AOT cache. With one signature per function, linking
    // the 18 functions a restore needs was most of `bhyve -r`'s start-up. So every function is called through
    // one of the shapes below, named by which of its arguments (at most six) are pointers; every other
    // argument is passed as a 64-bit integer, and the result comes back as one.
    //
    // That is exact on the amd64 System V ABI, which Linux and FreeBSD share: integer and pointer arguments
    // travel in the same six registers, a callee reads only the low half of the register of an int
    // argument, an int result is the low half of rax, and a callee ignores registers past its own arguments.
    // Every shape is linked as variadic after its first argument, so that al holds the number of vector
    // registers used (none), which the ABI lets the variadic functions here (open, openat, ioctl) read
    // (glibc 2.36's do not, others may) and which the rest ignore. Pointers stay MemorySegments, so the JVM
    // still checks that their memory is alive for the call.
    //
    // None of this holds where variadic arguments go on the stack (macOS on arm64, for one), so the shapes
    // refuse to link anywhere but amd64 under Linux or FreeBSD.
    // Each handle takes the function's address first: (MemorySegment function, MemorySegment errnoState,
    // six arguments) -> long.

    private static MethodHandle shape(String pointerArgs) {
        String arch = System.getProperty("os.arch", ""), os = System.getProperty("os.name", "");
        if (!(arch.equals("amd64") || arch.equals("x86_64")) || !(os.equals("Linux") || os.equals("FreeBSD"))) {
            throw new UnsupportedOperationException("libc_h calls libc the amd64 System V way, which " + os + " on "
                    + arch + " does not follow: jbhyve runs on amd64 Linux or FreeBSD");
        }
        MemoryLayout[] args = new MemoryLayout[6];
        for (int i = 0; i < args.length; i++) {
            args[i] = pointerArgs.indexOf('0' + i) >= 0 ? C_POINTER : JAVA_LONG;
        }
        return LINKER.downcallHandle(FunctionDescriptor.of(JAVA_LONG, args), ERRNO, Linker.Option.firstVariadicArg(1));
    }

    // One holder class per shape, so that a shape is linked when first called.
    private static final class N { static final MethodHandle HANDLE = shape(""); }
    private static final class P0 { static final MethodHandle HANDLE = shape("0"); }
    private static final class P1 { static final MethodHandle HANDLE = shape("1"); }
    private static final class P2 { static final MethodHandle HANDLE = shape("2"); }
    private static final class P3 { static final MethodHandle HANDLE = shape("3"); }
    private static final class P12 { static final MethodHandle HANDLE = shape("12"); }
    private static final class P13 { static final MethodHandle HANDLE = shape("13"); }
    private static final class P012 { static final MethodHandle HANDLE = shape("012"); }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    // ---- files ----------------------------------------------------------------------------

    private static final class open { static final MemorySegment ADDR = symbol("open"); }
    /** {@code int open(const char *path, int flags, ... mode_t mode)} */
    public static int open(MemorySegment errnoState, MemorySegment path, int flags, int mode) {
        try {
            return (int) (long) P0.HANDLE.invokeExact(open.ADDR, errnoState,
                    path, (long) flags, (long) mode, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class close { static final MemorySegment ADDR = symbol("close"); }
    /** {@code int close(int fd)} */
    public static int close(MemorySegment errnoState, int fd) {
        try {
            return (int) (long) N.HANDLE.invokeExact(close.ADDR, errnoState, (long) fd, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class read { static final MemorySegment ADDR = symbol("read"); }
    /** {@code ssize_t read(int fd, void *buf, size_t count)} */
    public static long read(MemorySegment errnoState, int fd, MemorySegment buf, long count) {
        try {
            return (long) P1.HANDLE.invokeExact(read.ADDR, errnoState, (long) fd, buf, count, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class write { static final MemorySegment ADDR = symbol("write"); }
    /** {@code ssize_t write(int fd, const void *buf, size_t count)} */
    public static long write(MemorySegment errnoState, int fd, MemorySegment buf, long count) {
        try {
            return (long) P1.HANDLE.invokeExact(write.ADDR, errnoState, (long) fd, buf, count, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class ftruncate { static final MemorySegment ADDR = symbol("ftruncate"); }
    /** {@code int ftruncate(int fd, off_t length)} */
    public static int ftruncate(MemorySegment errnoState, int fd, long length) {
        try {
            return (int) (long) N.HANDLE.invokeExact(ftruncate.ADDR, errnoState, (long) fd, length, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class openat { static final MemorySegment ADDR = symbol("openat"); }
    /** {@code int openat(int dirfd, const char *path, int flags, ... mode_t mode)} */
    public static int openat(MemorySegment errnoState, int dirfd, MemorySegment path, int flags, int mode) {
        try {
            return (int) (long) P1.HANDLE.invokeExact(openat.ADDR, errnoState,
                    (long) dirfd, path, (long) flags, (long) mode, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class renameat { static final MemorySegment ADDR = symbol("renameat"); }
    /** {@code int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)} */
    public static int renameat(MemorySegment errnoState, int olddirfd, MemorySegment oldpath, int newdirfd,
                               MemorySegment newpath) {
        try {
            return (int) (long) P13.HANDLE.invokeExact(renameat.ADDR, errnoState,
                    (long) olddirfd, oldpath, (long) newdirfd, newpath, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class unlinkat { static final MemorySegment ADDR = symbol("unlinkat"); }
    /** {@code int unlinkat(int dirfd, const char *path, int flags)} */
    public static int unlinkat(MemorySegment errnoState, int dirfd, MemorySegment path, int flags) {
        try {
            return (int) (long) P1.HANDLE.invokeExact(unlinkat.ADDR, errnoState,
                    (long) dirfd, path, (long) flags, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class fsync { static final MemorySegment ADDR = symbol("fsync"); }
    /** {@code int fsync(int fd)} */
    public static int fsync(MemorySegment errnoState, int fd) {
        try {
            return (int) (long) N.HANDLE.invokeExact(fsync.ADDR, errnoState, (long) fd, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pread { static final MemorySegment ADDR = symbol("pread"); }
    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)} */
    public static long pread(MemorySegment errnoState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) P1.HANDLE.invokeExact(pread.ADDR, errnoState, (long) fd, buf, count, offset, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pwrite { static final MemorySegment ADDR = symbol("pwrite"); }
    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)} */
    public static long pwrite(MemorySegment errnoState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) P1.HANDLE.invokeExact(pwrite.ADDR, errnoState, (long) fd, buf, count, offset, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class lseek { static final MemorySegment ADDR = symbol("lseek"); }
    /** {@code off_t lseek(int fd, off_t offset, int whence)} */
    public static long lseek(MemorySegment errnoState, int fd, long offset, int whence) {
        try {
            return (long) N.HANDLE.invokeExact(lseek.ADDR, errnoState, (long) fd, offset, (long) whence, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * glibc exports fstat and fstatat only from 2.33 on (before, the headers mapped them to __fxstat and
     * __fxstatat); where they are missing, the Linux system calls are made through syscall(2).
     */
    private static final class fstat { static final MemorySegment ADDR = LIBC.find("fstat").orElse(MemorySegment.NULL); }
    private static final class fstatat { static final MemorySegment ADDR = LIBC.find("fstatat").orElse(MemorySegment.NULL); }
    private static final class syscall { static final MemorySegment ADDR = symbol("syscall"); }
    /** x86-64 Linux system call numbers of fstat and newfstatat (the kernel's struct stat is glibc's). */
    static final long SYS_FSTAT = 5, SYS_NEWFSTATAT = 262;

    /** {@code int fstat(int fd, struct stat *st)}; {@link FileStat#of} reads the struct on Linux and FreeBSD. */
    public static int fstat(MemorySegment errnoState, int fd, MemorySegment st) {
        if (fstat.ADDR.equals(MemorySegment.NULL)) return fstatBySyscall(errnoState, fd, st);
        try {
            return (int) (long) P1.HANDLE.invokeExact(fstat.ADDR, errnoState, (long) fd, st, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code int fstatat(int dirfd, const char *path, struct stat *st, int flags)} */
    public static int fstatat(MemorySegment errnoState, int dirfd, MemorySegment path, MemorySegment st, int flags) {
        if (fstatat.ADDR.equals(MemorySegment.NULL)) return fstatatBySyscall(errnoState, dirfd, path, st, flags);
        try {
            return (int) (long) P12.HANDLE.invokeExact(fstatat.ADDR, errnoState,
                    (long) dirfd, path, st, (long) flags, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // The syscall(2) forms pass the pointers as their addresses through the all-integer shape: the same
    // registers on amd64, and the caller's arena keeps the memory alive for the call.
    static int fstatBySyscall(MemorySegment errnoState, int fd, MemorySegment st) {
        try {
            return (int) (long) N.HANDLE.invokeExact(syscall.ADDR, errnoState, SYS_FSTAT, (long) fd, st.address(),
                    0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static int fstatatBySyscall(MemorySegment errnoState, int dirfd, MemorySegment path, MemorySegment st, int flags) {
        try {
            return (int) (long) N.HANDLE.invokeExact(syscall.ADDR, errnoState, SYS_NEWFSTATAT, (long) dirfd,
                    path.address(), st.address(), (long) flags, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class sched_setaffinity { static final MemorySegment ADDR = symbol("sched_setaffinity"); }
    /** {@code int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask)}: Linux; pid 0 is the calling thread. */
    public static int sched_setaffinity(MemorySegment errnoState, int pid, long size, MemorySegment mask) {
        try {
            return (int) (long) P2.HANDLE.invokeExact(sched_setaffinity.ADDR, errnoState,
                    (long) pid, size, mask, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class sched_getaffinity { static final MemorySegment ADDR = symbol("sched_getaffinity"); }
    /** {@code int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)}: Linux. */
    public static int sched_getaffinity(MemorySegment errnoState, int pid, long size, MemorySegment mask) {
        try {
            return (int) (long) P2.HANDLE.invokeExact(sched_getaffinity.ADDR, errnoState,
                    (long) pid, size, mask, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class fcntl { static final MemorySegment ADDR = symbol("fcntl"); }
    /** {@code int fcntl(int fd, int cmd, ... long arg)}, for commands whose argument is an integer. */
    public static int fcntl(MemorySegment errnoState, int fd, int cmd, long arg) {
        try {
            return (int) (long) N.HANDLE.invokeExact(fcntl.ADDR, errnoState, (long) fd, (long) cmd, arg, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class flock { static final MemorySegment ADDR = symbol("flock"); }
    /** {@code int flock(int fd, int operation)} */
    public static int flock(MemorySegment errnoState, int fd, int operation) {
        try {
            return (int) (long) N.HANDLE.invokeExact(flock.ADDR, errnoState,
                    (long) fd, (long) operation, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Absent where the C library has no fallocate (FreeBSD has posix_fallocate and fspacectl instead). */
    private static final class fallocate {
        static final MemorySegment ADDR = LIBC.find("fallocate").orElse(MemorySegment.NULL);
    }
    /** Whether {@link #fallocate} can be called here. */
    public static boolean hasFallocate() {
        return !fallocate.ADDR.equals(MemorySegment.NULL);
    }

    /** {@code int fallocate(int fd, int mode, off_t offset, off_t len)} (Linux only: see {@link #hasFallocate}). */
    public static int fallocate(MemorySegment errnoState, int fd, int mode, long offset, long len) {
        if (!hasFallocate()) throw new UnsupportedOperationException("this C library has no fallocate");
        try {
            return (int) (long) N.HANDLE.invokeExact(fallocate.ADDR, errnoState,
                    (long) fd, (long) mode, offset, len, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class memfd_create { static final MemorySegment ADDR = symbol("memfd_create"); }
    /** {@code int memfd_create(const char *name, unsigned int flags)} (Linux only). */
    public static int memfd_create(MemorySegment errnoState, MemorySegment name, int flags) {
        try {
            return (int) (long) P0.HANDLE.invokeExact(memfd_create.ADDR, errnoState,
                    name, (long) flags, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class eventfd { static final MemorySegment ADDR = symbol("eventfd"); }
    /** {@code int eventfd(unsigned int initval, int flags)} */
    public static int eventfd(MemorySegment errnoState, int initval, int flags) {
        try {
            return (int) (long) N.HANDLE.invokeExact(eventfd.ADDR, errnoState,
                    (long) initval, (long) flags, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pipe2 { static final MemorySegment ADDR = symbol("pipe2"); }
    /**
     * {@code int pipe2(int fildes[2], int flags)} (Linux 2.6.27+, FreeBSD 10.0+): {@code fildes[0]} is
     * the read end. The flags ({@code O_CLOEXEC}, {@code O_NONBLOCK}) have different numbers on FreeBSD.
     */
    public static int pipe2(MemorySegment errnoState, MemorySegment fildes, int flags) {
        try {
            return (int) (long) P0.HANDLE.invokeExact(pipe2.ADDR, errnoState, fildes, (long) flags, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class poll { static final MemorySegment ADDR = symbol("poll"); }
    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)} */
    public static int poll(MemorySegment errnoState, MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) (long) P0.HANDLE.invokeExact(poll.ADDR, errnoState,
                    fds, nfds, (long) timeoutMillis, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- ioctl (variadic: a pointer or an integer argument) ------------------------------------------

    private static final class ioctl { static final MemorySegment ADDR = symbol("ioctl"); }
    /** {@code int ioctl(int fd, unsigned long request, void *arg)} */
    public static int ioctl(MemorySegment errnoState, int fd, long request, MemorySegment arg) {
        try {
            return (int) (long) P2.HANDLE.invokeExact(ioctl.ADDR, errnoState, (long) fd, request, arg, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code int ioctl(int fd, unsigned long request, unsigned long arg)} */
    public static int ioctl(MemorySegment errnoState, int fd, long request, long arg) {
        try {
            return (int) (long) N.HANDLE.invokeExact(ioctl.ADDR, errnoState, (long) fd, request, arg, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- memory -----------------------------------------------------------------------------

    private static final class mmap { static final MemorySegment ADDR = symbol("mmap"); }
    /** {@code void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)}; returns a zero-length segment. */
    public static MemorySegment mmap(MemorySegment errnoState, MemorySegment addr, long len, int prot, int flags,
                                     int fd, long offset) {
        try {
            return MemorySegment.ofAddress((long) P0.HANDLE.invokeExact(mmap.ADDR, errnoState,
                    addr, len, (long) prot, (long) flags, (long) fd, offset));
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class munmap { static final MemorySegment ADDR = symbol("munmap"); }
    /** {@code int munmap(void *addr, size_t len)} */
    public static int munmap(MemorySegment errnoState, MemorySegment addr, long len) {
        try {
            return (int) (long) P0.HANDLE.invokeExact(munmap.ADDR, errnoState, addr, len, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class mlock { static final MemorySegment ADDR = symbol("mlock"); }
    /** {@code int mlock(const void *addr, size_t len)}: faults the range in and keeps it in RAM. */
    public static int mlock(MemorySegment errnoState, MemorySegment addr, long len) {
        try {
            return (int) (long) P0.HANDLE.invokeExact(mlock.ADDR, errnoState, addr, len, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class madvise { static final MemorySegment ADDR = symbol("madvise"); }
    /** {@code int madvise(void *addr, size_t len, int advice)} */
    public static int madvise(MemorySegment errnoState, MemorySegment addr, long len, int advice) {
        try {
            return (int) (long) P0.HANDLE.invokeExact(madvise.ADDR, errnoState, addr, len, (long) advice, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- threads and signals ----------------------------------------------------------------

    private static final class isatty { static final MemorySegment ADDR = symbol("isatty"); }
    /** {@code int isatty(int fd)}: 1 if {@code fd} is a terminal, else 0. */
    public static int isatty(int fd) {
        try {
            return (int) (long) N.HANDLE.invokeExact(isatty.ADDR, IGNORED_ERRNO, (long) fd, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pthread_self { static final MemorySegment ADDR = symbol("pthread_self"); }
    /** {@code pthread_t pthread_self(void)} */
    public static long pthread_self() {
        try {
            return (long) N.HANDLE.invokeExact(pthread_self.ADDR, IGNORED_ERRNO, 0L, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pthread_kill { static final MemorySegment ADDR = symbol("pthread_kill"); }
    /** {@code int pthread_kill(pthread_t thread, int sig)}; returns the error number (0 on success). */
    public static int pthread_kill(long thread, int sig) {
        try {
            return (int) (long) N.HANDLE.invokeExact(pthread_kill.ADDR, IGNORED_ERRNO,
                    thread, (long) sig, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pthread_sigmask { static final MemorySegment ADDR = symbol("pthread_sigmask"); }
    /** {@code int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)}; returns the error number. */
    public static int pthread_sigmask(int how, MemorySegment set, MemorySegment old) {
        try {
            return (int) (long) P12.HANDLE.invokeExact(pthread_sigmask.ADDR, IGNORED_ERRNO,
                    (long) how, set, old, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class sigtimedwait { static final MemorySegment ADDR = symbol("sigtimedwait"); }
    /** {@code int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)} */
    public static int sigtimedwait(MemorySegment errnoState, MemorySegment set, MemorySegment info,
                                   MemorySegment timeout) {
        try {
            return (int) (long) P012.HANDLE.invokeExact(sigtimedwait.ADDR, errnoState, set, info, timeout, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class signal { static final MemorySegment ADDR = symbol("signal"); }
    /** {@code sighandler_t signal(int sig, sighandler_t handler)} */
    public static MemorySegment signal(MemorySegment errnoState, int sig, MemorySegment handler) {
        try {
            return MemorySegment.ofAddress((long) P1.HANDLE.invokeExact(signal.ADDR, errnoState,
                    (long) sig, handler, 0L, 0L, 0L, 0L));
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class clock_gettime { static final MemorySegment ADDR = symbol("clock_gettime"); }
    /** {@code int clock_gettime(clockid_t clock, struct timespec *now)} (clock ids differ per OS). */
    public static int clock_gettime(MemorySegment errnoState, int clock, MemorySegment now) {
        try {
            return (int) (long) P1.HANDLE.invokeExact(clock_gettime.ADDR, errnoState,
                    (long) clock, now, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class getpid { static final MemorySegment ADDR = symbol("getpid"); }
    /** {@code pid_t getpid(void)} */
    public static int getpid() {
        try {
            return (int) (long) N.HANDLE.invokeExact(getpid.ADDR, IGNORED_ERRNO, 0L, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- sockets (the checkpoint socket passes a directory fd by SCM_RIGHTS) -----------------

    private static final class socket { static final MemorySegment ADDR = symbol("socket"); }
    /** {@code int socket(int domain, int type, int protocol)} */
    public static int socket(MemorySegment errnoState, int domain, int type, int protocol) {
        try {
            return (int) (long) N.HANDLE.invokeExact(socket.ADDR, errnoState,
                    (long) domain, (long) type, (long) protocol, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class bind { static final MemorySegment ADDR = symbol("bind"); }
    /** {@code int bind(int fd, const struct sockaddr *addr, socklen_t len)} */
    public static int bind(MemorySegment errnoState, int fd, MemorySegment addr, int len) {
        try {
            return (int) (long) P1.HANDLE.invokeExact(bind.ADDR, errnoState, (long) fd, addr, (long) len, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class listen { static final MemorySegment ADDR = symbol("listen"); }
    /** {@code int listen(int fd, int backlog)} */
    public static int listen(MemorySegment errnoState, int fd, int backlog) {
        try {
            return (int) (long) N.HANDLE.invokeExact(listen.ADDR, errnoState,
                    (long) fd, (long) backlog, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class accept4 { static final MemorySegment ADDR = symbol("accept4"); }
    /** {@code int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)} (FreeBSD 10+, Linux 2.6.28+) */
    public static int accept4(MemorySegment errnoState, int fd, MemorySegment addr, MemorySegment len, int flags) {
        try {
            return (int) (long) P12.HANDLE.invokeExact(accept4.ADDR, errnoState,
                    (long) fd, addr, len, (long) flags, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class connect { static final MemorySegment ADDR = symbol("connect"); }
    /** {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)} */
    public static int connect(MemorySegment errnoState, int fd, MemorySegment addr, int len) {
        try {
            return (int) (long) P1.HANDLE.invokeExact(connect.ADDR, errnoState,
                    (long) fd, addr, (long) len, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class socketpair { static final MemorySegment ADDR = symbol("socketpair"); }
    /** {@code int socketpair(int domain, int type, int protocol, int sv[2])} */
    public static int socketpair(MemorySegment errnoState, int domain, int type, int protocol, MemorySegment sv) {
        try {
            return (int) (long) P3.HANDLE.invokeExact(socketpair.ADDR, errnoState,
                    (long) domain, (long) type, (long) protocol, sv, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class send { static final MemorySegment ADDR = symbol("send"); }
    /** {@code ssize_t send(int fd, const void *buf, size_t len, int flags)} */
    public static long send(MemorySegment errnoState, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) P1.HANDLE.invokeExact(send.ADDR, errnoState, (long) fd, buf, len, (long) flags, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class recv { static final MemorySegment ADDR = symbol("recv"); }
    /** {@code ssize_t recv(int fd, void *buf, size_t len, int flags)} */
    public static long recv(MemorySegment errnoState, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) P1.HANDLE.invokeExact(recv.ADDR, errnoState, (long) fd, buf, len, (long) flags, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class shutdown { static final MemorySegment ADDR = symbol("shutdown"); }
    /** {@code int shutdown(int fd, int how)} */
    public static int shutdown(MemorySegment errnoState, int fd, int how) {
        try {
            return (int) (long) N.HANDLE.invokeExact(shutdown.ADDR, errnoState, (long) fd, (long) how, 0L, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class sendmsg { static final MemorySegment ADDR = symbol("sendmsg"); }
    /** {@code ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)} */
    public static long sendmsg(MemorySegment errnoState, int fd, MemorySegment msg, int flags) {
        try {
            return (long) P1.HANDLE.invokeExact(sendmsg.ADDR, errnoState, (long) fd, msg, (long) flags, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class recvmsg { static final MemorySegment ADDR = symbol("recvmsg"); }
    /** {@code ssize_t recvmsg(int fd, struct msghdr *msg, int flags)} */
    public static long recvmsg(MemorySegment errnoState, int fd, MemorySegment msg, int flags) {
        try {
            return (long) P1.HANDLE.invokeExact(recvmsg.ADDR, errnoState, (long) fd, msg, (long) flags, 0L, 0L, 0L);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- constants (Linux x86-64 values; FreeBSD's differ and live with the FreeBSD bindings) ----
    // Checked against the installed C headers by LinuxLayoutTest.

    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_TRUNC = 01000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000,
            O_CLOEXEC = 02000000;
    /** {@code fstatat} flag: do not follow a symbolic link in the last component (FreeBSD: 0x200). */
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** {@code st_mode} file types; the same on Linux and FreeBSD. */
    public static final int S_IFMT = 0170000, S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFDIR = 0040000,
            S_IFBLK = 0060000, S_IFREG = 0100000, S_IFLNK = 0120000, S_IFSOCK = 0140000;
    /** glibc's {@code struct stat} on x86-64: its size and the offsets {@link FileStat} reads. */
    public static final long STAT_SIZE = 144, STAT_DEV_OFFSET = 0, STAT_INO_OFFSET = 8, STAT_MODE_OFFSET = 24,
            STAT_SIZE_OFFSET = 48, STAT_MTIM_OFFSET = 88, STAT_CTIM_OFFSET = 104;
    /** glibc's {@code sizeof(cpu_set_t)}: 1024 CPUs, one bit each. */
    public static final long CPU_SET_T_SIZE = 128;
    /** {@code lseek} whence values; the same on Linux and FreeBSD. */
    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    /** {@code flock} operations; the same on Linux and FreeBSD. */
    public static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_NORESERVE = 0x4000;
    public static final long MAP_FAILED = -1L;
    public static final int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3,
            MADV_DONTNEED = 4, MADV_REMOVE = 9, MADV_DONTFORK = 10, MADV_MERGEABLE = 12, MADV_HUGEPAGE = 14;
    /** Linux file leases (fcntl): take, ask, and the lease types (the same numbers as the record locks'). */
    public static final int F_SETLEASE = 1024, F_GETLEASE = 1025, F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    public static final int MFD_CLOEXEC = 1;
    public static final int EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK;
    /** {@code poll} events; the same numbers on FreeBSD (pinned by org.jbhyve.bindings.freebsd.libc.poll_h). */
    public static final short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    public static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    public static final int SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15;
    /** {@code SIG_IGN}, the handler value 1. */
    public static final MemorySegment SIG_IGN = MemorySegment.ofAddress(1);
    /** glibc's {@code sizeof(sigset_t)}. */
    public static final long SIGSET_T_SIZE = 128;
    /** glibc's {@code sizeof(siginfo_t)}. */
    public static final long SIGINFO_T_SIZE = 128;
    /** {@code AF_UNIX}, {@code SOCK_STREAM} and {@code SCM_RIGHTS} are the same on FreeBSD; the rest differ. */
    public static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = O_CLOEXEC, SOCK_NONBLOCK = O_NONBLOCK;
    /** Datagram and sequenced-packet sockets; the same numbers on FreeBSD. */
    public static final int SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
    public static final int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    /** {@code shutdown} how values; the same on Linux and FreeBSD. */
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    public static final int MSG_CTRUNC = 0x8, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000,
            MSG_CMSG_CLOEXEC = 0x40000000;
}
