package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;

/**
 * bhyve -S wires guest memory: jbhyve locks it (mlock), which the process's VmLck shows; and an option
 * jbhyve takes but does not act on (-x) says so on stderr. Real /dev/kvm, the demo guest (32 MiB).
 */
@RequiresKvm
class WiredMemoryKvmTest {
    private static long vmLckKib() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmLck:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }

    @Test
    void dashSLocksAllOfGuestRamAndDashXSaysItIsIgnored() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                || Files.readString(Path.of("/proc/self/limits")).matches("(?s).*Max locked memory\\s+unlimited.*"),
                "not root and RLIMIT_MEMLOCK is limited: bhyve -S cannot lock 32 MiB here (ulimit -l)");
        long before = vmLckKib();
        List<String> args = new ArrayList<>(SnapshotKvmTest.demoArgs());
        args.addAll(List.of("-S", "-x"));
        try (BhyveRun run = BhyveRun.start(args)) {
            run.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= 1, Duration.ofSeconds(120));
            assertThat(vmLckKib() - before).as("32 MiB of guest RAM locked").isGreaterThanOrEqualTo(32 << 10);
            assertThat(run.stderr()).contains("bhyve: -x (x86.x2apic) is ignored: jbhyve's local APICs stay in xAPIC mode");
            run.type("q");
            assertThat(run.exitStatus(Duration.ofSeconds(60))).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }
}
