// Hand-written in the shape of bindings' libc_h (one nested holder per function, resolved once,
// called with invokeExact, errno captured with Linker.Option.captureCallState("errno") and passed
// as the first argument). These are the socket calls libc_h does not have yet; they belong in
// bindings/libc/libc_h.java and live here, package-private, until they are moved there.
package org.jbhyve.snapshot.ipc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bind}, {@code listen}, {@code accept4}, {@code connect}, {@code socketpair}, {@code send},
 * {@code recv} and {@code shutdown}, with the same C signatures on Linux and FreeBSD (amd64):
 * {@code socklen_t} is 32-bit on both, {@code size_t}/{@code ssize_t} 64-bit.
 */
final class socket_h {
    private socket_h() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    private static MethodHandle withErrno(String name, FunctionDescriptor fd) {
        MemorySegment addr = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(addr, fd, ERRNO);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    private static final class bind {
        static final MethodHandle HANDLE = withErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code int bind(int fd, const struct sockaddr *addr, socklen_t len)} */
    static int bind(MemorySegment errnoState, int fd, MemorySegment addr, int len) {
        try {
            return (int) bind.HANDLE.invokeExact(errnoState, fd, addr, len);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class listen {
        static final MethodHandle HANDLE = withErrno("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int listen(int fd, int backlog)} */
    static int listen(MemorySegment errnoState, int fd, int backlog) {
        try {
            return (int) listen.HANDLE.invokeExact(errnoState, fd, backlog);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class accept4 {
        static final MethodHandle HANDLE = withErrno("accept4",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    /** {@code int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)} (FreeBSD 10+, Linux 2.6.28+) */
    static int accept4(MemorySegment errnoState, int fd, MemorySegment addr, MemorySegment len, int flags) {
        try {
            return (int) accept4.HANDLE.invokeExact(errnoState, fd, addr, len, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class connect {
        static final MethodHandle HANDLE = withErrno("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)} */
    static int connect(MemorySegment errnoState, int fd, MemorySegment addr, int len) {
        try {
            return (int) connect.HANDLE.invokeExact(errnoState, fd, addr, len);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class socketpair {
        static final MethodHandle HANDLE = withErrno("socketpair",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** {@code int socketpair(int domain, int type, int protocol, int sv[2])} */
    static int socketpair(MemorySegment errnoState, int domain, int type, int protocol, MemorySegment sv) {
        try {
            return (int) socketpair.HANDLE.invokeExact(errnoState, domain, type, protocol, sv);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class send {
        static final MethodHandle HANDLE = withErrno("send",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    /** {@code ssize_t send(int fd, const void *buf, size_t len, int flags)} */
    static long send(MemorySegment errnoState, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) send.HANDLE.invokeExact(errnoState, fd, buf, len, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class recv {
        static final MethodHandle HANDLE = withErrno("recv",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    /** {@code ssize_t recv(int fd, void *buf, size_t len, int flags)} */
    static long recv(MemorySegment errnoState, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) recv.HANDLE.invokeExact(errnoState, fd, buf, len, flags);
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static final class shutdown {
        static final MethodHandle HANDLE = withErrno("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int shutdown(int fd, int how)} */
    static int shutdown(MemorySegment errnoState, int fd, int how) {
        try {
            return (int) shutdown.HANDLE.invokeExact(errnoState, fd, how);
        } catch (Throwable t) { throw rethrow(t); }
    }
}
