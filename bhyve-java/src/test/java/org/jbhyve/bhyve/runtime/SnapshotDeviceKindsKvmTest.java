package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device kinds a restore knows ({@link SnapshotRestore#deviceKinds}) against the devices jbhyve builds,
 * and what a restore says of state for a device of a known kind that the VM does not have.
 */
@RequiresKvm
class SnapshotDeviceKindsKvmTest {

    /** The kind of every device a VM built from {@code args} saves state for. */
    private static List<String> kindsBuiltBy(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "1,virtio-rnd",
                "-s", "31,lpc"));
        all.addAll(List.of(args));
        all.add("kinds");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
        List<String> kinds = new ArrayList<>();
        try (VmRuntime vm = VmRuntime.build(BhyveCommandLine.parse(all.toArray(String[]::new)).config(), quiet)) {
            for (Snapshottable s : vm.snapshottables()) {
                String name = s.stateName();
                kinds.add(name.contains("@") ? name.substring(0, name.indexOf('@')) : name);
            }
        }
        return kinds;
    }

    @Test
    void everyDeviceJbhyveBuildsIsOfAKindTheRestoreKnows(@TempDir Path dir) throws Exception {
        List<String> built = new ArrayList<>();
        built.addAll(kindsBuiltBy("-l", "com1,tcp=127.0.0.1:0", "-l", "com2,tcp=127.0.0.1:0", "-l", "com3,tcp=127.0.0.1:0",
                "-l", "com4,tcp=127.0.0.1:0", "-l", "pc-testdev", "-l", "debug-exit", "-o", "lpc.fwcfg=qemu",
                "-o", "boot.kernel=" + TestGuests.path("demo")));
        // A boot ROM brings bhyve's fwctl (lpc.fwcfg=bhyve) and its own chunk.
        Path rom = java.nio.file.Files.write(dir.resolve("ROM.fd"), BootRomSnapshotKvmTest.counterRom(0));
        Path vars = java.nio.file.Files.write(dir.resolve("VARS.fd"), new byte[8192]);
        built.addAll(kindsBuiltBy("-o", "lpc.fwcfg=bhyve", "-l", "bootrom," + rom + "," + vars));
        assertThat(built).contains("dev.pci", "dev.hostbridge", "dev.lpc", "dev.virtio-rnd", "dev.acpi-pm", "dev.rtc",
                "dev.com1", "dev.com2", "dev.com3", "dev.com4", "dev.pc-testdev", "dev.isa-debug-exit", "dev.fw_cfg",
                "dev.fwctl", "dev.bootrom");
        // The other PCI emulations' kinds are "dev." + their emulation name, as PciDevice names them.
        assertThat(SnapshotRestore.deviceKinds()).containsAll(built)
                .contains("dev.virtio-blk", "dev.virtio-net", "dev.virtio-console");
    }

    @Test
    void stateForAKnownDeviceTheVmDoesNotHaveIsRefusedAsSuchNotAsANewerKind(@TempDir Path dir) throws Exception {
        Path good = BhyveRun.demoSnapshotCopy(dir, "good");
        // dev.com2 beside dev.com1, in a snapshot whose config has no com2: required, refused; optional, a warning.
        for (boolean required : new boolean[] {true, false}) {
            Path extra = dir.resolve("com2-" + required);
            SnapshotKvmTest.rewriteChunks(good, extra, c -> c.name().equals("dev.com1")
                    ? List.of(SnapshotKvmTest.NewChunk.of(c, c.record()),
                            new SnapshotKvmTest.NewChunk("dev.com2", "", 7, required, null, c.record()))
                    : List.of(SnapshotKvmTest.NewChunk.of(c, c.record())), cfg -> { });
            if (required) {
                assertThat(SnapshotKvmTest.restoreFails(extra)).contains("it holds chunk 'dev.com2', which no part of this"
                        + " VM takes (its configuration has no such device or vCPU)").doesNotContain("newer jbhyve");
            } else {
                try (BhyveRun restored = BhyveRun.restore(extra, List.of())) {
                    assertThat(restored.stderr()).contains("ignoring optional chunk 'dev.com2': no part of this VM takes it")
                            .doesNotContain("does not know");
                }
            }
        }
    }
}
