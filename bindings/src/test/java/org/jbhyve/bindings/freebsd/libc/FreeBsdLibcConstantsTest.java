package org.jbhyve.bindings.freebsd.libc;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FreeBSD's fcntl.h, errno.h and poll.h values (not in shared/reference/freebsd-bhyve.md; from FreeBSD's
 * sys/fcntl.h, sys/errno.h and sys/poll.h, which bindings/jextract/freebsd/regenerate.sh compares on a
 * FreeBSD host),
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
        // sys/fcntl.h: "#define O_NONBLOCK 0x0004 /* no delay */" (Linux: 04000)
        assertThat(fcntl_h.O_NONBLOCK).isEqualTo(0x0004).isNotEqualTo(libc_h.O_NONBLOCK);
        // sys/fcntl.h: "#define O_RDWR 0x0002": the same as Linux's, so callers use libc_h's
        assertThat(libc_h.O_RDWR).isEqualTo(0x0002);
        // all three differ from Linux's, which is why they are here
        assertThat(fcntl_h.O_NOFOLLOW).isNotEqualTo(libc_h.O_NOFOLLOW);
        assertThat(fcntl_h.O_DIRECTORY).isNotEqualTo(libc_h.O_DIRECTORY);
        assertThat(fcntl_h.O_CLOEXEC).isNotEqualTo(libc_h.O_CLOEXEC);
    }

    @Test
    void structStat() {
        // sys/stat.h (FreeBSD 12+, amd64): st_dev, st_ino, st_nlink (8 bytes each), st_mode (16 bits),
        // st_padding0, st_uid, st_gid, st_padding1, st_rdev (8), st_atim, st_mtim, st_ctim, st_birthtim
        // (16 each), st_size, st_blocks (8), st_blksize, st_flags (4), st_gen (8), st_spare[10] (80)
        assertThat(stat_h.STAT_MODE_OFFSET).isEqualTo(24);
        assertThat(stat_h.STAT_MTIM_OFFSET).isEqualTo(48 + 16);
        assertThat(stat_h.STAT_CTIM_OFFSET).isEqualTo(48 + 32);
        assertThat(stat_h.STAT_SIZE_OFFSET).isEqualTo(48 + 64);
        assertThat(stat_h.STAT_SIZE).isEqualTo(112 + 8 + 8 + 4 + 4 + 8 + 80);
        // sys/fcntl.h: "#define AT_SYMLINK_NOFOLLOW 0x0200" (Linux: 0x100)
        assertThat(stat_h.AT_SYMLINK_NOFOLLOW).isEqualTo(0x200).isNotEqualTo(libc_h.AT_SYMLINK_NOFOLLOW);
    }

    @Test
    void errnoNumbers() {
        assertThat(new int[] {errno_h.EPERM, errno_h.ENOENT, errno_h.EINTR, errno_h.EIO, errno_h.ENXIO, errno_h.EBADF,
                errno_h.EACCES, errno_h.EBUSY, errno_h.EEXIST, errno_h.ENODEV, errno_h.ENOTDIR, errno_h.EINVAL,
                errno_h.ENFILE, errno_h.EMFILE, errno_h.ENOTTY, errno_h.ENOSPC, errno_h.EROFS, errno_h.EPIPE})
                .containsExactly(1, 2, 4, 5, 6, 9, 13, 16, 17, 19, 20, 22, 23, 24, 25, 28, 30, 32)
                // below EAGAIN the numbers are Linux's too, except 11 (FreeBSD's EDEADLK, Linux's EAGAIN)
                .containsExactly(Errno.EPERM, Errno.ENOENT, Errno.EINTR, Errno.EIO, Errno.ENXIO, Errno.EBADF,
                        Errno.EACCES, Errno.EBUSY, Errno.EEXIST, Errno.ENODEV, Errno.ENOTDIR, Errno.EINVAL, Errno.ENFILE,
                        Errno.EMFILE, Errno.ENOTTY, Errno.ENOSPC, Errno.EROFS, Errno.EPIPE);
        assertThat(new int[] {errno_h.EAGAIN, errno_h.EWOULDBLOCK, errno_h.EINPROGRESS, errno_h.ENOTSOCK,
                errno_h.EMSGSIZE, errno_h.EADDRINUSE, errno_h.ECONNABORTED, errno_h.ECONNRESET, errno_h.ENOBUFS,
                errno_h.EISCONN, errno_h.ENOTCONN, errno_h.ETOOMANYREFS, errno_h.ETIMEDOUT, errno_h.ECONNREFUSED,
                errno_h.ENAMETOOLONG, errno_h.EHOSTDOWN})
                .containsExactly(35, 35, 36, 38, 40, 48, 53, 54, 55, 56, 57, 59, 60, 61, 63, 64);
    }

    /**
     * sys/poll.h: "#define POLLIN 0x0001", "POLLOUT 0x0004", "POLLERR 0x0008", "POLLHUP 0x0010",
     * "POLLNVAL 0x0020"; struct pollfd is {int fd; short events; short revents}. All equal to Linux's,
     * which is why callers on both systems use libc_h's.
     */
    @Test
    void pollEventsAreLinuxsToo() {
        assertThat(new int[] {poll_h.POLLIN, poll_h.POLLOUT, poll_h.POLLERR, poll_h.POLLHUP, poll_h.POLLNVAL})
                .containsExactly(0x0001, 0x0004, 0x0008, 0x0010, 0x0020)
                .containsExactly(libc_h.POLLIN, libc_h.POLLOUT, libc_h.POLLERR, libc_h.POLLHUP, libc_h.POLLNVAL);
        assertThat(org.jbhyve.bindings.libc.pollfd.sizeof()).isEqualTo(8);
    }
}
