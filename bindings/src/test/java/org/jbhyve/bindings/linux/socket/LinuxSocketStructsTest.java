package org.jbhyve.bindings.linux.socket;

import org.jbhyve.bindings.libc.libc_h;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux x86-64 socket structures against the known glibc values (msghdr 56 bytes: name@0 namelen@8
 * iov@16 iovlen@24 control@32 controllen@40 flags@48; cmsghdr len@0 level@8 type@12 data@16,
 * CMSG_SPACE(4) = 24, CMSG_LEN(4) = 20; sockaddr_un family u16 and path[108]; SOL_SOCKET = 1,
 * SCM_RIGHTS = 1). LinuxLayoutTest checks the same classes against the installed headers with gcc.
 */
class LinuxSocketStructsTest {

    @Test
    void layoutsMatchTheKnownValues() {
        assertThat(msghdr.sizeof()).isEqualTo(56);
        assertThat(new long[] {msghdr.msg_name$offset(), msghdr.msg_namelen$offset(), msghdr.msg_iov$offset(),
                msghdr.msg_iovlen$offset(), msghdr.msg_control$offset(), msghdr.msg_controllen$offset(),
                msghdr.msg_flags$offset()}).containsExactly(0, 8, 16, 24, 32, 40, 48);
        assertThat(msghdr.layout().byteOffset(MemoryLayout.PathElement.groupElement("msg_flags"))).isEqualTo(48);
        assertThat(cmsghdr.sizeof()).isEqualTo(16);
        assertThat(new long[] {cmsghdr.cmsg_len$offset(), cmsghdr.cmsg_level$offset(), cmsghdr.cmsg_type$offset()})
                .containsExactly(0, 8, 12);
        assertThat(socket_h.CMSG_LEN(4)).isEqualTo(20);
        assertThat(socket_h.CMSG_SPACE(4)).isEqualTo(24);
        assertThat(sockaddr_un.sizeof()).isEqualTo(110);
        assertThat(sockaddr_un.sun_path$offset()).isEqualTo(2);
        assertThat(iovec.sizeof()).isEqualTo(16);
    }

    @Test
    void constantsAndCmsgMacros() {
        assertThat(libc_h.SOL_SOCKET).isEqualTo(1);
        assertThat(libc_h.SCM_RIGHTS).isEqualTo(1);
        assertThat(libc_h.AF_UNIX).isEqualTo(1);
        assertThat(socket_h.SUN_PATH_SIZE).isEqualTo(108).isEqualTo(sockaddr_un.sun_path(sockaddr_un.allocate(Arena.ofAuto())).byteSize());
        assertThat(socket_h.CMSG_DATA_OFFSET).isEqualTo(16);
        assertThat(socket_h.CMSG_SPACE(2 * Integer.BYTES)).isEqualTo(24);
        assertThat(socket_h.CMSG_SPACE(3 * Integer.BYTES)).isEqualTo(32);
    }

    @Test
    void buildsAnScmRightsMessage() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(socket_h.CMSG_SPACE(Integer.BYTES), 8);
            cmsghdr.cmsg_len(control, socket_h.CMSG_LEN(Integer.BYTES));
            cmsghdr.cmsg_level(control, libc_h.SOL_SOCKET);
            cmsghdr.cmsg_type(control, libc_h.SCM_RIGHTS);
            socket_h.CMSG_DATA(control).set(ValueLayout.JAVA_INT, 0, 42);

            assertThat(control.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(20);
            assertThat(control.get(ValueLayout.JAVA_INT, 8)).isEqualTo(1);
            assertThat(control.get(ValueLayout.JAVA_INT, 12)).isEqualTo(1);
            assertThat(control.get(ValueLayout.JAVA_INT, 16)).isEqualTo(42);

            MemorySegment addr = sockaddr_un.allocate(arena);
            sockaddr_un.sun_family(addr, (short) libc_h.AF_UNIX);
            sockaddr_un.sun_path(addr).setString(0, "/var/run/bhyve/vm1");
            assertThat(addr.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) 1);
            assertThat(addr.asSlice(2).getString(0)).isEqualTo("/var/run/bhyve/vm1");

            MemorySegment iov = iovec.allocate(arena);
            iovec.iov_base(iov, control);
            iovec.iov_len(iov, 1);
            MemorySegment msg = msghdr.allocate(arena);
            msghdr.msg_iov(msg, iov);
            msghdr.msg_iovlen(msg, 1);
            msghdr.msg_control(msg, control);
            msghdr.msg_controllen(msg, control.byteSize());
            msghdr.msg_flags(msg, libc_h.MSG_CTRUNC);
            assertThat(msg.get(ValueLayout.JAVA_LONG, 16)).isEqualTo(iov.address());
            assertThat(msg.get(ValueLayout.JAVA_LONG, 24)).isEqualTo(1);
            assertThat(msg.get(ValueLayout.JAVA_LONG, 32)).isEqualTo(control.address());
            assertThat(msg.get(ValueLayout.JAVA_LONG, 40)).isEqualTo(24);
            assertThat(msg.get(ValueLayout.JAVA_INT, 48)).isEqualTo(8);
            assertThat(msghdr.msg_controllen(msg)).isEqualTo(24);
            assertThat(msghdr.msg_flags(msg)).isEqualTo(8);
            assertThat(iovec.iov_base(iov).address()).isEqualTo(control.address());
            assertThat(iovec.iov_len(iov)).isEqualTo(1);
        }
    }
}
