package org.jbhyve.bhyve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jbhyve.bhyve.config.ConfigTree;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every bhyve command line libvirt's bhyve driver generates for its own tests
 * (shared/corpus/libvirt-bhyvexml2argv) must parse, name the VM "bhyve", and leave the config keys
 * bhyve would leave. The expected values below were written by hand from bhyve's sources (the
 * functions cited in the parsers), not produced by this parser.
 */
class LibvirtCorpusTest {
    private static final String CORPUS = "corpus/libvirt-bhyvexml2argv";

    /** shared/ from the jbhyve.shared.dir property that surefire sets, else /work/shared (as TestIo looks). */
    static Path corpusDir() {
        Path corpus = org.jbhyve.bhyve.control.TestIo.sharedDir().resolve(CORPUS);
        if (!Files.isDirectory(corpus)) {
            fail("the libvirt command-line corpus is missing: expected the directory " + corpus.toAbsolutePath().normalize()
                    + " (set -Djbhyve.shared.dir to the shared/ directory that holds " + CORPUS + ")");
        }
        return corpus;
    }

    static List<Path> argsFiles() throws IOException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".args")).sorted().toList();
        }
    }

    /** The words of an .args file without the program name. */
    static String[] argv(Path file) throws IOException {
        List<String> words = ShellWords.split(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(words).as("program name in %s", file).isNotEmpty();
        assertThat(words.getFirst()).as("program name in %s", file).isIn("bhyve", "/usr/sbin/bhyve");
        return words.subList(1, words.size()).toArray(String[]::new);
    }

    static ParsedCommandLine parseCorpus(String test) throws IOException {
        return BhyveCommandLine.parse(argv(corpusDir().resolve("bhyvexml2argv-" + test + ".args")));
    }

    @Test
    void theCorpusIsThere() throws IOException {
        assertThat(argsFiles()).as("*.args files in " + corpusDir()).hasSizeGreaterThanOrEqualTo(70);
    }

    @TestFactory
    Stream<DynamicTest> everyFileParsesWithTheKeysItsOptionsImply() throws IOException {
        return argsFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String[] argv = argv(file);
            ParsedCommandLine cmd = BhyveCommandLine.parse(argv);
            assertThat(cmd.action()).isEqualTo(ParsedCommandLine.Action.START);
            assertThat(cmd.vmName()).contains("bhyve");
            assertThat(cmd.config().getRaw("name")).contains("bhyve");
            assertInvariants(argv, cmd.config());
        }));
    }

    private static final Pattern SLOT = Pattern.compile("(\\d+)(?::(\\d+))?(?::(\\d+))?");
    private static final Map<String, String> DEVICE_VALUE = Map.of(
            "ahci-hd", "ahci", "ahci-cd", "ahci", "amd_hostbridge", "hostbridge");

    /** What each option in the corpus implies, worked out from the words themselves. */
    private static void assertInvariants(String[] argv, ConfigTree config) {
        for (int i = 0; i + 1 < argv.length; i++) {
            String value = argv[i + 1];
            switch (argv[i]) {
                case "-s" -> {
                    String[] parts = value.split(",", 3);
                    Matcher m = SLOT.matcher(parts[0]);
                    assertThat(m.matches()).as("slot of -s %s", value).isTrue();
                    String node = m.group(3) != null ? "pci." + m.group(1) + "." + m.group(2) + "." + m.group(3)
                            : m.group(2) != null ? "pci.0." + Integer.parseInt(m.group(1)) + "." + m.group(2)
                            : "pci.0." + Integer.parseInt(m.group(1)) + ".0";
                    assertThat(config.getRaw(node + ".device")).as("-s %s", value)
                            .contains(DEVICE_VALUE.getOrDefault(parts[1], parts[1]));
                }
                case "-l" -> {
                    if (value.matches("(?i)com[1-4],.*")) {
                        String[] parts = value.split(",", 2);
                        assertThat(config.getRaw("lpc." + parts[0].toLowerCase() + ".path")).as("-l %s", value).contains(parts[1]);
                    }
                }
                case "-o" -> {
                    int eq = value.indexOf('=');
                    assertThat(config.getRaw(value.substring(0, eq))).as("-o %s", value).contains(value.substring(eq + 1));
                }
                case "-m" -> assertThat(config.getRaw("memory.size")).contains(value);
                case "-c" -> {
                    if (value.matches("\\d+")) assertThat(config.getRaw("cpus")).contains(value);
                }
                default -> { }
            }
        }
    }

    // ---- hand-written expectations, from bhyve's option parsers ----

    /** The keys every libvirt file starting "-c 1 -m 214 -u -H -P -s 0:0,hostbridge" has, in dump order. */
    private static final String COMMON_HEAD = """
            acpi_tables=true
            acpi_tables_in_memory=true
            memory.size=214
            x86.strictmsr=true
            x86.verbosemsr=false
            x86.vmexit_on_hlt=true
            x86.vmexit_on_pause=true
            lpc.fwcfg=bhyve
            cpus=1
            rtc.use_localtime=false
            pci.0.0.0.device=hostbridge
            """;

    @Test
    void base() throws IOException {
        // bhyve_init_config defaults; -m replaces memory.size; -c 1 sets cpus; -u/-H/-P their keys;
        // ahci hd: makes port.0.{type,path} (pci_ahci_legacy_config); virtio-net's first item is the
        // backend (netbe_legacy_config); the VM name comes last.
        assertThat(parseCorpus("base").config().dump()).isEqualTo(COMMON_HEAD + """
                pci.0.2.0.device=ahci
                pci.0.2.0.port.0.type=hd
                pci.0.2.0.port.0.path=/tmp/freebsd.img
                pci.0.3.0.device=virtio-net
                pci.0.3.0.backend=faketapdev
                pci.0.3.0.mac=52:54:00:b9:94:02
                name=bhyve
                """);
    }

    @Test
    void acpiapic() throws IOException {
        ConfigTree c = parseCorpus("acpiapic").config();
        assertThat(c.getRaw("acpi_tables")).contains("true");
        assertThat(c.getRaw("pci.0.3.0.mac")).contains("52:54:00:81:c4:b1");
    }

    @Test
    void cputopology() throws IOException {
        ConfigTree c = parseCorpus("cputopology").config();
        assertThat(c.dump()).contains("cpus=2\nsockets=1\ncores=2\nthreads=1\n");
    }

    @Test
    void diskVirtio() throws IOException {
        ConfigTree c = parseCorpus("disk-virtio").config();
        // Nodes keep command-line order: 3:0 was given before 2:0.
        assertThat(c.children("pci.0")).containsExactly("0", "3", "2");
        assertThat(c.getRaw("pci.0.2.0.device")).contains("virtio-blk");
        assertThat(c.getRaw("pci.0.2.0.path")).contains("/tmp/freebsd.img");
        assertThat(c.getRaw("pci.0.3.0.backend")).contains("faketapdev");
        assertThat(c.getRaw("pci.0.3.0.mac")).contains("52:54:00:bc:85:fe");
    }

    @Test
    void addrMultipleSataDisks() throws IOException {
        ConfigTree c = parseCorpus("addr-multiple-sata-disks").config();
        assertThat(c.children("pci.0.2.0.port")).containsExactly("0", "1", "2");
        assertThat(c.getRaw("pci.0.2.0.port.0.path")).contains("/tmp/freebsd1.img");
        assertThat(c.getRaw("pci.0.2.0.port.1.path")).contains("/tmp/freebsd2.img");
        assertThat(c.getRaw("pci.0.2.0.port.2.path")).contains("/tmp/freebsd2.img");
        assertThat(c.getRaw("pci.0.2.0.port.2.type")).contains("hd");
    }

    @Test
    void addrMoreThan32SataDisks() throws IOException {
        ConfigTree c = parseCorpus("addr-more-than-32-sata-disks").config();
        assertThat(c.children("pci.0.2.0.port")).hasSize(31).startsWith("0").endsWith("30");
        assertThat(c.getRaw("pci.0.2.0.port.30.path")).contains("/tmp/freebsd30.img");
        assertThat(c.children("pci.0.3.0.port")).containsExactly("0", "1", "2", "3", "4");
        assertThat(c.getRaw("pci.0.3.0.port.4.path")).contains("/tmp/freebsd35.img");
    }

    @Test
    void addrNo32devsUsesAhciHd() throws IOException {
        ConfigTree c = parseCorpus("addr-no32devs-multiple-sata-disks").config();
        // ahci-hd is stored as device=ahci with one hd port (pe_alias, pci_ahci_hd_legacy_config).
        assertThat(c.getRaw("pci.0.4.0.device")).contains("ahci");
        assertThat(c.getRaw("pci.0.4.0.port.0.type")).contains("hd");
        assertThat(c.getRaw("pci.0.4.0.port.0.path")).contains("/tmp/freebsd2.img");
    }

    @Test
    void console() throws IOException {
        ConfigTree c = parseCorpus("console").config();
        assertThat(c.getRaw("pci.0.1.0.device")).contains("lpc");
        assertThat(c.getRaw("lpc.com1.path")).contains("/dev/nmdm0A");
    }

    @Test
    void fourConsoles() throws IOException {
        ConfigTree c = parseCorpus("4-consoles").config();
        assertThat(c.getRaw("lpc.com1.path")).contains("/dev/nmdmdf3be7e7-a104-11e3-aeb0-50e5492bd3dcA");
        assertThat(c.getRaw("lpc.com2.path")).contains("tcp=127.0.0.1:12345");
        assertThat(c.getRaw("lpc.com3.path")).contains("tcp=0.0.0.0:54321");
        assertThat(c.getRaw("lpc.com4.path")).contains("/dev/nmdm0A");
        assertThat(c.children("lpc")).containsExactly("fwcfg", "com1", "com2", "com3", "com4");
    }

    @Test
    void macaddr() throws IOException {
        assertThat(parseCorpus("macaddr").config().getRaw("pci.0.3.0.mac")).contains("52:54:00:22:ee:11");
    }

    @Test
    void netE1000() throws IOException {
        ConfigTree c = parseCorpus("net-e1000").config();
        assertThat(c.getRaw("pci.0.3.0.device")).contains("e1000");
        assertThat(c.getRaw("pci.0.3.0.backend")).contains("faketapdev");
        assertThat(c.getRaw("pci.0.3.0.mac")).contains("52:54:00:00:00:00");
    }

    @Test
    void slirp() throws IOException {
        ConfigTree c = parseCorpus("slirp-mac-addr").config();
        assertThat(c.getRaw("pci.0.3.0.backend")).contains("slirp");
        assertThat(c.getRaw("pci.0.3.0.mac")).contains("00:11:22:33:44:56");
        assertThat(c.getRaw("pci.0.3.0.open")).contains("true");
    }

    @Test
    void uefi() throws IOException {
        // -l bootrom,ROM,fwcfg=qemu: the ROM at the top level, the '=' item under lpc (lpc_device_parse).
        assertThat(parseCorpus("uefi").config().dump()).isEqualTo(COMMON_HEAD.replace("lpc.fwcfg=bhyve", "lpc.fwcfg=qemu") + """
                pci.0.1.0.device=lpc
                pci.0.2.0.device=ahci
                pci.0.2.0.port.0.type=hd
                pci.0.2.0.port.0.path=/tmp/freebsd.img
                pci.0.3.0.device=virtio-net
                pci.0.3.0.backend=faketapdev
                pci.0.3.0.mac=52:54:00:00:00:00
                bootrom=/path/to/test.fd
                name=bhyve
                """);
    }

    @Test
    void uefiWithVariableStore() throws IOException {
        ConfigTree c = parseCorpus("uefi-nvram-template-and-source-set").config();
        assertThat(c.getRaw("bootrom")).contains("/path/to/test.fd");
        assertThat(c.getRaw("bootvars")).contains("/path/to/nvram/guest_VARS.fd");
        assertThat(c.getRaw("lpc.fwcfg")).contains("qemu");
    }

    @Test
    void uefiUnprivileged() throws IOException {
        ConfigTree c = parseCorpus("uefi-unprivileged").config();
        assertThat(c.getRaw("monitor")).contains("true");
        assertThat(c.getRaw("rundir")).contains("/path/to/bhyve/run");
    }

    @Test
    void vnc() throws IOException {
        assertThat(parseCorpus("vnc").config().getRaw("pci.0.4.0.device")).contains("fbuf");
        assertThat(parseCorpus("vnc").config().getRaw("pci.0.4.0.tcp")).contains("127.0.0.1:5904");
        assertThat(parseCorpus("vnc-password").config().getRaw("pci.0.4.0.password")).contains("s3cr3t");
        assertThat(parseCorpus("vnc-resolution").config().getRaw("pci.0.2.0.w")).contains("1920");
        assertThat(parseCorpus("vnc-resolution").config().getRaw("pci.0.2.0.h")).contains("1080");
        assertThat(parseCorpus("vnc-vgaconf-off").config().getRaw("pci.0.4.0.vga")).contains("off");
        assertThat(parseCorpus("vnc-wait").config().getRaw("pci.0.4.0.wait")).contains("true");
    }

    @Test
    void virtioRnd() throws IOException {
        ConfigTree c = parseCorpus("virtio-rnd").config();
        assertThat(c.getRaw("pci.0.4.0.device")).contains("virtio-rnd");
        assertThat(c.children("pci.0.4.0")).containsExactly("device");
    }

    @Test
    void virtioConsole() throws IOException {
        ConfigTree c = parseCorpus("virtio-console").config();
        assertThat(c.getRaw("pci.0.2.0.device")).contains("virtio-console");
        assertThat(c.getRaw("pci.0.2.0.port.0.name")).contains("org.qemu.guest_agent.0");
        assertThat(c.getRaw("pci.0.2.0.port.0.path")).contains("/var/run/libvirt/bhyve/bhyve.agent");
    }

    @Test
    void virtioConsoleFifteenPorts() throws IOException {
        ConfigTree c = parseCorpus("virtio-console-multiple-controllers").config();
        assertThat(c.children("pci.0.2.0.port")).hasSize(15);
        assertThat(c.getRaw("pci.0.2.0.port.14.name")).contains("org.qemu.guest_agent.15");
        assertThat(c.getRaw("pci.0.3.0.port.2.path")).contains("/var/run/libvirt/bhyve/bhyve.agent-18");
    }

    @Test
    void nvme() throws IOException {
        ConfigTree c = parseCorpus("nvme").config();
        assertThat(c.getRaw("pci.0.2.0.device")).contains("nvme");
        assertThat(c.getRaw("pci.0.2.0.path")).contains("/tmp/freebsd.img");
        assertThat(c.getRaw("pci.0.2.0.maxq")).contains("2");
        assertThat(c.getRaw("pci.0.2.0.qsz")).contains("256");
        ConfigTree explicit = parseCorpus("nvme-explicit-controller").config();
        assertThat(explicit.getRaw("pci.0.2.0.eui64")).contains("0x01000000efbeadde");
        assertThat(explicit.getRaw("pci.0.2.0.ser")).contains("BHYVE-NVME0-01234");
    }

    @Test
    void fs9p() throws IOException {
        ConfigTree c = parseCorpus("fs-9p").config();
        assertThat(c.getRaw("pci.0.4.0.device")).contains("virtio-9p");
        assertThat(c.getRaw("pci.0.4.0.sharename")).contains("shared_dir");
        assertThat(c.getRaw("pci.0.4.0.path")).contains("/shared/dir");
        assertThat(c.getRaw("pci.0.4.0.ro")).isEmpty();
        assertThat(parseCorpus("fs-9p-readonly").config().getRaw("pci.0.4.0.ro")).contains("true");
    }

    @Test
    void sound() throws IOException {
        ConfigTree c = parseCorpus("sound").config();
        assertThat(c.getRaw("pci.0.4.0.device")).contains("hda");
        assertThat(c.getRaw("pci.0.4.0.play")).contains("/dev/dsp0");
        assertThat(c.getRaw("pci.0.4.0.rec")).contains("/dev/dsp0");
    }

    @Test
    void inputXhciTablet() throws IOException {
        ConfigTree c = parseCorpus("input-xhci-tablet").config();
        assertThat(c.getRaw("pci.0.2.0.device")).contains("xhci");
        assertThat(c.getRaw("pci.0.2.0.slot.1.device")).contains("tablet");
        assertThat(c.getRaw("pci.0.3.0.device")).contains("ahci");
        assertThat(c.getRaw("pci.0.3.0.port.0.path")).contains("/tmp/freebsd.img");
    }

    @Test
    void passthru() throws IOException {
        ConfigTree c = parseCorpus("passthru").config();
        assertThat(c.getRaw("memory.wired")).contains("true");
        assertThat(c.getRaw("rtc.use_localtime")).isEmpty();
        assertThat(c.getRaw("pci.0.7.0.device")).contains("passthru");
        assertThat(c.getRaw("pci.0.7.0.bus")).contains("3");
        assertThat(c.getRaw("pci.0.7.0.slot")).contains("0");
        assertThat(c.getRaw("pci.0.7.0.func")).contains("0");
        ConfigTree multi = parseCorpus("passthru-multiple-devs").config();
        assertThat(multi.getRaw("pci.0.7.1.func")).contains("4");
        assertThat(multi.getRaw("pci.0.4.0.bus")).contains("5");
        assertThat(multi.getRaw("pci.0.4.0.slot")).contains("2");
    }

    @Test
    void msrs() throws IOException {
        // -w replaces x86.strictmsr; bhyve's nvlist re-adds a replaced value at the end of its node.
        assertThat(parseCorpus("msrs").config().dump()).contains("""
                x86.verbosemsr=false
                x86.strictmsr=false
                x86.vmexit_on_hlt=true
                x86.vmexit_on_pause=true
                """);
    }

    @Test
    void vcpupin() throws IOException {
        ConfigTree c = parseCorpus("vcpupin").config();
        assertThat(c.getRaw("cpus")).contains("2");
        // bhyve_pincpu_parse appends each -p to the vCPU's list.
        assertThat(c.getRaw("vcpu.0.cpuset")).contains("1,3,4");
        assertThat(c.getRaw("vcpu.1.cpuset")).contains("0,4");
    }

    @Test
    void localtime() throws IOException {
        // No -u: bhyve leaves rtc.use_localtime unset (its default is true).
        assertThat(parseCorpus("localtime").config().contains("rtc")).isFalse();
    }

    @Test
    void numa() throws IOException {
        ConfigTree c = parseCorpus("numa").config();
        assertThat(c.getRaw("cpus")).contains("8");
        assertThat(c.dump()).contains("domains.0.size=107\ndomains.0.cpus=0-3\ndomains.1.size=107\ndomains.1.cpus=4-7\n");
    }

    @Test
    void sysinfoSmbios() throws IOException {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bios.vendor", "LENOVO");
        expected.put("bios.version", "14.1");
        expected.put("bios.release_date", "11/24/2025");
        expected.put("system.manufacturer", "Fedora");
        expected.put("system.product_name", "Virt-Manager");
        expected.put("system.serial_number", "xxx-yyy-zzz");
        expected.put("system.sku", "0000");
        expected.put("system.version", "0.9.4");
        expected.put("board.manufacturer", "LENOVO");
        expected.put("board.product_name", "20BE0061MC");
        expected.put("board.version", "0B98401 Pro");
        expected.put("board.serial_number", "W1KS427111E");
        expected.put("board.asset_tag", "Asset Tag");
        expected.put("board.location", "Nowhere");
        expected.put("chassis.manufacturer", "Dell Inc.");
        expected.put("chassis.version", "2.12");
        expected.put("chassis.serial_number", "65X0XF2");
        expected.put("chassis.asset_tag", "40000101");
        expected.put("chassis.sku", "Type3Sku1");
        ConfigTree c = parseCorpus("sysinfo-smbios").config();
        expected.forEach((key, value) -> assertThat(c.getRaw(key)).as(key).contains(value));
    }

    @Test
    void commandline() throws IOException {
        ParsedCommandLine cmd = parseCorpus("commandline");
        assertThat(cmd.vmName()).contains("bhyve");
        assertThat(cmd.ignoredOperands()).containsExactly("ARGUMENT1", "ARGUMENT2");
        assertThat(cmd.warnings()).anySatisfy(w -> assertThat(w).contains("ARGUMENT1 ARGUMENT2"));
    }

    @Test
    void serial() throws IOException {
        ConfigTree c = parseCorpus("serial").config();
        assertThat(c.getRaw("lpc.com1.path")).contains("/dev/nmdm0A");
        assertThat(parseCorpus("serial-invalid-port").config().getRaw("lpc.com1.path")).contains("tcp=127.0.0.1:12345");
    }

    @Test
    void bootorder() throws IOException {
        assertThat(parseCorpus("bootorder").config().dump()).isEqualTo(COMMON_HEAD.replace("lpc.fwcfg=bhyve", "lpc.fwcfg=qemu") + """
                pci.0.1.0.device=lpc
                pci.0.2.0.device=ahci
                pci.0.2.0.port.0.type=hd
                pci.0.2.0.port.0.path=/tmp/freebsd1.img
                pci.0.2.0.port.0.bootindex=2
                pci.0.2.0.port.1.type=hd
                pci.0.2.0.port.1.path=/tmp/freebsd2.img
                pci.0.2.0.port.1.bootindex=1
                pci.0.3.0.device=virtio-net
                pci.0.3.0.backend=faketapdev
                pci.0.3.0.mac=52:54:00:b9:94:02
                pci.0.4.0.device=virtio-blk
                pci.0.4.0.path=/tmp/freebsd2.img
                pci.0.4.0.bootindex=3
                bootrom=fakefirmwaredir/BHYVE_UEFI.fd
                bootvars=fakenvramdir/bhyve_VARS.fd
                name=bhyve
                """);
    }

    @Test
    void sataRotationRate() throws IOException {
        ConfigTree c = parseCorpus("sata-rotation-rate").config();
        assertThat(c.getRaw("pci.0.2.0.port.0.nmrr")).contains("7200");
        assertThat(c.getRaw("pci.0.2.0.port.1.ser")).contains("BHYVE-SER02-0004");
        assertThat(c.getRaw("pci.0.2.0.port.2.path")).contains("/tmp/freebsd3.img");
        assertThat(c.getRaw("pci.0.2.0.port.2.nmrr")).contains("1");
    }

    @Test
    void virtioScsi() throws IOException {
        assertThat(parseCorpus("virtio-scsi").config().getRaw("pci.0.2.0.dev")).contains("/dev/cam/ctl");
    }

    @Test
    void lpcOnSlot31() throws IOException {
        assertThat(parseCorpus("addr-isa-controller-on-slot-31").config().getRaw("pci.0.31.0.device")).contains("lpc");
    }

    @Test
    void vmNameOnTheLastOptionLine() throws IOException {
        // The older layout: "-s 2:0,virtio-blk,/tmp/freebsd.img bhyve" on one line.
        ParsedCommandLine cmd = parseCorpus("addr-single-virtio-disk");
        assertThat(cmd.vmName()).contains("bhyve");
        assertThat(cmd.config().getRaw("pci.0.2.0.path")).contains("/tmp/freebsd.img");
    }

    @Test
    void shellWordsKeepQuotedSpaces() {
        List<String> words = new ArrayList<>(ShellWords.split("bhyve \\\n-o 'board.version=0B98401 Pro' \\\n\"a b\"\\ c vm\n"));
        assertThat(words).containsExactly("bhyve", "-o", "board.version=0B98401 Pro", "a b c", "vm");
    }
}
