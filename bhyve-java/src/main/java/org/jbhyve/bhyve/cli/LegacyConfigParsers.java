package org.jbhyve.bhyve.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbhyve.bhyve.config.ConfigException;

/**
 * The {@code conf} parsers of bhyve's PCI emulations, each reproducing the pe_legacy_config function
 * named in its comment, so that {@code -s} leaves exactly the variables bhyve would leave.
 *
 * <p>One deliberate difference throughout: an empty item between commas ({@code ro,,nocache} or a
 * trailing comma) is skipped. bhyve stores it as a variable with an empty name, which nothing reads
 * and which no config path can express.
 */
final class LegacyConfigParsers {
    private LegacyConfigParsers() {}

    /** pci_emul.c pci_parse_legacy_config: {@code name=value} items, a bare {@code name} meaning true. */
    static void generic(ConfigNode node, String conf) {
        if (conf == null) return;
        for (String item : conf.split(",", -1)) {
            if (item.isEmpty()) continue;
            int eq = item.indexOf('=');
            if (eq >= 0) node.set(item.substring(0, eq), item.substring(eq + 1));
            else node.setTrue(item);
        }
    }

    /** block_if.c blockif_legacy_config: the backing path, then generic block options (ro, nocache, ...). */
    static void blockDevice(ConfigNode node, String conf) {
        leadingValueThenGeneric(node, "path", conf);
    }

    /** net_backends.c netbe_legacy_config: the backend (tapN, vmnetN, netgraph, ...), then mac=, mtu=, .... */
    static void networkBackend(ConfigNode node, String conf) {
        leadingValueThenGeneric(node, "backend", conf);
    }

    /** pci_virtio_scsi.c pci_vtscsi_legacy_config: the CTL device, then generic options (iid=, ...). */
    static void virtioScsi(ConfigNode node, String conf) {
        leadingValueThenGeneric(node, "dev", conf);
    }

    /** pci_virtio_input.c pci_vtinput_legacy_config: the evdev path is required, then generic options. */
    static void virtioInput(ConfigNode node, String conf) {
        if (conf == null) {
            throw new ConfigException("virtio-input needs the host input device to forward, such as"
                    + " -s 7,virtio-input,/dev/input/event0");
        }
        leadingValueThenGeneric(node, "path", conf);
    }

    /** pci_uart.c pci_uart_legacy_config: everything after the emulation is the backend path. */
    static void uart(ConfigNode node, String conf) {
        if (conf != null) node.set("path", conf);
    }

    /** pci_nvme.c pci_nvme_legacy_config: {@code ram=MiB} for a memory disk, else a block device. */
    static void nvme(ConfigNode node, String conf) {
        if (conf == null) return;
        if (conf.startsWith("ram=")) leadingValueThenGeneric(node, "ram", conf.substring("ram=".length()));
        else blockDevice(node, conf);
    }

    /** pci_hostbridge.c pci_amd_hostbridge_legacy_config: AMD's IDs; bhyve ignores any conf here. */
    static void amdHostbridge(ConfigNode node, String conf) {
        ConfigNode regs = node.child("pcireg");
        regs.set("vendor", "0x1022"); // AMD
        regs.set("device", "0x7432"); // bhyve's made-up host bridge device ID
    }

    /** The most ports an AHCI controller has (pci_ahci.c MAX_PORTS). */
    static final int AHCI_MAX_PORTS = 32;

