package org.jbhyve.bindings.libc;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.jbhyve.bindings.linux.socket.iovec;
import org.jbhyve.bindings.linux.socket.msghdr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every libc function of {@link libc_h}, called for real, each with arguments whose effect can be seen.
 * libc_h calls them through a few shared downcall shapes (64-bit integer arguments and result, see "how the
 * functions are called" there), so these pin what that relies on: an int result of -1 is -1 whatever the
 * upper half of rax holds (glibc's C wrappers leave it zero, its assembly stubs such as flock's set it), a
 * negative or unused-looking int argument reaches the callee (a directory descriptor with relative names,
 * openat's variadic mode, whence, fallocate's mode, ioctl's integer argument), an unsigned int keeps its 32
 * bits (eventfd's 0xffffffff), offsets, sizes and results above 4 GiB keep their upper half, pointer results
 * are whole 64-bit addresses, and each pointer shape passes its pointers in their places. Linux values of
 * constants that libc_h does not have are written here.
 */
@EnabledOnOs(OS.LINUX)
// In a thread of its own: a call that blocks in the kernel (a flag that did not arrive) ignores interrupts.
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LibcCallsTest {
    private static final int AT_REMOVEDIR = 0x200;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int SIGURG = 23;
    private static final long FIONREAD = 0x541B, TCFLSH = 0x540B;
    private static final int EISDIR = 21;
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void failedIntCallsReturnMinusOneAndCaptureErrno() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            assertThat(libc_h.close(err, -1)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
            assertThat(libc_h.flock(err, -1, libc_h.LOCK_EX)).isEqualTo(-1); // an assembly stub: rax is all ones
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
            assertThat(libc_h.open(err, a.allocateFrom(dir.resolve("absent").toString()), libc_h.O_RDONLY, 0))
                    .isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.ENOENT);
            assertThat(libc_h.read(err, -1, a.allocate(8), 8)).isEqualTo(-1L);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void fileCallsThroughADirectoryDescriptor() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int dfd = libc_h.open(err, a.allocateFrom(dir.toString()), libc_h.O_RDONLY | libc_h.O_DIRECTORY
                    | libc_h.O_CLOEXEC, 0);
            assertThat(dfd).as("open(O_DIRECTORY) errno %d", libc_h.errno(err)).isGreaterThanOrEqualTo(0);
            try {
                MemorySegment name = a.allocateFrom("f");
                int fd = libc_h.openat(err, dfd, name, libc_h.O_RDWR | libc_h.O_CREAT | libc_h.O_CLOEXEC, 0640);
                assertThat(fd).as("openat errno %d", libc_h.errno(err)).isGreaterThanOrEqualTo(0);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("f"))))
                        .as("openat's variadic mode, less the umask").isEqualTo(modeString(0640 & ~umask()));
                assertThat(libc_h.openat(err, 12345, name, libc_h.O_RDONLY, 0)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).as("the directory descriptor is used").isEqualTo(Errno.EBADF);
                try {
                    fileOffsetsAndSizes(a, err, fd);
                } finally {
                    assertThat(libc_h.close(err, fd)).isZero();
                }
                assertThat(libc_h.renameat(err, dfd, name, dfd, a.allocateFrom("g"))).isZero();
                assertThat(dir.resolve("f")).doesNotExist();
                assertThat(dir.resolve("g")).exists();
                assertThat(libc_h.unlinkat(err, dfd, a.allocateFrom("g"), 0)).isZero();
                assertThat(dir.resolve("g")).doesNotExist();

                Files.createDirectory(dir.resolve("d"));
                MemorySegment d = a.allocateFrom("d");
                assertThat(libc_h.unlinkat(err, dfd, d, 0)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).as("flags 0 do not remove a directory").isEqualTo(EISDIR);
                assertThat(libc_h.unlinkat(err, dfd, d, AT_REMOVEDIR)).isZero();
                assertThat(dir.resolve("d")).doesNotExist();
            } finally {
                libc_h.close(err, dfd);
            }
        }
    }

    /**
     * lseek's whence, offsets and results above 4 GiB, fallocate's modes, on a sparse file (the temporary
     * directory's file system must punch holes, as ext4, xfs, btrfs and tmpfs do).
     */
    private void fileOffsetsAndSizes(Arena a, MemorySegment err, int fd) throws IOException {
        Path f = dir.resolve("f");
        long far = 6 * GIB;
        MemorySegment buf = a.allocateFrom(JAVA_BYTE, (byte) 1, (byte) 2, (byte) 3);
        assertThat(libc_h.pwrite(err, fd, buf, 3, far)).isEqualTo(3);
        MemorySegment back = a.allocate(3);
        assertThat(libc_h.pread(err, fd, back, 3, far)).isEqualTo(3);
        assertThat(back.toArray(JAVA_BYTE)).containsExactly(1, 2, 3);
        assertThat(Files.size(f)).isEqualTo(far + 3);
        assertThat(libc_h.lseek(err, fd, 0, libc_h.SEEK_END)).isEqualTo(far + 3);
        assertThat(libc_h.lseek(err, fd, -3, libc_h.SEEK_CUR)).isEqualTo(far);
        assertThat(libc_h.read(err, fd, back, 3)).isEqualTo(3);
        assertThat(libc_h.lseek(err, fd, 5 * GIB, libc_h.SEEK_SET)).isEqualTo(5 * GIB);
        assertThat(libc_h.write(err, fd, buf, 2)).isEqualTo(2);

        assertThat(libc_h.hasFallocate()).isTrue();
        assertThat(libc_h.fallocate(err, fd, 0x01 | 0x02, far, 3)).as("PUNCH_HOLE | KEEP_SIZE").isZero();
        assertThat(libc_h.pread(err, fd, back, 3, far)).isEqualTo(3);
        assertThat(back.toArray(JAVA_BYTE)).containsExactly(0, 0, 0);
        assertThat(libc_h.fallocate(err, fd, 0x01, far + 4096, 4096)).as("KEEP_SIZE").isZero();
        assertThat(Files.size(f)).isEqualTo(far + 3);
        assertThat(libc_h.fallocate(err, fd, 0, far + 4096, 4096)).isZero();
        assertThat(Files.size(f)).isEqualTo(far + 8192);
        assertThat(libc_h.fallocate(err, -1, 0, far, 4096)).isEqualTo(-1);
        assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);

        assertThat(libc_h.ftruncate(err, fd, 7 * GIB)).isZero();
        assertThat(Files.size(f)).isEqualTo(7 * GIB);
        assertThat(libc_h.fsync(err, fd)).isZero();
        assertThat(libc_h.flock(err, fd, libc_h.LOCK_EX | libc_h.LOCK_NB)).isZero();
    }

    @Test
    void fstatAndFstatatDescribeTheFileTheKernelSees() throws Exception {
        Path file = dir.resolve("data");
        Files.write(file, new byte[12345]);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(1_700_000_000_123_456_789L,
                TimeUnit.NANOSECONDS));
        Path link = Files.createSymbolicLink(dir.resolve("link"), file.getFileName());
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(file.toString()), libc_h.O_RDONLY | libc_h.O_CLOEXEC, 0);
            assertThat(fd).isGreaterThanOrEqualTo(0);
            int dfd = libc_h.open(err, a.allocateFrom(dir.toString()), libc_h.O_RDONLY | libc_h.O_DIRECTORY
                    | libc_h.O_CLOEXEC, 0);
            try {
                FileStat st = FileStat.ofDescriptor(err, fd);
                assertThat(st).isNotNull();
                assertThat(st.isRegularFile()).isTrue();
                assertThat(st.kind()).isEqualTo("a regular file");
                assertThat(st.size()).isEqualTo(12345);
                assertThat(st.mode() & 0777).isEqualTo(Files.getAttribute(file, "unix:mode") instanceof Integer m ? m & 0777 : -1);
                assertThat(st.ino()).isEqualTo(((Number) Files.getAttribute(file, "unix:ino")).longValue());
                assertThat(st.dev()).isEqualTo(((Number) Files.getAttribute(file, "unix:dev")).longValue());
                assertThat(st.mtimeNanos()).isEqualTo(1_700_000_000_123_456_789L);
                assertThat(st.ctimeNanos()).isEqualTo(
                        ((java.nio.file.attribute.FileTime) Files.getAttribute(file, "unix:ctime")).to(TimeUnit.NANOSECONDS));
                // fstatat with AT_SYMLINK_NOFOLLOW describes the link itself, relative to the directory descriptor
                FileStat l = FileStat.ofNameNoFollow(err, dfd, "link");
                assertThat(l.kind()).isEqualTo("a symbolic link");
                assertThat(l.ino()).isNotEqualTo(st.ino());
                assertThat(FileStat.ofNameNoFollow(err, dfd, "data").sameFileUnchanged(st)).isTrue();
                assertThat(FileStat.ofNameNoFollow(err, dfd, "fifo").kind()).isEqualTo("a FIFO");
                assertThat(FileStat.ofNameNoFollow(err, dfd, ".").kind()).isEqualTo("a directory");
                assertThat(FileStat.ofNameNoFollow(err, dfd, "absent")).isNull();
                assertThat(libc_h.errno(err)).isEqualTo(Errno.ENOENT);
                // a write in place changes the times: no longer "unchanged"
                Files.write(file, new byte[12345]);
                assertThat(FileStat.ofDescriptor(err, fd).sameFileUnchanged(st)).isFalse();
                assertThat(FileStat.ofDescriptor(err, -1)).isNull();
                assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
                assertThat(Files.isSymbolicLink(link)).isTrue();
                // The syscall(2) forms used where glibc (before 2.33) does not export fstat/fstatat say the same.
                MemorySegment viaLibc = a.allocate(FileStat.SIZE, 8), viaSyscall = a.allocate(FileStat.SIZE, 8);
                assertThat(libc_h.fstat(err, fd, viaLibc)).isZero();
                assertThat(libc_h.fstatBySyscall(err, fd, viaSyscall)).isZero();
                assertThat(FileStat.of(viaSyscall)).isEqualTo(FileStat.of(viaLibc));
                assertThat(libc_h.fstatatBySyscall(err, dfd, a.allocateFrom("link"), viaSyscall,
                        libc_h.AT_SYMLINK_NOFOLLOW)).isZero();
                assertThat(FileStat.of(viaSyscall)).isEqualTo(l);
                assertThat(libc_h.fstatatBySyscall(err, dfd, a.allocateFrom("absent"), viaSyscall, 0)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.ENOENT);
            } finally {
                libc_h.close(err, fd);
                libc_h.close(err, dfd);
            }
        }
    }

    @Test
    void schedSetaffinityPinsTheCallingThreadAndGetaffinityReadsItBack() throws Exception {
        // On a thread of its own, so that the test runner's threads keep their CPUs.
        var result = new java.util.concurrent.CompletableFuture<String>();
        Thread t = Thread.ofPlatform().start(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment err = libc_h.allocateErrnoState(a);
                MemorySegment all = a.allocate(libc_h.CPU_SET_T_SIZE, 8);
                assertThat(libc_h.sched_getaffinity(err, 0, libc_h.CPU_SET_T_SIZE, all)).isZero();
                int first = -1;
                for (int cpu = 0; cpu < 1024 && first < 0; cpu++) {
                    if ((all.get(JAVA_BYTE, cpu / 8) & 1 << (cpu % 8)) != 0) first = cpu;
                }
                MemorySegment one = a.allocate(libc_h.CPU_SET_T_SIZE, 8);
                one.set(JAVA_BYTE, first / 8, (byte) (1 << (first % 8)));
                assertThat(libc_h.sched_setaffinity(err, 0, libc_h.CPU_SET_T_SIZE, one)).isZero();
                String status = Files.readString(Path.of("/proc/thread-self/status"));
                MemorySegment back = a.allocate(libc_h.CPU_SET_T_SIZE, 8);
                assertThat(libc_h.sched_getaffinity(err, 0, libc_h.CPU_SET_T_SIZE, back)).isZero();
                assertThat(back.mismatch(one)).isEqualTo(-1L);
                // an empty set is refused with EINVAL
                MemorySegment none = a.allocate(libc_h.CPU_SET_T_SIZE, 8);
                assertThat(libc_h.sched_setaffinity(err, 0, libc_h.CPU_SET_T_SIZE, none)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.EINVAL);
                result.complete(first + " " + status.lines().filter(l -> l.startsWith("Cpus_allowed_list:"))
                        .findFirst().orElse("").replaceAll("\\s+", " "));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.join();
        String[] r = result.get().split(" ", 2);
        assertThat(r[1]).isEqualTo("Cpus_allowed_list: " + r[0]);
    }

    @Test
    void mlockLocksTheWholeRangeItIsGiven() throws Exception {
        long len = 3L << 20;
        org.junit.jupiter.api.Assumptions.assumeTrue(mayLock(len), "RLIMIT_MEMLOCK below 3 MiB and not root:"
                + " mlock cannot be tried (ulimit -l)");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment m = libc_h.mmap(err, MemorySegment.NULL, len, libc_h.PROT_READ | libc_h.PROT_WRITE,
                    libc_h.MAP_PRIVATE | libc_h.MAP_ANONYMOUS, -1, 0);
            long before = vmLckKib();
            assertThat(libc_h.mlock(err, m, len)).as("mlock errno %d", libc_h.errno(err)).isZero();
            assertThat(vmLckKib() - before).as("the length reaches mlock whole").isEqualTo(len >> 10);
            assertThat(libc_h.munmap(err, m, len)).isZero();
            assertThat(libc_h.mlock(err, MemorySegment.ofAddress(4096), 4096)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.ENOMEM); // not mapped
        }
    }

    /** Whether this process may lock {@code bytes}: root (CAP_IPC_LOCK), or a locked-memory limit that big. */
    static boolean mayLock(long bytes) throws IOException {
        if ("root".equals(System.getProperty("user.name"))) return true;
        return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max locked memory"))
                .map(l -> l.split("\\s{2,}")[1]).map(v -> v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v))
                .findFirst().orElse(0L) >= bytes;
    }

    private static long vmLckKib() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmLck:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }

    @Test
    void aReadLeaseIsTakenAskedForAndBlocksAWriterUntilReleased() throws Exception {
        Path file = dir.resolve("leased");
        Files.write(file, new byte[4096]);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(file.toString()), libc_h.O_RDONLY | libc_h.O_CLOEXEC, 0);
            assertThat(libc_h.fcntl(err, fd, libc_h.F_GETLEASE, 0)).isEqualTo(libc_h.F_UNLCK);
            assertThat(libc_h.fcntl(err, fd, libc_h.F_SETLEASE, libc_h.F_RDLCK)).as("errno %d", libc_h.errno(err)).isZero();
            assertThat(libc_h.fcntl(err, fd, libc_h.F_GETLEASE, 0)).isEqualTo(libc_h.F_RDLCK);
            // Another process opening it for writing waits for the lease to go (or lease-break-time).
            sun.misc.Signal.handle(new sun.misc.Signal("IO"), s -> { });
            Process writer = new ProcessBuilder("sh", "-c", "echo x >> " + file).start();
            assertThat(writer.waitFor(1, TimeUnit.SECONDS)).as("the writer waits while the lease is held").isFalse();
            assertThat(libc_h.fcntl(err, fd, libc_h.F_SETLEASE, libc_h.F_UNLCK)).isZero();
            assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.size(file)).isEqualTo(4096 + 2);
            libc_h.close(err, fd);
            assertThat(libc_h.fcntl(err, -1, libc_h.F_GETLEASE, 0)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EBADF);
        }
    }

    /**
     * The kernel fact behind jbhyve's snapshot-file lease: truncating a file takes away the pages of a
     * MAP_PRIVATE mapping past the new end, those this process wrote (its private copies) too, and the next
     * access faults. A restored VM's RAM is such a mapping.
     */
    @Test
    void aTruncationTakesAwayEvenThePrivateCopiesOfAFileMapping() throws Exception {
        Path file = dir.resolve("backing");
        Files.write(file, new byte[2 * 4096]);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(file.toString()), libc_h.O_RDONLY | libc_h.O_CLOEXEC, 0);
            MemorySegment m = libc_h.mmap(err, MemorySegment.NULL, 2 * 4096, libc_h.PROT_READ | libc_h.PROT_WRITE,
                    libc_h.MAP_PRIVATE, fd, 0).reinterpret(2 * 4096);
            m.set(JAVA_BYTE, 4096, (byte) 9); // a private copy of page 1
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(4096);
            }
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> m.get(JAVA_BYTE, 4096)))
                    .as("the written page went with the truncation").isInstanceOf(InternalError.class);
            libc_h.munmap(err, m, 2 * 4096);
            libc_h.close(err, fd);
        }
    }

    @Test
    void mmapReturnsWholeAddressesAndMapsAtAnOffsetAbove4GiB() throws IOException {
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

            int memfd = libc_h.memfd_create(err, a.allocateFrom("jbhyve-test"), libc_h.MFD_CLOEXEC);
            assertThat(memfd).isGreaterThanOrEqualTo(0);
            try {
                assertThat(fdFlags(memfd) & libc_h.O_CLOEXEC).as("MFD_CLOEXEC").isNotZero();
                assertThat(libc_h.ftruncate(err, memfd, 6 * GIB)).isZero();
                assertThat(libc_h.pwrite(err, memfd, a.allocateFrom(JAVA_LONG, 0x1122334455667788L), 8, 5 * GIB))
                        .isEqualTo(8);
                MemorySegment page = libc_h.mmap(err, MemorySegment.NULL, 4096, libc_h.PROT_READ,
                        libc_h.MAP_SHARED, memfd, 5 * GIB);
                assertThat(page.address()).as("errno %d", libc_h.errno(err)).isNotEqualTo(libc_h.MAP_FAILED);
                assertThat(page.reinterpret(8).get(JAVA_LONG, 0)).isEqualTo(0x1122334455667788L);
                assertThat(libc_h.munmap(err, page, 4096)).isZero();
            } finally {
                libc_h.close(err, memfd);
            }
        }
    }

    @Test
    void pipesEventfdPollIoctlAndIsatty() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            assertThat(libc_h.pipe2(err, fds, libc_h.O_CLOEXEC | libc_h.O_NONBLOCK)).isZero();
            int r = fds.getAtIndex(JAVA_INT, 0), w = fds.getAtIndex(JAVA_INT, 1);
            int efd = libc_h.eventfd(err, 0xffff_ffff, libc_h.EFD_CLOEXEC | libc_h.EFD_NONBLOCK);
            assertThat(efd).isGreaterThanOrEqualTo(0);
            try {
                assertThat(fdFlags(r) & (libc_h.O_CLOEXEC | libc_h.O_NONBLOCK))
                        .isEqualTo(libc_h.O_CLOEXEC | libc_h.O_NONBLOCK);
                MemorySegment pfd = a.allocate(pollfd.layout());
                pollfd.fd(pfd, r);
                pollfd.events(pfd, libc_h.POLLIN);
                long start = System.nanoTime();
                assertThat(libc_h.poll(err, pfd, 1, 50)).as("nothing to read").isZero();
                assertThat(System.nanoTime() - start).as("poll waited its timeout").isGreaterThan(40_000_000L);

                assertThat(libc_h.write(err, w, a.allocateFrom("abc"), 3)).isEqualTo(3);
                MemorySegment count = a.allocate(JAVA_INT);
                assertThat(libc_h.ioctl(err, r, FIONREAD, count)).isZero();
                assertThat(count.get(JAVA_INT, 0)).isEqualTo(3);
                assertThat(libc_h.ioctl(err, r, 0x7fff_ffffL, count)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.ENOTTY);

                MemorySegment value = a.allocate(JAVA_LONG);
                assertThat(libc_h.read(err, efd, value, 8)).isEqualTo(8);
                assertThat(value.get(JAVA_LONG, 0)).as("eventfd's unsigned initial value").isEqualTo(0xffff_ffffL);
                assertThat(libc_h.read(err, efd, value, 8)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).as("EFD_NONBLOCK").isEqualTo(Errno.EAGAIN);
                assertThat(libc_h.write(err, efd, a.allocateFrom(JAVA_LONG, 5), 8)).isEqualTo(8);
                MemorySegment polled = a.allocate(pollfd.layout(), 2);
                pollfd.fd(polled, r);
                pollfd.events(polled, libc_h.POLLIN);
                MemorySegment second = polled.asSlice(pollfd.sizeof());
                pollfd.fd(second, efd);
                pollfd.events(second, libc_h.POLLIN);
                assertThat(libc_h.poll(err, polled, 2, 0)).isEqualTo(2);
                assertThat(pollfd.revents(second) & libc_h.POLLIN).isNotZero();
            } finally {
                libc_h.close(err, r);
                libc_h.close(err, w);
                libc_h.close(err, efd);
            }

            // A terminal: isatty says so, and TCFLSH reads its integer argument (a queue selector).
            int ptmx = libc_h.open(err, a.allocateFrom("/dev/ptmx"), libc_h.O_RDWR | libc_h.O_CLOEXEC, 0);
            assertThat(ptmx).as("/dev/ptmx, errno %d", libc_h.errno(err)).isGreaterThanOrEqualTo(0);
            try {
                assertThat(libc_h.isatty(ptmx)).isEqualTo(1);
                assertThat(libc_h.ioctl(err, ptmx, TCFLSH, 0L)).isZero(); // TCIFLUSH
                assertThat(libc_h.ioctl(err, ptmx, TCFLSH, 99L)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.EINVAL);
            } finally {
                libc_h.close(err, ptmx);
            }
            assertThat(libc_h.isatty(-1)).isZero();
        }
    }

    @Test
    void socketCalls() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment sv = a.allocate(JAVA_INT, 2);
            assertThat(libc_h.socketpair(err, libc_h.AF_UNIX, libc_h.SOCK_STREAM | libc_h.SOCK_CLOEXEC, 0, sv)).isZero();
            int s0 = sv.getAtIndex(JAVA_INT, 0), s1 = sv.getAtIndex(JAVA_INT, 1);
            try {
                assertThat(fdFlags(s0) & libc_h.O_CLOEXEC).as("SOCK_CLOEXEC in socketpair's type").isNotZero();
                MemorySegment got = a.allocate(16);
                assertThat(libc_h.recv(err, s1, got, 16, libc_h.MSG_DONTWAIT)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).as("MSG_DONTWAIT").isEqualTo(Errno.EAGAIN);
                assertThat(libc_h.send(err, s0, a.allocateFrom("ping"), 4, libc_h.MSG_NOSIGNAL)).isEqualTo(4);
                assertThat(libc_h.recv(err, s1, got, 16, libc_h.MSG_DONTWAIT)).isEqualTo(4);
                assertThat(got.getString(0)).isEqualTo("ping");

                // sendmsg gathers two buffers; recvmsg scatters them into one.
                MemorySegment iov = a.allocate(iovec.layout(), 2);
                iovec.iov_base(iov, a.allocateFrom(JAVA_BYTE, (byte) 'a', (byte) 'b'));
                iovec.iov_len(iov, 2);
                MemorySegment iov1 = iov.asSlice(iovec.sizeof());
                iovec.iov_base(iov1, a.allocateFrom(JAVA_BYTE, (byte) 'c'));
                iovec.iov_len(iov1, 1);
                MemorySegment msg = msghdr.allocate(a);
                msghdr.msg_iov(msg, iov);
                msghdr.msg_iovlen(msg, 2);
                assertThat(libc_h.sendmsg(err, s0, msg, libc_h.MSG_NOSIGNAL)).isEqualTo(3);
                MemorySegment in = a.allocate(8);
                MemorySegment inIov = a.allocate(iovec.layout());
                iovec.iov_base(inIov, in);
                iovec.iov_len(inIov, 8);
                MemorySegment inMsg = msghdr.allocate(a);
                msghdr.msg_iov(inMsg, inIov);
                msghdr.msg_iovlen(inMsg, 1);
                assertThat(libc_h.recvmsg(err, s1, inMsg, libc_h.MSG_DONTWAIT)).isEqualTo(3);
                assertThat(in.asSlice(0, 3).toArray(JAVA_BYTE)).containsExactly('a', 'b', 'c');
                assertThat(libc_h.recvmsg(err, s1, inMsg, libc_h.MSG_DONTWAIT)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.EAGAIN);

                // A send larger than the socket's buffer on a blocking socket: MSG_DONTWAIT makes it partial.
                long big = 16 << 20;
                long sent = libc_h.send(err, s0, a.allocate(big), big, libc_h.MSG_DONTWAIT | libc_h.MSG_NOSIGNAL);
                assertThat(sent).as("errno %d", libc_h.errno(err)).isPositive().isLessThan(big);

                assertThat(libc_h.shutdown(err, s0, libc_h.SHUT_WR)).isZero();
                MemorySegment drain = a.allocate(1 << 20);
                long drained = 0;
                for (long n; (n = libc_h.recv(err, s1, drain, drain.byteSize(), libc_h.MSG_DONTWAIT)) > 0; ) drained += n;
                assertThat(drained).isEqualTo(sent);
                assertThat(libc_h.recv(err, s1, got, 16, libc_h.MSG_DONTWAIT)).as("end of stream").isZero();
            } finally {
                libc_h.close(err, s0);
                libc_h.close(err, s1);
            }

            int listener = libc_h.socket(err, libc_h.AF_UNIX,
                    libc_h.SOCK_STREAM | libc_h.SOCK_CLOEXEC | libc_h.SOCK_NONBLOCK, 0);
            int client = libc_h.socket(err, libc_h.AF_UNIX, libc_h.SOCK_STREAM | libc_h.SOCK_CLOEXEC, 0);
            assertThat(listener).isGreaterThanOrEqualTo(0);
            assertThat(client).isGreaterThanOrEqualTo(0);
            int accepted = -1;
            try {
                assertThat(fdFlags(listener) & libc_h.O_NONBLOCK).as("SOCK_NONBLOCK in socket's type").isNotZero();
                // An abstract address (Linux): sun_path starts with a NUL; the length counts what is used.
                byte[] path = ("\0jbhyve-libc-test-" + ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
                MemorySegment address = a.allocate(110);
                address.set(JAVA_SHORT, 0, (short) libc_h.AF_UNIX);
                MemorySegment.copy(path, 0, address, JAVA_BYTE, 2, path.length);
                int length = 2 + path.length;
                assertThat(libc_h.bind(err, listener, address, length)).isZero();
                assertThat(libc_h.listen(err, listener, 1)).isZero();
                assertThat(libc_h.accept4(err, listener, MemorySegment.NULL, MemorySegment.NULL, 0)).isEqualTo(-1);
                assertThat(libc_h.errno(err)).as("nobody connected yet").isEqualTo(Errno.EAGAIN);
                assertThat(libc_h.connect(err, client, address, length)).isZero();

                MemorySegment peer = a.allocate(110);
                MemorySegment peerLength = a.allocateFrom(JAVA_INT, 110);
                accepted = libc_h.accept4(err, listener, peer, peerLength, libc_h.SOCK_CLOEXEC);
                assertThat(accepted).as("accept4 errno %d", libc_h.errno(err)).isGreaterThanOrEqualTo(0);
                assertThat(peerLength.get(JAVA_INT, 0)).as("an unbound peer: only its family").isEqualTo(2);
                assertThat(peer.get(JAVA_SHORT, 0)).isEqualTo((short) libc_h.AF_UNIX);
                assertThat(fdFlags(accepted) & libc_h.O_CLOEXEC).as("accept4's flags").isNotZero();
            } finally {
                if (accepted >= 0) libc_h.close(err, accepted);
                libc_h.close(err, client);
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

            // A signal sent to this thread and taken by sigtimedwait: each pointer of both calls in its place.
            MemorySegment urg = a.allocate(libc_h.SIGSET_T_SIZE);
            urg.set(JAVA_LONG, 0, 1L << (SIGURG - 1));
            MemorySegment old = a.allocate(libc_h.SIGSET_T_SIZE);
            assertThat(libc_h.pthread_sigmask(libc_h.SIG_BLOCK, urg, old)).isZero();
            try {
                MemorySegment blocked = a.allocate(libc_h.SIGSET_T_SIZE);
                assertThat(libc_h.pthread_sigmask(libc_h.SIG_BLOCK, MemorySegment.NULL, blocked)).isZero();
                assertThat(blocked.get(JAVA_LONG, 0) & 1L << (SIGURG - 1)).as("the old-mask pointer").isNotZero();
                assertThat(libc_h.pthread_sigmask(99, urg, MemorySegment.NULL)).isEqualTo(Errno.EINVAL);

                MemorySegment info = a.allocate(libc_h.SIGINFO_T_SIZE);
                MemorySegment timeout = timespec.allocate(a);
                assertThat(libc_h.sigtimedwait(err, urg, info, timeout)).as("nothing pending").isEqualTo(-1);
                assertThat(libc_h.errno(err)).isEqualTo(Errno.EAGAIN);
                assertThat(libc_h.pthread_kill(self, SIGURG)).isZero();
                timespec.tv_sec(timeout, 5);
                assertThat(libc_h.sigtimedwait(err, urg, info, timeout)).isEqualTo(SIGURG);
                assertThat(info.get(JAVA_INT, 0)).as("si_signo").isEqualTo(SIGURG);
            } finally {
                libc_h.pthread_sigmask(libc_h.SIG_SETMASK, old, MemorySegment.NULL);
            }

            // signal() hands back the whole 64-bit handler it replaces (never called: SIGURG is not raised).
            MemorySegment handler = libc_h.symbol("getpid");
            MemorySegment previous = libc_h.signal(err, SIGURG, handler);
            assertThat(previous.address()).isZero(); // SIG_DFL
            assertThat(libc_h.signal(err, SIGURG, previous).address()).isEqualTo(handler.address());
            assertThat(libc_h.signal(err, -5, libc_h.SIG_IGN).address()).isEqualTo(-1L); // SIG_ERR
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EINVAL);

            MemorySegment now = timespec.allocate(a);
            assertThat(libc_h.clock_gettime(err, CLOCK_MONOTONIC, now)).isZero();
            assertThat(timespec.tv_sec(now) * 1_000_000_000L + timespec.tv_nsec(now)).isPositive();
            assertThat(libc_h.clock_gettime(err, 12345, now)).isEqualTo(-1);
            assertThat(libc_h.errno(err)).isEqualTo(Errno.EINVAL);
        }
    }

    /** The file status flags of descriptor {@code fd}, from /proc/self/fdinfo (octal "flags:" line). */
    private static int fdFlags(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) return Integer.parseInt(line.substring(6).trim(), 8);
        }
        throw new IOException("no flags line in /proc/self/fdinfo/" + fd);
    }

    /** This process's umask, from /proc/self/status. */
    private static int umask() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) return Integer.parseInt(line.substring(6).trim(), 8);
        }
        throw new IOException("no Umask line in /proc/self/status");
    }

    private static String modeString(int mode) {
        StringBuilder s = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift & 7;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }
}
