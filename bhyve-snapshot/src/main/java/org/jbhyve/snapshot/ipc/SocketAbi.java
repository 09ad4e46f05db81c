package org.jbhyve.snapshot.ipc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Map;

/**
 * What differs between the Linux and FreeBSD (amd64) socket ABIs as far as the checkpoint socket is
 * concerned: constants, errno numbers, and the layouts of {@code msghdr}, {@code cmsghdr} and
 * {@code sockaddr_un}. Chosen once, at run time, from {@code os.name}.
 *
 * <p>FreeBSD values come from bindings' {@code org.jbhyve.bindings.freebsd.socket} (pinned to
 * shared/reference/freebsd-bhyve.md 1c) and, for the flags and errno numbers that reference does not
 * list, from FreeBSD's {@code sys/socket.h} and {@code sys/errno.h}. Linux values are x86-64 glibc's.
 */
abstract sealed class SocketAbi permits SocketAbi.Linux, SocketAbi.FreeBsd {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SCM_RIGHTS = 1;
    static final int SHUT_RDWR = 2;
    static final int EINTR = 4;
    static final int ENOENT = 2;

    private static final class Holder {
        static final SocketAbi CURRENT = detect();
    }

    /** The ABI of the running OS; {@link UnsupportedOperationException} on anything but Linux and FreeBSD. */
    static SocketAbi current() {
        return Holder.CURRENT;
    }