    /**
     * pci_ahci.c pci_ahci_legacy_config: {@code hd:PATH[,opts]} and {@code cd:PATH[,opts]} items, one
     * per port, numbered from 0; a new port starts at each {@code ,hd:} or {@code ,cd:}. An empty
     * port ({@code hd:} alone) still uses up its number, as in bhyve.
     */
    static void ahci(ConfigNode node, String conf) {
        if (conf == null) return;
        ConfigNode ports = node.child("port");
        String rest = conf;
        int port = 0;
        while (rest != null) {
            if (port == AHCI_MAX_PORTS) {
                // bhyve silently drops the rest; a disk that vanishes without a word is worse than an error.
                throw new ConfigException("an ahci controller has at most " + AHCI_MAX_PORTS + " ports; '" + rest
                        + "' would be port " + port + " (put further disks on another ahci controller)");
            }
            String type = null;
            if (rest.startsWith("hd:") || rest.startsWith("cd:")) {
                type = rest.substring(0, 2);
                rest = rest.substring(3);
            }
            int cut = nextPortStart(rest);
            String portConf = cut < 0 ? rest : rest.substring(0, cut);
            rest = cut < 0 ? null : rest.substring(cut + 1);
            if (!portConf.isEmpty()) {
                if (type == null) {
                    throw new ConfigException("missing or invalid type for ahci port " + port + ": \"" + portConf
                            + "\" (start each port with hd: for a disk or cd: for a CD/DVD)");
                }
                ahciPort(ports, port, type, portConf);
            }
            port++;
        }
    }

    /** pci_ahci.c pci_ahci_hd_legacy_config: one disk on port 0 (device=ahci). */
    static void ahciDisk(ConfigNode node, String conf) {
        ahciPort(node.child("port"), 0, "hd", conf);
    }

    /** pci_ahci.c pci_ahci_cd_legacy_config: one CD/DVD on port 0 (device=ahci). */
    static void ahciCdrom(ConfigNode node, String conf) {
        ahciPort(node.child("port"), 0, "cd", conf);
    }

    /** pci_ahci.c pci_ahci_legacy_config_port. */
    private static void ahciPort(ConfigNode ports, int port, String type, String conf) {
        ConfigNode node = ports.child(Integer.toString(port));
        node.set("type", type);
        blockDevice(node, conf);
    }

    private static int nextPortStart(String s) {
        int hd = s.indexOf(",hd:");
        int cd = s.indexOf(",cd:");
        if (hd < 0) return cd;
        if (cd < 0) return hd;
        return Math.min(hd, cd);
    }

    /** The most ports a virtio-console device has (pci_virtio_console.c VTCON_MAXPORTS). */
    static final int VIRTIO_CONSOLE_MAX_PORTS = 16;

