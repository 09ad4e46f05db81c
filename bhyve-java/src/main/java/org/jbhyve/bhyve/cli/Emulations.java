package org.jbhyve.bhyve.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every device bhyve(8) knows by name: the PCI emulations for {@code -s} and the LPC devices for
 * {@code -l}, each with a one-line description and whether jbhyve implements it yet. The
 * {@code implemented} column is the one place to flip when a device model lands.
 *
 * <p>A known emulation always parses, implemented or not, so {@code -o config.dump=true} works on any
 * bhyve command line; starting a VM with an unimplemented device is refused by the code that builds
 * the devices.
 */
public final class Emulations {
    private Emulations() {}

    /**
     * A PCI emulation.
     *
     * @param name        what {@code -s slot,NAME} takes
     * @param deviceValue what bhyve stores as {@code pci.B.S.F.device} (ahci-hd and ahci-cd are
     *                    written as ahci, amd_hostbridge as hostbridge: bhyve's pe_alias)
     */
    public record Pci(String name, String description, boolean implemented, String deviceValue) {}

    /** An LPC device, configured with {@code -l NAME[,conf]}. */
    public record Lpc(String name, String description, boolean implemented) {}

    private record PciEntry(Pci emulation, LegacyConfig legacyConfig) {}

    private static final boolean YES = true, NOT_YET = false;

    // In bhyve.8's order. The legacy config parser of each is the pe_legacy_config bhyve uses.
    private static final List<PciEntry> PCI = List.of(
            pci("hostbridge", "PCI host bridge", YES, LegacyConfigParsers::generic),
            pci("amd_hostbridge", "PCI host bridge with AMD's vendor ID", YES, "hostbridge",
                    LegacyConfigParsers::amdHostbridge),
            pci("passthru", "PCI pass-through of a host device", NOT_YET, LegacyConfigParsers::passthru),
            pci("virtio-net", "VirtIO network interface on a tap (Linux: an interface via /dev/net/tun;"
                    + " FreeBSD: /dev/tapN or /dev/vmnetN)", YES, LegacyConfigParsers::networkBackend),
            pci("virtio-blk", "VirtIO block storage", YES, LegacyConfigParsers::blockDevice),
            pci("virtio-scsi", "VirtIO SCSI controller backed by the CAM target layer", NOT_YET,
                    LegacyConfigParsers::virtioScsi),
            pci("virtio-9p", "VirtIO 9p (VirtFS) shared directory", NOT_YET, LegacyConfigParsers::virtio9p),
            pci("virtio-rnd", "VirtIO entropy source", YES, LegacyConfigParsers::generic),
            pci("virtio-console", "VirtIO console with named ports on UNIX sockets", YES,
                    LegacyConfigParsers::virtioConsole),
            pci("virtio-input", "VirtIO input device fed by a host event device", NOT_YET,
                    LegacyConfigParsers::virtioInput),
            pci("ahci", "AHCI SATA controller with hd: and cd: ports", NOT_YET, LegacyConfigParsers::ahci),
            pci("ahci-cd", "AHCI controller with one ATAPI CD/DVD drive", NOT_YET, "ahci",
                    LegacyConfigParsers::ahciCdrom),
            pci("ahci-hd", "AHCI controller with one SATA disk", NOT_YET, "ahci", LegacyConfigParsers::ahciDisk),
            pci("e1000", "Intel 82545 gigabit network interface", NOT_YET, LegacyConfigParsers::networkBackend),
            pci("uart", "PCI 16550 serial port", NOT_YET, LegacyConfigParsers::uart),
            pci("lpc", "LPC PCI-ISA bridge: COM1-COM4, boot ROM, fw_cfg, test devices (bus 0 only)", YES,
                    LegacyConfigParsers::generic),
            pci("fbuf", "framebuffer served over VNC", NOT_YET, LegacyConfigParsers::generic),
            pci("xhci", "xHCI USB controller (tablet)", NOT_YET, LegacyConfigParsers::xhci),
            pci("nvme", "NVM Express controller", NOT_YET, LegacyConfigParsers::nvme),
            pci("hda", "Intel High Definition Audio controller", NOT_YET, LegacyConfigParsers::generic));

    // bhyve's lpc_print_supported_devices order, then the two that bhyve configures elsewhere or lacks.
    private static final List<Lpc> LPC = List.of(
            new Lpc("bootrom", "boot firmware image and optional writable variable store (-l bootrom,ROM[,VARS])", YES),
            new Lpc("com1", "16550 serial port at 0x3f8, IRQ 4 (-l com1,/dev/nmdm0A or stdio)", YES),
            new Lpc("com2", "16550 serial port at 0x2f8, IRQ 3", YES),
            new Lpc("com3", "16550 serial port at 0x3e8, IRQ 4", YES),
            new Lpc("com4", "16550 serial port at 0x2e8, IRQ 3", YES),
            new Lpc("tpm", "TPM 2.0 device (-l tpm,TYPE,PATH)", NOT_YET),
            new Lpc("pc-testdev", "PC debug/test device", YES),
            new Lpc("fwcfg", "firmware configuration interface: bhyve (fwctl, the default) or qemu (fw_cfg)", YES),
            new Lpc("debug-exit", "jbhyve: isa-debug-exit port 0xf4, a write of V exits with status (V << 1) | 1", YES));

    public static List<Pci> pci() {
        return PCI.stream().map(PciEntry::emulation).toList();
    }

    public static List<Lpc> lpc() {
        return LPC;
    }

    /** The PCI emulation called exactly {@code name} (bhyve compares emulation names case-sensitively). */
    public static Optional<Pci> findPci(String name) {
        return PCI.stream().map(PciEntry::emulation).filter(e -> e.name().equals(name)).findFirst();
    }

    /** The LPC device called {@code name}, ignoring case as bhyve's lpc_device_parse does. */
    public static Optional<Lpc> findLpc(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return LPC.stream().filter(d -> d.name().equals(lower)).findFirst();
    }

    /** What {@code -s help} prints: one emulation per line, name first. */
    public static String pciHelp() {
        StringBuilder sb = new StringBuilder();
        for (Pci e : pci()) line(sb, e.name(), e.description(), e.implemented());
        return sb.toString();
    }

    /** What {@code -l help} prints: one LPC device per line, name first. */
    public static String lpcHelp() {
        StringBuilder sb = new StringBuilder();
        for (Lpc d : LPC) line(sb, d.name(), d.description(), d.implemented());
        return sb.toString();
    }

    static LegacyConfig legacyConfigOf(Pci emulation) {
        return PCI.stream().filter(e -> e.emulation().equals(emulation)).findFirst().orElseThrow().legacyConfig();
    }

    private static void line(StringBuilder sb, String name, String description, boolean implemented) {
        sb.append(String.format(Locale.ROOT, "%-16s %s%s\n", name, description,
                implemented ? "" : " [not yet in jbhyve]"));
    }

    private static PciEntry pci(String name, String description, boolean implemented, LegacyConfig legacyConfig) {
        return pci(name, description, implemented, name, legacyConfig);
    }

    private static PciEntry pci(String name, String description, boolean implemented, String deviceValue,
            LegacyConfig legacyConfig) {
        return new PciEntry(new Pci(name, description, implemented, deviceValue), legacyConfig);
    }
}
