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
                "pci.0.0.0.device", "hostbridge", "memory.size", "32M", "checkpoint.live", "false");
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

    @Test
    void aRestoreUnderAnotherNameKeepsTheGuestsGeneratedMacAddress() {
        Map<String, String> snapshot = new java.util.LinkedHashMap<>(Map.of("name", "old",
                "pci.0.2.0.device", "virtio-net", "pci.0.2.0.backend", "tap0",
                "pci.0.3.0.device", "virtio-net", "pci.0.3.0.backend", "tap1", "pci.0.3.0.mac", "58:9c:fc:00:00:01"));
        var renamed = Main.restoreConfig(snapshot, org.jbhyve.bhyve.cli.BhyveCommandLine.parse(
                new String[] {"-r", "/snap", "new"}));
        var original = new org.jbhyve.bhyve.config.ConfigTree();
        snapshot.forEach(original::set);
        assertThat(renamed.get("name")).contains("new");
        var asIfBootedAsNew = new org.jbhyve.bhyve.config.ConfigTree();
        snapshot.forEach(asIfBootedAsNew::set);
        asIfBootedAsNew.set("name", "new");
        String oldMac = org.jbhyve.bhyve.devices.virtio.VirtioNet.macOf(original, "pci.0.2.0");
        assertThat(oldMac).isNotEqualTo(org.jbhyve.bhyve.devices.virtio.VirtioNet.macOf(asIfBootedAsNew, "pci.0.2.0"));
        assertThat(renamed.get("pci.0.2.0.mac")).as("bhyve's address for slot 2 of VM 'old'").contains(oldMac);
        assertThat(renamed.get("pci.0.3.0.mac")).as("an explicit mac= stays").contains("58:9c:fc:00:00:01");
    }

    @Test
    void aRestoreCommandLineCannotPutAnotherDeviceInASlotButMayRepeatTheSnapshotsOrChangeAPath() {
        Map<String, String> snapshot = new java.util.LinkedHashMap<>(Map.of("name", "vm",
                "pci.0.2.0.device", "virtio-blk", "pci.0.2.0.path", "/old/disk.img"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.restoreConfig(snapshot,
                        org.jbhyve.bhyve.cli.BhyveCommandLine.parse(new String[] {"-r", "/snap", "-s", "2,virtio-rnd", "vm"})))
                .isInstanceOf(org.jbhyve.bhyve.config.ConfigException.class)
                .hasMessage("the snapshot has virtio-blk at pci.0.2.0, but the command line puts virtio-rnd there"
                        + " (pci.0.2.0.device): a restore brings back the machine the snapshot was taken of, so -s and -o"
                        + " cannot change its devices (give the same -s options or none, and override only host settings"
                        + " such as -o pci.0.2.0.path=...)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.restoreConfig(snapshot,
                        org.jbhyve.bhyve.cli.BhyveCommandLine.parse(new String[] {"-r", "/snap", "-s", "3,virtio-rnd", "vm"})))
                .hasMessageStartingWith("the snapshot has no device at pci.0.3.0, but the command line puts virtio-rnd");
        // bhyve(8) wants the snapshot's -s options again with -r: the same devices are accepted, new paths taken
        var same = Main.restoreConfig(snapshot, org.jbhyve.bhyve.cli.BhyveCommandLine.parse(
                new String[] {"-r", "/snap", "-s", "2,virtio-blk,/new/disk.img", "vm"}));
        assertThat(same.get("pci.0.2.0.path")).contains("/new/disk.img");
    }

    /**
     * A standby ended by SIGTERM or a request keeps that end's exit status: a destroy that comes before its
     * socket is gone (it was queued, or sent just then) is refused, saying the status, instead of being
     * answered "exits with status 4" by a process that exits 1.
     */
    @Test
    void anEndRequestToAStandbyThatHasEndedIsRefusedWithItsStatus() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Standby standby = new Standby(org.jbhyve.bhyve.cli.BhyveCommandLine.parse(
                new String[] {"-o", "restore.standby=true", "vm7"}), new PrintStream(err, true, StandardCharsets.UTF_8));
        standby.forcePoweroff();
        for (Runnable late : new Runnable[] {standby::destroy, standby::forceReset, standby::forcePoweroff}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(late::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("standby vm7 has already ended").hasMessageContaining("force-poweroff")
                    .hasMessageContaining("exits with status 1");
        }
    }
}
