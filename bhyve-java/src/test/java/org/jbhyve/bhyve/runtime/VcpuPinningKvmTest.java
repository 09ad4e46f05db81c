package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jbhyve.bhyve.Main;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bhyve's -p vcpu:hostcpu pins the vCPU's thread: its kernel-side CPU list says so. Real /dev/kvm. */
@RequiresKvm
class VcpuPinningKvmTest {

    /** Thread id to Cpus_allowed_list, for this process's threads named {@code name}. */
    private static java.util.Map<String, String> cpusAllowedOf(String name) throws Exception {
        java.util.Map<String, String> lists = new java.util.HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (!Files.readString(t.resolve("comm")).strip().equals(name)) continue;
                    lists.put(t.getFileName().toString(), Files.readAllLines(t.resolve("status")).stream()
                            .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                            .substring("Cpus_allowed_list:".length()).strip());
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return lists;
    }

    @Test
    void aPinnedVcpuThreadRunsOnlyOnItsHostCpu() throws Exception {
        // The highest CPU this process may use (taskset or a cgroup may have left it fewer than the host has).
        java.util.BitSet allowed = VcpuPinning.allowedCpus();
        int lastCpu = allowed.length() - 1;
        List<String> args = new ArrayList<>(SnapshotKvmTest.demoArgs());
        args.addAll(List.of("-p", "0:" + lastCpu));
        // Other tests' VMs may still run in this JVM: this VM's vCPU thread is the one that was not there before.
        var before = cpusAllowedOf("vcpu 0").keySet();
        try (BhyveRun run = BhyveRun.start(args)) {
            run.awaitOutput(o -> SnapshotKvmTest.lastTick(o) >= 1, Duration.ofSeconds(120));
            var now = new java.util.HashMap<>(cpusAllowedOf("vcpu 0"));
            now.keySet().removeAll(before);
            assertThat(now.values()).containsExactly(Integer.toString(lastCpu));
            run.type("q"); // the demo guest powers off
            assertThat(run.exitStatus(Duration.ofSeconds(60))).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    @Test
    void aListWithNoCpuThisProcessMayUseStopsBhyveBeforeTheVmRuns(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(SnapshotKvmTest.demoArgs());
        args.addAll(List.of("-p", "0:1023", "-o", "control.dir=" + dir, "pinned"));
        int status = Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(ExitStatus.ERROR.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("bhyve: vcpu.0.cpuset names host CPUs 1023, none"
                + " of which this bhyve may run on (").contains("): give -p 0:CPU with one of those");
    }
}
