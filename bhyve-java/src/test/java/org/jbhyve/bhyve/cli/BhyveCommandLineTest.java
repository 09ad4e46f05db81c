package org.jbhyve.bhyve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jbhyve.bhyve.config.ConfigTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each option of bhyve_optparse and main(): the keys it sets, and the errors it reports. */
class BhyveCommandLineTest {
    static ParsedCommandLine parse(String... args) {
        return BhyveCommandLine.parse(args);
    }

    static ConfigTree config(String... args) {
        return parse(args).config();
    }

    static UsageException error(String... args) {
        try {
            BhyveCommandLine.parse(args);
        } catch (UsageException e) {
            assertThat(e.exitStatus()).isEqualTo(4);
            return e;
        }
        throw new AssertionError("expected a UsageException for " + String.join(" ", args));
    }

    @Test
    void defaultsAreBhyveInitConfig() {
        assertThat(config("vm").dump()).isEqualTo("""
                acpi_tables=true
                acpi_tables_in_memory=true
                memory.size=256M
                x86.strictmsr=true
                x86.verbosemsr=false
                lpc.fwcfg=bhyve
                name=vm
                """);
    }

    @ParameterizedTest
    @CsvSource({
        "-a, x86.x2apic, false",
        "-C, memory.guest_in_core, true",
        "-D, destroy_on_poweroff, true",
        "-e, x86.strictio, true",
        "-H, x86.vmexit_on_hlt, true",
        "-M, monitor, true",
        "-P, x86.vmexit_on_pause, true",
        "-S, memory.wired, true",
        "-u, rtc.use_localtime, false",
        "-W, virtio_msix, false",
        "-w, x86.strictmsr, false",
        "-x, x86.x2apic, true",
        "-Y, x86.mptable, false",
    })
    void flags(String flag, String key, String value) {
        assertThat(config(flag, "vm").getRaw(key)).contains(value);
    }

    @Test
    void noOpFlagsChangeNothing() {
        assertThat(config("-A", "-I", "vm").dump()).isEqualTo(config("vm").dump());
    }

    @Test
    void flagsCluster() {
        ConfigTree c = config("-AHPwu", "vm");
        assertThat(c.getRaw("x86.vmexit_on_hlt")).contains("true");
        assertThat(c.getRaw("x86.vmexit_on_pause")).contains("true");
        assertThat(c.getRaw("x86.strictmsr")).contains("false");
        assertThat(c.getRaw("rtc.use_localtime")).contains("false");
    }

    @Test
    void anOptionArgumentMayBeAttachedOrSeparateOrEndACluster() {
        assertThat(config("-c2", "vm").getRaw("cpus")).contains("2");
        assertThat(config("-c", "2", "vm").getRaw("cpus")).contains("2");
        ConfigTree c = config("-Hc3", "vm");
        assertThat(c.getRaw("x86.vmexit_on_hlt")).contains("true");
        assertThat(c.getRaw("cpus")).contains("3");
        // getopt takes the next word as the argument even when it looks like an option.
        assertThat(config("-K", "-H", "vm").getRaw("keyboard.layout")).contains("-H");
        // No '=' separator: -o=x gives -o the argument "=x", a variable with an empty name.
        assertThat(error("-o=x", "vm").getMessage()).isEqualTo("-o =x: bad config variable name ''");
    }

    @Test
    void laterOptionsWinInCommandLineOrder() {
        assertThat(config("-o", "memory.size=1G", "-m", "2G", "vm").getRaw("memory.size")).contains("2G");
        assertThat(config("-m", "2G", "-o", "memory.size=1G", "vm").getRaw("memory.size")).contains("1G");
        assertThat(config("-x", "-a", "vm").getRaw("x86.x2apic")).contains("false");
    }

    @Test
    void aReplacedValueMovesToTheEndOfItsNodeLikeBhyvesNvlist() {
        assertThat(config("-H", "-w", "vm").children("x86"))
                .containsExactly("verbosemsr", "vmexit_on_hlt", "strictmsr");
    }

    // ---- -c ----

    @Test
    void topologyForms() {
        assertThat(config("-c", "cpus=4,sockets=2,cores=2,threads=1", "vm").dump())
                .contains("cpus=4\nsockets=2\ncores=2\nthreads=1\n");
        assertThat(config("-c", "sockets=2,cores=2", "vm").getRaw("cpus")).isEmpty();
        ConfigTree empty = config("-c", "", "vm");
        assertThat(empty.dump()).contains("sockets=1\ncores=1\nthreads=1\ncpus=1\n");
        assertThat(config("-c", "0x4", "vm").getRaw("cpus")).contains("0x4");
    }

