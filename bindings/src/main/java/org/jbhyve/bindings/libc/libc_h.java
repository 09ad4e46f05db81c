// Hand-written in the shape jextract generates for a header class (one nested holder per function,
// resolved once into a static final MethodHandle and called with invokeExact). Unlike plain jextract
// output, every function that can fail is linked with Linker.Option.captureCallState("errno"), and its
// Java method takes the capture segment first, so errno is read reliably after the call.
package org.jbhyve.bindings.libc;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.*;

/**
 * libc functions jbhyve needs: files, ioctl, mmap, eventfd, pipe2, poll, signals, threads, sockets. The functions
 * have the same C signatures on Linux and FreeBSD (amd64: {@code off_t}, {@code size_t} and
 * {@code ssize_t} are 64-bit, {@code socklen_t} 32-bit on both); the constants are Linux's. The struct
 * layouts of the socket calls differ per OS: {@code org.jbhyve.bindings.linux.socket} and
 * {@code org.jbhyve.bindings.freebsd.socket}.
 */
public final class libc_h {
    private libc_h() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    public static final AddressLayout C_POINTER = ADDRESS;
    public static final ValueLayout.OfLong C_SIZE_T = JAVA_LONG;

    /** Allocates a segment to pass as the {@code errnoState} argument of the functions below. */
    public static MemorySegment allocateErrnoState(SegmentAllocator allocator) {
        return allocator.allocate(CAPTURE_LAYOUT);
    }

    /** The errno captured by the last call that was given {@code errnoState}. */
    public static int errno(MemorySegment errnoState) {
        return (int) ERRNO_HANDLE.get(errnoState, 0L);
    }

