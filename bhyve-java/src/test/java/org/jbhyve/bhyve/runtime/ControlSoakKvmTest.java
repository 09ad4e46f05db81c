package org.jbhyve.bhyve.runtime;

import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A bhyve process runs for months and takes checkpoints on a schedule; whatever one request leaks, it
 * leaks again with every request. This runs the demo guest as its own process and puts it through
 * rounds of what its control socket sees in production: live checkpoints (over the same name and to new
 * names), checkpoints that fail (the target a directory or a symbolic link, a removed directory, a
 * descriptor that is not a directory, a refused name), get-stats, clients that connect and close, send
 * garbage, or pass descriptors the request does not use. After a warm-up round (lazily opened jars,
 * /dev/urandom) its descriptors and threads, read from /proc/PID, must stay where they were, every
 * descriptor it was sent must be closed, and no temporary file may be left in the snapshot directory.
 * A leak of one descriptor or thread per request shows as {@value #ROUNDS} or more.
 */
@RequiresKvm
class ControlSoakKvmTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final int ROUNDS = 40;
    /** What JVM housekeeping may open meanwhile: far below one per round. */
    private static final int SLACK = 3;

    @Test
    void repeatedCheckpointsAndControlRequestsLeaveDescriptorsAndThreadsFlat(@TempDir Path dir) throws Exception {
        Path control = dir.resolve("run");
        Path snaps = Files.createDirectory(dir.resolve("snaps"));
        Files.createDirectory(snaps.resolve("a-directory"));
        Files.createSymbolicLink(snaps.resolve("a-link"), snaps.resolve("same.snap"));
        Path marker = Files.writeString(dir.resolve("marker"), "a file whose descriptors bhyve is sent");
        Path gone = Files.createDirectory(dir.resolve("gone"));
        int snapsFd = open(snaps, libc_h.O_RDONLY | libc_h.O_DIRECTORY);
        int markerFd = open(marker, libc_h.O_RDONLY);
        int goneFd = open(gone, libc_h.O_RDONLY | libc_h.O_DIRECTORY);
        Files.delete(gone);

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "org.jbhyve.bhyve.Main"));
        cmd.addAll(SnapshotKvmTest.demoArgs());
        cmd.addAll(List.of("-o", "control.dir=" + control, "soak"));
        Path err = dir.resolve("bhyve.err");
        Process bhyve = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        try {
            Path socket = control.resolve("soak");
            long deadline = System.nanoTime() + T.toNanos();
            while (!Files.exists(socket)) {
                if (!bhyve.isAlive() || System.nanoTime() > deadline) fail("no control socket; stderr:\n" + Files.readString(err));
                Thread.sleep(20);
            }
            round(socket, 0, snapsFd, markerFd, goneFd, snaps);
            Usage before = Usage.of(bhyve.pid());
            for (int i = 1; i <= ROUNDS; i++) round(socket, i, snapsFd, markerFd, goneFd, snaps);
            Usage after = Usage.of(bhyve.pid());

            List<String> log = Files.readAllLines(err);
            String why = "after " + ROUNDS + " rounds: " + before + " -> " + after + "\nstderr (end):\n"
                    + String.join("\n", log.subList(Math.max(0, log.size() - 10), log.size()));
            assertThat(after.fds).as("descriptors " + why).isLessThanOrEqualTo(before.fds + SLACK);
            assertThat(after.threads).as("threads " + why).isLessThanOrEqualTo(before.threads + SLACK);
            assertThat(after.open(marker)).as("descriptors of a file bhyve was sent, still open " + why).isZero();
            assertThat(after.open(snaps)).as("descriptors of the snapshot directory, still open " + why).isZero();
            try (Stream<Path> files = Files.list(snaps)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("same.snap", "a-directory", "a-link");
            }
            assertThat(request(socket, new NvList().addString("cmd", "get-stats")).getNvList("stats").getNumber("checkpoints"))
                    .isEqualTo(2L * (ROUNDS + 1));
        } finally {
            bhyve.destroyForcibly();
            close(snapsFd);
            close(markerFd);
            close(goneFd);
        }
    }

    /** One of each: two live checkpoints, five refused or failed ones, stats, and four kinds of bad client. */
    private static void round(Path socket, int i, int snapsFd, int markerFd, int goneFd, Path snaps) throws Exception {
        expect(checkpoint(socket, "same.snap", snapsFd), 0, "written");
        String fresh = "new-" + i + ".snap";
        expect(checkpoint(socket, fresh, snapsFd), 0, "written");
        Files.delete(snaps.resolve(fresh));
        expect(checkpoint(socket, "a-directory", snapsFd), -1, "is a directory");
        expect(checkpoint(socket, "a-link", snapsFd), -1, "symbolic link");
        expect(checkpoint(socket, "x.snap", goneFd), -1, "ENOENT");
        expect(checkpoint(socket, "x.snap", markerFd), -1, "ENOTDIR");
        expect(checkpoint(socket, "a/b", markerFd), -1, "contains '/'");
        for (int k = 0; k < 5; k++) expect(request(socket, new NvList().addString("cmd", "get-stats")), 0, "counters");
        // A descriptor the request has no use for, and one with a command nobody knows.
        expect(request(socket, new NvList().addString("cmd", "get-stats").addDescriptor("extra", markerFd)), 0, "counters");
        expect(request(socket, new NvList().addString("cmd", "frobnicate").addDescriptor("fddir", markerFd)), -1, "unknown");
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            // a liveness probe: connects, sends nothing
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap("GET / HTTP/1.0\r\nHost: vm\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            drain(c);
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap(new byte[] {0x6c, 0, 0, 0, 0})); // a header cut short, then the client goes
        }
    }

    private static NvList checkpoint(Path socket, String name, int dirFd) throws Exception {
        return request(socket, ControlRequests.checkpointMessage(name, false, dirFd));
    }

    private static NvList request(Path socket, NvList request) throws Exception {
        return ControlRequests.request(socket, request, T);
    }

    /** {@code error} 0 when {@code ok} is 0, else non-zero; and the message says {@code says}. */
    private static void expect(NvList reply, int ok, String says) {
        String message = reply.getString("message");
        if (ok == 0) assertThat(reply.getNumber("error")).as(message).isZero();
        else assertThat(reply.getNumber("error")).as(message).isNotZero();
        assertThat(message).contains(says);
    }

    /** Reads the error reply until bhyve closes; a reset (it closed with our garbage unread) ends it too. */
    private static void drain(SocketChannel c) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        try {
            while (c.read(b) >= 0) b.clear();
        } catch (IOException e) {
            // connection reset: bhyve has closed it
        }
    }

    /** A process's descriptors (with their targets) and its threads other than the JIT compilers'. */
    private record Usage(int fds, int threads, List<String> targets) {
        static Usage of(long pid) throws IOException {
            Path proc = Path.of("/proc/" + pid);
            List<String> targets = new ArrayList<>();
            try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        targets.add(Files.readSymbolicLink(fd).toString());
                    } catch (IOException e) {
                        // closed while listing
                    }
                }
            }
            int threads = 0;
            try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                for (Path t : tasks.toList()) {
                    try {
                        // The JVM starts and stops compiler threads as its queue grows and shrinks.
                        if (!Files.readString(t.resolve("comm")).matches("C\\d CompilerThre.*\\s*")) threads++;
                    } catch (IOException e) {
                        // ended while listing
                    }
                }
            }
            return new Usage(targets.size(), threads, targets);
        }

        long open(Path file) {
            String want = file.toAbsolutePath().toString();
            return targets.stream().filter(want::equals).count();
        }

        @Override
        public String toString() {
            return fds + " descriptors, " + threads + " threads";
        }
    }

    private static int open(Path path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(errno, a.allocateFrom(path.toString()), flags | libc_h.O_CLOEXEC, 0);
            if (fd < 0) throw new IllegalStateException("open " + path + ": errno " + libc_h.errno(errno));
            return fd;
        }
    }

    private static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(libc_h.allocateErrnoState(a), fd);
        }
    }
}
