package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last of bhyve -r's opens by name, the one that restores vCPU and device state into the built VM, refuses
 * a file that is not the one whose config and RAM the VM already has. Real /dev/kvm, the golden demo snapshot.
 */
@RequiresKvm
class RestoreStateIdentityKvmTest {
    @Test
    void theStateOfAnotherFileRenamedOverTheNameIsNotRestored(@TempDir Path dir) throws Exception {
        Path file = BhyveRun.demoSnapshotCopy(dir, "vm.snap");
        org.jbhyve.bindings.libc.FileStat first;
        try (SnapshotReader r = SnapshotReader.open(file)) {
            first = r.identity();
        }
        try (BhyveRun run = BhyveRun.restoreNotStarted(file, List.of("-o", "control.dir=" + dir))) {
            Files.move(BhyveRun.demoSnapshotCopy(dir, "other.snap"), file, StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> SnapshotRestore.restore(file, first, run.runtime.vm(), run.runtime.snapshottables(),
                    new PrintStream(new ByteArrayOutputStream())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("cannot restore " + file + ": it is no longer the file that was checked (it was replaced"
                            + " or changed while it was being restored); restore it again once nothing writes it");
        }
    }
}
