package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.freebsd.libc.errno_h;
import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.linux.socket.cmsghdr;
import org.jbhyve.bindings.linux.socket.msghdr;
import org.jbhyve.bindings.linux.socket.sockaddr_un;
import org.jbhyve.bindings.linux.socket.socket_h;

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
 * <p>All values come from bindings. Linux's (x86-64 glibc) from {@code libc_h}, {@code Errno} and
 * {@code org.jbhyve.bindings.linux.socket}; FreeBSD's from {@code org.jbhyve.bindings.freebsd.socket}
 * (pinned to shared/reference/freebsd-bhyve.md 1c) and {@code org.jbhyve.bindings.freebsd.libc.errno_h}.
 * What is the same on both ({@code AF_UNIX}, {@code SOCK_STREAM}, {@code SCM_RIGHTS},
 * {@code SHUT_RDWR}, {@code EINTR}, {@code ENOENT}) the callers take from {@code libc_h} and
 * {@code Errno} directly.
 */
abstract sealed class SocketAbi permits SocketAbi.Linux, SocketAbi.FreeBsd {

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
                Map.entry(Errno.EPERM, "EPERM"), Map.entry(Errno.ENOENT, "ENOENT"), Map.entry(Errno.EINTR, "EINTR"),
                Map.entry(Errno.EBADF, "EBADF"), Map.entry(Errno.EAGAIN, "EAGAIN"), Map.entry(Errno.EACCES, "EACCES"),
                Map.entry(Errno.EEXIST, "EEXIST"), Map.entry(Errno.ENOTDIR, "ENOTDIR"), Map.entry(Errno.EINVAL, "EINVAL"),
                Map.entry(Errno.ENFILE, "ENFILE"), Map.entry(Errno.EMFILE, "EMFILE"), Map.entry(Errno.ENOSPC, "ENOSPC"),
                Map.entry(Errno.EROFS, "EROFS"), Map.entry(Errno.EPIPE, "EPIPE"),
                Map.entry(Errno.ENAMETOOLONG, "ENAMETOOLONG"), Map.entry(Errno.ENOTSOCK, "ENOTSOCK"),
                Map.entry(Errno.EMSGSIZE, "EMSGSIZE"), Map.entry(Errno.EADDRINUSE, "EADDRINUSE"),
                Map.entry(Errno.ECONNABORTED, "ECONNABORTED"), Map.entry(Errno.ECONNRESET, "ECONNRESET"),
                Map.entry(Errno.ENOBUFS, "ENOBUFS"), Map.entry(Errno.EISCONN, "EISCONN"),
                Map.entry(Errno.ENOTCONN, "ENOTCONN"), Map.entry(Errno.ETOOMANYREFS, "ETOOMANYREFS"),
                Map.entry(Errno.ETIMEDOUT, "ETIMEDOUT"), Map.entry(Errno.ECONNREFUSED, "ECONNREFUSED"),
                Map.entry(Errno.EINPROGRESS, "EINPROGRESS"));

        @Override String os() { return "Linux"; }
        @Override int SOL_SOCKET() { return libc_h.SOL_SOCKET; }
        @Override int SOCK_CLOEXEC() { return libc_h.SOCK_CLOEXEC; }
        @Override int SOCK_NONBLOCK() { return libc_h.SOCK_NONBLOCK; }
        @Override int MSG_DONTWAIT() { return libc_h.MSG_DONTWAIT; }
        @Override int MSG_NOSIGNAL() { return libc_h.MSG_NOSIGNAL; }
        @Override int MSG_CMSG_CLOEXEC() { return libc_h.MSG_CMSG_CLOEXEC; }
        @Override int MSG_CTRUNC() { return libc_h.MSG_CTRUNC; }
        @Override int EAGAIN() { return Errno.EAGAIN; }
        @Override int EINPROGRESS() { return Errno.EINPROGRESS; }
        @Override int ECONNREFUSED() { return Errno.ECONNREFUSED; }
        @Override int EADDRINUSE() { return Errno.EADDRINUSE; }
        @Override int ECONNABORTED() { return Errno.ECONNABORTED; }
        @Override Map<Integer, String> errnoNames() { return ERRNO; }

        @Override int sunPathSize() { return socket_h.SUN_PATH_SIZE; }

        @Override
        MemorySegment sockaddrUn(Arena arena, byte[] path) {
            MemorySegment sa = sockaddr_un.allocate(arena);
            sockaddr_un.sun_family(sa, (short) libc_h.AF_UNIX);
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
        @Override long cmsgAlign(long n) { return socket_h.CMSG_ALIGN(n); }

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
                Map.entry(errno_h.EPERM, "EPERM"), Map.entry(errno_h.ENOENT, "ENOENT"),
                Map.entry(errno_h.EINTR, "EINTR"), Map.entry(errno_h.EBADF, "EBADF"),
                Map.entry(errno_h.EACCES, "EACCES"), Map.entry(errno_h.EEXIST, "EEXIST"),
                Map.entry(errno_h.ENOTDIR, "ENOTDIR"), Map.entry(errno_h.EINVAL, "EINVAL"),
                Map.entry(errno_h.ENFILE, "ENFILE"), Map.entry(errno_h.EMFILE, "EMFILE"),
                Map.entry(errno_h.ENOSPC, "ENOSPC"), Map.entry(errno_h.EROFS, "EROFS"),
                Map.entry(errno_h.EPIPE, "EPIPE"), Map.entry(errno_h.EAGAIN, "EAGAIN"),
                Map.entry(errno_h.EINPROGRESS, "EINPROGRESS"), Map.entry(errno_h.ENOTSOCK, "ENOTSOCK"),
                Map.entry(errno_h.EMSGSIZE, "EMSGSIZE"), Map.entry(errno_h.EADDRINUSE, "EADDRINUSE"),
                Map.entry(errno_h.ECONNABORTED, "ECONNABORTED"), Map.entry(errno_h.ECONNRESET, "ECONNRESET"),
                Map.entry(errno_h.ENOBUFS, "ENOBUFS"), Map.entry(errno_h.EISCONN, "EISCONN"),
                Map.entry(errno_h.ENOTCONN, "ENOTCONN"), Map.entry(errno_h.ETOOMANYREFS, "ETOOMANYREFS"),
                Map.entry(errno_h.ETIMEDOUT, "ETIMEDOUT"), Map.entry(errno_h.ECONNREFUSED, "ECONNREFUSED"),
                Map.entry(errno_h.ENAMETOOLONG, "ENAMETOOLONG"));

        @Override String os() { return "FreeBSD"; }
        @Override int SOL_SOCKET() { return org.jbhyve.bindings.freebsd.socket.socket_h.SOL_SOCKET; }
        @Override int SOCK_CLOEXEC() { return org.jbhyve.bindings.freebsd.socket.socket_h.SOCK_CLOEXEC; }
        @Override int SOCK_NONBLOCK() { return org.jbhyve.bindings.freebsd.socket.socket_h.SOCK_NONBLOCK; }
        @Override int MSG_DONTWAIT() { return org.jbhyve.bindings.freebsd.socket.socket_h.MSG_DONTWAIT; }
        @Override int MSG_NOSIGNAL() { return org.jbhyve.bindings.freebsd.socket.socket_h.MSG_NOSIGNAL; }
        @Override int MSG_CMSG_CLOEXEC() { return org.jbhyve.bindings.freebsd.socket.socket_h.MSG_CMSG_CLOEXEC; }
        @Override int MSG_CTRUNC() { return org.jbhyve.bindings.freebsd.socket.socket_h.MSG_CTRUNC; }
        @Override int EAGAIN() { return errno_h.EAGAIN; }
        @Override int EINPROGRESS() { return errno_h.EINPROGRESS; }
        @Override int ECONNREFUSED() { return errno_h.ECONNREFUSED; }
        @Override int EADDRINUSE() { return errno_h.EADDRINUSE; }
        @Override int ECONNABORTED() { return errno_h.ECONNABORTED; }
        @Override Map<Integer, String> errnoNames() { return ERRNO; }

        @Override int sunPathSize() { return org.jbhyve.bindings.freebsd.socket.socket_h.SUN_PATH_SIZE; }

        @Override
        MemorySegment sockaddrUn(Arena arena, byte[] path) {
            MemorySegment sa = org.jbhyve.bindings.freebsd.socket.sockaddr_un.allocate(arena);
            org.jbhyve.bindings.freebsd.socket.sockaddr_un.sun_len(sa, (byte) sockaddrUnLength(path));
            org.jbhyve.bindings.freebsd.socket.sockaddr_un.sun_family(sa, (byte) org.jbhyve.bindings.freebsd.socket.socket_h.AF_UNIX);
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
