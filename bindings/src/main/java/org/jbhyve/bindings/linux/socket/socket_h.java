// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (the constants, and CMSG_LEN/CMSG_SPACE for a range of
// lengths, from a compiled C program).
package org.jbhyve.bindings.linux.socket;

import java.lang.foreign.MemorySegment;

/**
 * Linux x86-64 {@code sys/socket.h} and {@code sys/un.h} facts the checkpoint socket needs beyond the
 * constants in {@link org.jbhyve.bindings.libc.libc_h} ({@code AF_UNIX}, {@code SOL_SOCKET},
 * {@code SCM_RIGHTS}, {@code SOCK_*}, {@code MSG_*}): the {@code sun_path} size and the {@code CMSG_*}
 * macros, which jextract cannot generate (they are function-like). The FreeBSD counterpart is
 * {@link org.jbhyve.bindings.freebsd.socket.socket_h}.
 */
public final class socket_h {
    private socket_h() {}

    /** Bytes in {@code sockaddr_un.sun_path}. */
    public static final int SUN_PATH_SIZE = 108;

    /** Control-message alignment: {@code sizeof(size_t)}. */
    public static final long CMSG_ALIGNMENT = 8;

    /** {@code CMSG_ALIGN(n)}: {@code n} rounded up to 8. */
    public static long CMSG_ALIGN(long n) {
        return (n + CMSG_ALIGNMENT - 1) & ~(CMSG_ALIGNMENT - 1);
    }

    /** Offset of a control message's data from its header: {@code CMSG_ALIGN(sizeof(struct cmsghdr))} = 16. */
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
