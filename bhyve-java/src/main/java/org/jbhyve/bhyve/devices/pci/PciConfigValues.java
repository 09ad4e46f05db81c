package org.jbhyve.bhyve.devices.pci;

import java.util.Optional;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;

/**
 * Reads the ID overrides bhyve lets a PCI node carry. Unlike bhyve's strtol, a value that is not a
 * number or does not fit the register is an error that names the key, not a silent 0.
 */
final class PciConfigValues {
    private PciConfigValues() {}

    /** Keys of the {@code pcireg} sub-node (bhyve's pci_config_read_reg). */
    static final String VENDOR = "vendor", DEVICE = "device", REVID = "revid", SUBVENDOR = "subvendor", SUBDEVICE = "subdevice";

    /** strtol(value, NULL, 0): 0x-prefixed hex, 0-prefixed octal, else decimal. */
    static long parseAnyBase(String path, String value) {
        String v = value.trim();
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) return Long.parseLong(v.substring(2), 16);
            if (v.length() > 1 && v.startsWith("0")) return Long.parseLong(v.substring(1), 8);
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("config variable " + path + " must be a number (decimal, 0x hex or 0 octal), not '" + value + "'");
        }
    }

    /** strtol(value, NULL, 16): hex with an optional 0x prefix, as pcireg values are read. */
    static long parseHex(String path, String value) {
        String v = value.trim();
        if (v.startsWith("0x") || v.startsWith("0X")) v = v.substring(2);
        try {
            return Long.parseLong(v, 16);
        } catch (NumberFormatException e) {
            if (value.trim().equals("host")) {
                throw new ConfigException("config variable " + path + "=host copies the host's register, which needs host PCI access; give a hex value instead");
            }
            throw new ConfigException("config variable " + path + " must be a hex number, not '" + value + "'");
        }
    }

    static int checkRange(String path, long value, int bits) {
        if (value < 0 || value >= 1L << bits) {
            throw new ConfigException("config variable " + path + " = 0x" + Long.toHexString(value) + " does not fit in " + bits + " bits");
        }
        return (int) value;
    }

    /** {@code <node>.pcireg.<key>} as hex, or {@code fallback}. */
    static int pcireg(ConfigTree config, String node, String key, int bits, int fallback) {
        String path = node + ".pcireg." + key;
        Optional<String> v = config.get(path);
        return v.isPresent() ? checkRange(path, parseHex(path, v.get()), bits) : fallback;
    }

    /** {@code <node>.<key>} in any base, or empty. */
    static Optional<Integer> legacy(ConfigTree config, String node, String key, int bits) {
        String path = node + "." + key;
        return config.get(path).map(v -> checkRange(path, parseAnyBase(path, v), bits));
    }
}