    static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment addr = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(addr, fd, options);
    }

    static MethodHandle withErrno(String name, FunctionDescriptor fd) {
        return downcall(name, fd, ERRNO);
    }

    static MethodHandle variadicWithErrno(String name, FunctionDescriptor fd, int firstVariadic) {
        return downcall(name, fd, ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    // ---- files ----------------------------------------------------------------------------

    private static final class open {
        static final MethodHandle HANDLE = variadicWithErrno("open",
                FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_INT, JAVA_INT), 2);
    }

    /** {@code int open(const char *path, int flags, ... mode_t mode)} */
    public static int open(MemorySegment errnoState, MemorySegment path, int flags, int mode) {
        try {
            return (int) open.HANDLE.invokeExact(errnoState, path, flags, mode);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class close {
        static final MethodHandle HANDLE = withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** {@code int close(int fd)} */
    public static int close(MemorySegment errnoState, int fd) {
        try {
            return (int) close.HANDLE.invokeExact(errnoState, fd);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class read {
        static final MethodHandle HANDLE = withErrno("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, C_SIZE_T));
    }

    /** {@code ssize_t read(int fd, void *buf, size_t count)} */
    public static long read(MemorySegment errnoState, int fd, MemorySegment buf, long count) {
        try {
            return (long) read.HANDLE.invokeExact(errnoState, fd, buf, count);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class write {
        static final MethodHandle HANDLE = withErrno("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, C_SIZE_T));
    }

    /** {@code ssize_t write(int fd, const void *buf, size_t count)} */
    public static long write(MemorySegment errnoState, int fd, MemorySegment buf, long count) {
        try {
            return (long) write.HANDLE.invokeExact(errnoState, fd, buf, count);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class ftruncate {
        static final MethodHandle HANDLE = withErrno("ftruncate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    /** {@code int ftruncate(int fd, off_t length)} */
    public static int ftruncate(MemorySegment errnoState, int fd, long length) {
        try {
            return (int) ftruncate.HANDLE.invokeExact(errnoState, fd, length);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class openat {
        static final MethodHandle HANDLE = variadicWithErrno("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT, JAVA_INT), 3);
    }

    /** {@code int openat(int dirfd, const char *path, int flags, ... mode_t mode)} */
    public static int openat(MemorySegment errnoState, int dirfd, MemorySegment path, int flags, int mode) {
        try {
            return (int) openat.HANDLE.invokeExact(errnoState, dirfd, path, flags, mode);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class renameat {
        static final MethodHandle HANDLE = withErrno("renameat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT, C_POINTER));
    }

    /** {@code int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)} */
    public static int renameat(MemorySegment errnoState, int olddirfd, MemorySegment oldpath, int newdirfd,
                               MemorySegment newpath) {
        try {
            return (int) renameat.HANDLE.invokeExact(errnoState, olddirfd, oldpath, newdirfd, newpath);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class unlinkat {
        static final MethodHandle HANDLE = withErrno("unlinkat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT));
    }

    /** {@code int unlinkat(int dirfd, const char *path, int flags)} */
    public static int unlinkat(MemorySegment errnoState, int dirfd, MemorySegment path, int flags) {
        try {
            return (int) unlinkat.HANDLE.invokeExact(errnoState, dirfd, path, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class fsync {
        static final MethodHandle HANDLE = withErrno("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** {@code int fsync(int fd)} */
    public static int fsync(MemorySegment errnoState, int fd) {
        try {
            return (int) fsync.HANDLE.invokeExact(errnoState, fd);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pread {
        static final MethodHandle HANDLE = withErrno("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, C_SIZE_T, JAVA_LONG));
    }

    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)} */
    public static long pread(MemorySegment errnoState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) pread.HANDLE.invokeExact(errnoState, fd, buf, count, offset);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pwrite {
        static final MethodHandle HANDLE = withErrno("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, C_SIZE_T, JAVA_LONG));
    }

    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)} */
    public static long pwrite(MemorySegment errnoState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) pwrite.HANDLE.invokeExact(errnoState, fd, buf, count, offset);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class lseek {
        static final MethodHandle HANDLE = withErrno("lseek",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    /** {@code off_t lseek(int fd, off_t offset, int whence)} */
    public static long lseek(MemorySegment errnoState, int fd, long offset, int whence) {
        try {
            return (long) lseek.HANDLE.invokeExact(errnoState, fd, offset, whence);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class flock {
        static final MethodHandle HANDLE = withErrno("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int flock(int fd, int operation)} */
    public static int flock(MemorySegment errnoState, int fd, int operation) {
        try {
            return (int) flock.HANDLE.invokeExact(errnoState, fd, operation);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class memfd_create {
        static final MethodHandle HANDLE = withErrno("memfd_create",
                FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_INT));
    }

    /** {@code int memfd_create(const char *name, unsigned int flags)} (Linux only). */
    public static int memfd_create(MemorySegment errnoState, MemorySegment name, int flags) {
        try {
            return (int) memfd_create.HANDLE.invokeExact(errnoState, name, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class eventfd {
        static final MethodHandle HANDLE = withErrno("eventfd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int eventfd(unsigned int initval, int flags)} */
    public static int eventfd(MemorySegment errnoState, int initval, int flags) {
        try {
            return (int) eventfd.HANDLE.invokeExact(errnoState, initval, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pipe2 {
        static final MethodHandle HANDLE = withErrno("pipe2",
                FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_INT));
    }

    /**
     * {@code int pipe2(int fildes[2], int flags)} (Linux 2.6.27+, FreeBSD 10.0+): {@code fildes[0]} is
     * the read end. The flags ({@code O_CLOEXEC}, {@code O_NONBLOCK}) have different numbers on FreeBSD.
     */
    public static int pipe2(MemorySegment errnoState, MemorySegment fildes, int flags) {
        try {
            return (int) pipe2.HANDLE.invokeExact(errnoState, fildes, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class poll {
        static final MethodHandle HANDLE = withErrno("poll",
                FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_LONG, JAVA_INT));
    }

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)} */
    public static int poll(MemorySegment errnoState, MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) poll.HANDLE.invokeExact(errnoState, fds, nfds, timeoutMillis);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- ioctl (variadic: one invoker per argument kind) ------------------------------------

    private static final class ioctl_ptr {
        static final MethodHandle HANDLE = variadicWithErrno("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, C_POINTER), 2);
    }

    private static final class ioctl_long {
        static final MethodHandle HANDLE = variadicWithErrno("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    }

    /** {@code int ioctl(int fd, unsigned long request, void *arg)} */
    public static int ioctl(MemorySegment errnoState, int fd, long request, MemorySegment arg) {
        try {
            return (int) ioctl_ptr.HANDLE.invokeExact(errnoState, fd, request, arg);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code int ioctl(int fd, unsigned long request, unsigned long arg)} */
    public static int ioctl(MemorySegment errnoState, int fd, long request, long arg) {
        try {
            return (int) ioctl_long.HANDLE.invokeExact(errnoState, fd, request, arg);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- memory -----------------------------------------------------------------------------

    private static final class mmap {
        static final MethodHandle HANDLE = withErrno("mmap", FunctionDescriptor.of(C_POINTER,
                C_POINTER, C_SIZE_T, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    /** {@code void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)}; returns a zero-length segment. */
    public static MemorySegment mmap(MemorySegment errnoState, MemorySegment addr, long len, int prot, int flags,
                                     int fd, long offset) {
        try {
            return (MemorySegment) mmap.HANDLE.invokeExact(errnoState, addr, len, prot, flags, fd, offset);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class munmap {
        static final MethodHandle HANDLE = withErrno("munmap", FunctionDescriptor.of(JAVA_INT, C_POINTER, C_SIZE_T));
    }

    /** {@code int munmap(void *addr, size_t len)} */
    public static int munmap(MemorySegment errnoState, MemorySegment addr, long len) {
        try {
            return (int) munmap.HANDLE.invokeExact(errnoState, addr, len);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class madvise {
        static final MethodHandle HANDLE = withErrno("madvise",
                FunctionDescriptor.of(JAVA_INT, C_POINTER, C_SIZE_T, JAVA_INT));
    }

    /** {@code int madvise(void *addr, size_t len, int advice)} */
    public static int madvise(MemorySegment errnoState, MemorySegment addr, long len, int advice) {
        try {
            return (int) madvise.HANDLE.invokeExact(errnoState, addr, len, advice);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- threads and signals ----------------------------------------------------------------

    private static final class isatty {
        static final MethodHandle HANDLE = downcall("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** {@code int isatty(int fd)}: 1 if {@code fd} is a terminal, else 0. */
    public static int isatty(int fd) {
        try {
            return (int) isatty.HANDLE.invokeExact(fd);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pthread_self {
        static final MethodHandle HANDLE = downcall("pthread_self", FunctionDescriptor.of(JAVA_LONG));
    }

    /** {@code pthread_t pthread_self(void)} */
    public static long pthread_self() {
        try {
            return (long) pthread_self.HANDLE.invokeExact();
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pthread_kill {
        static final MethodHandle HANDLE = downcall("pthread_kill", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    /** {@code int pthread_kill(pthread_t thread, int sig)}; returns the error number (0 on success). */
    public static int pthread_kill(long thread, int sig) {
        try {
            return (int) pthread_kill.HANDLE.invokeExact(thread, sig);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class pthread_sigmask {
        static final MethodHandle HANDLE = downcall("pthread_sigmask",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, C_POINTER));
    }

    /** {@code int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)}; returns the error number. */
    public static int pthread_sigmask(int how, MemorySegment set, MemorySegment old) {
        try {
            return (int) pthread_sigmask.HANDLE.invokeExact(how, set, old);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class sigtimedwait {
        static final MethodHandle HANDLE = withErrno("sigtimedwait",
                FunctionDescriptor.of(JAVA_INT, C_POINTER, C_POINTER, C_POINTER));
    }

    /** {@code int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)} */
    public static int sigtimedwait(MemorySegment errnoState, MemorySegment set, MemorySegment info,
                                   MemorySegment timeout) {
        try {
            return (int) sigtimedwait.HANDLE.invokeExact(errnoState, set, info, timeout);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class signal {
        static final MethodHandle HANDLE = withErrno("signal",
                FunctionDescriptor.of(C_POINTER, JAVA_INT, C_POINTER));
    }

    /** {@code sighandler_t signal(int sig, sighandler_t handler)} */
    public static MemorySegment signal(MemorySegment errnoState, int sig, MemorySegment handler) {
        try {
            return (MemorySegment) signal.HANDLE.invokeExact(errnoState, sig, handler);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class clock_gettime {
        static final MethodHandle HANDLE = withErrno("clock_gettime",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER));
    }

    /** {@code int clock_gettime(clockid_t clock, struct timespec *now)} (clock ids differ per OS). */
    public static int clock_gettime(MemorySegment errnoState, int clock, MemorySegment now) {
        try {
            return (int) clock_gettime.HANDLE.invokeExact(errnoState, clock, now);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class getpid {
        static final MethodHandle HANDLE = downcall("getpid", FunctionDescriptor.of(JAVA_INT));
    }

    /** {@code pid_t getpid(void)} */
    public static int getpid() {
        try {
            return (int) getpid.HANDLE.invokeExact();
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- sockets (the checkpoint socket passes a directory fd by SCM_RIGHTS) -----------------

    private static final class socket {
        static final MethodHandle HANDLE = withErrno("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int socket(int domain, int type, int protocol)} */
    public static int socket(MemorySegment errnoState, int domain, int type, int protocol) {
        try {
            return (int) socket.HANDLE.invokeExact(errnoState, domain, type, protocol);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class bind {
        static final MethodHandle HANDLE = withErrno("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT));
    }

    /** {@code int bind(int fd, const struct sockaddr *addr, socklen_t len)} */
    public static int bind(MemorySegment errnoState, int fd, MemorySegment addr, int len) {
        try {
            return (int) bind.HANDLE.invokeExact(errnoState, fd, addr, len);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class listen {
        static final MethodHandle HANDLE = withErrno("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int listen(int fd, int backlog)} */
    public static int listen(MemorySegment errnoState, int fd, int backlog) {
        try {
            return (int) listen.HANDLE.invokeExact(errnoState, fd, backlog);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class accept4 {
        static final MethodHandle HANDLE = withErrno("accept4",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, C_POINTER, JAVA_INT));
    }

    /** {@code int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)} (FreeBSD 10+, Linux 2.6.28+) */
    public static int accept4(MemorySegment errnoState, int fd, MemorySegment addr, MemorySegment len, int flags) {
        try {
            return (int) accept4.HANDLE.invokeExact(errnoState, fd, addr, len, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class connect {
        static final MethodHandle HANDLE = withErrno("connect",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT));
    }

    /** {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)} */
    public static int connect(MemorySegment errnoState, int fd, MemorySegment addr, int len) {
        try {
            return (int) connect.HANDLE.invokeExact(errnoState, fd, addr, len);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class socketpair {
        static final MethodHandle HANDLE = withErrno("socketpair",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, C_POINTER));
    }

    /** {@code int socketpair(int domain, int type, int protocol, int sv[2])} */
    public static int socketpair(MemorySegment errnoState, int domain, int type, int protocol, MemorySegment sv) {
        try {
            return (int) socketpair.HANDLE.invokeExact(errnoState, domain, type, protocol, sv);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class send {
        static final MethodHandle HANDLE = withErrno("send",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, C_SIZE_T, JAVA_INT));
    }

    /** {@code ssize_t send(int fd, const void *buf, size_t len, int flags)} */
    public static long send(MemorySegment errnoState, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) send.HANDLE.invokeExact(errnoState, fd, buf, len, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class recv {
        static final MethodHandle HANDLE = withErrno("recv",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, C_SIZE_T, JAVA_INT));
    }

    /** {@code ssize_t recv(int fd, void *buf, size_t len, int flags)} */
    public static long recv(MemorySegment errnoState, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) recv.HANDLE.invokeExact(errnoState, fd, buf, len, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class shutdown {
        static final MethodHandle HANDLE = withErrno("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int shutdown(int fd, int how)} */
    public static int shutdown(MemorySegment errnoState, int fd, int how) {
        try {
            return (int) shutdown.HANDLE.invokeExact(errnoState, fd, how);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class sendmsg {
        static final MethodHandle HANDLE = withErrno("sendmsg",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, JAVA_INT));
    }

    /** {@code ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)} */
    public static long sendmsg(MemorySegment errnoState, int fd, MemorySegment msg, int flags) {
        try {
            return (long) sendmsg.HANDLE.invokeExact(errnoState, fd, msg, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class recvmsg {
        static final MethodHandle HANDLE = withErrno("recvmsg",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, JAVA_INT));
    }

    /** {@code ssize_t recvmsg(int fd, struct msghdr *msg, int flags)} */
    public static long recvmsg(MemorySegment errnoState, int fd, MemorySegment msg, int flags) {
        try {
            return (long) recvmsg.HANDLE.invokeExact(errnoState, fd, msg, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- constants (Linux x86-64 values; FreeBSD's differ and live with the FreeBSD bindings) ----
    // Checked against the installed C headers by LinuxLayoutTest.

    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_TRUNC = 01000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000,
            O_CLOEXEC = 02000000;
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
