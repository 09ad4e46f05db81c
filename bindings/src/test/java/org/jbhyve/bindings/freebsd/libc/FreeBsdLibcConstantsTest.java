package org.jbhyve.bindings.freebsd.libc;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FreeBSD's fcntl.h and errno.h values (not in shared/reference/freebsd-bhyve.md; from FreeBSD's
 * sys/fcntl.h and sys/errno.h, which bindings/jextract/freebsd/regenerate.sh compares on a FreeBSD host),
 * and how they relate to Linux's in {@link libc_h} and {@link Errno}.
 */
class FreeBsdLibcConstantsTest {

    @Test
    void fcntlFlags() {
        assertThat(fcntl_h.O_NOFOLLOW).isEqualTo(0x0100);
        assertThat(fcntl_h.O_CREAT).isEqualTo(0x0200);
        assertThat(fcntl_h.O_TRUNC).isEqualTo(0x0400);
        assertThat(fcntl_h.O_EXCL).isEqualTo(0x0800);
        assertThat(fcntl_h.O_CREAT).isNotEqualTo(libc_h.O_CREAT);
        assertThat(fcntl_h.O_EXCL).isNotEqualTo(libc_h.O_EXCL);
        assertThat(fcntl_h.O_DIRECTORY).isEqualTo(0x0002_0000);
        assertThat(fcntl_h.O_CLOEXEC).isEqualTo(0x0010_0000);
        // all three differ from Linux's, which is why they are here
        assertThat(fcntl_h.O_NOFOLLOW).isNotEqualTo(libc_h.O_NOFOLLOW);
        assertThat(fcntl_h.O_DIRECTORY).isNotEqualTo(libc_h.O_DIRECTORY);
        assertThat(fcntl_h.O_CLOEXEC).isNotEqualTo(libc_h.O_CLOEXEC);
    }

    @Test
    void errnoNumbers() {
        assertThat(new int[] {errno_h.EPERM, errno_h.ENOENT, errno_h.EINTR, errno_h.EBADF, errno_h.EACCES,
                errno_h.EEXIST, errno_h.ENOTDIR, errno_h.EINVAL, errno_h.ENFILE, errno_h.EMFILE, errno_h.ENOSPC,
                errno_h.EROFS, errno_h.EPIPE})
                .containsExactly(1, 2, 4, 9, 13, 17, 20, 22, 23, 24, 28, 30, 32)
                // below EAGAIN the numbers are Linux's too
                .containsExactly(Errno.EPERM, Errno.ENOENT, Errno.EINTR, Errno.EBADF, Errno.EACCES, Errno.EEXIST,
                        Errno.ENOTDIR, Errno.EINVAL, Errno.ENFILE, Errno.EMFILE, Errno.ENOSPC, Errno.EROFS, Errno.EPIPE);
        assertThat(new int[] {errno_h.EAGAIN, errno_h.EWOULDBLOCK, errno_h.EINPROGRESS, errno_h.ENOTSOCK,
                errno_h.EMSGSIZE, errno_h.EADDRINUSE, errno_h.ECONNABORTED, errno_h.ECONNRESET, errno_h.ENOBUFS,
                errno_h.EISCONN, errno_h.ENOTCONN, errno_h.ETOOMANYREFS, errno_h.ETIMEDOUT, errno_h.ECONNREFUSED,
                errno_h.ENAMETOOLONG})
                .containsExactly(35, 35, 36, 38, 40, 48, 53, 54, 55, 56, 57, 59, 60, 61, 63);
    }
}
