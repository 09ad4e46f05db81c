// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 sys/socket.h and sys/un.h facts needed to pass descriptors over the bhyve
// checkpoint socket; pinned by SocketStructsTest against shared/reference/freebsd-bhyve.md, 1c.

package org.jbhyve.bindings.freebsd.socket;

import java.lang.foreign.MemorySegment;

/**
 * FreeBSD socket constants and the {@code CMSG_*} macros, which jextract cannot generate
 * (they are function-like). The values differ from Linux: {@code SOL_SOCKET} is 0xffff (Linux: 1),
 * {@code sockaddr_un} starts with a length byte, and {@link msghdr} has 32-bit
 * {@code msg_iovlen}/{@code msg_controllen}.
 *
 * <p>Reference: {@code shared/reference/freebsd-bhyve.md} section 1c.
 */
public class socket_h {

    socket_h() {
        // Should not be called directly
    }

    /** Unix-domain sockets. */
    public static final int AF_UNIX = 1;
    /** Same value as {@link #AF_UNIX}. */
    public static final int PF_UNIX = AF_UNIX;
    /** Socket-level options and control messages. */
    public static final int SOL_SOCKET = 0xffff;
    /** Control message carrying descriptors ({@code int[]}). */
    public static final int SCM_RIGHTS = 1;

    // Not in the reference: from FreeBSD's sys/socket.h (AF_UNIX, SOCK_STREAM and SHUT_* are the same
    // as Linux's and are in org.jbhyve.bindings.libc.libc_h).
    /** IPv4, for a socket to carry interface ioctls ({@code SIOCGIFFLAGS}); the same number as Linux's. */
    public static final int AF_INET = 2;
    /** IPv6 (Linux: 10). */
    public static final int AF_INET6 = 28;
    /** Datagram sockets; the same number as Linux's. */
    public static final int SOCK_DGRAM = 2;
    /** {@code socket}/{@code socketpair}/{@code accept4} type flag: close on exec (Linux: 0x80000). */
    public static final int SOCK_CLOEXEC = 0x10000000;
    /** {@code socket}/{@code socketpair}/{@code accept4} type flag: non-blocking (Linux: 0x800). */
    public static final int SOCK_NONBLOCK = 0x20000000;
    /** {@code msg_flags}: control data was truncated (Linux: 0x8). */
    public static final int MSG_CTRUNC = 0x20;
    /** Send/receive flag: do not block (Linux: 0x40). */
    public static final int MSG_DONTWAIT = 0x80;
    /** Send flag: no SIGPIPE on a closed peer (Linux: 0x4000). */
    public static final int MSG_NOSIGNAL = 0x20000;
    /** {@code recvmsg} flag: received descriptors are close-on-exec (Linux: 0x40000000). */
    public static final int MSG_CMSG_CLOEXEC = 0x40000;

    /** Bytes in {@code sockaddr_un.sun_path}. */
    public static final int SUN_PATH_SIZE = 104;

    /** Control-message alignment: {@code sizeof(long)} on amd64 ({@code _ALIGNBYTES + 1}). */
    public static final long CMSG_ALIGNMENT = 8;

    /** {@code _ALIGN(n)} as the {@code CMSG_*} macros use it: {@code n} rounded up to 8. */
    public static long CMSG_ALIGN(long n) {
        return (n + CMSG_ALIGNMENT - 1) & ~(CMSG_ALIGNMENT - 1);
    }

    /** Offset of a control message's data from its header: {@code _ALIGN(sizeof(struct cmsghdr))} = 16. */
    public static final long CMSG_DATA_OFFSET = CMSG_ALIGN(cmsghdr.sizeof());

    /** {@code CMSG_LEN(l)}: the {@code cmsg_len} for {@code l} data bytes, e.g. 20 for one descriptor. */
    public static long CMSG_LEN(long l) {
        return CMSG_DATA_OFFSET + l;
    }

    /** {@code CMSG_SPACE(l)}: buffer bytes one message with {@code l} data bytes takes, e.g. 24 for one descriptor. */
    public static long CMSG_SPACE(long l) {
        return CMSG_DATA_OFFSET + CMSG_ALIGN(l);
    }

    /** {@code CMSG_DATA(cmsg)}: the data of the control message at the start of {@code cmsg}. */
    public static MemorySegment CMSG_DATA(MemorySegment cmsg) {
        return cmsg.asSlice(CMSG_DATA_OFFSET);
    }
}