    private static SocketAbi detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) return new Linux();
        if (os.contains("freebsd")) return new FreeBsd();
        throw new UnsupportedOperationException("the checkpoint socket supports Linux and FreeBSD, not "
                + System.getProperty("os.name"));
    }

    abstract String os();

    // ---- constants ------------------------------------------------------------------------------

    abstract int SOL_SOCKET();
    abstract int SOCK_CLOEXEC();
    abstract int SOCK_NONBLOCK();
    abstract int MSG_DONTWAIT();
    abstract int MSG_NOSIGNAL();
    abstract int MSG_CMSG_CLOEXEC();
    abstract int MSG_CTRUNC();

    abstract int EAGAIN();
    abstract int EINPROGRESS();
    abstract int ECONNREFUSED();
    abstract int EADDRINUSE();
    abstract int ECONNABORTED();

    /** errno number → name, for the errors socket code meets. */
    abstract Map<Integer, String> errnoNames();

    /** "ECONNREFUSED (connection refused)", or "errno 77" for one not in the table. */
    final String describe(int errno) {
        String name = errnoNames().get(errno);
        if (name == null) return "errno " + errno;
        String text = DESCRIPTIONS.get(name);
        return text == null ? name : name + " (" + text + ")";
    }

    final String errnoName(int errno) {
        return errnoNames().getOrDefault(errno, "errno " + errno);
    }

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("EPERM", "operation not permitted"), Map.entry("ENOENT", "no such file or directory"),
            Map.entry("EINTR", "interrupted system call"), Map.entry("EBADF", "bad file descriptor"),
            Map.entry("EACCES", "permission denied"), Map.entry("EEXIST", "file exists"),
            Map.entry("ENOTDIR", "not a directory"), Map.entry("EINVAL", "invalid argument"),
            Map.entry("ENFILE", "too many open files in system"), Map.entry("EMFILE", "too many open files"),
            Map.entry("ENOSPC", "no space left on device"), Map.entry("EROFS", "read-only file system"),
            Map.entry("EPIPE", "broken pipe: the peer closed the connection"),
            Map.entry("EAGAIN", "resource temporarily unavailable"),
            Map.entry("EINPROGRESS", "operation now in progress"), Map.entry("ENOTSOCK", "not a socket"),
            Map.entry("EMSGSIZE", "message too long"), Map.entry("EADDRINUSE", "address already in use"),
            Map.entry("ENOBUFS", "no buffer space available"),
            Map.entry("ECONNABORTED", "connection aborted"), Map.entry("ECONNRESET", "connection reset by peer"),
            Map.entry("EISCONN", "already connected"), Map.entry("ENOTCONN", "not connected"),
            Map.entry("ETIMEDOUT", "timed out"), Map.entry("ECONNREFUSED", "connection refused"),
            Map.entry("ENAMETOOLONG", "file name too long"), Map.entry("ETOOMANYREFS", "too many references"));

    // ---- sockaddr_un ----------------------------------------------------------------------------

    /** Bytes of {@code sun_path}, the NUL included. */
    abstract int sunPathSize();

    /** A {@code sockaddr_un} for {@code path} (no NUL inside, shorter than {@link #sunPathSize()}). */
    abstract MemorySegment sockaddrUn(Arena arena, byte[] path);

    /** The address length to pass with {@link #sockaddrUn}. */
    abstract int sockaddrUnLength(byte[] path);

    // ---- msghdr and cmsghdr ---------------------------------------------------------------------

    /** A zeroed {@code msghdr} with one iovec and the given control buffer (may be NULL/0). */
    abstract MemorySegment msghdr(Arena arena, MemorySegment iov, MemorySegment control, long controllen);

    abstract long msgControllen(MemorySegment msg);

    abstract int msgFlags(MemorySegment msg);

    abstract long cmsgHeaderSize();

    /** {@code CMSG_ALIGN}. */
    abstract long cmsgAlign(long n);

    /** Offset of the data from the start of a control message: 16 on both. */
    final long cmsgDataOffset() {
        return cmsgAlign(cmsgHeaderSize());
    }

    final long cmsgLen(long dataBytes) {
        return cmsgDataOffset() + dataBytes;
    }

    final long cmsgSpace(long dataBytes) {
        return cmsgDataOffset() + cmsgAlign(dataBytes);
    }

    abstract void cmsgHeader(MemorySegment control, long offset, long len, int level, int type);

    abstract long cmsgLenAt(MemorySegment control, long offset);

    abstract int cmsgLevelAt(MemorySegment control, long offset);

    abstract int cmsgTypeAt(MemorySegment control, long offset);

    // =============================================================================================

    static final class Linux extends SocketAbi {
        private static final Map<Integer, String> ERRNO = Map.ofEntries(
                Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(4, "EINTR"), Map.entry(9, "EBADF"),
                Map.entry(11, "EAGAIN"), Map.entry(13, "EACCES"), Map.entry(17, "EEXIST"), Map.entry(20, "ENOTDIR"),
                Map.entry(22, "EINVAL"), Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"), Map.entry(28, "ENOSPC"),
                Map.entry(30, "EROFS"), Map.entry(32, "EPIPE"), Map.entry(36, "ENAMETOOLONG"),
                Map.entry(88, "ENOTSOCK"), Map.entry(90, "EMSGSIZE"), Map.entry(98, "EADDRINUSE"),
                Map.entry(103, "ECONNABORTED"), Map.entry(104, "ECONNRESET"), Map.entry(105, "ENOBUFS"),
                Map.entry(106, "EISCONN"), Map.entry(107, "ENOTCONN"), Map.entry(109, "ETOOMANYREFS"),
                Map.entry(110, "ETIMEDOUT"), Map.entry(111, "ECONNREFUSED"), Map.entry(115, "EINPROGRESS"));

        @Override String os() { return "Linux"; }
        @Override int SOL_SOCKET() { return 1; }
        @Override int SOCK_CLOEXEC() { return 0x80000; }
        @Override int SOCK_NONBLOCK() { return 0x800; }
        @Override int MSG_DONTWAIT() { return 0x40; }
        @Override int MSG_NOSIGNAL() { return 0x4000; }
        @Override int MSG_CMSG_CLOEXEC() { return 0x40000000; }
        @Override int MSG_CTRUNC() { return 0x8; }
        @Override int EAGAIN() { return 11; }
        @Override int EINPROGRESS() { return 115; }
        @Override int ECONNREFUSED() { return 111; }
        @Override int EADDRINUSE() { return 98; }
        @Override int ECONNABORTED() { return 103; }
        @Override Map<Integer, String> errnoNames() { return ERRNO; }

        @Override int sunPathSize() { return sockaddr_un.SUN_PATH_SIZE; }

        @Override
        MemorySegment sockaddrUn(Arena arena, byte[] path) {
            MemorySegment sa = sockaddr_un.allocate(arena);
            sockaddr_un.sun_family(sa, (short) AF_UNIX);
            MemorySegment.copy(path, 0, sockaddr_un.sun_path(sa), ValueLayout.JAVA_BYTE, 0, path.length);
            return sa;
        }

        @Override
        int sockaddrUnLength(byte[] path) {
            return (int) sockaddr_un.sun_path$offset() + path.length + 1;
        }

        @Override
        MemorySegment msghdr(Arena arena, MemorySegment iov, MemorySegment control, long controllen) {
            MemorySegment m = msghdr.allocate(arena);
            msghdr.msg_iov(m, iov);
            msghdr.msg_iovlen(m, 1);
            msghdr.msg_control(m, control);
            msghdr.msg_controllen(m, controllen);
            return m;
        }

        @Override long msgControllen(MemorySegment msg) { return msghdr.msg_controllen(msg); }
        @Override int msgFlags(MemorySegment msg) { return msghdr.msg_flags(msg); }
        @Override long cmsgHeaderSize() { return cmsghdr.sizeof(); }
        @Override long cmsgAlign(long n) { return cmsghdr.CMSG_ALIGN(n); }

        @Override
        void cmsgHeader(MemorySegment control, long offset, long len, int level, int type) {
            MemorySegment h = control.asSlice(offset, cmsghdr.sizeof());
            cmsghdr.cmsg_len(h, len);
            cmsghdr.cmsg_level(h, level);
            cmsghdr.cmsg_type(h, type);
        }

        @Override long cmsgLenAt(MemorySegment c, long off) { return cmsghdr.cmsg_len(c.asSlice(off, cmsghdr.sizeof())); }
        @Override int cmsgLevelAt(MemorySegment c, long off) { return cmsghdr.cmsg_level(c.asSlice(off, cmsghdr.sizeof())); }
        @Override int cmsgTypeAt(MemorySegment c, long off) { return cmsghdr.cmsg_type(c.asSlice(off, cmsghdr.sizeof())); }
    }

    static final class FreeBsd extends SocketAbi {
        private static final Map<Integer, String> ERRNO = Map.ofEntries(
                Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(4, "EINTR"), Map.entry(9, "EBADF"),
                Map.entry(13, "EACCES"), Map.entry(17, "EEXIST"), Map.entry(20, "ENOTDIR"), Map.entry(22, "EINVAL"),
                Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"), Map.entry(28, "ENOSPC"), Map.entry(30, "EROFS"),
                Map.entry(32, "EPIPE"), Map.entry(35, "EAGAIN"), Map.entry(36, "EINPROGRESS"),
                Map.entry(38, "ENOTSOCK"), Map.entry(40, "EMSGSIZE"), Map.entry(48, "EADDRINUSE"),
                Map.entry(53, "ECONNABORTED"), Map.entry(54, "ECONNRESET"), Map.entry(55, "ENOBUFS"),
                Map.entry(56, "EISCONN"), Map.entry(57, "ENOTCONN"), Map.entry(59, "ETOOMANYREFS"),
                Map.entry(60, "ETIMEDOUT"), Map.entry(61, "ECONNREFUSED"), Map.entry(63, "ENAMETOOLONG"));

        @Override String os() { return "FreeBSD"; }
        @Override int SOL_SOCKET() { return org.jbhyve.bindings.freebsd.socket.socket_h.SOL_SOCKET; }
        @Override int SOCK_CLOEXEC() { return 0x10000000; }
        @Override int SOCK_NONBLOCK() { return 0x20000000; }
        @Override int MSG_DONTWAIT() { return 0x80; }
        @Override int MSG_NOSIGNAL() { return 0x20000; }
        @Override int MSG_CMSG_CLOEXEC() { return 0x40000; }
        @Override int MSG_CTRUNC() { return 0x20; }
        @Override int EAGAIN() { return 35; }
        @Override int EINPROGRESS() { return 36; }
        @Override int ECONNREFUSED() { return 61; }
        @Override int EADDRINUSE() { return 48; }
        @Override int ECONNABORTED() { return 53; }
        @Override Map<Integer, String> errnoNames() { return ERRNO; }

        @Override int sunPathSize() { return org.jbhyve.bindings.freebsd.socket.socket_h.SUN_PATH_SIZE; }

        @Override
        MemorySegment sockaddrUn(Arena arena, byte[] path) {
            MemorySegment sa = org.jbhyve.bindings.freebsd.socket.sockaddr_un.allocate(arena);
            org.jbhyve.bindings.freebsd.socket.sockaddr_un.sun_len(sa, (byte) sockaddrUnLength(path));
            org.jbhyve.bindings.freebsd.socket.sockaddr_un.sun_family(sa, (byte) AF_UNIX);
            MemorySegment.copy(path, 0, org.jbhyve.bindings.freebsd.socket.sockaddr_un.sun_path(sa),
                    ValueLayout.JAVA_BYTE, 0, path.length);
            return sa;
        }

        @Override
        int sockaddrUnLength(byte[] path) {
            // SUN_LEN plus the NUL, which the kernel accepts and which keeps the path terminated
            return (int) org.jbhyve.bindings.freebsd.socket.sockaddr_un.sun_path$offset() + path.length + 1;
        }

        @Override
        MemorySegment msghdr(Arena arena, MemorySegment iov, MemorySegment control, long controllen) {
            MemorySegment m = org.jbhyve.bindings.freebsd.socket.msghdr.allocate(arena);
            org.jbhyve.bindings.freebsd.socket.msghdr.msg_iov(m, iov);
            org.jbhyve.bindings.freebsd.socket.msghdr.msg_iovlen(m, 1);
            org.jbhyve.bindings.freebsd.socket.msghdr.msg_control(m, control);
            org.jbhyve.bindings.freebsd.socket.msghdr.msg_controllen(m, (int) controllen);
            return m;
        }

        @Override
        long msgControllen(MemorySegment msg) {
            return Integer.toUnsignedLong(org.jbhyve.bindings.freebsd.socket.msghdr.msg_controllen(msg));
        }

        @Override int msgFlags(MemorySegment msg) { return org.jbhyve.bindings.freebsd.socket.msghdr.msg_flags(msg); }
        @Override long cmsgHeaderSize() { return org.jbhyve.bindings.freebsd.socket.cmsghdr.sizeof(); }
        @Override long cmsgAlign(long n) { return org.jbhyve.bindings.freebsd.socket.socket_h.CMSG_ALIGN(n); }

        @Override
        void cmsgHeader(MemorySegment control, long offset, long len, int level, int type) {
            MemorySegment h = control.asSlice(offset, cmsgHeaderSize());
            org.jbhyve.bindings.freebsd.socket.cmsghdr.cmsg_len(h, (int) len);
            org.jbhyve.bindings.freebsd.socket.cmsghdr.cmsg_level(h, level);
            org.jbhyve.bindings.freebsd.socket.cmsghdr.cmsg_type(h, type);
        }

        @Override
        long cmsgLenAt(MemorySegment c, long off) {
            return Integer.toUnsignedLong(org.jbhyve.bindings.freebsd.socket.cmsghdr.cmsg_len(c.asSlice(off, cmsgHeaderSize())));
        }

        @Override
        int cmsgLevelAt(MemorySegment c, long off) {
            return org.jbhyve.bindings.freebsd.socket.cmsghdr.cmsg_level(c.asSlice(off, cmsgHeaderSize()));
        }

        @Override
        int cmsgTypeAt(MemorySegment c, long off) {
            return org.jbhyve.bindings.freebsd.socket.cmsghdr.cmsg_type(c.asSlice(off, cmsgHeaderSize()));
        }
    }
}
