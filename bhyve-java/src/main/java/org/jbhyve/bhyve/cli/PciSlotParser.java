package org.jbhyve.bhyve.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;

/**
 * {@code -s slot,emulation[,conf]}, following pci_emul.c pci_parse_slot: the slot is {@code pcislot},
 * {@code pcislot:function} or {@code bus:pcislot:function}; the device lands in node
 * {@code pci.BUS.SLOT.FUNC} (decimal, no leading zeros) with {@code device=} and whatever the
 * emulation's legacy config parser makes of {@code conf}.
 *
 * <p>bhyve reads the numbers with sscanf, which stops quietly at the first non-digit (so it takes
 * {@code 3x} as slot 3); here the slot must be plain decimal numbers.
 */
final class PciSlotParser {
    private PciSlotParser() {}

    static final int MAX_BUS = 255, MAX_SLOT = 31, MAX_FUNC = 7;

    private static final Pattern SLOT = Pattern.compile("(\\d{1,9})(?::(\\d{1,9}))?(?::(\\d{1,9}))?");

    /** Adds the device described by {@code arg} (the text after -s) to {@code config}. */
    static void parse(ConfigTree config, String arg) {
        int comma = arg.indexOf(',');
        if (comma < 0) {
            throw new ConfigException("invalid PCI slot info field: expected slot,emulation[,conf] such as 3,virtio-blk,/path/to/disk.img");
        }
        String slotText = arg.substring(0, comma);
        String rest = arg.substring(comma + 1);
        int comma2 = rest.indexOf(',');
        String emulationName = comma2 < 0 ? rest : rest.substring(0, comma2);
        String conf = comma2 < 0 ? null : rest.substring(comma2 + 1);

        int[] bsf = parseSlot(slotText);
        int bus = bsf[0], slot = bsf[1], func = bsf[2];
        Emulations.Pci emulation = Emulations.findPci(emulationName).orElseThrow(() -> new ConfigException(
                // The wording of bhyve's message, which libvirt's capability probes look for.
                "pci slot " + bus + ":" + slot + ":" + func + ": unknown device \"" + emulationName
                        + "\" (run 'bhyve -s help' for the emulations)"));
        String nodePath = "pci." + bus + "." + slot + "." + func;
        if (config.contains(nodePath)) {
            throw new ConfigException("pci slot " + bus + ":" + slot + ":" + func + " already occupied!"
                    + " (give each device its own slot or function)");
        }
        ConfigNode node = new ConfigNode(config, nodePath);
        node.set("device", emulation.deviceValue());
        Emulations.legacyConfigOf(emulation).apply(node, conf);
    }

    /** {bus, slot, function} from the slot field, with bhyve's defaults of 0 for bus and function. */
    private static int[] parseSlot(String text) {
        Matcher m = SLOT.matcher(text);
        if (!m.matches()) {
            throw new ConfigException("invalid PCI slot '" + text + "' (write slot, slot:function or bus:slot:function"
                    + " in decimal, such as 3, 3:1 or 1:3:0)");
        }
        int bus, slot, func;
        if (m.group(3) != null) {
            bus = Integer.parseInt(m.group(1));
            slot = Integer.parseInt(m.group(2));
            func = Integer.parseInt(m.group(3));
        } else if (m.group(2) != null) {
            bus = 0;
            slot = Integer.parseInt(m.group(1));
            func = Integer.parseInt(m.group(2));
        } else {
            bus = 0;
            slot = Integer.parseInt(m.group(1));
            func = 0;
        }
        checkRange("bus", bus, MAX_BUS, text);
        checkRange("slot", slot, MAX_SLOT, text);
        checkRange("function", func, MAX_FUNC, text);
        return new int[] {bus, slot, func};
    }

    private static void checkRange(String what, int value, int max, String text) {
        if (value > max) {
            throw new ConfigException("invalid PCI slot '" + text + "': " + what + " " + value + " is out of range (0-" + max + ")");
        }
    }
}
