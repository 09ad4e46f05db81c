package org.jbhyve.bhyve;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.control.ControlException;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A standby's SIGTERM racing its restore request, on real /dev/kvm (the rest of the standby: StandbyKvmTest). */
@RequiresKvm
class StandbySigtermKvmTest {

    /**
     * SIGTERM comes as the restored VM is about to become the standby's VM, after the restore has marked
     * it running and before it published it. The SIGTERM must not be lost: either the standby ends (and
     * the restore, finding that, closes the VM it built), or the VM's power button is pressed. It was
     * dropped, and the restored VM ran on as if no SIGTERM had come.
     */
    @Test
    void aSigtermJustBeforeTheRestoredVmIsPublishedEndsTheStandby(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("demo.snap");
        try (InputStream golden = StandbySigtermKvmTest.class.getResourceAsStream("/snapshots/format-1.0/demo-4m.snap")) {
            Files.copy(golden, snap);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Standby standby = new Standby(BhyveCommandLine.parse(new String[] {"-o", "restore.standby=true",
                "-l", "com1," + dir.resolve("com1.log"), "sb"}), new PrintStream(err, true, StandardCharsets.UTF_8));
        standby.beforePublishing = standby::terminate; // the SIGTERM handler runs right then
        try {
            assertThatThrownBy(() -> standby.restore(snap.toString())).as(err.toString(StandardCharsets.UTF_8))
                    .isInstanceOf(ControlException.class).hasMessageContaining("standby sb ended during the restore");
        } catch (AssertionError lost) {
            standby.forcePoweroff(); // the restored VM is running: end it before failing
            throw lost;
        }
        // The standby ended as SIGTERM ends it (status 1), and says so to a later request.
        assertThatThrownBy(standby::destroy).hasMessageContaining("ended by SIGTERM before any restore")
                .hasMessageContaining("exits with status 1");
        assertThat(standby.stats()).containsEntry("standby", 1L);
    }
}
