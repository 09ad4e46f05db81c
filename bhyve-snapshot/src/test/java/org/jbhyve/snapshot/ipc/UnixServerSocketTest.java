package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.snapshot.nv.LibnvVectors;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.snapshot.nv.NvMutations;
import org.jbhyve.snapshot.nv.NvPair;
import org.jbhyve.snapshot.nv.NvType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The checkpoint socket's server side, on real paths in a temporary directory. */
class UnixServerSocketTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** A socket file nobody listens on, as a VM that crashed leaves behind. */
    private static void makeStaleSocket(Path path) throws IpcException {
        SocketAbi abi = Sys.ABI;
        byte[] p = UnixSocket.pathBytes(path);
        int fd = UnixSocket.socket(0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            if (libc_h.bind(err, fd, abi.sockaddrUn(a, p), abi.sockaddrUnLength(p)) != 0) {
                throw Sys.fail("test bind", Sys.errno(err));
            }
        } finally {
            Sys.close(fd);
        }
    }

    @Test
    void bindsListensAcceptsAndRemovesThePathOnClose() throws Exception {
        Path path = dir.resolve("vm1");
        try (UnixServerSocket server = UnixServerSocket.bind(path)) {
            assertThat(Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0140600);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            try (UnixSocket c = UnixSocket.connect(path)) {
                c.send(new NvList().add("cmd", "checkpoint"));
                Optional<UnixSocket> accepted = server.accept(LONG);
                assertThat(accepted).isPresent();
                try (UnixSocket s = accepted.get()) {
                    assertThat(s.receive(0, LONG).getString("cmd")).isEqualTo("checkpoint");
                }
            }
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path path = dir.resolve("crashed-vm");
        makeStaleSocket(path);
        assertThat(Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).matches(m -> ((int) m & 0170000) == 0140000);
        IpcException refused = catchThrowableOfType(IpcException.class, () -> UnixSocket.connect(path));
        assertThat(refused.errno()).contains("ECONNREFUSED");
        assertThat(refused.getMessage()).contains(path.toString()).contains("nothing is listening");

        try (UnixServerSocket server = UnixServerSocket.bind(path);
             UnixSocket c = UnixSocket.connect(path)) {
            assertThat(server.accept(LONG)).isPresent().get().satisfies(UnixSocket::close);
            assertThat(c.fd()).isNotNegative();
        }
    }

    @Test
    void aSocketInUseByARunningVmIsRefused() throws Exception {
        Path path = dir.resolve("running-vm");
        try (UnixServerSocket first = UnixServerSocket.bind(path)) {
            IpcException e = catchThrowableOfType(IpcException.class, () -> UnixServerSocket.bind(path));
            assertThat(e.getMessage()).isEqualTo(path + " is already in use by a running VM (a process is accepting"
                    + " connections on it); stop that VM or choose another name");
            assertThat(e.errno()).contains("EADDRINUSE");
            // the first server is unharmed
            assertThat(path).exists();
            try (UnixSocket c = UnixSocket.connect(path)) {
                assertThat(c.fd()).isNotNegative();
                assertThat(first.accept(LONG)).isPresent().get().satisfies(UnixSocket::close);
            }
        }
    }

    @Test
    void somethingThatIsNotASocketIsLeftAlone() throws Exception {
        Path path = Files.writeString(dir.resolve("disk.img"), "precious");
        IpcException e = catchThrowableOfType(IpcException.class, () -> UnixServerSocket.bind(path));
        assertThat(e.getMessage()).contains("exists and is not a socket; not removing it");
        assertThat(Files.readString(path)).isEqualTo("precious");
    }

    @Test
    void clearErrorsForBadPaths() {
        Path missingDir = dir.resolve("no/such/dir/vm");
        IpcException bind = catchThrowableOfType(IpcException.class, () -> UnixServerSocket.bind(missingDir));
        assertThat(bind.getMessage()).startsWith("cannot bind the checkpoint socket " + missingDir + ": ENOENT");
        IpcException connect = catchThrowableOfType(IpcException.class, () -> UnixSocket.connect(dir.resolve("nobody")));
        assertThat(connect.getMessage()).contains("ENOENT").contains("is the VM running");
        Path tooLong = dir.resolve("v".repeat(120));
        IpcException length = catchThrowableOfType(IpcException.class, () -> UnixServerSocket.bind(tooLong));
        assertThat(length.getMessage()).contains("allows at most 107");
    }

    @Test
    void acceptTimesOutAndCloseStopsAWaitingAccept() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Path path = dir.resolve("idle");
            UnixServerSocket server = UnixServerSocket.bind(path);
            long t0 = System.nanoTime();
            assertThat(server.accept(Duration.ofMillis(200))).isEmpty();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 5_000L);

            CompletableFuture<Optional<UnixSocket>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept(Duration.ofMinutes(10));
                } catch (IpcException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(150);
            long t1 = System.nanoTime();
            server.close();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(2_000L);
            assertThat(path).doesNotExist();
            assertThat(server.isClosed()).isTrue();
            server.close(); // idempotent
        });
    }

    /**
     * The checkpoint thread's loop: malformed messages from the fuzz corpus, stalling and early-closing
     * clients are each refused with a reason, and the server still serves the next connection.
     */
    @Test
    void theServerRefusesBadMessagesAndKeepsServing() throws Exception {
        Path path = dir.resolve("vm-under-attack");
        Files.writeString(dir.resolve("probe.txt"), "snapshot dir");
        LinkedBlockingQueue<String> handled = new LinkedBlockingQueue<>();
        // copy-on-write: waitFor streams over it while the server thread adds to it
        List<String> errors = new CopyOnWriteArrayList<>();
        NvListServer.Handler handler = msg -> {
            // the descriptor is usable while the handler runs
            String probe = msg.find("fddir", NvType.DESCRIPTOR).map(p -> readAt(p.descriptorValue())).orElse("-");
            handled.add(msg.find("cmd", NvType.STRING).map(NvPair::stringValue).orElse("?") + " " + probe);
        };
        List<byte[]> corpus = new ArrayList<>();
        for (LibnvVectors.Invalid v : LibnvVectors.invalid()) corpus.add(v.bytes());
        Random r = new Random(0xc0ffeeL);
        List<LibnvVectors.Vector> valid = LibnvVectors.valid();
        for (int i = 0; i < 120; i++) {
            corpus.add(NvMutations.mutate(valid.get(r.nextInt(valid.size())).bytes(), r));
        }

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (NvListServer server = new NvListServer(UnixServerSocket.bind(path), 0, Duration.ofMillis(300), handler,
                    (what, e) -> errors.add(what)).start("checkpoint thread")) {
                int dirFd = TestFds.openDirectory(dir);
                try {
                    for (byte[] bytes : corpus) {
                        try (UnixSocket c = UnixSocket.connect(path)) {
                            NvSocket.sendBytes(c.fd(), bytes, Sys.deadline(LONG));
                        }
                    }
                    // a client that sends half a header and stalls past the receive timeout
                    try (UnixSocket staller = UnixSocket.connect(path)) {
                        NvSocket.sendBytes(staller.fd(), new byte[] {0x6c, 0, 0}, Sys.deadline(LONG));
                        waitFor(() -> errors.stream().anyMatch(s -> s.contains("timed out")), "the stall to be refused");
                    }
                    // and the real request still gets through
                    try (UnixSocket c = UnixSocket.connect(path)) {
                        c.send(new NvList().addString("cmd", "checkpoint").addString("filename", "snap1")
                                .add("suspend", false).addDescriptor("fddir", dirFd));
                    }
                    String last = null;
                    for (String h; (h = handled.poll(10, TimeUnit.SECONDS)) != null; ) {
                        last = h;
                        if (h.equals("checkpoint snapshot dir")) break;
                    }
                    assertThat(last).isEqualTo("checkpoint snapshot dir");
                    waitFor(() -> server.handled() + server.rejected() == corpus.size() + 2, "every connection to be served");
                } finally {
                    Sys.close(dirFd);
                }
                assertThat(server.rejected()).isGreaterThanOrEqualTo(LibnvVectors.invalid().size() + 1);
                assertThat(errors).hasSize((int) server.rejected());
                assertThat(errors).allMatch(s -> s.startsWith("refused a message on " + path + ": "));
                assertThat(errors).anyMatch(s -> s.contains("bad nvlist magic 0x6d"));
                assertThat(errors).anyMatch(s -> s.contains("bool value 2 is neither 0 nor 1"));
                assertThat(errors).anyMatch(s -> s.contains("the peer closed the connection after 10 of the 19 bytes"));
            }
            assertThat(path).doesNotExist();
        });
    }

    private static String readAt(int fd) {
        try {
            return TestFds.readAt(fd, "probe.txt");
        } catch (Throwable t) {
            return "unreadable: " + t;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }
}
