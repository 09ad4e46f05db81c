package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.freebsd.libc.errno_h;
import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-OS socket ABI of this package. The structures and constants themselves are bindings' and are
 * checked there (bindings' LinuxSocketStructsTest and LinuxLayoutTest, against glibc's headers, and
 * SocketStructsTest/FreeBsdLibcConstantsTest for FreeBSD); here, that each ABI hands out those values.
 */
class SocketAbiTest {

    @Test
    void theAbiIsChosenByOs() {
        SocketAbi abi = SocketAbi.current();
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(abi).isInstanceOf(SocketAbi.Linux.class);
            assertThat(abi.SOL_SOCKET()).isEqualTo(1);
            assertThat(abi.sunPathSize()).isEqualTo(108);
        }
        SocketAbi bsd = new SocketAbi.FreeBsd();
        assertThat(bsd.SOL_SOCKET()).isEqualTo(0xffff);
        assertThat(bsd.cmsgLen(4)).isEqualTo(20);
        assertThat(bsd.cmsgSpace(4)).isEqualTo(24);
        assertThat(bsd.cmsgDataOffset()).isEqualTo(16);
        assertThat(bsd.sunPathSize()).isEqualTo(104);
        assertThat(new SocketAbi.Linux().cmsgSpace(4)).isEqualTo(24);
        assertThat(bsd.describe(61)).isEqualTo("ECONNREFUSED (connection refused)");
        assertThat(new SocketAbi.Linux().describe(111)).isEqualTo("ECONNREFUSED (connection refused)");
    }

    /** Linux's values are the bindings' ones, which LinuxLayoutTest compares with glibc's headers. */
    @Test
    void linuxValuesAreTheBindingsOnes() {
        SocketAbi linux = new SocketAbi.Linux();
        assertThat(new int[] {linux.SOL_SOCKET(), linux.SOCK_CLOEXEC(), linux.SOCK_NONBLOCK(), linux.MSG_DONTWAIT(),
                linux.MSG_NOSIGNAL(), linux.MSG_CMSG_CLOEXEC(), linux.MSG_CTRUNC()})
                .containsExactly(libc_h.SOL_SOCKET, libc_h.SOCK_CLOEXEC, libc_h.SOCK_NONBLOCK, libc_h.MSG_DONTWAIT,
                        libc_h.MSG_NOSIGNAL, libc_h.MSG_CMSG_CLOEXEC, libc_h.MSG_CTRUNC)
                .containsExactly(1, 0x80000, 0x800, 0x40, 0x4000, 0x40000000, 0x8);
        assertThat(new int[] {linux.EAGAIN(), linux.EINPROGRESS(), linux.ECONNREFUSED(), linux.EADDRINUSE(),
                linux.ECONNABORTED()})
                .containsExactly(Errno.EAGAIN, Errno.EINPROGRESS, Errno.ECONNREFUSED, Errno.EADDRINUSE, Errno.ECONNABORTED)
                .containsExactly(11, 115, 111, 98, 103);
        assertThat(linux.cmsgHeaderSize()).isEqualTo(16);
        assertThat(linux.cmsgDataOffset()).isEqualTo(16);
        assertThat(linux.cmsgLen(4)).isEqualTo(20);
        assertThat(linux.errnoNames()).hasSize(27).containsEntry(115, "EINPROGRESS").containsEntry(11, "EAGAIN");
    }

    @Test
    void freeBsdValuesAreTheBindingsOnes() {
        SocketAbi bsd = new SocketAbi.FreeBsd();
        assertThat(new int[] {bsd.SOL_SOCKET(), bsd.SOCK_CLOEXEC(), bsd.SOCK_NONBLOCK(), bsd.MSG_DONTWAIT(),
                bsd.MSG_NOSIGNAL(), bsd.MSG_CMSG_CLOEXEC(), bsd.MSG_CTRUNC()})
                .containsExactly(0xffff, 0x10000000, 0x20000000, 0x80, 0x20000, 0x40000, 0x20);
        assertThat(new int[] {bsd.EAGAIN(), bsd.EINPROGRESS(), bsd.ECONNREFUSED(), bsd.EADDRINUSE(), bsd.ECONNABORTED()})
                .containsExactly(errno_h.EAGAIN, errno_h.EINPROGRESS, errno_h.ECONNREFUSED, errno_h.EADDRINUSE,
                        errno_h.ECONNABORTED)
                .containsExactly(35, 36, 61, 48, 53);
        assertThat(bsd.errnoNames()).hasSize(27).containsEntry(36, "EINPROGRESS").containsEntry(63, "ENAMETOOLONG");
    }
}