    /**
     * pci_virtio_console.c pci_vtcon_legacy_config: {@code NAME=SOCKET} items become
     * {@code port.N.name} and {@code port.N.path}, numbered from 0.
     */
    static void virtioConsole(ConfigNode node, String conf) {
        if (conf == null) return;
        ConfigNode ports = node.child("port");
        String[] items = conf.split(",", -1);
        for (int port = 0; port < items.length; port++) {
            String item = items[port];
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("virtio-console port '" + item + "' needs a socket path (write NAME=/path/to/socket)");
            }
            if (port >= VIRTIO_CONSOLE_MAX_PORTS) {
                throw new ConfigException("virtio-console has at most " + VIRTIO_CONSOLE_MAX_PORTS + " ports, '" + item
                        + "' would be port " + port + " (add another virtio-console device)");
            }
            ConfigNode portNode = ports.child(Integer.toString(port));
            portNode.set("name", item.substring(0, eq));
            portNode.set("path", item.substring(eq + 1));
        }
    }

    /**
     * pci_virtio_9p.c pci_vt9p_legacy_config: one {@code SHARENAME=PATH} item gives {@code sharename}
     * and {@code path}; other items are flags such as {@code ro}.
     */
    static void virtio9p(ConfigNode node, String conf) {
        if (conf == null) return;
        String shareName = null;
        for (String item : conf.split(",", -1)) {
            if (item.isEmpty()) continue;
            int eq = item.indexOf('=');
            if (eq < 0) {
                node.setTrue(item);
                continue;
            }
            if (shareName != null) {
                throw new ConfigException("virtio-9p: more than one share name given ('" + shareName + "' and '"
                        + item.substring(0, eq) + "'); use one virtio-9p device per share");
            }
            shareName = item.substring(0, eq);
            node.set("sharename", shareName);
            node.set("path", item.substring(eq + 1));
        }
    }

    /**
     * pci_xhci.c pci_xhci_legacy_config: each item {@code DEVICE[=OPTION]} is a USB device in slots
     * numbered from 1 ({@code slot.N.device}); the one option after '=' goes under that slot.
     */
    static void xhci(ConfigNode node, String conf) {
        if (conf == null) return;
        ConfigNode slots = node.child("slot");
        int slot = 1;
        for (String item : conf.split(",", -1)) {
            int eq = item.indexOf('=');
            String device = eq < 0 ? item : item.substring(0, eq);
            if (device.isEmpty()) {
                throw new ConfigException("empty USB device in '" + conf + "' (list devices such as tablet, separated by commas)");
            }
            ConfigNode slotNode = slots.child(Integer.toString(slot++));
            slotNode.set("device", device);
            if (eq >= 0 && eq + 1 < item.length()) generic(slotNode, item.substring(eq + 1));
        }
    }

    private static final Pattern PCI_DOMAIN0_SELECTOR = Pattern.compile("pci0:(\\d{1,9}):(\\d{1,9}):(\\d{1,9})");
    private static final Pattern PCI_SELECTOR = Pattern.compile("pci(\\d{1,9}):(\\d{1,9}):(\\d{1,9})");
    private static final Pattern SLASH_SELECTOR = Pattern.compile("(\\d{1,9})/(\\d{1,9})/(\\d{1,9})");

    /**
     * pci_passthru.c passthru_legacy_config: the host device as {@code pptN}, {@code pci0:B:S:F},
     * {@code pciB:S:F} or {@code B/S/F} (stored as decimal bus, slot, func), then generic options such
     * as {@code rom=}. bhyve's sscanf ignores trailing junk after the numbers; here it is an error.
     */
    static void passthru(ConfigNode node, String conf) {
        if (conf == null) return;
        int comma = conf.indexOf(',');
        String selector = comma < 0 ? conf : conf.substring(0, comma);
        if (selector.startsWith("ppt")) {
            node.set("pptdev", selector);
        } else {
            Matcher m = PCI_DOMAIN0_SELECTOR.matcher(selector);
            if (!m.matches()) m = PCI_SELECTOR.matcher(selector);
            if (!m.matches()) m = SLASH_SELECTOR.matcher(selector);
            if (!m.matches()) {
                throw new ConfigException("passthru: invalid host device '" + selector
                        + "' (give it as bus/slot/function such as 3/0/0, as pci3:0:0, or as a ppt device name such as ppt0)");
            }
            int bus = Integer.parseInt(m.group(1));
            int slot = Integer.parseInt(m.group(2));
            int func = Integer.parseInt(m.group(3));
            if (bus > PciSlotParser.MAX_BUS || slot > PciSlotParser.MAX_SLOT || func > PciSlotParser.MAX_FUNC) {
                throw new ConfigException("passthru: host device '" + selector + "' is out of range (bus 0-"
                        + PciSlotParser.MAX_BUS + ", slot 0-" + PciSlotParser.MAX_SLOT + ", function 0-" + PciSlotParser.MAX_FUNC + ")");
            }
            node.set("bus", Integer.toString(bus));
            node.set("slot", Integer.toString(slot));
            node.set("func", Integer.toString(func));
        }
        if (comma >= 0) generic(node, conf.substring(comma + 1));
    }

    /** The shape shared by blockif, netbe, vtscsi and vtinput: a leading value up to the first comma. */
    private static void leadingValueThenGeneric(ConfigNode node, String name, String conf) {
        if (conf == null) return;
        int comma = conf.indexOf(',');
        node.set(name, comma < 0 ? conf : conf.substring(0, comma));
        if (comma >= 0) generic(node, conf.substring(comma + 1));
    }
}
