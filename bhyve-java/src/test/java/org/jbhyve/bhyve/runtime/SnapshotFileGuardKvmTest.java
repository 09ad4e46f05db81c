package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restored VM's RAM is mapped from its snapshot file; another process truncating that file, or copying
 * another snapshot over it in place, would take the guest's RAM away or change it under the guest. bhyve
 * holds a lease on the file: the writer waits while bhyve copies the RAM out, and the guest runs on
 * unharmed. Real /dev/kvm, the golden demo snapshot, real truncate(1) and cp(1).
 */
@RequiresKvm
class SnapshotFileGuardKvmTest {
    private static final Duration T = Duration.ofSeconds(120);

    private static void run(String... command) throws Exception {
        assertThat(exitOf(command)).isZero();
    }

    private static int exitOf(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        return p.exitValue();
    }

    @Test
    void truncatingTheSnapshotOfARunningVmDoesNotTakeItsRam(@TempDir Path dir) throws Exception {
        Path snap = BhyveRun.demoSnapshotCopy(dir, "vm.snap");
        try (BhyveRun vm = BhyveRun.restore(snap, List.of("-o", "control.dir=" + dir))) {
            vm.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= 0, T);
            long before = SnapshotKvmTest.lastTick(vm.output());
            // truncate(1) opens O_NONBLOCK: while the lease is held it fails at once with EAGAIN (the break has
            // begun), and succeeds once bhyve has let the file go.
            if (exitOf("truncate", "-s", "0", snap.toString()) != 0) {
                long deadline = System.nanoTime() + T.toNanos();
                while (!vm.stderr().contains("copied out of it first") && System.nanoTime() < deadline) Thread.sleep(10);
                run("truncate", "-s", "0", snap.toString());
            }
            assertThat(Files.size(snap)).isZero();
            assertThat(vm.stderr()).contains("jbhyve: the snapshot file this VM's RAM was mapped from is being written"
                    + " or truncated: its RAM was copied out of it first");
            vm.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= before + 2, T);
            // Its RAM is whole: a checkpoint reads all of it and verifies, and the counter in it is the guest's.
            Path after = dir.resolve("after.snap");
            vm.runtime.checkpoint(new SnapshotTarget.File(after), true);
            assertThat(vm.exitStatus(T)).isZero();
            SnapshotReader.verify(after);
        }
        try (BhyveRun again = BhyveRun.restore(dir.resolve("after.snap"), List.of("-o", "control.dir=" + dir))) {
            long counter = again.runtime.vm().memory().readLong(org.jbhyve.testguests.TestGuests.DEMO_TICKS_ADDRESS);
            again.awaitOutput(o -> SnapshotKvmTest.lastTick(o) > counter, T);
            again.type("q");
            assertThat(again.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    @Test
    void copyingAnotherSnapshotOverItInPlaceLeavesTheGuestAlone(@TempDir Path dir) throws Exception {
        Path snap = BhyveRun.demoSnapshotCopy(dir, "vm.snap");
        Path other = dir.resolve("zeros");
        Files.write(other, new byte[(int) Files.size(snap)]); // what cp would pour into the guest: all zeros
        try (BhyveRun vm = BhyveRun.restore(snap, List.of("-o", "control.dir=" + dir))) {
            vm.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= 0, T);
            long before = SnapshotKvmTest.lastTick(vm.output());
            run("cp", other.toString(), snap.toString()); // O_TRUNC, then writes: the same inode
            vm.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= before + 2, T);
            assertThat(vm.stderr()).contains("its RAM was copied out of it first");
            vm.type("q");
            assertThat(vm.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    @Test
    void aFileRewrittenBetweenTheRestoreAndTheLeaseStopsTheVmWithTheReason(@TempDir Path dir) throws Exception {
        Path snap = BhyveRun.demoSnapshotCopy(dir, "vm.snap");
        Path zeros = dir.resolve("zeros");
        Files.write(zeros, new byte[(int) Files.size(snap)]);
        try (BhyveRun vm = BhyveRun.restoreNotStarted(snap, List.of("-o", "control.dir=" + dir))) {
            run("cp", zeros.toString(), snap.toString()); // RAM mapped, no lease yet: nothing holds the writer back
            vm.startVm();
            assertThat(vm.exitStatus(T)).isEqualTo(ExitStatus.ERROR.code());
            assertThat(vm.stderr()).contains("that guest RAM is mapped from was written or truncated since the restore"
                    + " checked it: the guest's memory can no longer be trusted");
        }
    }
}
