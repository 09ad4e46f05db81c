package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restored VM reads the pages its guest has not written yet from the snapshot file. Truncated after the
 * restore where bhyve could not take a lease on it (here: the test holds it open for writing, so
 * SnapshotFileGuardKvmTest's protection is off), the file no longer holds them, and a checkpoint reading them would take SIGBUS inside the
 * JVM's CRC32C stub, which ends the process with the guest. The checkpoint is refused instead, with the
 * file and its lengths named, and the VM is left as it was. Real /dev/kvm, the golden demo snapshot.
 */
@RequiresKvm
class TruncatedRamFileKvmTest {
    private static long ramOffsetOf(Path snap) throws Exception {
        try (SnapshotReader r = SnapshotReader.open(snap)) {
            return r.ramRegions().get(0).fileOffset();
        }
    }

    /**
     * The demo snapshot restored while the test holds the file open for writing, so that bhyve cannot take its
     * lease and says so: the file is then as exposed as on a file system without leases.
     */
    private static BhyveRun restoredAndTicking(Path snap, Path dir) throws Exception {
        BhyveRun run = BhyveRun.restore(snap, List.of("-o", "control.dir=" + dir));
        run.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= 0, java.time.Duration.ofSeconds(60));
        String noLease = "jbhyve: no lease on the snapshot file this VM's RAM is mapped from: EAGAIN (the file is"
                + " open for writing)";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!run.stderr().contains(noLease) && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(run.stderr()).contains(noLease);
        return run;
    }

    @Test
    void aCheckpointOfAVmWhoseRamFileWasTruncatedIsRefusedNotACrash(@TempDir Path dir) throws Exception {
        Path snap = BhyveRun.demoSnapshotCopy(dir, "vm.snap");
        long ramOffset = ramOffsetOf(snap);
        try (FileChannel writer = FileChannel.open(snap, StandardOpenOption.WRITE);
             BhyveRun run = restoredAndTicking(snap, dir)) {
            // The last MiB of the guest's 4: the demo guest's code, data and stack are below it.
            writer.truncate(ramOffset + (3 << 20));
            assertThatThrownBy(() -> run.runtime.checkpoint(new SnapshotTarget.File(dir.resolve("after")), false))
                    .isInstanceOf(VmmException.class)
                    .hasMessage("guest RAM is mapped from " + snap + ", which is now " + (ramOffset + (3 << 20))
                            + " bytes long but holds RAM up to byte " + (ramOffset + (4 << 20)) + ": it was truncated"
                            + " after the restore, and the guest's RAM past its end is gone (what the guest wrote there"
                            + " too); this VM's RAM can no longer be read whole");
            assertThat(dir.resolve("after")).doesNotExist();
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("vm.snap");
            }
            long before = SnapshotKvmTest.lastTick(run.output());
            run.awaitOutput(o -> SnapshotKvmTest.lastTick(o) > before, java.time.Duration.ofSeconds(60));
            run.type("q"); // the demo guest powers off
            assertThat(run.exitStatus(java.time.Duration.ofSeconds(60))).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    @Test
    void aGuestThatLosesItsPagesToATruncationEndsAndBhyveSaysWhy(@TempDir Path dir) throws Exception {
        Path snap = BhyveRun.demoSnapshotCopy(dir, "vm.snap");
        long ramOffset = ramOffsetOf(snap);
        try (FileChannel writer = FileChannel.open(snap, StandardOpenOption.WRITE);
             BhyveRun run = restoredAndTicking(snap, dir)) {
            writer.truncate(ramOffset); // all of the guest's RAM
            int status = run.exitStatus(java.time.Duration.ofSeconds(60));
            assertThat(status).isIn(ExitStatus.ERROR.code(), ExitStatus.TRIPLE_FAULT.code());
            assertThat(run.stderr()).contains("jbhyve: probably why: guest RAM is mapped from " + snap + ", which is now "
                    + ramOffset + " bytes long");
        }
    }
}
