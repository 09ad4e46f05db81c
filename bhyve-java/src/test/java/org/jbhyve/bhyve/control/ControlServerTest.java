package org.jbhyve.bhyve.control;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.snapshot.ipc.NvSocket;
import org.jbhyve.snapshot.ipc.UnixSocket;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.snapshot.nv.NvPacker;
import org.jbhyve.snapshot.nv.NvUnpacker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The control socket on real sockets in a temporary control.dir, against a recording VmControl. */
class ControlServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final RecordingControl vm = new RecordingControl();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        List<AutoCloseable> all;
        synchronized (cleanup) {
            all = new ArrayList<>(cleanup);
        }
        for (int i = all.size() - 1; i >= 0; i--) all.get(i).close();
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private ControlServer.Options options() {
        return ControlServer.Options.defaults().withDir(tmp.resolve("run"));
    }

    private ControlServer start(ControlServer.Options options) throws IOException {
        ControlServer s = ControlServer.start("vm1", vm, options, log);
        cleanup.add(s);
        return s;
    }

    private ControlServer start() throws IOException {
        return start(options());
    }

    private Path snapshots() throws IOException {
        return Files.createDirectories(tmp.resolve("snaps"));
    }

    private int dirFd(Path dir) {
        int fd = TestIo.openDirectory(dir);
        cleanup.add(() -> TestIo.close(fd));
        return fd;
    }

    /** Sends one request and reads the reply, as jbhyve's bhyvectl does. */
    private static NvList request(ControlServer server, NvList request) throws IOException {
        try (UnixSocket c = UnixSocket.connect(server.path())) {
            c.send(request, WAIT);
            return c.receive(0, WAIT);
        }
    }

    private static NvList checkpointRequest(String filename, boolean suspend, int fd) {
        return new NvList().addString("cmd", "checkpoint").addString("filename", filename).addBool("suspend", suspend)
                .addDescriptor("fddir", fd);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    // ---- bhyvectl's request ----

    @Test
    void bhyvectlsExactCheckpointMessageWritesThroughTheDirectoryDescriptor() throws Exception {
        ControlServer server = start();
        Path snaps = snapshots();
        int fd = dirFd(snaps);
        byte[] vector = TestIo.vector("bhyvectl_checkpoint_nosuspend.bin");
        NvList message = NvUnpacker.unpack(vector, 0, new int[] {fd});
        assertThat(NvPacker.pack(message).bytes()).as("the request on the wire is bhyvectl's, byte for byte").isEqualTo(vector);

        NvList reply = request(server, message);

        assertThat(reply.getNumber("error")).isZero();
        assertThat(reply.getString("message")).contains(snaps.resolve("snap1").toString());
        assertThat(vm.checkpoints).hasSize(1);
        RecordingControl.Checkpoint c = vm.checkpoints.getFirst();
        assertThat(c.name()).isEqualTo("snap1");
        assertThat(c.suspend()).isFalse();
        assertThat(c.fdWasOpen()).as("a working directory descriptor").isTrue();
        assertThat(c.dirFd()).isNotEqualTo(fd); // the server's own copy, received by SCM_RIGHTS
        assertThat(Files.readString(snaps.resolve("snap1"))).isEqualTo("snapshot of snap1");
        await(() -> !TestIo.isOpen(c.dirFd()), "the received descriptor to be closed");
        assertThat(TestIo.isOpen(fd)).as("the sender's descriptor is its own").isTrue();
        assertThat(log()).contains("checkpoint: wrote");
    }

    @Test
    void cBhyvectlThatClosesWithoutReadingIsServedAndNothingIsLogged() throws Exception {
        ControlServer server = start();
        Path snaps = snapshots();
        int fd = dirFd(snaps);
        byte[] vector = TestIo.vector("bhyvectl_checkpoint_suspend.bin");
        NvList message = NvUnpacker.unpack(vector, 0, new int[] {fd});
        assertThat(NvPacker.pack(message).bytes()).isEqualTo(vector);
        vm.gate = new CountDownLatch(1); // hold the handler until the client has gone

        try (UnixSocket c = UnixSocket.connect(server.path())) {
            NvSocket.send(c.fd(), message, WAIT);
        } // closed at once, as bhyvectl's snapshot_request does
        assertThat(vm.checkpointEntered.await(10, TimeUnit.SECONDS)).isTrue();
        vm.gate.countDown();

        await(() -> server.repliesUndelivered() == 1, "the reply to be dropped");
        assertThat(vm.checkpoints).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("snap1");
            assertThat(c.suspend()).isTrue();
            assertThat(c.fdWasOpen()).isTrue();
        });
        assertThat(Files.exists(snaps.resolve("snap1"))).isTrue();
        assertThat(log()).doesNotContain("could not send").doesNotContain("refused").doesNotContain("EPIPE");
        // and the server goes on
        assertThat(request(server, new NvList().addString("cmd", "get-stats")).getNumber("error")).isZero();
    }

    // ---- refusals ----

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/etc/passwd", "../escape", "x/"})
    void badFileNamesAreRefused(String name) throws Exception {
        ControlServer server = start();
        NvList reply = request(server, checkpointRequest(name, false, dirFd(snapshots())));
        assertThat(reply.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        assertThat(reply.getString("message")).startsWith("refused checkpoint: ");
        assertThat(vm.calls).isEmpty();
        try (var files = Files.list(snapshots())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void fileNamesUpTo255BytesAreAccepted() throws Exception {
        ControlServer server = start();
        int fd = dirFd(snapshots());
        NvList tooLong = request(server, checkpointRequest("é".repeat(128), false, fd)); // 256 bytes
        assertThat(tooLong.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        assertThat(tooLong.getString("message")).contains("256 bytes");
        NvList ok = request(server, checkpointRequest("a".repeat(255), false, fd));
        assertThat(ok.getNumber("error")).isZero();
        assertThat(vm.checkpoints).singleElement().extracting(RecordingControl.Checkpoint::name).isEqualTo("a".repeat(255));
    }

    @Test
    void restoreRequestsNeedAnAbsolutePathAndARunningVmRefusesThem() throws Exception {
        ControlServer server = start();
        NvList relative = request(server, new NvList().addString("cmd", "restore").addString("filename", "snap"));
        assertThat(relative.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        assertThat(relative.getString("message")).contains("not an absolute path");
        NvList none = request(server, new NvList().addString("cmd", "restore"));
        assertThat(none.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        assertThat(none.getString("message")).contains("filename");
        NvList tooLong = request(server, new NvList().addString("cmd", "restore")
                .addString("filename", "/" + "a".repeat(ControlProtocol.PATH_MAX)));
        assertThat(tooLong.getString("message")).contains("more than " + ControlProtocol.PATH_MAX);
        // RecordingControl keeps VmControl's restore: what a bhyve that runs a VM answers
        NvList running = request(server, new NvList().addString("cmd", "restore").addString("filename", "/x.snap"));
        assertThat(running.getNumber("error")).isEqualTo(ControlProtocol.EBUSY);
        assertThat(running.getString("message")).contains("restore.standby=true");
    }

    @Test
    void missingOrMistypedPairsAreRefusedAndNothingIsDone() throws Exception {
        ControlServer server = start();
        int fd = dirFd(snapshots());
        NvList noFd = new NvList().addString("cmd", "checkpoint").addString("filename", "s").addBool("suspend", false);
        NvList reply = request(server, noFd);
        assertThat(reply.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        assertThat(reply.getString("message")).contains("fddir");

        NvList numberSuspend = new NvList().addString("cmd", "checkpoint").addString("filename", "s")
                .addNumber("suspend", 1).addDescriptor("fddir", fd);
        assertThat(request(server, numberSuspend).getString("message")).contains("suspend");

        NvList noName = new NvList().addString("cmd", "checkpoint").addBool("suspend", true).addDescriptor("fddir", fd);
        assertThat(request(server, noName).getString("message")).contains("filename");

        NvList stringFd = new NvList().addString("cmd", "checkpoint").addString("filename", "s")
                .addBool("suspend", true).addString("fddir", "/tmp");
        assertThat(request(server, stringFd).getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        assertThat(vm.calls).isEmpty();
        assertThat(log()).contains("refused checkpoint");
    }

    @Test
    void unknownOrMissingCommandsGetAnErrorReply() throws Exception {
        ControlServer server = start();
        NvList reply = request(server, new NvList().addString("cmd", "reboot-now"));
        assertThat(reply.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        assertThat(reply.getString("message")).contains("unknown command 'reboot-now'").contains("checkpoint");

        NvList none = request(server, new NvList().addString("command", "checkpoint"));
        assertThat(none.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        assertThat(none.getString("message")).contains("'cmd'");

        NvList numeric = request(server, new NvList().addNumber("cmd", 3));
        assertThat(numeric.getString("message")).contains("'cmd' is of type number");
        assertThat(vm.calls).isEmpty();
    }

    @Test
    void malformedBytesAreLoggedAndTheNextRequestIsServed() throws Exception {
        ControlServer server = start();
        // a header with a bad magic
        try (UnixSocket c = UnixSocket.connect(server.path())) {
            TestIo.writeRaw(c.fd(), "GET / HTTP/1.0\r\n\r\nxyz".getBytes(StandardCharsets.US_ASCII));
            NvList reply = c.receive(0, WAIT);
            assertThat(reply.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
            assertThat(reply.getString("message")).contains("magic");
        }
        // a good header followed by a body that is not pairs
        ByteBuffer bad = ByteBuffer.allocate(19 + 8).order(ByteOrder.LITTLE_ENDIAN);
        bad.put((byte) 0x6c).put((byte) 0).put((byte) 0).putLong(0).putLong(8).putLong(0xdeadbeefL);
        try (UnixSocket c = UnixSocket.connect(server.path())) {
            TestIo.writeRaw(c.fd(), bad.array());
            assertThat(c.receive(0, WAIT).getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
        }
        NvList stats = request(server, new NvList().addString("cmd", "get-stats"));
        assertThat(stats.getNumber("error")).isZero();
        assertThat(server.rejected()).isEqualTo(2);
        assertThat(log()).contains("refused a malformed request: ").contains("bad nvlist magic");
    }

    @Test
    void aStallingClientIsCutOffAndDoesNotBlockTheNextOne() throws Exception {
        ControlServer server = start(options().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));
        try (UnixSocket staller = UnixSocket.connect(server.path())) {
            TestIo.writeRaw(staller.fd(), new byte[] {0x6c, 0, 0, 0}); // 4 of 19 header bytes, then nothing
            long t0 = System.nanoTime();
            NvList reply = request(server, new NvList().addString("cmd", "get-stats"));
            assertThat(reply.getNumber("error")).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            // still connected: it is cut off by the timeout, not by going away
            await(() -> log().contains("timed out"), "the stall to be logged");
        }
        assertThat(server.rejected()).isEqualTo(1);
    }

    @Test
    void aConnectionThatSendsNothingIsAProbeNotAnError() throws Exception {
        ControlServer server = start();
        for (int i = 0; i < 3; i++) UnixSocket.connect(server.path()).close();
        assertThat(request(server, new NvList().addString("cmd", "get-stats")).getNumber("error")).isZero();
        assertThat(server.rejected()).isZero();
        assertThat(log()).doesNotContain("refused");
    }

    // ---- one client cannot hold up another ----

    /** Connects and sends the first byte of a header, then nothing: a client that stalls (or means to). */
    private UnixSocket staller(ControlServer server) throws IOException {
        UnixSocket s = UnixSocket.connect(server.path());
        synchronized (cleanup) {
            cleanup.add(s);
        }
        TestIo.writeRaw(s.fd(), new byte[] {0x6c});
        return s;
    }

    private static Duration timed(ThrowingRunnable r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * With the default 5 s receive timeout, a client that has sent one byte must not hold the control
     * socket: another client's get-stats, and a command that acts on the VM, are answered at once.
     */
    @Test
    void aClientThatSendsOneByteDoesNotDelayOtherClients() throws Exception {
        ControlServer server = start();
        staller(server);
        Thread.sleep(100); // the server is now receiving from the staller
        Duration stats = timed(() -> assertThat(request(server, new NvList().addString("cmd", "get-stats"))
                .getNumber("error")).isZero());
        assertThat(stats).as("get-stats behind a stalled client").isLessThan(Duration.ofSeconds(1));
        Duration destroy = timed(() -> assertThat(request(server, new NvList().addString("cmd", "destroy"))
                .getNumber("error")).isZero());
        assertThat(destroy).as("destroy behind a stalled client").isLessThan(Duration.ofSeconds(1));
        assertThat(vm.calls).containsExactly("stats", "destroy");
    }

    /**
     * Many stalled clients at once, more than the server reads at a time (and than the listen backlog):
     * they are all accepted promptly, and a request sent after them is still answered at once.
     */
    @Test
    void manyStalledClientsDoNotDelayARequestSentAfterThem() throws Exception {
        ControlServer server = start();
        int n = 24;
        java.util.concurrent.atomic.AtomicReference<IOException> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread opener = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < n; i++) staller(server);
            } catch (IOException e) {
                failed.set(e); // a server that does not accept them (the test fails below)
            }
        });
        opener.join(Duration.ofSeconds(3));
        assertThat(opener.isAlive()).as(n + " stalling clients connect without waiting for one another").isFalse();
        assertThat(failed.get()).isNull();
        Duration stats = timed(() -> assertThat(request(server, new NvList().addString("cmd", "get-stats"))
                .getNumber("error")).isZero());
        assertThat(stats).as("get-stats behind " + n + " stalled clients").isLessThan(Duration.ofSeconds(1));
        Duration poweroff = timed(() -> assertThat(request(server, new NvList().addString("cmd", "force-poweroff"))
                .getNumber("error")).isZero());
        assertThat(poweroff).as("force-poweroff behind " + n + " stalled clients").isLessThan(Duration.ofSeconds(1));
    }

    private static long connectionThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("control socket connection")).count();
    }

    /**
     * Past maxConnections the oldest client still sending its request is cut off to make room: stalling
     * clients cannot lock others out, and never more than maxConnections connections are served at once.
     */
    @Test
    void pastTheBoundTheOldestStalledClientIsCutOffToMakeRoom() throws Exception {
        ControlServer server = start(options().withMaxConnections(4));
        List<UnixSocket> stallers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stallers.add(staller(server));
            Thread.sleep(20); // so that the oldest is clear
            assertThat(connectionThreads()).as("connections served at once").isLessThanOrEqualTo(4);
        }
        await(() -> server.rejected() == 6, "six stalled clients to be cut off");
        Duration stats = timed(() -> assertThat(request(server, new NvList().addString("cmd", "get-stats"))
                .getNumber("error")).isZero());
        assertThat(stats).isLessThan(Duration.ofSeconds(1));
        assertThat(log()).contains("cut off a client that had not sent its whole request after ")
                .contains("to make room for a new connection (at most 4 are open at once)");
        // the first ones were cut off (their connection is at its end), the last ones are still being waited for
        assertThat(TestIo.readsEndOfFile(stallers.getFirst().fd())).as("the oldest is cut off").isTrue();
        assertThat(TestIo.readsEndOfFile(stallers.getLast().fd())).as("the newest is still connected").isFalse();
        assertThat(connectionThreads()).isLessThanOrEqualTo(4);
    }

    /**
     * When every open connection has sent its request (one runs, the others wait for their turn), a new
     * connection is refused at once with EBUSY, and the ones already received are served in order.
     */
    @Test
    void whenEveryConnectionHasSentItsRequestANewOneIsRefusedAtOnceWithEbusy() throws Exception {
        ControlServer server = start(options().withMaxConnections(2));
        int fd = dirFd(snapshots());
        vm.gate = new CountDownLatch(1);
        try (UnixSocket checkpoint = UnixSocket.connect(server.path()); UnixSocket destroy = UnixSocket.connect(server.path())) {
            checkpoint.send(checkpointRequest("s1", false, fd), WAIT);
            assertThat(vm.checkpointEntered.await(10, TimeUnit.SECONDS)).isTrue();
            destroy.send(new NvList().addString("cmd", "destroy"), WAIT);
            Thread.sleep(100); // the destroy is received and waits for the checkpoint
            NvList busy = request(server, new NvList().addString("cmd", "get-stats"));
            assertThat(busy.getNumber("error")).isEqualTo(ControlProtocol.EBUSY);
            assertThat(busy.getString("message")).contains("busy").contains("2 requests are being served already");
            assertThat(log()).contains("refused a connection: 2 connections are open already (at most 2 at once)");
            assertThat(vm.calls).as("the destroy waits for the checkpoint").containsExactly("checkpoint");
            vm.gate.countDown();
            assertThat(checkpoint.receive(0, WAIT).getNumber("error")).isZero();
            assertThat(destroy.receive(0, WAIT).getNumber("error")).isZero();
        }
        assertThat(vm.calls).containsExactly("checkpoint", "destroy");
        assertThat(request(server, new NvList().addString("cmd", "get-stats")).getNumber("error")).as("room again").isZero();
    }

    /** get-stats only reads counters: it is answered while a checkpoint runs; a destroy waits for it. */
    @Test
    void getStatsIsAnsweredWhileACheckpointRunsAndADestroyWaitsForIt() throws Exception {
        ControlServer server = start();
        int fd = dirFd(snapshots());
        vm.gate = new CountDownLatch(1);
        try (UnixSocket checkpoint = UnixSocket.connect(server.path()); UnixSocket destroy = UnixSocket.connect(server.path())) {
            checkpoint.send(checkpointRequest("s1", true, fd), WAIT);
            assertThat(vm.checkpointEntered.await(10, TimeUnit.SECONDS)).isTrue();
            destroy.send(new NvList().addString("cmd", "destroy"), WAIT);
            Duration stats = timed(() -> assertThat(request(server, new NvList().addString("cmd", "get-stats"))
                    .getNumber("error")).isZero());
            assertThat(stats).isLessThan(Duration.ofSeconds(1));
            Thread.sleep(100);
            assertThat(vm.calls).containsExactly("checkpoint", "stats");
            vm.gate.countDown();
            assertThat(checkpoint.receive(0, WAIT).getString("message")).endsWith("is exiting (suspended)");
            assertThat(destroy.receive(0, WAIT).getNumber("error")).isZero();
        }
        assertThat(vm.calls).containsExactly("checkpoint", "stats", "destroy");
    }

    /**
     * close() lets every request already received finish and reply (a suspend's reply goes out before
     * bhyve exits), cuts off the clients still sending, and leaves no thread behind.
     */
    @Test
    void closeServesTheRequestsReceivedAndLeavesNoThread() throws Exception {
        ControlServer server = start();
        int fd = dirFd(snapshots());
        vm.gate = new CountDownLatch(1);
        staller(server);
        try (UnixSocket suspend = UnixSocket.connect(server.path()); UnixSocket destroy = UnixSocket.connect(server.path())) {
            suspend.send(checkpointRequest("s1", true, fd), WAIT);
            assertThat(vm.checkpointEntered.await(10, TimeUnit.SECONDS)).isTrue();
            destroy.send(new NvList().addString("cmd", "destroy"), WAIT);
            Thread.sleep(100);
            Thread closer = Thread.ofPlatform().start(server::close);
            Thread.sleep(100);
            assertThat(closer.isAlive()).as("close waits for the requests received").isTrue();
            vm.gate.countDown();
            assertThat(suspend.receive(0, WAIT).getNumber("error")).isZero();
            assertThat(destroy.receive(0, WAIT).getNumber("error")).isZero();
            closer.join(WAIT);
            assertThat(closer.isAlive()).isFalse();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("control socket") && t.isAlive());
        assertThat(vm.calls).containsExactly("checkpoint", "destroy");
        assertThat(server.rejected()).as("the staller goes quietly at close").isZero();
    }

    /**
     * The requests that change the VM all run on one thread that outlives their connections: Linux sends a
     * restored VM's snapshot-file lease break (SIGIO) to the thread that took the lease, and to nobody
     * once it has ended.
     */
    @Test
    void requestsThatChangeTheVmRunOnOneThreadThatOutlivesTheirConnections() throws Exception {
        ControlServer server = start();
        int fd = dirFd(snapshots());
        assertThat(request(server, checkpointRequest("s1", false, fd)).getNumber("error")).isZero();
        assertThat(request(server, new NvList().addString("cmd", "destroy")).getNumber("error")).isZero();
        assertThat(request(server, new NvList().addString("cmd", "force-reset")).getNumber("error")).isZero();
        assertThat(vm.threads).hasSize(3).allSatisfy(t -> {
            assertThat(t).isSameAs(vm.threads.getFirst());
            assertThat(t.getName()).isEqualTo("control socket requests");
            assertThat(t.isAlive()).as("after the connections have closed").isTrue();
        });
        server.close();
        vm.threads.getFirst().join(WAIT);
        assertThat(vm.threads.getFirst().isAlive()).as("close ends it").isFalse();
    }

    @Test
    void maxConnectionsMustBePositive() {
        assertThatThrownBy(() -> options().withMaxConnections(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections");
        assertThat(ControlServer.Options.defaults().maxConnections()).isEqualTo(16);
    }

    // ---- jbhyve's commands ----

    @Test
    void statsReplyCarriesANestedListInOrder() throws Exception {
        ControlServer server = start();
        NvList reply = request(server, new NvList().addString("cmd", "get-stats"));
        assertThat(reply.getNumber("error")).isZero();
        assertThat(reply.getString("message")).isEqualTo("VM vm1: 3 counters");
        NvList stats = reply.getNvList("stats");
        assertThat(stats.pairs()).extracting(p -> p.name()).containsExactly("vcpu0 exits", "vcpu0 io exits", "uptime ms");
        assertThat(stats.getNumber("vcpu0 exits")).isEqualTo(1234);
        assertThat(stats.getNumber("uptime ms")).isEqualTo(7);
        assertThat(log()).as("stats polling is not logged").doesNotContain("get-stats");
    }

    @Test
    void destroyPoweroffAndResetCallTheVmAndReply() throws Exception {
        ControlServer server = start();
        assertThat(request(server, new NvList().addString("cmd", "destroy")).getString("message"))
                .isEqualTo("VM vm1 destroyed (bhyve exits with status 4)");
        assertThat(request(server, new NvList().addString("cmd", "force-poweroff")).getNumber("error")).isZero();
        assertThat(request(server, new NvList().addString("cmd", "force-reset")).getNumber("error")).isZero();
        assertThat(vm.calls).containsExactly("destroy", "forcePoweroff", "forceReset");
    }

    @Test
    void checkpointFailuresBecomeErrorReplies() throws Exception {
        ControlServer server = start();
        int fd = dirFd(snapshots());
        vm.failure = new ControlException(ControlProtocol.ENOSPC, "no space left on /snaps");
        NvList r1 = request(server, checkpointRequest("s1", false, fd));
        assertThat(r1.getNumber("error")).isEqualTo(ControlProtocol.ENOSPC);
        assertThat(r1.getString("message")).isEqualTo("checkpoint 's1' failed: no space left on /snaps");
        vm.failure = new IllegalStateException("the VM is not running");
        assertThat(request(server, checkpointRequest("s2", false, fd)).getNumber("error")).isEqualTo(ControlProtocol.EBUSY);
        vm.failure = new IOException("disk on fire");
        assertThat(request(server, checkpointRequest("s3", false, fd)).getNumber("error")).isEqualTo(ControlProtocol.EIO);
        vm.failure = new InternalError("a bug in the VM");
        NvList r4 = request(server, checkpointRequest("s4", false, fd));
        assertThat(r4.getNumber("error")).isEqualTo(ControlProtocol.EIO);
        assertThat(r4.getString("message")).isEqualTo("checkpoint 's4' failed: a bug in the VM");
        assertThat(request(server, new NvList().addString("cmd", "get-stats")).getNumber("error")).as("still serving").isZero();
        assertThat(ControlProtocol.errorCode("EDQUOT")).as("not the same number on FreeBSD and Linux").isEqualTo(ControlProtocol.EIO);
        assertThat(ControlProtocol.errorCode("ENOSPC")).isEqualTo(28);
    }

    @Test
    void suspendSaysTheVmIsExiting() throws Exception {
        ControlServer server = start();
        NvList reply = request(server, checkpointRequest("s", true, dirFd(snapshots())));
        assertThat(reply.getNumber("error")).isZero();
        assertThat(reply.getString("message")).endsWith("; VM vm1 is exiting (suspended)");
    }

    // ---- the socket and its directory ----

    @Test
    void createsTheDirectory0700AndTheSocket0600() throws Exception {
        Path dir = tmp.resolve("var/run/bhyve");
        ControlServer server = start(options().withDir(dir));
        assertThat(server.path()).isEqualTo(dir.resolve("vm1"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.getAttribute(server.path(), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0140600);
    }

    @Test
    void anExistingDirectoryIsUsedAsItIs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        start(options().withDir(dir));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-x---");
    }

    @Test
    void aDirectoryThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("notadir"), "x");
        assertThatThrownBy(() -> start(options().withDir(file)))
                .isInstanceOf(IOException.class)
                .hasMessage("the control socket directory " + file + " (control.dir) exists and is not a directory:"
                        + " remove it or set control.dir to another directory");
    }

    @Test
    void aSecondServerForTheSameNameIsRefused() throws Exception {
        ControlServer first = start();
        assertThatThrownBy(() -> start())
                .isInstanceOf(IOException.class)
                .hasMessage("a VM named vm1 is already running (socket " + first.path() + " is in use)");
        assertThat(request(first, new NvList().addString("cmd", "get-stats")).getNumber("error"))
                .as("the first one is unharmed").isZero();
        assertThat(log()).doesNotContain("refused");
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        TestIo.makeStaleSocket(dir.resolve("vm1"));
        assertThat(Files.exists(dir.resolve("vm1"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        ControlServer server = start();
        assertThat(request(server, new NvList().addString("cmd", "get-stats")).getNumber("error")).isZero();
    }

    @Test
    void closeStopsTheThreadAndRemovesTheSocket() throws Exception {
        ControlServer server = start();
        Path path = server.path();
        try (UnixSocket staller = UnixSocket.connect(path)) {
            TestIo.writeRaw(staller.fd(), new byte[] {0x6c});
            Thread.sleep(100); // let the server start receiving
            long t0 = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a stalled client does not hold close()")
                    .isLessThan(Duration.ofSeconds(3));
        }
        assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("control socket") && t.isAlive());
        server.close(); // idempotent
    }

    @Test
    void closeLetsARequestInProgressFinishAndReply() throws Exception {
        ControlServer server = start();
        int fd = dirFd(snapshots());
        vm.gate = new CountDownLatch(1);
        try (UnixSocket c = UnixSocket.connect(server.path())) {
            c.send(checkpointRequest("late", true, fd), WAIT);
            assertThat(vm.checkpointEntered.await(10, TimeUnit.SECONDS)).isTrue();
            Thread closer = Thread.ofPlatform().start(server::close);
            Thread.sleep(100);
            assertThat(Files.exists(server.path(), LinkOption.NOFOLLOW_LINKS)).as("no new clients").isFalse();
            vm.gate.countDown();
            NvList reply = c.receive(0, WAIT);
            assertThat(reply.getNumber("error")).isZero();
            closer.join(WAIT);
            assertThat(closer.isAlive()).isFalse();
        }
    }

    /**
     * A request still waiting for its turn when close() gives up (closeTimeout) is not run, and its client is
     * told why, instead of the server logging an internal error (RejectedExecutionException) and hanging up.
     */
    @Test
    void aRequestStillQueuedWhenCloseGivesUpIsAnsweredNotDropped() throws Exception {
        ControlServer server = start(options().withCloseTimeout(Duration.ofMillis(300)));
        int fd = dirFd(snapshots());
        vm.gate = new CountDownLatch(1);
        try (UnixSocket checkpoint = UnixSocket.connect(server.path()); UnixSocket destroy = UnixSocket.connect(server.path())) {
            checkpoint.send(checkpointRequest("s1", false, fd), WAIT);
            assertThat(vm.checkpointEntered.await(10, TimeUnit.SECONDS)).isTrue();
            destroy.send(new NvList().addString("cmd", "destroy"), WAIT);
            Thread.sleep(100); // the destroy waits for its turn
            server.close(); // gives up after 300 ms: the checkpoint still runs
            vm.gate.countDown();
            assertThat(checkpoint.receive(0, WAIT).getNumber("error")).isZero();
            NvList refused = destroy.receive(0, WAIT);
            assertThat(refused.getNumber("error")).isEqualTo(ControlProtocol.EBUSY);
            assertThat(refused.getString("message")).contains("closed");
        }
        assertThat(vm.calls).containsExactly("checkpoint");
        assertThat(log()).doesNotContain("internal error");
    }

    /** close() on an interrupted thread stops waiting, but still ends the request thread. */
    @Test
    void closeOnAnInterruptedThreadStillEndsTheRequestThread() throws Exception {
        ControlServer server = start();
        int fd = dirFd(snapshots());
        assertThat(request(server, checkpointRequest("s1", false, fd)).getNumber("error")).isZero();
        Thread.currentThread().interrupt();
        try {
            server.close();
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        }
        vm.threads.getFirst().join(WAIT);
        assertThat(vm.threads.getFirst().isAlive()).as("close ends the request thread").isFalse();
    }

    /**
     * A close() that could not wait (called from a VmControl method on the request thread) does not make
     * the close() the main thread makes later return at once: that one still waits for the reply, and ends
     * the request thread.
     */
    @Test
    void aCloseFromTheRequestThreadDoesNotLetTheMainThreadsCloseSkipTheWait() throws Exception {
        java.util.concurrent.atomic.AtomicReference<ControlServer> ref = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        VmControl closing = new VmControl() {
            @Override public String checkpoint(int dirFd, String name, boolean suspend) { return "x"; }
            @Override public void destroy() {
                ref.get().close(); // cannot wait for itself: returns at once
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            @Override public void forcePoweroff() {}
            @Override public void forceReset() {}
            @Override public java.util.Map<String, Long> stats() { return java.util.Map.of(); }
        };
        ControlServer server = ControlServer.start("vm1", closing, options(), log);
        cleanup.add(server);
        ref.set(server);
        try (UnixSocket c = UnixSocket.connect(server.path())) {
            c.send(new NvList().addString("cmd", "destroy"), WAIT);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            Thread closer = Thread.ofPlatform().start(server::close);
            closer.join(Duration.ofMillis(300));
            assertThat(closer.isAlive()).as("the main thread's close waits for the request in progress").isTrue();
            release.countDown();
            assertThat(c.receive(0, WAIT).getNumber("error")).isZero();
            closer.join(WAIT);
            assertThat(closer.isAlive()).isFalse();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("control socket") && t.isAlive());
    }

    /**
     * A request that arrives just as close() shuts the clients still sending down is either served and
     * answered, or not run at all: never run with its client left without the reply.
     */
    @Test
    void aRequestArrivingAsCloseCutsOffReceiversIsAnsweredOrNotRun() throws Exception {
        int ranUnanswered = 0, ran = 0;
        for (int i = 0; i < 100; i++) {
            RecordingControl control = new RecordingControl();
            ControlServer server = ControlServer.start("vm" + i, control, options(), log);
            try (UnixSocket c = UnixSocket.connect(server.path())) {
                Thread.sleep(1); // the connection's thread is receiving
                CountDownLatch go = new CountDownLatch(1);
                Thread closer = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    server.close();
                });
                go.countDown();
                boolean answered;
                try {
                    c.send(new NvList().addString("cmd", "destroy"), WAIT);
                    c.receive(0, WAIT);
                    answered = true;
                } catch (org.jbhyve.snapshot.ipc.IpcException e) {
                    answered = false;
                }
                closer.join(WAIT);
                if (!control.calls.isEmpty()) {
                    ran++;
                    if (!answered) ranUnanswered++;
                }
            } finally {
                server.close();
            }
        }
        System.out.println("ran " + ran + " of 100, unanswered " + ranUnanswered);
        assertThat(ranUnanswered).as("requests run whose client got no reply").isZero();
    }

    /**
     * A flood: 1500 connections from 3 threads, each sending a get-stats it never reads, stalling after one
     * byte, or closing at once. The server stays answerable, ends every connection's thread, and is left
     * with no descriptor more than before.
     */
    @Test
    void aFloodOfConnectionsLeavesThreadsAndDescriptorsFlat() throws Exception {
        ControlServer server = start(options().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
        assertThat(request(server, new NvList().addString("cmd", "get-stats")).getNumber("error")).isZero();
        long fdsBefore;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            fdsBefore = s.count();
        }
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> flooders = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            int kind = k;
            flooders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) {
                    try (UnixSocket c = UnixSocket.connect(server.path())) {
                        if (kind == 0) c.send(new NvList().addString("cmd", "get-stats"), WAIT); // never reads
                        else if (kind == 1) TestIo.writeRaw(c.fd(), new byte[] {0x6c});
                    } catch (IOException | RuntimeException e) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        Duration stats = timed(() -> assertThat(request(server, new NvList().addString("cmd", "get-stats"))
                .getNumber("error")).isIn(0L, (long) ControlProtocol.EBUSY));
        assertThat(stats).as("get-stats during the flood").isLessThan(Duration.ofSeconds(2));
        for (Thread t : flooders) t.join(Duration.ofSeconds(60));
        assertThat(flooders).noneMatch(Thread::isAlive);
        assertThat(request(server, new NvList().addString("cmd", "get-stats")).getNumber("error")).isZero();
        await(() -> connectionThreads() == 0, "every connection's thread to end");
        long fdsAfter;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            fdsAfter = s.count();
        }
        System.out.println("flood: refused " + refused.get() + ", fds " + fdsBefore + " -> " + fdsAfter
                + ", handled " + server.handled() + ", rejected " + server.rejected());
        assertThat(fdsAfter).isLessThanOrEqualTo(fdsBefore);
    }

    @Test
    void startFromConfigUsesNameAndControlDir() throws Exception {
        ConfigTree config = new ConfigTree();
        config.set("name", "guest7");
        config.set("control.dir", tmp.resolve("ctl").toString());
        try (ControlServer server = ControlServer.start(config, vm, log)) {
            assertThat(server.path()).isEqualTo(tmp.resolve("ctl/guest7"));
            assertThat(request(server, new NvList().addString("cmd", "destroy")).getString("message"))
                    .isEqualTo("VM guest7 destroyed (bhyve exits with status 4)");
        }
        assertThat(ControlServer.Options.fromConfig(new ConfigTree()).dir()).isEqualTo(Path.of("/var/run/bhyve"));
    }

    @Test
    void vmNamesThatAreNotPlainNamesAreRefused() {
        for (String bad : new String[] {"", ".", "..", "a/b", "../x"}) {
            assertThatThrownBy(() -> ControlServer.start(bad, vm, options(), log))
                    .isInstanceOf(IOException.class).hasMessageContaining("control socket");
        }
    }
}