    @Test
    void topologyErrors() {
        assertThat(error("-c", "foo=2", "vm").getMessage())
                .startsWith("-c foo=2: invalid cpu topology: unknown setting 'foo=2'").contains("cpus=4,sockets=2");
        assertThat(error("-c", "0", "vm").getMessage()).contains("invalid value for cpus: '0'").contains("1 to 65535");
        assertThat(error("-c", "two", "vm").getMessage()).contains("invalid value for cpus: 'two'");
        assertThat(error("-c", "70000", "vm").getMessage()).contains("invalid value for cpus: '70000'");
        // bhyve_topology_parse quirk: an empty item sets cpus to "", which calc_topology refuses.
        assertThat(error("-c", "2,,cores=2", "vm").getMessage()).contains("invalid value for cpus: ''");
        // sockets defaults to cpus, so cores=2 makes 4 sockets x 2 cores for 4 vCPUs.
        assertThat(error("-c", "4,cores=2", "vm").getMessage())
                .contains("topology (4 sockets, 2 cores, 1 threads) does not match 4 vCPUs");
        assertThat(error("-c", "sockets=300,cores=300", "vm").getMessage()).contains("computed number of vCPUs too high");
    }

    // ---- -m ----

    @Test
    void memorySizeIsStoredAsGivenAndChecked() {
        assertThat(config("-m", "214", "vm").getRaw("memory.size")).contains("214");
        assertThat(config("-m", "4g", "vm").getRaw("memory.size")).contains("4g");
        assertThat(error("-m", "2X", "vm").getMessage()).startsWith("memory.size: invalid memory size '2X'").contains("512M");
        assertThat(error("-m", "0", "vm").getMessage()).contains("invalid memory size '0'");
        assertThat(error("-m", "-1", "vm").getMessage()).contains("negative");
        assertThat(error("-o", "memory.size=lots", "vm").getMessage()).contains("invalid memory size 'lots'");
    }

    // ---- -o ----

    @Test
    void configOption() {
        ConfigTree c = config("-o", "pci.0.5.0.device=virtio-rnd", "-o", "boot.kernel=/boot/vmlinuz",
                "-o", "boot.cmdline=console=ttyS0 quiet", "vm");
        assertThat(c.getRaw("pci.0.5.0.device")).contains("virtio-rnd");
        assertThat(c.getRaw("boot.kernel")).contains("/boot/vmlinuz");
        assertThat(c.getRaw("boot.cmdline")).contains("console=ttyS0 quiet");
    }

    @Test
    void configOptionErrors() {
        UsageException noEquals = error("-o", "memory.size", "vm");
        assertThat(noEquals.getMessage()).isEqualTo(
                "-o memory.size: invalid configuration option (write -o name=value, such as -o memory.size=1G)");
        assertThat(error("-o", "uuid=", "vm").getMessage()).contains("-o uuid=: invalid configuration option");
        assertThat(error("-o", "memory=1G", "vm").getMessage()).contains("-o memory=1G: cannot set memory");
        assertThat(error("-o", "a..b=1", "vm").getMessage()).contains("bad config variable name 'a..b'");
    }

    // ---- -k ----

