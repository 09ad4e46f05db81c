package org.jbhyve.bhyve.runtime;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.jbhyve.vmm.state.MpState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Suspend and restore of a guest with two vCPUs on real /dev/kvm (test guest {@code smptick}): each
 * vCPU counts its own LAPIC timer's interrupts, the BSP prints both counts, and the AP waits for
 * INIT/SIPI until the test types 's'. So a restore is checked from outside for both vCPUs, their
 * LAPIC timers, and an AP caught in either state: running, or still waiting for its STARTUP IPI.
 */
@RequiresKvm
class SmpSnapshotKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    /** What the guest returns at 'q', through -l debug-exit: (0 << 1) | 1. */
    private static final int GUEST_OK = 1;
    private static final Pattern COUNTS = Pattern.compile("(?m)^bsp (\\d+) ap (\\d+)$");
    private static final String BANNER = "smptick: 2 vCPUs";

    /** The two counts of the guest's last complete "bsp B ap A" line, or {-1, -1}. */
    static long[] lastCounts(String out) {
        Matcher m = COUNTS.matcher(out);
        long[] last = {-1, -1};
        while (m.find()) last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        return last;
    }

    static long[] firstCounts(String out) {
        Matcher m = COUNTS.matcher(out);
        assertThat(m.find()).as("a 'bsp B ap A' line in:\n" + out).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    static BhyveRun boot() throws Exception {
        BhyveRun run = BhyveRun.start(List.of("-c", "2", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-l", "debug-exit", "-o", "boot.kernel=" + TestGuests.path("smptick")));
        run.awaitOutput(o -> o.contains(BANNER), T);
        return run;
    }

    @Test
    void bothRunningVcpusAndTheirTimersContinueAfterSuspendAndRestore(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("smp");
        long[] atSuspend;
        try (BhyveRun run = boot()) {
            run.type("s");
            run.awaitOutput(o -> o.contains("ap started\n") && lastCounts(o)[1] >= 3, T);
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).as("bhyve exits 0 after a suspend").isZero();
            atSuspend = lastCounts(run.output());
        }
        try (BhyveRun restored = BhyveRun.restoreNotStarted(snap, List.of())) {
            assertThat(restored.runtime.vm().vcpu(1).saveState().mpState())
                    .as("the AP had been started").isIn(MpState.RUNNABLE, MpState.HALTED);
            restored.startVm();
            // The AP's count goes on past where it was: its vCPU runs and its own LAPIC timer fires.
            restored.awaitOutput(o -> lastCounts(o)[1] >= atSuspend[1] + 5, T);
            String out = restored.output();
            assertThat(out).as("no reboot, no second start of the AP").doesNotContain(BANNER).doesNotContain("ap started");
            long[] first = firstCounts(out);
            assertThat(first[0]).as("the BSP's count continues").isGreaterThan(atSuspend[0]);
            assertThat(first[1]).as("the AP's count continues").isGreaterThanOrEqualTo(atSuspend[1]);
            restored.type("q");
            assertThat(restored.exitStatus(T)).as(restored.output() + restored.stderr()).isEqualTo(GUEST_OK);
        }
    }

    @Test
    void anApStillWaitingForItsStartupIpiCanBeStartedAfterTheRestore(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("smp-waiting");
        MpState waiting;
        long[] atSuspend;
        try (BhyveRun run = boot()) {
            run.awaitOutput(o -> lastCounts(o)[0] >= 20, T);
            run.runtime.pause(Duration.ofSeconds(30));
            waiting = run.runtime.vm().vcpu(1).saveState().mpState();
            run.runtime.resume();
            assertThat(waiting).as("the AP waits for INIT/SIPI").isIn(MpState.UNINITIALIZED, MpState.INIT_RECEIVED);
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).isZero();
            atSuspend = lastCounts(run.output());
            assertThat(atSuspend[1]).isZero();
        }
        try (BhyveRun restored = BhyveRun.restoreNotStarted(snap, List.of())) {
            assertThat(restored.runtime.vm().vcpu(1).saveState().mpState()).isEqualTo(waiting);
            restored.startVm();
            restored.awaitOutput(o -> lastCounts(o)[0] > atSuspend[0], T);
            // Were the AP restored runnable, it would have run from its reset state long before this; it
            // must instead take the INIT and STARTUP IPIs the BSP sends now, and run the trampoline.
            restored.type("s");
            restored.awaitOutput(o -> o.contains("ap started\n") && lastCounts(o)[1] >= 5, T);
            assertThat(restored.output()).doesNotContain(BANNER).doesNotContain("ap did not start");
            restored.type("q");
            assertThat(restored.exitStatus(T)).as(restored.output() + restored.stderr()).isEqualTo(GUEST_OK);
        }
    }
}
