package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.control.ControlProtocol;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A standby bhyve ({@code -o restore.standby=true}) as its own process on real /dev/kvm: it warms up,
 * waits on its control socket, refuses what it cannot do yet, restores the demo guest's snapshot on
 * request (into the machine its options describe, or from the manifest when they describe another),
 * and then is that VM's bhyve: the guest's counter goes on from the snapshot without a reboot.
 */
@RequiresKvm
class StandbyKvmTest {
    private static final Duration T = Duration.ofSeconds(120);

    /** A bhyve child process with its stdout (COM1) and stderr collected as they come. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        Child(List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "org.jbhyve.bhyve.Main"));
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).start();
            pump(process.getInputStream(), out);
            pump(process.getErrorStream(), err);
        }

        private static void pump(InputStream in, ByteArrayOutputStream to) {
            Thread.ofPlatform().daemon().start(() -> {
                byte[] b = new byte[4096];
                try {
                    for (int n; (n = in.read(b)) > 0; ) {
                        synchronized (to) {
                            to.write(b, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the process has gone
                }
            });
        }

        String out() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String err() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        void await(String what, Predicate<Child> condition) throws InterruptedException {
            long deadline = System.nanoTime() + T.toNanos();
            while (!condition.test(this)) {
                if (!process.isAlive()) fail("bhyve exited (" + process.exitValue() + ") before " + what + "; stderr:\n" + err());
                if (System.nanoTime() > deadline) fail("no " + what + " within " + T + "; stderr:\n" + err());
                Thread.sleep(20);
            }
        }

        void type(String s) throws IOException {
            process.getOutputStream().write(s.getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        }

        int exitStatus() throws InterruptedException {
            if (!process.waitFor(T.toSeconds(), TimeUnit.SECONDS)) fail("bhyve did not exit; stderr:\n" + err());
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static NvList request(Path socket, NvList request) throws Exception {
        return ControlRequests.request(socket, request, T);
    }

    private static NvList restore(Path socket, String file) throws Exception {
        return request(socket, new NvList().addString("cmd", "restore").addString("filename", file));
    }

    /** Runs the demo guest for a few ticks and suspends it to {@code snap}; returns its last tick. */
    private static long suspendedDemo(Path snap, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(SnapshotKvmTest.demoArgs());
        args.addAll(List.of(extraArgs));
        try (BhyveRun run = BhyveRun.start(args)) {
            run.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= 2, T);
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).isZero();
            return SnapshotKvmTest.lastTick(run.output());
        }
    }

    private static StateRecord msrListedTwice(StateRecord vcpu) {
        try {
            List<StateRecord> msrs = new ArrayList<>(vcpu.records("msrs"));
            msrs.add(msrs.get(0));
            return vcpu.toBuilder().putRecords("msrs", msrs).build();
        } catch (SnapshotFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StateRecord withCr0(StateRecord vcpu, long cr0) {
        try {
            return vcpu.toBuilder().putRecord("sregs", vcpu.record("sregs").toBuilder().putU64("cr0", cr0).build()).build();
        } catch (SnapshotFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> standbyArgs(Path control, List<String> machine) {
        List<String> args = new ArrayList<>(machine);
        args.addAll(List.of("-l", "com1,stdio", "-o", "restore.standby=true", "-o", "control.dir=" + control, "sb"));
        return args;
    }

    @Test
    void aStandbyWithTheVmsOptionsRestoresIntoThePreparedMachineAndBecomesThatVm(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("demo.snap");
        long tick = suspendedDemo(snap);
        Path control = dir.resolve("run");
        try (Child sb = new Child(standbyArgs(control, SnapshotKvmTest.demoArgs()))) {
            sb.await("the ready line", c -> c.err().contains("ready for bhyvectl --restore"));
            Path socket = control.resolve("sb");
            NvList stats = request(socket, new NvList().addString("cmd", "get-stats"));
            assertThat(stats.getNvList("stats").getNumber("standby")).isEqualTo(1);
            assertThat(stats.getNvList("stats").getNumber("ready")).isEqualTo(1);
            NvList early = request(socket, new NvList().addString("cmd", "checkpoint").addString("filename", "x")
                    .addBool("suspend", false).addDescriptor("fddir", 0));
            assertThat(early.getNumber("error")).isEqualTo(ControlProtocol.EBUSY);
            assertThat(early.getString("message")).contains("no VM to checkpoint yet");

            NvList missing = restore(socket, dir.resolve("missing.snap").toString());
            assertThat(missing.getNumber("error")).isNotZero();
            assertThat(missing.getString("message")).contains("missing.snap");
            assertThat(sb.process.isAlive()).as("a failed restore leaves the standby waiting").isTrue();
            Path corrupt = dir.resolve("corrupt.snap");
            byte[] bytes = Files.readAllBytes(snap);
            bytes[bytes.length - 10] ^= 0x20; // in the manifest, which ends the file: its CRC fails
            Files.write(corrupt, bytes);
            NvList bad = restore(socket, corrupt.toString());
            assertThat(bad.getNumber("error")).isNotZero();
            assertThat(bad.getString("message")).contains("manifest fails its checksum");
            // A snapshot of this very machine that the restore refuses (a vCPU record naming an MSR twice):
            // the answer is the refusal, not a second try the ordinary way that drops the machine first.
            Path twice = dir.resolve("msr-twice.snap");
            SnapshotKvmTest.rewriteChunks(snap, twice, c -> List.of(SnapshotKvmTest.NewChunk.of(c,
                    c.name().equals("vcpu") ? msrListedTwice(c.record()) : c.record())), cfg -> { });
            NvList refused = restore(socket, twice.toString());
            assertThat(refused.getNumber("error")).isEqualTo(ControlProtocol.EINVAL);
            assertThat(refused.getString("message")).contains("vcpu 0").contains("twice");
            assertThat(sb.err()).as("refused requests leave the prepared machine as it was")
                    .doesNotContain("prepared a machine").doesNotContain("which is dropped");
            assertThat(request(socket, new NvList().addString("cmd", "get-stats")).getNvList("stats").getNumber("ready"))
                    .isEqualTo(1);
            // A snapshot that only KVM refuses (CR0.PG without PE), after the restore began to change the machine:
            // that machine is dropped and another prepared, which the next request restores into.
            Path badCr0 = dir.resolve("bad-cr0.snap");
            SnapshotKvmTest.rewriteChunks(snap, badCr0, c -> List.of(SnapshotKvmTest.NewChunk.of(c,
                    c.name().equals("vcpu") ? withCr0(c.record(), 0x8000_0000L) : c.record())), cfg -> { });
            NvList rejected = restore(socket, badCr0.toString());
            assertThat(rejected.getNumber("error")).as(rejected.getString("message")).isEqualTo(ControlProtocol.EINVAL);
            sb.await("a machine prepared again", c -> c.err().contains("which is dropped")
                    && c.err().contains("prepared a machine for the next restore"));

            NvList ok = restore(socket, snap.toString());
            assertThat(ok.getNumber("error")).as(ok.getString("message")).isZero();
            assertThat(ok.getString("message")).contains("into the machine prepared for it");

            sb.await("ticks after the snapshot's", c -> SnapshotKvmTest.lastTick(c.out()) > tick + 1);
            assertThat(sb.out()).doesNotContain("jbhyve demo guest"); // no reboot banner
            assertThat(sb.err()).containsPattern("the guest runs again [0-9.]+ ms after the restore request");
            NvList again = restore(socket, snap.toString());
            assertThat(again.getNumber("error")).isEqualTo(ControlProtocol.EBUSY);
            assertThat(request(socket, new NvList().addString("cmd", "get-stats")).getNvList("stats").exists("vcpus"))
                    .as("stats are the VM's now").isTrue();
            // The restored VM guards its snapshot file: a copy over it waits until the RAM is copied out.
            Path zeros = dir.resolve("zeros");
            Files.write(zeros, new byte[(int) Files.size(snap)]);
            Process cp = new ProcessBuilder("cp", zeros.toString(), snap.toString()).start();
            assertThat(cp.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(cp.exitValue()).isZero();
            long afterCopy = SnapshotKvmTest.lastTick(sb.out());
            sb.await("ticks after the copy", c -> SnapshotKvmTest.lastTick(c.out()) > afterCopy + 1);
            assertThat(sb.err()).contains("its RAM was copied out of it first");
            sb.type("q");
            assertThat(sb.exitStatus()).as("the restored guest powers off: bhyve's status 1").isEqualTo(ExitStatus.POWEROFF.code());
        }
        assertThat(Files.exists(control.resolve("sb"))).isFalse();
    }

    @Test
    void aStandbyForAnotherMachineRestoresFromTheManifestAndSaysWhy(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("demo-rnd.snap");
        long tick = suspendedDemo(snap, "-s", "5,virtio-rnd"); // a device the standby's options do not have
        Path control = dir.resolve("run");
        try (Child sb = new Child(standbyArgs(control, SnapshotKvmTest.demoArgs()))) {
            sb.await("the ready line", c -> c.err().contains("ready for bhyvectl --restore"));
            NvList ok = restore(control.resolve("sb"), snap.toString());
            assertThat(ok.getNumber("error")).as(ok.getString("message")).isZero();
            assertThat(ok.getString("message")).contains("the prepared machine was not used").contains("pci.0.5.0");
            sb.await("ticks after the snapshot's", c -> SnapshotKvmTest.lastTick(c.out()) > tick + 1);
            assertThat(request(control.resolve("sb"), new NvList().addString("cmd", "destroy")).getNumber("error")).isZero();
            assertThat(sb.exitStatus()).isEqualTo(ExitStatus.ERROR.code());
        }
    }

    @Test
    void sigtermOrDestroyEndAStandbyThatRestoredNothing(@TempDir Path dir) throws Exception {
        Path control = dir.resolve("run");
        try (Child sb = new Child(standbyArgs(control, List.of()))) {
            sb.await("the ready line", c -> c.err().contains("ready for bhyvectl --restore"));
            sb.process.toHandle().destroy(); // SIGTERM
            assertThat(sb.exitStatus()).isEqualTo(ExitStatus.POWEROFF.code());
            assertThat(sb.err()).contains("ended by SIGTERM");
        }
        try (Child sb = new Child(standbyArgs(control, List.of()))) {
            sb.await("the ready line", c -> c.err().contains("ready for bhyvectl --restore"));
            assertThat(request(control.resolve("sb"), new NvList().addString("cmd", "destroy")).getNumber("error")).isZero();
            assertThat(sb.exitStatus()).isEqualTo(ExitStatus.ERROR.code());
        }
    }
}
