package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A VM built ahead of its restore ({@link VmRuntime#prepare}, what a standby bhyve holds) on real
 * /dev/kvm: its vCPU threads exist and wait before the restore, so that starting it costs a wake-up;
 * closing it unused ends them; restored in place it runs, and the "runs again" line is printed by the
 * caller of {@link VmRuntime#awaitGuestRunning}, not by the vCPU thread.
 */
@RequiresKvm
class PreparedVmKvmTest {
    @TempDir
    Path dir;

    private ConfigTree throwawayVm(String name) throws Exception {
        return BhyveCommandLine.parse(RestoreRehearsal.throwawayVm(dir, name)).config();
    }

    private static List<Thread> vcpuThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vcpu ") && t.isAlive()).toList();
    }

    @Test
    void aPreparedVmsVcpuThreadsWaitBeforeTheRestoreAndEndWhenItIsClosedUnused() throws Exception {
        int before = vcpuThreads().size();
        VmRuntime vm = VmRuntime.prepare(throwawayVm("prepared-unused"), new PrintStream(PrintStream.nullOutputStream()));
        try {
            assertThat(vcpuThreads()).hasSize(before + 1);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (vcpuThreads().stream().noneMatch(t -> t.getState() == Thread.State.WAITING)) {
                assertThat(System.nanoTime()).as("a prepared VM's vCPU thread parks").isLessThan(deadline);
                Thread.sleep(5);
            }
        } finally {
            vm.close();
        }
        assertThat(vcpuThreads()).hasSize(before);
    }

    /** A throwaway VM suspended, then restored into a prepared one that logs to {@code log}; not started. */
    private VmRuntime restoredInPlace(String name, ByteArrayOutputStream log) throws Exception {
        ConfigTree config = throwawayVm(name);
        Path snapshot = RestoreRehearsal.suspendThrowawayVm(dir, config);
        VmRuntime vm = VmRuntime.prepare(config, new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            vm.restoreInPlace(snapshot, snapshotConfig -> { });
        } catch (RuntimeException e) {
            vm.close();
            throw e;
        }
        vm.reportRestore(snapshot.toString(), "the test's restore", System.nanoTime());
        return vm;
    }

    @Test
    void theGuestDoesNotRunBeforeStartAndAVmThatEndsFirstPrintsNoLine() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (VmRuntime vm = restoredInPlace("prepared-ended", log)) {
            // Not started: the parked vCPU thread must not enter the guest, so no first entry comes.
            vm.awaitGuestRunning(Duration.ofMillis(300));
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("the guest has not run").doesNotContain("runs again");
            log.reset();
            vm.end(ExitStatus.POWEROFF, "ended before the guest ran");
            long begin = System.nanoTime();
            vm.awaitGuestRunning(Duration.ofSeconds(30));
            assertThat((System.nanoTime() - begin) / 1_000_000).as("ms to notice the VM ended").isLessThan(5_000);
            assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(vm.awaitExit()).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    @Test
    void aRestoreInPlaceRunsTheGuestAndTheCallerPrintsWhenItRanAgain() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (VmRuntime vm = restoredInPlace("prepared-restored", log)) {
            vm.start();
            vm.awaitGuestRunning(Duration.ofSeconds(30));
            assertThat(log.toString(StandardCharsets.UTF_8))
                    .matches("(?s)jbhyve: VM prepared-restored restored from .*rehearsal\\.snap: the guest runs again "
                            + "\\d+\\.\\d ms after the test's restore\\R");
            vm.end(ExitStatus.POWEROFF, "test over");
            assertThat(vm.awaitExit()).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    @Test
    void aSnapshotFromAnotherBackendIsRefusedAsSuchAndThePreparedVmIsUntouched() throws Exception {
        ConfigTree config = throwawayVm("prepared-freebsd");
        Path snapshot = RestoreRehearsal.suspendThrowawayVm(dir, config);
        Path freebsd = dir.resolve("freebsd.snap");
        // What the FreeBSD backend would have written: its backend in the vm chunk, its kernel blobs.
        SnapshotKvmTest.rewriteChunks(snapshot, freebsd, c -> {
            if (c.name().startsWith("kvm.")) return List.of();
            if (!c.name().equals("vm")) return List.of(SnapshotKvmTest.NewChunk.of(c, c.record()));
            return List.of(SnapshotKvmTest.NewChunk.of(c, c.record().toBuilder().putString("backend", "freebsd-vmm").build()),
                    new SnapshotKvmTest.NewChunk("freebsd.vm", "", 1, true, "freebsd 15.0-RELEASE 1500023",
                            org.jbhyve.snapshot.format.StateRecord.builder().putBytes("data", new byte[64]).build()));
        }, cfg -> { });
        try (VmRuntime vm = VmRuntime.prepare(config, new PrintStream(PrintStream.nullOutputStream()))) {
            assertThatThrownBy(() -> vm.restoreInPlace(freebsd, snapshotConfig -> { }))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("taken on the \"freebsd-vmm\" backend").hasMessageContaining("runs guests on kvm");
            // Refused before anything changed: the machine is still prepared, and takes the right snapshot.
            vm.restoreInPlace(snapshot, snapshotConfig -> { });
            vm.start();
            vm.awaitGuestRunning(java.time.Duration.ofSeconds(30));
            vm.end(org.jbhyve.bhyve.runtime.ExitStatus.POWEROFF, "test over");
            assertThat(vm.awaitExit()).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }
}
