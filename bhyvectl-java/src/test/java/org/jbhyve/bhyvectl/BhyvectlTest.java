package org.jbhyve.bhyvectl;

import static org.jbhyve.bhyvectl.Run.bhyvectl;
import org.jbhyve.bhyve.control.ControlException;
import org.jbhyve.bhyve.control.ControlProtocol;
import org.jbhyve.bhyve.control.ControlServer;
import org.jbhyve.snapshot.ipc.UnixServerSocket;
import org.jbhyve.snapshot.ipc.UnixSocket;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.snapshot.nv.NvPacker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** bhyvectl end to end: real sockets, a real ControlServer in this JVM, or a raw server playing C bhyve. */
class BhyvectlTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final FakeVm vm = new FakeVm();
    private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
    private final List<AutoCloseable> cleanup = new ArrayList<>();


    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }


    private Path controlDir() {
        return tmp.resolve("run");
    }

    private String dirOption() {
        return "--control-dir=" + controlDir();
    }

    private ControlServer startVm(String name) throws IOException {
        ControlServer s = ControlServer.start(name, vm, ControlServer.Options.defaults().withDir(controlDir()),
                new PrintStream(serverLog, true, StandardCharsets.UTF_8));
        vm.server = s;
        cleanup.add(s);
        return s;
    }

    private Path snapshots() throws IOException {
        return Files.createDirectories(tmp.resolve("snaps"));
    }

    /** A raw listening socket where a VM's would be, playing the part of a C bhyve. */
    private UnixServerSocket rawVm(String name) throws IOException {
        UnixServerSocket s = UnixServerSocket.bind(Files.createDirectories(controlDir()).resolve(name));
        cleanup.add(s);
        return s;
    }

    private static UnixSocket acceptOne(UnixServerSocket s) throws IOException {
        Optional<UnixSocket> c = s.accept(WAIT);
        assertThat(c).as("bhyvectl connected").isPresent();
        return c.get();
    }

    // ---- what goes on the wire ----

    @Test
    void checkpointSendsBhyvectlsBytesAndACBhyveGetsRequestSent() throws Exception {
        UnixServerSocket server = rawVm("vm1");
        Path file = snapshots().resolve("snap1");
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try (UnixSocket c = acceptOne(server)) {
                byte[] raw = TestIo.readRaw(c.fd(), 148 + 1); // the packed list, then the 1-byte fd message
                Files.write(file, new byte[] {1}); // C bhyve writes the checkpoint, then closes without a reply
                return raw;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        Run r = bhyvectl("--vm=vm1", "--checkpoint=" + file, dirOption());

        byte[] bytes = received.get(10, TimeUnit.SECONDS);
        assertThat(Arrays.copyOf(bytes, 148)).isEqualTo(TestIo.vector("bhyvectl_checkpoint_nosuspend.bin"));
        assertThat(bytes[148]).as("libnv's dummy byte carrying SCM_RIGHTS").isZero();
        assertThat(r).isEqualTo(new Run(0, "request sent; this bhyve sends no reply, and " + file + " changed (its log reports any error)\n", ""));
    }

    @Test
    void aVmThatClosesWithoutAReplyOrAFileHasFailedTheCheckpoint() throws Exception {
        // A C bhyve whose checkpoint failed, or a jbhyve that died during it: no reply, and no new file.
        UnixServerSocket server = rawVm("vm1");
        Path file = snapshots().resolve("snap2");
        Files.write(file, new byte[] {1}); // an older snapshot stays as it was
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try (UnixSocket c = acceptOne(server)) {
                return TestIo.readRaw(c.fd(), 148 + 1);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        Run r = bhyvectl("--vm=vm1", "--suspend=" + file, dirOption());

        received.get(10, TimeUnit.SECONDS);
        assertThat(r).isEqualTo(new Run(1, "", "bhyvectl: VM vm1 closed the connection without a reply and " + file
                + " did not change: the suspend failed or the VM ended (its own log says why)\n"));
    }

    @Test
    void suspendPassesAWorkingDirectoryDescriptorAndPrintsTheReply() throws Exception {
        UnixServerSocket server = rawVm("vm1");
        Path snaps = snapshots();
        CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
            try (UnixSocket c = acceptOne(server)) {
                NvList request = c.receive(0, WAIT);
                try {
                    assertThat(NvPacker.pack(request).bytes()).isEqualTo(TestIo.vector("bhyvectl_checkpoint_suspend.bin"));
                    int fd = request.getDescriptor("fddir");
                    Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
                    c.send(new NvList().addNumber("error", 0).addString("message", "saved in " + target), WAIT);
                    return target.toString();
                } finally {
                    org.jbhyve.snapshot.ipc.NvSocket.closeDescriptors(request);
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        // The raw server removes its socket once closed, so the wait for the exit ends then.
        CompletableFuture.runAsync(() -> {
            try {
                served.get(10, TimeUnit.SECONDS);
                Thread.sleep(100);
            } catch (Exception ignored) {
                // the assertions below report it
            }
            server.close();
        });

        Run r = bhyvectl("--vm=vm1", "--suspend=" + snaps.resolve("snap1"), dirOption());

        assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo(snaps.toString());
        assertThat(r).isEqualTo(new Run(0, "saved in " + snaps + "\n", ""));
    }

    // ---- every command against jbhyve's ControlServer ----

    @Test
    void checkpointEndToEnd() throws Exception {
        startVm("vm1");
        Path snaps = snapshots();
        Run r = bhyvectl("--vm=vm1", "--checkpoint=" + snaps.resolve("c1"), dirOption());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("wrote " + snaps.resolve("c1") + " (5 bytes)\n");
        assertThat(Files.readString(snaps.resolve("c1"))).isEqualTo("state");
        assertThat(vm.calls).containsExactly("checkpoint c1");
        assertThat(Files.exists(controlDir().resolve("vm1"), LinkOption.NOFOLLOW_LINKS)).as("the VM runs on").isTrue();
    }

    @Test
    void suspendWaitsUntilTheVmHasExited() throws Exception {
        ControlServer server = startVm("vm1");
        Path snaps = snapshots();
        Run r = bhyvectl("--vm=vm1", "--suspend=" + snaps.resolve("s1"), dirOption());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("wrote " + snaps.resolve("s1") + " (5 bytes); VM vm1 is exiting (suspended)\n");
        assertThat(Files.exists(server.path(), LinkOption.NOFOLLOW_LINKS)).as("gone when bhyvectl returns").isFalse();
        assertThat(vm.calls).containsExactly("checkpoint s1 suspend");
    }

    @Test
    void aVmThatDoesNotExitIsReported() throws Exception {
        startVm("vm1");
        vm.exits = false;
        Run r = bhyvectl("--vm=vm1", "--destroy", dirOption(), "--timeout=1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("VM vm1 destroyed (bhyve exits with status 4)\n");
        assertThat(r.err()).isEqualTo("bhyvectl: VM vm1 has not exited 1 second after the request (its socket "
                + controlDir().resolve("vm1") + " is still there)\n");
    }

    @Test
    void destroyForcePoweroffAndForceResetEndTheVm() throws Exception {
        String[][] cases = {{"--destroy", "destroy", "VM vm1 destroyed (bhyve exits with status 4)"},
                {"--force-poweroff", "force-poweroff", "VM vm1 powered off (bhyve exits with status 1)"},
                {"--force-reset", "force-reset", "VM vm1 reset (bhyve exits with status 0)"}};
        for (String[] c : cases) {
            vm.calls.clear();
            ControlServer server = startVm("vm1");
            Run r = bhyvectl("--vm=vm1", c[0], dirOption());
            assertThat(r).isEqualTo(new Run(0, c[2] + "\n", ""));
            assertThat(vm.calls).containsExactly(c[1]);
            assertThat(Files.exists(server.path(), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }

    @Test
    void getStatsPrintsBhyvectlsFormat() throws Exception {
        startVm("vm1");
        Run r = bhyvectl("--vm=vm1", "--get-stats", dirOption());
        assertThat(r).isEqualTo(new Run(0, String.format("%-40s\t%d%n%-40s\t%d%n", "vm exits", 42, "io exits", 7), ""));
    }

    @Test
    void restoreSendsTheSnapshotsAbsolutePathToAStandby() throws Exception {
        startVm("vm1");
        vm.restoreReply = "restored it";
        Path snap = Files.writeString(snapshots().resolve("s1"), "x");
        Path relative = Path.of("").toAbsolutePath().relativize(snap);
        Run r = bhyvectl("--vm=vm1", "--restore=" + relative, dirOption());
        assertThat(r).isEqualTo(new Run(0, "restored it\n", ""));
        assertThat(vm.calls).containsExactly("restore " + snap);
    }

    @Test
    void restoreOfAMissingFileFailsBeforeAskingTheVm() throws Exception {
        startVm("vm1");
        Run r = bhyvectl("--vm=vm1", "--restore=" + tmp.resolve("nothing"), dirOption());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("no such file").contains("nothing");
        assertThat(vm.calls).isEmpty();
    }

    @Test
    void aRunningVmRefusesARestore() throws Exception {
        startVm("vm1");
        Path snap = Files.writeString(snapshots().resolve("s1"), "x");
        Run r = bhyvectl("--vm=vm1", "--restore=" + snap, dirOption());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("already runs a VM").contains("restore.standby=true");
    }

    @Test
    void anErrorReplyGoesToStderrWithStatus1() throws Exception {
        startVm("vm1");
        vm.checkpointFailure = new ControlException(ControlProtocol.ENOSPC, "no space left on device");
        Run r = bhyvectl("--vm=vm1", "--checkpoint=" + snapshots().resolve("c1"), dirOption());
        assertThat(r).isEqualTo(new Run(1, "", "bhyvectl: checkpoint 'c1' failed: no space left on device\n"));
    }

    @Test
    void relativeCheckpointPathsUseTheCurrentDirectory() throws Exception {
        startVm("vm1");
        Path cwd = Path.of("").toAbsolutePath();
        String name = ".bhyvectl-test-" + ProcessHandle.current().pid();
        try {
            Run r = bhyvectl("--vm=vm1", "--checkpoint=" + name, dirOption());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("wrote " + cwd.resolve(name) + " (5 bytes)\n");
        } finally {
            Files.deleteIfExists(cwd.resolve(name));
        }
    }

    @Test
    void aCheckpointPathThatIsADirectoryIsRefusedLocally() throws Exception {
        startVm("vm1");
        for (String bad : new String[] {"/", tmp + "/..", "."}) {
            Run r = bhyvectl("--vm=vm1", "--checkpoint=" + bad, dirOption());
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("bhyvectl: --checkpoint=" + bad + ": ").contains("is a directory");
        }
        assertThat(vm.calls).isEmpty();
    }

    @Test
    void aMissingCheckpointDirectoryIsReported() throws Exception {
        startVm("vm1");
        Path missing = tmp.resolve("no/such");
        Run r = bhyvectl("--vm=vm1", "--checkpoint=" + missing.resolve("s"), dirOption());
        assertThat(r).isEqualTo(new Run(1, "", "bhyvectl: cannot open the checkpoint directory " + missing
                + ": ENOENT (no such file or directory)\n"));
    }

    // ---- no VM, a dead VM, a C bhyve, a silent VM ----

    @Test
    void noSuchVm() throws Exception {
        Files.createDirectories(controlDir());
        Run r = bhyvectl("--vm=ghost", "--get-stats", dirOption());
        assertThat(r).isEqualTo(new Run(1, "", "bhyvectl: no VM named ghost is running (no socket at "
                + controlDir().resolve("ghost") + ")\n"));
        Run noDir = bhyvectl("--vm=ghost", "--destroy", "--control-dir=" + tmp.resolve("absent"));
        assertThat(noDir.err()).isEqualTo("bhyvectl: no VM named ghost is running (no socket at "
                + tmp.resolve("absent/ghost") + ")\n");
        assertThat(noDir.status()).isEqualTo(1);
        // In the default directory: the VM may have been started with a control.dir of its own.
        assertThat(ControlClient.connectError("ghost", Main.DEFAULT_CONTROL_DIR.resolve("ghost"), "ENOENT", ""))
                .isEqualTo("no VM named ghost is running (no socket at " + Main.DEFAULT_CONTROL_DIR.resolve("ghost")
                        + "; a VM started with -o control.dir=DIR is reached with --control-dir=DIR)");
    }

    @Test
    void aStaleSocketMeansNoVm() throws Exception {
        TestIo.makeStaleSocket(Files.createDirectories(controlDir()).resolve("dead"));
        Run r = bhyvectl("--vm=dead", "--checkpoint=" + snapshots().resolve("x"), dirOption());
        assertThat(r).isEqualTo(new Run(1, "", "bhyvectl: no VM named dead is running (nothing listens on "
                + controlDir().resolve("dead") + ": a stale socket)\n"));
        Files.writeString(controlDir().resolve("plain"), "not a socket");
        Run p = bhyvectl("--vm=plain", "--get-stats", dirOption());
        assertThat(p).isEqualTo(new Run(1, "", "bhyvectl: no VM named plain is running (nothing listens on "
                + controlDir().resolve("plain") + ", which is a regular file, not a socket)\n"));
    }

    @Test
    void permissionProblemsAreOneSentence() {
        assertThat(ControlClient.connectError("vm1", Path.of("/var/run/bhyve/vm1"), "EACCES", "x"))
                .isEqualTo("permission denied connecting to /var/run/bhyve/vm1: run bhyvectl as the user that runs"
                        + " VM vm1 (usually root)");
    }

    @Test
    void aCBhyveDoesNotKnowJbhyvesCommands() throws Exception {
        UnixServerSocket server = rawVm("vm1");
        CompletableFuture<NvList> got = CompletableFuture.supplyAsync(() -> {
            try (UnixSocket c = acceptOne(server)) {
                return c.receive(0, WAIT);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Run r = bhyvectl("--vm=vm1", "--destroy", dirOption());
        assertThat(got.get(10, TimeUnit.SECONDS).getString("cmd")).isEqualTo("destroy");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("bhyvectl: VM vm1 closed the connection without a reply: it is not a jbhyve,"
                + " and C bhyve has no 'destroy' command on its socket (use FreeBSD's bhyvectl)\n");
    }

    @Test
    void aVmThatNeverRepliesTimesOut() throws Exception {
        UnixServerSocket server = rawVm("vm1");
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture.runAsync(() -> {
            try (UnixSocket c = acceptOne(server)) {
                c.receive(0, WAIT);
                done.await(10, TimeUnit.SECONDS); // hold the connection open, say nothing
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long t0 = System.nanoTime();
        Run r = bhyvectl("--vm=vm1", "--get-stats", dirOption(), "--timeout=1");
        done.countDown();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(r).isEqualTo(new Run(1, "", "bhyvectl: no reply from VM vm1 within 1 second (the request was sent"
                + " and may still complete; wait longer with --timeout=SECONDS)\n"));
    }

    // ---- the command line ----

    @Test
    void usageErrorsExitWith1AndPrintTheUsage() {
        String[][] bad = {
                {},
                {"--vm=vm1"},
                {"--get-stats"},
                {"--vm=vm1", "--destroy", "--get-stats"},
                {"--vm=vm1", "--checkpoint=a", "--suspend=b"},
                {"--vm=vm1", "--get-stats", "--json"},
                {"--inspect=f", "--vm=vm1"},
                {"--verify=f", "--timeout=3"},
                {"--verify=f", "--fields"},
                {"--inspect=a", "--verify=b"},
                {"--vm=vm1", "--get-stats", "--bogus"},
                {"--vm=vm1", "--get-stats", "extra"},
                {"--vm=vm1", "--get-stats", "--timeout=0"},
                {"--vm=vm1", "--get-stats", "--timeout=soon"},
                {"--vm=a/b", "--get-stats"},
                {"--vm=", "--get-stats"},
                {"--vm=vm1", "--destroy=yes"},
                {"--checkpoint"},
                {"--vm=vm1", "--force"},
                {"-x"},
                {"--inspect=a\u0000b"},
                {"--vm=a\u0000b", "--get-stats"},
        };
        for (String[] args : bad) {
            Run r = bhyvectl(args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).as(String.join(" ", args)).startsWith("bhyvectl: ").contains("Usage: bhyvectl --vm=<vmname>");
        }
        assertThat(bhyvectl("--vm=vm1", "--destroy", "--get-stats").err())
                .startsWith("bhyvectl: give one command at a time, not --destroy and --get-stats\n");
        assertThat(bhyvectl("--get-stats").err()).startsWith("bhyvectl: --get-stats needs --vm=<vmname>\n");
        assertThat(bhyvectl("--vm=vm1", "--force").err()).startsWith(
                "bhyvectl: unknown option '--force': write the option's whole name (--force-poweroff or --force-reset)\n");
        // A path or VM name the file system cannot hold (here a NUL; in the C locale, any non-ASCII byte).
        assertThat(bhyvectl("--inspect=a\u0000b").err()).startsWith("bhyvectl: --inspect: 'a\u0000b' is not a path");
        // A prefix that only one of jbhyve's options has is still refused: in FreeBSD's bhyvectl it is ambiguous.
        assertThat(bhyvectl("--vm=vm1", "--de").err()).startsWith(
                "bhyvectl: unknown option '--de': write the option's whole name (--destroy)\n");
        assertThat(bhyvectl("--vm=vm1", "--d").err()).startsWith(
                "bhyvectl: unknown option '--d': write the option's whole name (--destroy or --diff)\n");
        assertThat(bhyvectl("--vm=vm1", "--get-stats", "--timeout=soon").err())
                .startsWith("bhyvectl: --timeout takes a whole number of seconds, not 'soon'\n");
    }

    @Test
    void helpDocumentsEveryOption() {
        Run r = bhyvectl("--help");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        for (String o : new String[] {"--vm=", "--checkpoint=", "--suspend=", "--destroy", "--force-poweroff",
                "--force-reset", "--get-stats", "--inspect=", "--json", "--fields", "--verify=", "--control-dir=",
                "--timeout="}) {
            assertThat(r.out()).contains(o);
        }
    }

    @Test
    void optionsMayAlsoTakeTheirValueAsTheNextArgument() throws Exception {
        startVm("vm2");
        Run r = bhyvectl("--vm", "vm2", "--get-stats", "--control-dir", controlDir().toString());
        assertThat(r.status()).as(r.err()).isZero();

    }
}
