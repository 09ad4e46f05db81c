package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options that ask for firmware tables jbhyve cannot write (a device on PCI bus 1 with the MP table on, which
 * describes one bus; less than 1 MiB of RAM, below the tables' place; SMBIOS strings that do not fit below
 * 1 MiB) stop bhyve with one line and status 4.
 * The tables are written once the VM exists, and their AcpiBuildException used to reach main() as an
 * "internal error" with a stack trace. Real /dev/kvm (the VM is created before the tables are written).
 */
@RequiresKvm
class FirmwareTablesOptionsKvmTest {
    @TempDir
    Path dir;

    private List<String> bhyve(String... args) {
        List<String> all = new ArrayList<>(List.of("-s", "0,hostbridge", "-s", "31,lpc", "-o", "control.dir=" + dir));
        all.addAll(List.of(args));
        return VmNameAndCpuLimitTest.refusedWithStatus4(all);
    }

    @Test
    void aDeviceOnBus1WithTheMpTableOnIsRefused() {
        assertThat(bhyve("-m", "32M", "-s", "1:3:0,virtio-rnd", "-o", "boot.kernel=" + TestGuests.path("serial"), "vm"))
                .containsExactly("bhyve: the MP table cannot describe more than one PCI hierarchy (buses [0, 1]);"
                        + " disable it with -Y (x86.mptable=false)");
    }

    /** SMBIOS strings too long for the BIOS area: one line naming the keys to shorten, not a trace. */
    @Test
    void smbiosStringsTooLongForTheBiosAreaAreRefused() {
        List<String> out = bhyve("-m", "32M", "-o", "system.serial_number=" + "x".repeat(60_000),
                "-o", "boot.kernel=" + TestGuests.path("serial"), "vm");
        assertThat(out).hasSize(1);
        assertThat(out.getFirst()).startsWith("bhyve: the SMBIOS tables (")
                .contains("do not fit below 1 MiB, where guests look for them after the ACPI tables",
                        "shorten the bios.*, system.*, board.* and chassis.* strings");
    }
}