    @Test
    void configFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vm.conf");
        Files.writeString(file, """
                # a comment
                name=fromfile

                memory.size=1G
                pci.0.4.0.device=virtio-blk
                pci.0.4.0.path=/images/%(name).img
                x86.strictmsr=false
                """, StandardCharsets.UTF_8);
        ConfigTree c = config("-k", file.toString(), "-o", "memory.size=2G");
        assertThat(c.getRaw("name")).contains("fromfile");
        assertThat(c.getRaw("memory.size")).contains("2G");
        // %(var) stays in the stored value; ConfigTree.get expands it.
        assertThat(c.getRaw("pci.0.4.0.path")).contains("/images/%(name).img");
        assertThat(c.get("pci.0.4.0.path")).contains("/images/fromfile.img");
        assertThat(parse("-k", file.toString()).vmName()).contains("fromfile");
        // A VM name on the command line overrides the file's.
        assertThat(parse("-k", file.toString(), "other").vmName()).contains("other");
    }

    @Test
    void configFileErrors(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "memory.size=1G\n  # indented comments are not comments to bhyve\n");
        assertThat(error("-k", bad.toString(), "vm").getMessage())
                .isEqualTo("-k " + bad + ": " + bad + " line 2: invalid config option '  # indented comments are not"
                        + " comments to bhyve' (each line must be name=value with a value, or start with #)");
        Path dos = dir.resolve("dos.conf");
        Files.writeString(dos, "memory.size=1G\r\n");
        assertThat(error("-k", dos.toString(), "vm").getMessage()).contains("line 1").contains("carriage return");
        // A BOM (Windows editors' "UTF-8") became part of the first name: memory.size silently stayed 256M.
        Path bom = dir.resolve("bom.conf");
        Files.writeString(bom, "\uFEFFmemory.size=1G\n");
        assertThat(error("-k", bom.toString(), "vm").getMessage()).isEqualTo("-k " + bom + ": " + bom
                + " starts with a byte order mark (save the file as UTF-8 without a BOM)");
        Path missing = dir.resolve("missing.conf");
        assertThat(error("-k", missing.toString(), "vm").getMessage())
                .isEqualTo("-k " + missing + ": cannot read config file " + missing + ": no such file (check the path)");
        Path clash = dir.resolve("clash.conf");
        Files.writeString(clash, "memory=1G\n");
        assertThat(error("-k", clash.toString(), "vm").getMessage()).contains("line 1: cannot set memory");
    }

    // ---- -l, -s: see LpcDeviceParserTest and PciSlotParserTest; here the help forms ----

    @Test
    void helpListsStopTheParseWhereBhyveExits() {
        assertThat(parse("-s", "help").action()).isEqualTo(ParsedCommandLine.Action.LIST_PCI_EMULATIONS);
        assertThat(parse("-l", "help").action()).isEqualTo(ParsedCommandLine.Action.LIST_LPC_DEVICES);
        // strncmp(arg, "help", strlen(arg)): any prefix of "help" works, even the empty string.
        assertThat(parse("-s", "h").action()).isEqualTo(ParsedCommandLine.Action.LIST_PCI_EMULATIONS);
        assertThat(parse("-l", "").action()).isEqualTo(ParsedCommandLine.Action.LIST_LPC_DEVICES);
        // Later options, even invalid ones, are never looked at; earlier ones are.
        assertThat(parse("-s", "help", "-s", "99,nothing").action()).isEqualTo(ParsedCommandLine.Action.LIST_PCI_EMULATIONS);
        assertThat(error("-s", "99,nothing", "-s", "help").getMessage()).contains("slot 99 is out of range");
        assertThat(parse("-h", "-Z").action()).isEqualTo(ParsedCommandLine.Action.HELP);
    }

    // ---- -p ----

    @Test
    void pinningAccumulatesPerVcpu() {
        ConfigTree c = config("-c", "2", "-p", "0:1", "-p", "0:3", "-p", "1:0", "vm");
        assertThat(c.getRaw("vcpu.0.cpuset")).contains("1,3");
        assertThat(c.getRaw("vcpu.1.cpuset")).contains("0");
    }

    @Test
    void pinningErrors() {
        assertThat(error("-p", "0-1", "vm").getMessage())
                .isEqualTo("-p 0-1: invalid vcpu pinning configuration (write VCPU:HOSTCPU, such as -p 0:12)");
        assertThat(error("-p", "0:1024", "vm").getMessage()).contains("hostcpu 1024 outside valid range from 0 to 1023");
        assertThat(error("-p", "-1:2", "vm").getMessage()).contains("invalid vcpu pinning configuration");
        assertThat(error("-p", "0:1x", "vm").getMessage()).contains("invalid vcpu pinning configuration");
        assertThat(error("-o", "vcpu.0.cpuset=0-", "vm").getMessage()).contains("invalid vcpu.0.cpuset '0-'");
    }

    @Test
    void pinningAVcpuTheVmDoesNotHaveIsIgnoredWithAWarning() {
        ParsedCommandLine cmd = parse("-c", "2", "-p", "5:1", "vm");
        assertThat(cmd.warnings()).contains("vcpu.5.cpuset is ignored: the VM's vCPUs are numbered from 0 to 1");
    }

    // ---- -n ----

    @Test
    void numaDomains() {
        ConfigTree c = config("-c", "4", "-m", "2G", "-n", "cpus=0-1,size=1G,id=0", "-n", "id=1,cpus=2-3,size=1G", "vm");
        // bhyve_numa_parse writes size, domain_policy, cpus in that order whatever the argument's order.
        assertThat(c.dump()).contains("domains.0.size=1G\ndomains.0.cpus=0-1\ndomains.1.size=1G\ndomains.1.cpus=2-3\n");
        assertThat(parse("-n", "id=0,cpus=0", "-n", "id=1,cpus=0", "vm").warnings())
                .anySatisfy(w -> assertThat(w).contains("split evenly"));
        // calc_mem_affinity stops at the first missing domain number.
        assertThat(parse("-n", "id=0,size=128M,cpus=0", "-n", "id=2,size=128M,cpus=0", "vm").warnings())
                .containsExactly("NUMA domain 2 is ignored: domains are numbered from 0 without gaps, at most 8");
    }

    @Test
    void numaErrors() {
        assertThat(error("-n", "size=1G", "vm").getMessage()).contains("the domain id is missing").contains("-n id=0,size=4G,cpus=0-3");
        assertThat(error("-n", "id=256", "vm").getMessage()).contains("invalid value for id: '256'");
        assertThat(error("-n", "id=0,sise=1G", "vm").getMessage()).contains("unknown item 'sise=1G'");
        assertThat(error("-o", "acpi_tables=false", "-n", "id=0", "vm").getMessage())
                .isEqualTo("-n id=0: NUMA emulation requires ACPI (remove acpi_tables=false)");
        assertThat(error("-n", "id=0,size=1G", "vm").getMessage()).contains("NUMA domain 0 has no vCPU list");
        assertThat(error("-n", "id=0,size=huge,cpus=0", "vm").getMessage()).contains("invalid memory size for NUMA domain 0");
    }

    // ---- -G, -U, -K, -r, -f ----

    @Test
    void gdb() {
        ConfigTree wait = config("-G", "w127.0.0.1:1234", "vm");
        assertThat(wait.getRaw("gdb.wait")).contains("true");
        assertThat(wait.getRaw("gdb.address")).contains("127.0.0.1");
        assertThat(wait.getRaw("gdb.port")).contains("1234");
        ConfigTree portOnly = config("-G", "1234", "vm");
        assertThat(portOnly.getRaw("gdb.port")).contains("1234");
        assertThat(portOnly.contains("gdb.address")).isFalse();
        assertThat(portOnly.contains("gdb.wait")).isFalse();
        assertThat(error("-G", "w", "vm").getMessage()).contains("the debug server needs a port");
    }

    @Test
    void uuidAndKeyboardLayout() {
        ConfigTree c = config("-U", "c3a3b1a0-3f7e-11ec-9d64-0242ac130003", "-K", "fr", "vm");
        assertThat(c.getRaw("uuid")).contains("c3a3b1a0-3f7e-11ec-9d64-0242ac130003");
        assertThat(c.getRaw("keyboard.layout")).contains("fr");
    }

    @Test
    void restoreFileStaysOutOfTheTreeAndMayStandInForTheName() {
        ParsedCommandLine named = parse("-r", "/var/snap/vm.ckp", "vm");
        assertThat(named.restoreFile()).contains(Path.of("/var/snap/vm.ckp"));
        assertThat(named.config().flatten().values()).doesNotContain("/var/snap/vm.ckp");
        ParsedCommandLine unnamed = parse("-r", "/var/snap/vm.ckp");
        assertThat(unnamed.action()).isEqualTo(ParsedCommandLine.Action.START);
        assertThat(unnamed.vmName()).isEmpty();
        assertThat(error("-r", "", "vm").getMessage()).contains("the checkpoint file name is empty");
    }

    @Test
    void fwCfgUserFilesGoWhereTheFwCfgDeviceReadsThem(@TempDir Path dir) throws IOException {
        Path ignition = dir.resolve("config.ign");
        Files.writeString(ignition, "{\"ignition\":{}}");
        ConfigTree c = config("-f", "name=opt/com.coreos/config,file=" + ignition,
                "-f", "opt/org.example/greeting,string=hello, world", "vm");
        assertThat(c.getRaw("fwcfg.0.name")).contains("opt/com.coreos/config");
        assertThat(c.getRaw("fwcfg.0.file")).contains(ignition.toString());
        assertThat(c.getRaw("fwcfg.1.name")).contains("opt/org.example/greeting");
        assertThat(c.getRaw("fwcfg.1.string")).contains("hello, world");
    }

    @Test
    void fwCfgErrors(@TempDir Path dir) {
        assertThat(error("-f", "opt/x", "vm").getMessage()).startsWith("-f opt/x: ");
        assertThat(error("-f", "opt/x,data=1", "vm").getMessage()).startsWith("-f opt/x,data=1: ");
        Path none = dir.resolve("none");
        assertThat(error("-f", "opt/x,file=" + none, "vm").getMessage()).isEqualTo("-f opt/x,file=" + none
                + ": cannot open fw_cfg file '" + none + "': no such regular file (check the path)");
        assertThat(error("-f", "opt/x,file=" + dir, "vm").getMessage()).contains("no such regular file");
        assertThat(error("-f", "opt/" + "x".repeat(52) + ",string=a", "vm").getMessage()).contains("at most 55");
        assertThat(config("-f", "opt/" + "x".repeat(51) + ",string=a", "vm").getRaw("fwcfg.0.string")).contains("a");
    }

    // ---- operands and general errors ----

    @Test
    void theVmNameIsRequired() {
        assertThat(error().getMessage()).startsWith("missing the VM name");
        assertThat(error("-H").getMessage()).startsWith("missing the VM name");
        assertThat(error("").getMessage()).contains("the VM name is empty");
        assertThat(parse("-o", "name=vm").vmName()).contains("vm");
    }

    @Test
    void optionsStopAtTheFirstOperandAsWithGetopt() {
        assertThat(parse("-H", "--", "vm").vmName()).contains("vm");
        assertThat(error("vm", "-H").getMessage())
                .isEqualTo("option -H comes after 'vm': options go before the VM name, which comes last");
    }

    @Test
    void operandsBeforeTheNameAreIgnoredWithAWarning() {
        ParsedCommandLine cmd = parse("-H", "ARGUMENT1", "ARGUMENT2", "vm");
        assertThat(cmd.vmName()).contains("vm");
        assertThat(cmd.ignoredOperands()).containsExactly("ARGUMENT1", "ARGUMENT2");
        assertThat(cmd.warnings()).containsExactly("ignoring ARGUMENT1 ARGUMENT2: only the VM name may follow the options"
                + " (bhyve(8) would refuse this command line)");
    }

    @Test
    void unknownOptionsAndMissingArguments() {
        assertThat(error("-Z", "vm").getMessage()).isEqualTo("unknown option -Z (run 'bhyve -h' for the options)");
        assertThat(error("-HZ", "vm").getMessage()).isEqualTo("unknown option -Z (run 'bhyve -h' for the options)");
        assertThat(error("--memory", "vm").getMessage()).startsWith("unknown option --memory");
        assertThat(error("-c").getMessage()).isEqualTo("option -c requires an argument (run 'bhyve -h' for the options)");
        assertThat(error("-H", "-m").getMessage()).isEqualTo("option -m requires an argument (run 'bhyve -h' for the options)");
    }

    @Test
    void anErrorInAnEarlierOptionIsReportedBeforeAnUnknownLaterOne() {
        assertThat(error("-s", "3", "-Z", "vm").getMessage()).startsWith("-s 3: invalid PCI slot info field");
    }

    @Test
    void dumpHappensBeforeTheChecksAsInBhyve() {
        ParsedCommandLine cmd = parse("-c", "0", "-o", "config.dump=true", "vm");
        assertThat(cmd.action()).isEqualTo(ParsedCommandLine.Action.DUMP_CONFIG);
        assertThat(cmd.config().getRaw("cpus")).contains("0");
        assertThat(parse("-o", "config.dump=false", "vm").action()).isEqualTo(ParsedCommandLine.Action.START);
        assertThat(error("-o", "config.dump=maybe", "vm").getMessage())
                .contains("config.dump must be true or false, not 'maybe'");
        // The VM name is still required first: bhyve checks it before dumping.
        assertThat(error("-o", "config.dump=true").getMessage()).startsWith("missing the VM name");
    }

    @Test
    void deprecatedLpcBootromIsCopiedToTheTopLevel() {
        ParsedCommandLine cmd = parse("-o", "lpc.bootrom=/fw/BHYVE_UEFI.fd", "-o", "lpc.bootvars=/fw/VARS.fd", "vm");
        assertThat(cmd.config().getRaw("bootrom")).contains("/fw/BHYVE_UEFI.fd");
        assertThat(cmd.config().getRaw("bootvars")).contains("/fw/VARS.fd");
        assertThat(cmd.warnings()).containsExactly("lpc.bootrom is deprecated, use '-o bootrom' instead",
                "lpc.bootvars is deprecated, use '-o bootvars' instead");
        ParsedCommandLine both = parse("-o", "lpc.bootrom=/old.fd", "-o", "bootrom=/new.fd", "vm");
        assertThat(both.config().getRaw("bootrom")).contains("/new.fd");
        assertThat(both.warnings()).isEmpty();
    }
}
