package org.jbhyve.bhyve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BhyveCommandLine.run: what goes to stdout and stderr, and the exit status. */
class RunTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<ParsedCommandLine> launched = new ArrayList<>();

    private int run(String... args) {
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return BhyveCommandLine.run(args, o, e, cmd -> {
                launched.add(cmd);
                return 2; // whatever the VM ends with is passed through
            });
        }
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aValidCommandLineIsLaunched() {
        assertThat(run("-c", "2", "-s", "0,hostbridge", "vm")).isEqualTo(2);
        assertThat(launched).singleElement().satisfies(cmd -> {
            assertThat(cmd.action()).isEqualTo(ParsedCommandLine.Action.START);
            assertThat(cmd.vmName()).contains("vm");
        });
        assertThat(out()).isEmpty();
        assertThat(err()).isEmpty();
    }

    @Test
    void helpGoesToStderrWithStatus0AndSatisfiesLibvirtsProbe() {
        assertThat(run("-h")).isZero();
        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("Usage: bhyve [-aACDeHhIMPSuWwxY]\n");
        assertThat(err()).contains("-u: RTC keeps UTC time").contains("-c [[cpus=]numcpus][,sockets=n][,cores=n][,threads=n]");
        assertThat(err()).doesNotContain("-c vcpus");
        assertThat(launched).isEmpty();
    }

    @Test
    void deviceListsGoToStdoutWithStatus0() {
        assertThat(run("-s", "help")).isZero();
        assertThat(out().lines().map(l -> l.split(" ")[0]).toList()).containsExactly("hostbridge", "amd_hostbridge",
                "passthru", "virtio-net", "virtio-blk", "virtio-scsi", "virtio-9p", "virtio-rnd", "virtio-console",
                "virtio-input", "ahci", "ahci-cd", "ahci-hd", "e1000", "uart", "lpc", "fbuf", "xhci", "nvme", "hda");
        assertThat(out()).contains("virtio-net       VirtIO network interface on a tap (Linux: an interface via"
                + " /dev/net/tun; FreeBSD: /dev/tapN or /dev/vmnetN)\n");
        assertThat(out()).contains("ahci             AHCI SATA controller with hd: and cd: ports [not yet in jbhyve]\n");
        assertThat(out()).contains("hostbridge       PCI host bridge\n");
        out.reset();
        assertThat(run("-l", "help")).isZero();
        assertThat(out().lines().map(l -> l.split(" ")[0]).toList()).containsExactly("bootrom", "com1", "com2", "com3",
                "com4", "tpm", "pc-testdev", "fwcfg", "debug-exit");
        assertThat(launched).isEmpty();
    }

    @Test
    void configDumpPrintsTheTreeAndExits1() {
        assertThat(run("-m", "1G", "-o", "config.dump=true", "vm")).isEqualTo(1);
        assertThat(out()).isEqualTo("""
                acpi_tables=true
                acpi_tables_in_memory=true
                memory.size=1G
                x86.strictmsr=true
                x86.verbosemsr=false
                lpc.fwcfg=bhyve
                config.dump=true
                name=vm
                """);
        assertThat(launched).isEmpty();
    }

    @Test
    void errorsPrintOneLineAndExit4WithoutLaunching() {
        assertThat(run("-s", "3,nosuchdevice", "vm")).isEqualTo(4);
        assertThat(err()).isEqualTo("bhyve: -s 3,nosuchdevice: pci slot 0:3:0: unknown device \"nosuchdevice\""
                + " (run 'bhyve -s help' for the emulations)\n");
        assertThat(out()).isEmpty();
        assertThat(launched).isEmpty();
    }

    @Test
    void warningsGoToStderrBeforeTheLaunch() {
        assertThat(run("-o", "lpc.bootrom=/fw.fd", "vm")).isEqualTo(2);
        assertThat(err()).isEqualTo("bhyve: warning: lpc.bootrom is deprecated, use '-o bootrom' instead\n");
        assertThat(launched).hasSize(1);
    }
}
