package org.jbhyve.bindings.freebsd.socket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * FreeBSD amd64 socket structures against shared/reference/freebsd-bhyve.md section 1c:
 * "cmsghdr: len u32, level i32, type i32; data at +16. CMSG_LEN(4) = 20, CMSG_SPACE(4) = 24.
 * SOL_SOCKET = 0xffff, SCM_RIGHTS = 1. sockaddr_un: u8 sun_len, u8 sun_family (AF_UNIX = 1), char
 * sun_path[104]. msghdr is 48 bytes: name@0, namelen@8, iov@16, iovlen@24, control@32,
 * controllen@40, flags@44."
 */
class SocketStructsTest {

    static Stream<Arguments> offsets() {
        return Stream.of(
                arguments("cmsghdr.cmsg_len", cmsghdr.cmsg_len$offset(), 0),
                arguments("cmsghdr.cmsg_level", cmsghdr.cmsg_level$offset(), 4),
                arguments("cmsghdr.cmsg_type", cmsghdr.cmsg_type$offset(), 8),
                arguments("sockaddr_un.sun_len", sockaddr_un.sun_len$offset(), 0),
                arguments("sockaddr_un.sun_family", sockaddr_un.sun_family$offset(), 1),
                arguments("sockaddr_un.sun_path", sockaddr_un.sun_path$offset(), 2),
                arguments("msghdr.msg_name", msghdr.msg_name$offset(), 0),
                arguments("msghdr.msg_namelen", msghdr.msg_namelen$offset(), 8),
                arguments("msghdr.msg_iov", msghdr.msg_iov$offset(), 16),
                arguments("msghdr.msg_iovlen", msghdr.msg_iovlen$offset(), 24),
                arguments("msghdr.msg_control", msghdr.msg_control$offset(), 32),
                arguments("msghdr.msg_controllen", msghdr.msg_controllen$offset(), 40),
                arguments("msghdr.msg_flags", msghdr.msg_flags$offset(), 44),
                // not in the reference: the amd64 iovec {void *iov_base; size_t iov_len}
                arguments("iovec.iov_base", iovec.iov_base$offset(), 0),
                arguments("iovec.iov_len", iovec.iov_len$offset(), 8));
    }

    @ParameterizedTest(name = "{0} @ {2}")
    @MethodSource("offsets")
    void offsetMatchesTheReference(String field, long actual, long expected) {
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void sizes() {
        assertThat(msghdr.sizeof()).isEqualTo(48);
        assertThat(cmsghdr.sizeof()).isEqualTo(12);                 // three 4-byte fields
        assertThat(sockaddr_un.sizeof()).isEqualTo(1 + 1 + 104);
        assertThat(sockaddr_un.sun_path$layout().byteSize()).isEqualTo(104).isEqualTo(socket_h.SUN_PATH_SIZE);
        assertThat(iovec.sizeof()).isEqualTo(16);
    }

    @Test
    void constantsAndCmsgMacros() {
        assertThat(socket_h.SOL_SOCKET).isEqualTo(0xffff);
        assertThat(socket_h.SCM_RIGHTS).isEqualTo(1);
        assertThat(socket_h.AF_UNIX).isEqualTo(1);
        assertThat(socket_h.CMSG_DATA_OFFSET).isEqualTo(16);
        assertThat(socket_h.CMSG_LEN(Integer.BYTES)).isEqualTo(20);
        assertThat(socket_h.CMSG_SPACE(Integer.BYTES)).isEqualTo(24);
        assertThat(socket_h.CMSG_SPACE(2 * Integer.BYTES)).isEqualTo(24);
        assertThat(socket_h.CMSG_SPACE(3 * Integer.BYTES)).isEqualTo(32);
    }

    /** Not in the reference: FreeBSD's sys/socket.h (regenerate.sh compares them on a FreeBSD host). */
    @Test
    void socketAndMessageFlags() {
        // sys/socket.h: "#define AF_INET 2", "#define AF_INET6 28", "#define SOCK_DGRAM 2"
        assertThat(socket_h.AF_INET).isEqualTo(2);
        assertThat(socket_h.AF_INET6).isEqualTo(28);
        assertThat(socket_h.SOCK_DGRAM).isEqualTo(2).isEqualTo(org.jbhyve.bindings.libc.libc_h.SOCK_DGRAM);
        assertThat(org.jbhyve.bindings.libc.libc_h.SOCK_SEQPACKET).as("FreeBSD: #define SOCK_SEQPACKET 5").isEqualTo(5);
        assertThat(socket_h.SOCK_CLOEXEC).isEqualTo(0x10000000);
        assertThat(socket_h.SOCK_NONBLOCK).isEqualTo(0x20000000);
        assertThat(socket_h.MSG_CTRUNC).isEqualTo(0x20);
        assertThat(socket_h.MSG_DONTWAIT).isEqualTo(0x80);
        assertThat(socket_h.MSG_NOSIGNAL).isEqualTo(0x20000);
        assertThat(socket_h.MSG_CMSG_CLOEXEC).isEqualTo(0x40000);
    }

    @Test
    void buildsAnScmRightsMessageLikeLibnvFdSend() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(socket_h.CMSG_SPACE(Integer.BYTES), 8);
            cmsghdr.cmsg_len(control, (int) socket_h.CMSG_LEN(Integer.BYTES));
            cmsghdr.cmsg_level(control, socket_h.SOL_SOCKET);
            cmsghdr.cmsg_type(control, socket_h.SCM_RIGHTS);
            socket_h.CMSG_DATA(control).set(ValueLayout.JAVA_INT, 0, 42);

            assertThat(control.get(ValueLayout.JAVA_INT, 0)).isEqualTo(20);
            assertThat(control.get(ValueLayout.JAVA_INT, 4)).isEqualTo(0xffff);
            assertThat(control.get(ValueLayout.JAVA_INT, 8)).isEqualTo(1);
            assertThat(control.get(ValueLayout.JAVA_INT, 16)).isEqualTo(42);

            MemorySegment addr = sockaddr_un.allocate(arena);
            sockaddr_un.sun_family(addr, (byte) socket_h.AF_UNIX);
            sockaddr_un.sun_len(addr, (byte) sockaddr_un.sizeof());
            sockaddr_un.sun_path(addr).setString(0, "/var/run/bhyve/vm1");
            assertThat(addr.get(ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 1);
            assertThat(addr.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 106);
            assertThat(addr.asSlice(2).getString(0)).isEqualTo("/var/run/bhyve/vm1");

            MemorySegment msg = msghdr.allocate(arena);
            msghdr.msg_control(msg, control);
            msghdr.msg_controllen(msg, (int) control.byteSize());
            assertThat(msg.get(ValueLayout.JAVA_LONG, 32)).isEqualTo(control.address());
            assertThat(msg.get(ValueLayout.JAVA_INT, 40)).isEqualTo(24);
        }
    }
}
