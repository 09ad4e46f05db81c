package org.jbhyve.bhyve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.cli.BhyveCommandLineTest.config;
import static org.jbhyve.bhyve.cli.BhyveCommandLineTest.error;

import java.util.Map;
import java.util.TreeMap;
import org.jbhyve.bhyve.config.ConfigTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code -s}: slot forms (pci_parse_slot) and each emulation's legacy config (pe_legacy_config). */
class PciSlotParserTest {
    /** The variables under pci.B.S.F after {@code -s arg}. */
    static Map<String, String> device(String node, String arg) {
        ConfigTree c = config("-s", arg, "vm");
        Map<String, String> out = new TreeMap<>();
        c.flatten().forEach((k, v) -> {
            if (k.startsWith(node + ".")) out.put(k.substring(node.length() + 1), v);
        });
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "3, pci.0.3.0",
        "3:2, pci.0.3.2",
        "1:3:2, pci.1.3.2",
        "03:0, pci.0.3.0",
        "255:31:7, pci.255.31.7",
        "0, pci.0.0.0",
    })
    void slotForms(String slot, String node) {
        assertThat(config("-s", slot + ",hostbridge", "vm").getRaw(node + ".device")).contains("hostbridge");
    }

    @Test
    void slotErrors() {
        assertThat(error("-s", "256:0:0,hostbridge", "vm").getMessage())
                .isEqualTo("-s 256:0:0,hostbridge: invalid PCI slot '256:0:0': bus 256 is out of range (0-255)");
        assertThat(error("-s", "32,hostbridge", "vm").getMessage()).contains("slot 32 is out of range (0-31)");
        assertThat(error("-s", "3:8,hostbridge", "vm").getMessage()).contains("function 8 is out of range (0-7)");
        assertThat(error("-s", "x,hostbridge", "vm").getMessage())
                .isEqualTo("-s x,hostbridge: invalid PCI slot 'x' (write slot, slot:function or bus:slot:function"
                        + " in decimal, such as 3, 3:1 or 1:3:0)");
        assertThat(error("-s", "1:2:3:4,hostbridge", "vm").getMessage()).contains("invalid PCI slot '1:2:3:4'");
        assertThat(error("-s", "3x,hostbridge", "vm").getMessage()).contains("invalid PCI slot '3x'");
        assertThat(error("-s", "-1,hostbridge", "vm").getMessage()).contains("invalid PCI slot '-1'");
        assertThat(error("-s", "3", "vm").getMessage())
                .isEqualTo("-s 3: invalid PCI slot info field: expected slot,emulation[,conf] such as 3,virtio-blk,/path/to/disk.img");
    }

    @Test
    void unknownEmulationUsesBhyvesWording() {
        assertThat(error("-s", "3:1,virtio-gpu", "vm").getMessage())
                .isEqualTo("-s 3:1,virtio-gpu: pci slot 0:3:1: unknown device \"virtio-gpu\" (run 'bhyve -s help' for the emulations)");
        // Emulation names are case-sensitive in bhyve.
        assertThat(error("-s", "3,AHCI", "vm").getMessage()).contains("unknown device \"AHCI\"");
    }

    @Test
    void duplicateSlot() {
        assertThat(error("-s", "3,hostbridge", "-s", "3:0,virtio-rnd", "vm").getMessage())
                .isEqualTo("-s 3:0,virtio-rnd: pci slot 0:3:0 already occupied! (give each device its own slot or function)");
        assertThat(error("-o", "pci.0.3.0.device=virtio-rnd", "-s", "3,virtio-rnd", "vm").getMessage())
                .contains("already occupied");
        assertThat(config("-s", "3:0,virtio-rnd", "-s", "3:1,virtio-rnd", "vm").children("pci.0.3")).containsExactly("0", "1");
    }

    @Test
    void genericOptionsAndDottedNames() {
        assertThat(device("pci.0.4.0", "4,virtio-rnd,foo=bar,flag,,"))
                .isEqualTo(Map.of("device", "virtio-rnd", "foo", "bar", "flag", "true"));
        assertThat(error("-s", "4,virtio-rnd,a.b=1", "vm").getMessage())
                .contains("invalid option name 'a.b': names here cannot contain '.' (set nested variables with -o pci.0.4.0.a.b=VALUE)");
        assertThat(error("-s", "4,virtio-rnd,=1", "vm").getMessage()).contains("an option has an empty name");
    }

    @Test
    void hostbridges() {
        assertThat(device("pci.0.0.0", "0,hostbridge")).isEqualTo(Map.of("device", "hostbridge"));
        assertThat(device("pci.0.0.0", "0,amd_hostbridge")).isEqualTo(Map.of(
                "device", "hostbridge", "pcireg.vendor", "0x1022", "pcireg.device", "0x7432"));
    }

    @Test
    void virtioBlk() {
        assertThat(device("pci.0.4.0", "4,virtio-blk,/img/disk.raw,ro,nocache,direct,sync,nodelete,sectorsize=512/4096,bootindex=1"))
                .isEqualTo(Map.of("device", "virtio-blk", "path", "/img/disk.raw", "ro", "true", "nocache", "true",
                        "direct", "true", "sync", "true", "nodelete", "true", "sectorsize", "512/4096", "bootindex", "1"));
        assertThat(device("pci.0.4.0", "4,virtio-blk")).isEqualTo(Map.of("device", "virtio-blk"));
    }

    @Test
    void networkDevices() {
        assertThat(device("pci.0.5.0", "5,virtio-net,tap0,mac=00:be:fa:76:45:00,mtu=9000")).isEqualTo(Map.of(
                "device", "virtio-net", "backend", "tap0", "mac", "00:be:fa:76:45:00", "mtu", "9000"));
        assertThat(device("pci.0.5.0", "5,virtio-net,netgraph,path=vmbridge:,peerhook=link2")).isEqualTo(Map.of(
                "device", "virtio-net", "backend", "netgraph", "path", "vmbridge:", "peerhook", "link2"));
        assertThat(device("pci.0.5.0", "5,e1000,tap1")).isEqualTo(Map.of("device", "e1000", "backend", "tap1"));
    }

    @Test
    void ahciPorts() {
        assertThat(device("pci.0.3.0", "3,ahci,hd:/a.img,ser=S1,cd:/b.iso,hd:/c.img,nmrr=1")).isEqualTo(Map.of(
                "device", "ahci",
                "port.0.type", "hd", "port.0.path", "/a.img", "port.0.ser", "S1",
                "port.1.type", "cd", "port.1.path", "/b.iso",
                "port.2.type", "hd", "port.2.path", "/c.img", "port.2.nmrr", "1"));
        // An empty port keeps its number, as in bhyve.
        assertThat(device("pci.0.3.0", "3,ahci,hd:,hd:/b.img")).isEqualTo(Map.of(
                "device", "ahci", "port.1.type", "hd", "port.1.path", "/b.img"));
        assertThat(device("pci.0.3.0", "3,ahci-hd,/disk.img,ro")).isEqualTo(Map.of(
                "device", "ahci", "port.0.type", "hd", "port.0.path", "/disk.img", "port.0.ro", "true"));
        assertThat(device("pci.0.3.0", "3,ahci-cd,/install.iso")).isEqualTo(Map.of(
                "device", "ahci", "port.0.type", "cd", "port.0.path", "/install.iso"));
    }

    @Test
    void ahciErrors() {
        assertThat(error("-s", "3,ahci,/a.img", "vm").getMessage())
                .isEqualTo("-s 3,ahci,/a.img: missing or invalid type for ahci port 0: \"/a.img\""
                        + " (start each port with hd: for a disk or cd: for a CD/DVD)");
        String thirtyThree = "hd:/d.img,".repeat(33);
        assertThat(error("-s", "3,ahci," + thirtyThree.substring(0, thirtyThree.length() - 1), "vm").getMessage())
                .contains("an ahci controller has at most 32 ports; 'hd:/d.img' would be port 32");
        String thirtyTwo = "hd:/d.img,".repeat(32);
        assertThat(config("-s", "3,ahci," + thirtyTwo.substring(0, thirtyTwo.length() - 1), "vm")
                .children("pci.0.3.0.port")).hasSize(32);
    }

    @Test
    void nvme() {
        assertThat(device("pci.0.6.0", "6,nvme,/dev/zvol/vm0,maxq=4,qsz=512,ioslots=8,sectsz=4096,ser=SN1,eui64=0x1,dsm=enable"))
                .isEqualTo(Map.of("device", "nvme", "path", "/dev/zvol/vm0", "maxq", "4", "qsz", "512", "ioslots", "8",
                        "sectsz", "4096", "ser", "SN1", "eui64", "0x1", "dsm", "enable"));
        assertThat(device("pci.0.6.0", "6,nvme,ram=1024,ser=R")).isEqualTo(Map.of("device", "nvme", "ram", "1024", "ser", "R"));
        assertThat(device("pci.0.6.0", "6,nvme,ram=512")).isEqualTo(Map.of("device", "nvme", "ram", "512"));
    }

    @Test
    void virtioConsole() {
        assertThat(device("pci.0.7.0", "7,virtio-console,port1=/var/run/vm/port1.sock,org.qemu.guest_agent.0=/var/run/qga"))
                .isEqualTo(Map.of("device", "virtio-console",
                        "port.0.name", "port1", "port.0.path", "/var/run/vm/port1.sock",
                        "port.1.name", "org.qemu.guest_agent.0", "port.1.path", "/var/run/qga"));
        assertThat(error("-s", "7,virtio-console,port1", "vm").getMessage())
                .contains("virtio-console port 'port1' needs a socket path (write NAME=/path/to/socket)");
        StringBuilder seventeen = new StringBuilder();
        for (int i = 0; i < 17; i++) seventeen.append(i == 0 ? "" : ",").append("p").append(i).append("=/s").append(i);
        assertThat(error("-s", "7,virtio-console," + seventeen, "vm").getMessage())
                .contains("virtio-console has at most 16 ports, 'p16=/s16' would be port 16");
    }

    @Test
    void virtio9p() {
        assertThat(device("pci.0.8.0", "8,virtio-9p,share=/export/share,ro")).isEqualTo(Map.of(
                "device", "virtio-9p", "sharename", "share", "path", "/export/share", "ro", "true"));
        assertThat(error("-s", "8,virtio-9p,a=/x,b=/y", "vm").getMessage())
                .contains("virtio-9p: more than one share name given ('a' and 'b')");
    }

    @Test
    void virtioScsiInputRndUart() {
        assertThat(device("pci.0.9.0", "9,virtio-scsi,/dev/cam/ctl1.1,iid=3")).isEqualTo(Map.of(
                "device", "virtio-scsi", "dev", "/dev/cam/ctl1.1", "iid", "3"));
        assertThat(device("pci.0.9.0", "9,virtio-input,/dev/input/event2")).isEqualTo(Map.of(
                "device", "virtio-input", "path", "/dev/input/event2"));
        assertThat(error("-s", "9,virtio-input", "vm").getMessage()).contains("virtio-input needs the host input device");
        assertThat(device("pci.0.9.0", "9,virtio-rnd")).isEqualTo(Map.of("device", "virtio-rnd"));
        // pci_uart_legacy_config keeps the whole rest, commas included, as the path.
        assertThat(device("pci.0.9.0", "9,uart,/dev/odd,name")).isEqualTo(Map.of("device", "uart", "path", "/dev/odd,name"));
    }

    @Test
    void framebufferUsbAudioLpc() {
        assertThat(device("pci.0.29.0", "29,fbuf,tcp=0.0.0.0:5900,w=800,h=600,vga=off,wait,password=secret"))
                .isEqualTo(Map.of("device", "fbuf", "tcp", "0.0.0.0:5900", "w", "800", "h", "600", "vga", "off",
                        "wait", "true", "password", "secret"));
        assertThat(device("pci.0.30.0", "30,xhci,tablet")).isEqualTo(Map.of("device", "xhci", "slot.1.device", "tablet"));
        assertThat(error("-s", "30,xhci,,tablet", "vm").getMessage()).contains("empty USB device");
        assertThat(device("pci.0.4.0", "4,hda,play=/dev/dsp0,rec=/dev/dsp1")).isEqualTo(Map.of(
                "device", "hda", "play", "/dev/dsp0", "rec", "/dev/dsp1"));
        assertThat(device("pci.0.31.0", "31,lpc")).isEqualTo(Map.of("device", "lpc"));
    }

    @Test
    void passthru() {
        assertThat(device("pci.0.7.0", "7,passthru,3/0/4")).isEqualTo(Map.of(
                "device", "passthru", "bus", "3", "slot", "0", "func", "4"));
        assertThat(device("pci.0.7.0", "7,passthru,pci5:2:1,rom=/roms/gop.rom")).isEqualTo(Map.of(
                "device", "passthru", "bus", "5", "slot", "2", "func", "1", "rom", "/roms/gop.rom"));
        assertThat(device("pci.0.7.0", "7,passthru,pci0:10:0:0")).isEqualTo(Map.of(
                "device", "passthru", "bus", "10", "slot", "0", "func", "0"));
        assertThat(device("pci.0.7.0", "7,passthru,ppt0,bootindex=2")).isEqualTo(Map.of(
                "device", "passthru", "pptdev", "ppt0", "bootindex", "2"));
        assertThat(device("pci.0.7.0", "7,passthru,03/00/01").get("bus")).isEqualTo("3");
        assertThat(error("-s", "7,passthru,3:0:0", "vm").getMessage()).contains("passthru: invalid host device '3:0:0'");
        assertThat(error("-s", "7,passthru,3/0/9", "vm").getMessage()).contains("is out of range");
    }
}
