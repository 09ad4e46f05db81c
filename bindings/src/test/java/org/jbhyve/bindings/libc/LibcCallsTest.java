package org.jbhyve.bindings.libc;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every libc function of {@link libc_h}, called for real. libc_h calls them through a few shared
 * downcall shapes (64-bit integer arguments and result, see "how the functions are called" there), so
 * these pin what that relies on: an int result of -1 comes back as -1 (glibc leaves the upper half of
 * rax zero, which read as a long is 4294967295), a negative int argument reaches the callee
 * ({@code AT_FDCWD}), a long result or argument above 4 GiB keeps its upper half, a pointer result is an
 * address, the variadic functions get their argument, and every shape (which arguments are pointers)
 * is used at least once. Linux values of the constants not in libc_h are written here.
 */
@EnabledOnOs(OS.LINUX)
class LibcCallsTest {
    private static final int AT_FDCWD = -100;
    private static final int AT_REMOVEDIR = 0x200;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int SIGURG = 23;
    private static final long FIONREAD = 0x541B, FIOCLEX = 0x5451;

    @TempDir
    Path dir;

    @Test
    void failedIntCallsReturnMinusOneAndCaptureErrno() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            assertThat(libc_h.close(err, -1)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
            assertThat(libc_h.open(err, a.allocateFrom(dir.resolve("absent").toString()), libc_h.O_RDONLY, 0))
                    .isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.ENOENT);
            assertThat(libc_h.read(err, -1, a.allocate(8), 8)).isEqualTo(-1L);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void negativeFdArgumentsAndFileCalls() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment path = a.allocateFrom(dir.resolve("f").toString());
            int fd = libc_h.openat(err, AT_FDCWD, path, libc_h.O_RDWR | libc_h.O_CREAT | libc_h.O_CLOEXEC, 0600);
            assertThat(fd).as("openat(AT_FDCWD) errno %d", libc_h.errno(err)).isGreaterThanOrEqualTo(0);
            try {
                // Offsets and results above 4 GiB keep their upper half (a sparse file: nothing is written there).
                long far = 6L << 30;
                assertThat(libc_h.lseek(err, fd, 5L << 30, libc_h.SEEK_SET)).isEqualTo(5L << 30);
                MemorySegment buf = a.allocateFrom(JAVA_BYTE, (byte) 1, (byte) 2, (byte) 3);
                assertThat(libc_h.pwrite(err, fd, buf, 3, far)).isEqualTo(3);
                MemorySegment back = a.allocate(3);
                assertThat(libc_h.pread(err, fd, back, 3, far)).isEqualTo(3);
                assertThat(back.toArray(JAVA_BYTE)).containsExactly(1, 2, 3);
                assertThat(Files.size(dir.resolve("f"))).isEqualTo(far + 3);
                assertThat(libc_h.hasFallocate()).isTrue();
                assertThat(libc_h.fallocate(err, fd, 0, far + 4096, 4096)).isZero();
                assertThat(Files.size(dir.resolve("f"))).isEqualTo(far + 8192);
                assertThat(libc_h.fallocate(err, -1, 0, far, 4096)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
                assertThat(libc_h.ftruncate(err, fd, 7L << 30)).isZero();
                assertThat(Files.size(dir.resolve("f"))).isEqualTo(7L << 30);
                assertThat(libc_h.write(err, fd, buf, 2)).isEqualTo(2);
                assertThat(libc_h.fsync(err, fd)).isZero();
                assertThat(libc_h.flock(err, fd, libc_h.LOCK_EX | libc_h.LOCK_NB)).isZero();
                assertThat(libc_h.ioctl(err, fd, FIOCLEX, 0L)).isZero();
            } finally {
                assertThat(libc_h.close(err, fd)).isZero();
            }
            MemorySegment renamed = a.allocateFrom(dir.resolve("g").toString());
            assertThat(libc_h.renameat(err, AT_FDCWD, path, AT_FDCWD, renamed)).isZero();
            assertThat(dir.resolve("g")).exists();
            assertThat(libc_h.unlinkat(err, AT_FDCWD, renamed, 0)).isZero();
            assertThat(libc_h.unlinkat(err, AT_FDCWD, renamed, AT_REMOVEDIR)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.ENOENT);
            assertThat(dir.resolve("g")).doesNotExist();
        }
    }

    @Test
    void mmapReturnsAnAddressAndMapFailedOnError() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            long size = 1 << 20;
            MemorySegment addr = libc_h.mmap(err, MemorySegment.NULL, size, libc_h.PROT_READ | libc_h.PROT_WRITE,
                    libc_h.MAP_PRIVATE | libc_h.MAP_ANONYMOUS, -1, 0);
            assertThat(addr.address()).isNotEqualTo(libc_h.MAP_FAILED).isNotZero();
            MemorySegment mem = addr.reinterpret(size);
            mem.set(JAVA_LONG, size - 8, 0x1122334455667788L);
            assertThat(libc_h.madvise(err, addr, size, libc_h.MADV_DONTNEED)).isZero();
            assertThat(mem.get(JAVA_LONG, size - 8)).isZero(); // a private anonymous page reads zero again
            assertThat(libc_h.munmap(err, addr, size)).isZero();

            MemorySegment failed = libc_h.mmap(err, MemorySegment.NULL, 0, libc_h.PROT_READ,
                    libc_h.MAP_PRIVATE | libc_h.MAP_ANONYMOUS, -1, 0);
            assertThat(failed.address()).isEqualTo(libc_h.MAP_FAILED);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void pipesEventfdPollAndVariadicIoctl() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            assertThat(libc_h.pipe2(err, fds, libc_h.O_CLOEXEC | libc_h.O_NONBLOCK)).isZero();
            int r = fds.getAtIndex(JAVA_INT, 0), w = fds.getAtIndex(JAVA_INT, 1);
            int efd = libc_h.eventfd(err, 0, libc_h.EFD_CLOEXEC | libc_h.EFD_NONBLOCK);
            assertThat(efd).isGreaterThanOrEqualTo(0);
            try {
                assertThat(libc_h.write(err, w, a.allocateFrom("abc"), 3)).isEqualTo(3);
                MemorySegment count = a.allocate(JAVA_INT);
                assertThat(libc_h.ioctl(err, r, FIONREAD, count)).isZero();
                assertThat(count.get(JAVA_INT, 0)).isEqualTo(3);
                assertThat(libc_h.ioctl(err, r, 0x7fff_ffffL, count)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.ENOTTY);

                assertThat(libc_h.write(err, efd, a.allocateFrom(JAVA_LONG, 5), 8)).isEqualTo(8);
                MemorySegment polled = a.allocate(pollfd.layout(), 2);
                pollfd.fd(polled, r);
                pollfd.events(polled, libc_h.POLLIN);
                MemorySegment second = polled.asSlice(pollfd.sizeof());
                pollfd.fd(second, efd);
                pollfd.events(second, libc_h.POLLIN);
                assertThat(libc_h.poll(err, polled, 2, 0)).isEqualTo(2);
                assertThat(pollfd.revents(second) & libc_h.POLLIN).isNotZero();
                MemorySegment value = a.allocate(JAVA_LONG);
                assertThat(libc_h.read(err, efd, value, 8)).isEqualTo(8);
                assertThat(value.get(JAVA_LONG, 0)).isEqualTo(5);
                assertThat(libc_h.read(err, efd, value, 8)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.EAGAIN);
            } finally {
                libc_h.close(err, r);
                libc_h.close(err, w);
                libc_h.close(err, efd);
            }
            int memfd = libc_h.memfd_create(err, a.allocateFrom("jbhyve-test"), libc_h.MFD_CLOEXEC);
            assertThat(memfd).isGreaterThanOrEqualTo(0);
            libc_h.close(err, memfd);
        }
    }

    @Test
    void socketCalls() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment sv = a.allocate(JAVA_INT, 2);
            assertThat(libc_h.socketpair(err, libc_h.AF_UNIX, libc_h.SOCK_STREAM | libc_h.SOCK_CLOEXEC, 0, sv)).isZero();
            int s0 = sv.getAtIndex(JAVA_INT, 0), s1 = sv.getAtIndex(JAVA_INT, 1);
            try {
                assertThat(libc_h.send(err, s0, a.allocateFrom("ping"), 4, libc_h.MSG_NOSIGNAL)).isEqualTo(4);
                MemorySegment got = a.allocate(8);
                assertThat(libc_h.recv(err, s1, got, 8, libc_h.MSG_DONTWAIT)).isEqualTo(4);
                assertThat(got.getString(0)).isEqualTo("ping");
                assertThat(libc_h.shutdown(err, s0, libc_h.SHUT_WR)).isZero();
                assertThat(libc_h.recv(err, s1, got, 8, libc_h.MSG_DONTWAIT)).isZero();
            } finally {
                libc_h.close(err, s0);
                libc_h.close(err, s1);
            }
            int listener = libc_h.socket(err, libc_h.AF_UNIX,
                    libc_h.SOCK_STREAM | libc_h.SOCK_CLOEXEC | libc_h.SOCK_NONBLOCK, 0);
            assertThat(listener).isGreaterThanOrEqualTo(0);
            try {
                // Linux's autobind: a sockaddr of just the family gets an abstract name.
                MemorySegment family = a.allocateFrom(JAVA_BYTE, (byte) libc_h.AF_UNIX, (byte) 0);
                assertThat(libc_h.bind(err, listener, family, 2)).isZero();
                assertThat(libc_h.listen(err, listener, 1)).isZero();
                assertThat(libc_h.accept4(err, listener, MemorySegment.NULL, MemorySegment.NULL,
                        libc_h.SOCK_CLOEXEC)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.EAGAIN); // nobody connected
            } finally {
                libc_h.close(err, listener);
            }
            assertThat(libc_h.connect(err, -1, a.allocate(16), 16)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void threadSignalAndClockCalls() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            assertThat((long) libc_h.getpid()).isEqualTo(ProcessHandle.current().pid());
            long self = libc_h.pthread_self();
            assertThat(self).isNotZero();
            assertThat(libc_h.pthread_kill(self, 0)).isZero();
            assertThat(libc_h.isatty(-1)).isZero();
            MemorySegment old = a.allocate(libc_h.SIGSET_T_SIZE);
            assertThat(libc_h.pthread_sigmask(libc_h.SIG_BLOCK, MemorySegment.NULL, old)).isZero();
            assertThat(libc_h.pthread_sigmask(99, old, MemorySegment.NULL)).isEqualTo(Errno.EINVAL);

            MemorySegment empty = a.allocate(libc_h.SIGSET_T_SIZE); // zeroed: no signal
            MemorySegment now = timespec.allocate(a);
            assertThat(libc_h.sigtimedwait(err, empty, a.allocate(libc_h.SIGINFO_T_SIZE), now)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EAGAIN);

            // SIGURG: ignored by default and not used by the JVM; its handler is put back.
            MemorySegment previous = libc_h.signal(err, SIGURG, libc_h.SIG_IGN);
            assertThat(previous.address()).isZero(); // SIG_DFL
            assertThat(libc_h.signal(err, SIGURG, previous).address()).isEqualTo(libc_h.SIG_IGN.address());
            assertThat(libc_h.signal(err, -5, libc_h.SIG_IGN).address()).isEqualTo(-1L); // SIG_ERR
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EINVAL);

            assertThat(libc_h.clock_gettime(err, CLOCK_MONOTONIC, now)).isZero();
            assertThat(timespec.tv_sec(now) * 1_000_000_000L + timespec.tv_nsec(now)).isPositive();
            assertThat(libc_h.clock_gettime(err, 12345, now)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EINVAL);
        }
    }
}
