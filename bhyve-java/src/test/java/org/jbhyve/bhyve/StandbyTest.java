package org.jbhyve.bhyve;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the standby mode that need no KVM: option checks and machine matching (see StandbyKvmTest). */
class StandbyTest {
    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(status), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aStandbyCannotAlsoBeGivenASnapshot() {
        String[] r = run("-r", "/nonexistent.snap", "-o", "restore.standby=true", "vm1");
        assertThat(r[0]).isEqualTo("4");
        assertThat(r[1]).contains("-r and restore.standby=true do not go together");
    }

    @Test
    void aStandbyValueMustBeABoolean() {
        String[] r = run("-o", "restore.standby=perhaps", "vm1");
        assertThat(r[0]).isEqualTo("4");
        assertThat(r[1]).contains("restore.standby").contains("true or false");
    }

    @Test
    void machinesMatchWhenOnlyKeysThatDoNotShapeThemDiffer() {
        Map<String, String> snapshot = Map.of("name", "a", "boot.kernel", "/k1", "control.dir", "/r1", "cpus", "1",
                "pci.0.0.0.device", "hostbridge", "memory.size", "32M");
        Map<String, String> prepared = Map.of("name", "b", "boot.kernel", "/k2", "control.dir", "/r2",
                "pci.0.0.0.device", "hostbridge", "memory.size", "32M");
        assertThat(Standby.differingKeys(snapshot, prepared)).as("cpus=1 is the default").isEmpty();
    }

    @Test
    void machinesDifferInDevicesMemoryAndCpus() {
        Map<String, String> snapshot = Map.of("cpus", "2", "pci.0.5.0.device", "virtio-rnd", "memory.size", "64M");
        Map<String, String> prepared = Map.of("memory.size", "32M");
        assertThat(Standby.differingKeys(snapshot, prepared)).containsExactly("cpus", "memory.size", "pci.0.5.0.device");
    }
}
