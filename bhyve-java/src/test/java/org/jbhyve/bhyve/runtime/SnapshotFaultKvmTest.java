package org.jbhyve.bhyve.runtime;

import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a checkpoint leaves behind when things go wrong: the bhyve process killed with SIGKILL in the
 * middle of one, and a file system that fills up. Either the previous snapshot or none — never a
 * file that passes verification — and a full disk leaves the VM running.
 */
@RequiresKvm
class SnapshotFaultKvmTest {
    private static final Duration T = Duration.ofSeconds(120);

    /** Starts bhyve in a child JVM with the demo guest and its control socket in {@code run}. */
    private static Process bhyveProcess(Path run, String name, String... prefix) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(prefix));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.jbhyve.bhyve.Main", "-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-o", "boot.kernel=" + TestGuests.path("demo"), "-o", "control.dir=" + run, name));
        return new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Sends bhyvectl's checkpoint message (directory passed as a descriptor) and returns the reply. */
    private static NvList checkpoint(Path socket, Path dir, String file) throws Exception {
        return checkpoint(socket, dir, file, false);
    }

    private static NvList checkpoint(Path socket, Path dir, String file, boolean suspend) throws Exception {
        return ControlRequests.checkpoint(socket, dir, file, suspend, Duration.ofSeconds(60));
    }

    /** Whether a checkpoint's temporary file (".NAME.tmp.HEX") is in {@code dir}. */
    private static boolean writingTemporary(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(".snap.tmp."));
        }
    }

    private static void awaitSocket(Path socket, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) fail("bhyve did not come up (exit " + (p.isAlive() ? "-" : p.exitValue()) + ")");
            Thread.sleep(50);
        }
        Thread.sleep(300); // let the guest get going
    }

    @Test
    void killingBhyveDuringACheckpointLeavesThePreviousSnapshotVerifiable(@TempDir Path dir) throws Exception {
        Path snaps = Files.createDirectory(dir.resolve("snaps"));
        Random random = new Random(20261126);
        for (int round = 0; round < 3; round++) {
            Path run = dir.resolve("run" + round);
            Process p = bhyveProcess(run, "victim");
            try {
                Path socket = run.resolve("victim");
                awaitSocket(socket, p);
                if (round == 0) {
                    NvList reply = checkpoint(socket, snaps, "snap");
                    assertThat(reply.getNumber("error")).as(reply.toString()).isZero();
                }
                SnapshotReader.verify(snaps.resolve("snap"));
                long before = Files.size(snaps.resolve("snap"));
                // ask for a new checkpoint over the good one and kill -9 at a random moment of it
                Thread requester = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        checkpoint(socket, snaps, "snap");
                    } catch (Exception expected) {
                        // the process dies under us
                    }
                });
                // Kill only once the checkpoint is under way: its temporary file is there (then at a random
                // moment of it), so that every round kills a checkpoint in progress, not before or after one.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!writingTemporary(snaps)) {
                    assertThat(requester.isAlive()).as("the checkpoint was seen under way before it ended").isTrue();
                    assertThat(System.nanoTime()).as("the checkpoint starts").isLessThan(deadline);
                    Thread.onSpinWait();
                }
                Thread.sleep(random.nextInt(20));
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                requester.join(10_000);
                // the previous snapshot (or, if the kill came after the rename, the new one) verifies
                SnapshotReader.verify(snaps.resolve("snap"));
                assertThat(Files.size(snaps.resolve("snap"))).isEqualTo(before);
            } finally {
                p.destroyForcibly();
            }
        }
        // leftovers are only temporary files, which the next writer cleans up
        try (Stream<Path> files = Files.list(snaps)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .allMatch(n -> n.equals("snap") || n.startsWith(".snap.tmp."));
        }
    }

    /**
     * A suspend whose snapshot was renamed into place but whose directory could not be synced: the VM ends as
     * after any suspend (the snapshot exists; running on as well would let a restore run the guest twice), and
     * bhyvectl's reply now says the snapshot may not survive a power failure; that went only to the VM's log.
     * strace fails fsync on the snapshot directory alone ({@code -P}). Skipped where strace is missing.
     */
    @Test
    void aSuspendWhoseDirectoryCouldNotBeSyncedSaysSoInTheReply(@TempDir Path dir) throws Exception {
        boolean strace;
        try {
            strace = new ProcessBuilder("strace", "-V").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            strace = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(strace, "needs strace(1) to fail the directory's fsync");
        Path snaps = Files.createDirectory(dir.resolve("snaps"));
        Path run = dir.resolve("run");
        Process p = bhyveProcess(run, "unsynced", "strace", "-f", "-qq", "-o", "/dev/null", "-P", snaps.toString(),
                "-e", "trace=fsync", "-e", "inject=fsync:error=EIO");
        try {
            awaitSocket(run.resolve("unsynced"), p);
            NvList reply = checkpoint(run.resolve("unsynced"), snaps, "snap", true);
            assertThat(reply.getNumber("error")).as(reply.toString()).isZero();
            assertThat(reply.getString("message")).as(reply.toString())
                    .contains("syncing its directory failed", "may not survive a power failure", "exiting (suspended)");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("a suspend's exit status").isZero();
            SnapshotReader.verify(snaps.resolve("snap"));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aFullFileSystemFailsTheCheckpointAndTheVmKeepsRunning(@TempDir Path dir) throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        String mountOut = new String(mount.getInputStream().readAllBytes());
        assertThat(mount.waitFor()).as("mounting a 1 MiB tmpfs needs root (CAP_SYS_ADMIN): " + mountOut).isZero();
        try (BhyveRun run = BhyveRun.start(SnapshotKvmTest.demoArgs())) {
            run.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= 1, T);
            run.runtime.checkpoint(new SnapshotTarget.File(small.resolve("old")), false);
            SnapshotReader.verify(small.resolve("old"));
            // fill what is left of the file system
            try (var out = Files.newOutputStream(small.resolve("filler"))) {
                byte[] block = new byte[4096];
                java.util.Arrays.fill(block, (byte) 1);
                while (true) out.write(block);
            } catch (IOException full) {
                // No space left on device: as intended
            }
            assertThatThrownBy(() -> run.runtime.checkpoint(new SnapshotTarget.File(small.resolve("old")), false))
                    .hasMessageContaining("old")
                    .satisfies(e -> assertThat(e.toString() + e.getCause()).containsIgnoringCase("space"));
            // the VM is still running and the old snapshot is untouched
            assertThat(run.runtime.state().state()).isEqualTo(VmState.RUNNING);
            long at = SnapshotKvmTest.lastTick(run.output());
            run.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= at + 2, T);
            SnapshotReader.verify(small.resolve("old"));
            try (Stream<Path> files = Files.list(small)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("old", "filler");
            }
            run.type("q");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }
}
