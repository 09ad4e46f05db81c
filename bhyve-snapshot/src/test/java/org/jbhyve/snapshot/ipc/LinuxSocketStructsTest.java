package org.jbhyve.snapshot.ipc;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux x86-64 socket structures of this package: the sizes and offsets of the brief
 * (msghdr 56 bytes: name@0 namelen@8 iov@16 iovlen@24 control@32 controllen@40 flags@48; cmsghdr
 * len@0 level@8 type@12 data@16, CMSG_SPACE(4) = 24, CMSG_LEN(4) = 20; sockaddr_un family u16 and
 * path[108]; SOL_SOCKET = 1, SCM_RIGHTS = 1), and, where gcc is installed, what glibc's headers say.
 */
class LinuxSocketStructsTest {

    @Test
    void layoutsMatchTheKnownValues() {
        assertThat(msghdr.sizeof()).isEqualTo(56);
        assertThat(new long[] {msghdr.msg_name$offset(), msghdr.msg_namelen$offset(), msghdr.msg_iov$offset(),
                msghdr.msg_iovlen$offset(), msghdr.msg_control$offset(), msghdr.msg_controllen$offset(),
                msghdr.msg_flags$offset()}).containsExactly(0, 8, 16, 24, 32, 40, 48);
        assertThat(msghdr.layout().byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("msg_flags"))).isEqualTo(48);
        assertThat(cmsghdr.sizeof()).isEqualTo(16);
        assertThat(new long[] {cmsghdr.cmsg_len$offset(), cmsghdr.cmsg_level$offset(), cmsghdr.cmsg_type$offset()})
                .containsExactly(0, 8, 12);
        assertThat(cmsghdr.CMSG_LEN(4)).isEqualTo(20);
        assertThat(cmsghdr.CMSG_SPACE(4)).isEqualTo(24);
        assertThat(sockaddr_un.sizeof()).isEqualTo(110);
        assertThat(sockaddr_un.sun_path$offset()).isEqualTo(2);
        assertThat(iovec.sizeof()).isEqualTo(16);
    }

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

    @Test
    void layoutsMatchGlibcHeaders(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed");
        Path c = dir.resolve("structs.c");
        Files.writeString(c, """
                #include <stddef.h>
                #include <stdio.h>
                #include <sys/socket.h>
                #include <sys/un.h>
                #include <sys/uio.h>
                int main(void) {
                    printf("%zu %zu %zu %zu %zu %zu %zu %zu\\n", sizeof(struct msghdr),
                        offsetof(struct msghdr, msg_name), offsetof(struct msghdr, msg_namelen),
                        offsetof(struct msghdr, msg_iov), offsetof(struct msghdr, msg_iovlen),
                        offsetof(struct msghdr, msg_control), offsetof(struct msghdr, msg_controllen),
                        offsetof(struct msghdr, msg_flags));
                    printf("%zu %zu %zu %zu %zu %zu\\n", sizeof(struct cmsghdr), offsetof(struct cmsghdr, cmsg_level),
                        offsetof(struct cmsghdr, cmsg_type), (size_t) CMSG_LEN(4), (size_t) CMSG_SPACE(4),
                        (size_t) ((unsigned char *) CMSG_DATA((struct cmsghdr *) 0) - (unsigned char *) 0));
                    printf("%zu %zu %zu\\n", sizeof(struct sockaddr_un), offsetof(struct sockaddr_un, sun_path),
                        sizeof(((struct sockaddr_un *) 0)->sun_path));
                    printf("%d %d %d %d %d %d %d %zu\\n", SOL_SOCKET, SCM_RIGHTS, SOCK_CLOEXEC, SOCK_NONBLOCK, MSG_DONTWAIT,
                        MSG_NOSIGNAL, MSG_CMSG_CLOEXEC, sizeof(struct iovec));
                    printf("%d\\n", MSG_CTRUNC);
                    return 0;
                }
                """);
        Path exe = dir.resolve("structs");
        Process gcc = new ProcessBuilder("gcc", "-o", exe.toString(), c.toString()).redirectErrorStream(true).start();
        String gccOut = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gcc.exitValue()).as(gccOut).isZero();
        Process run = new ProcessBuilder(exe.toString()).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
        SocketAbi linux = new SocketAbi.Linux();
        assertThat(out).isEqualTo(String.join("\n",
                "56 0 8 16 24 32 40 48",
                "16 8 12 20 24 16",
                "110 2 108",
                linux.SOL_SOCKET() + " " + SocketAbi.SCM_RIGHTS + " " + linux.SOCK_CLOEXEC() + " " + linux.SOCK_NONBLOCK()
                        + " " + linux.MSG_DONTWAIT() + " " + linux.MSG_NOSIGNAL() + " " + linux.MSG_CMSG_CLOEXEC() + " 16",
                String.valueOf(linux.MSG_CTRUNC()), ""));
    }
}
