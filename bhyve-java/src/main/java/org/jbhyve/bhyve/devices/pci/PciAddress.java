package org.jbhyve.bhyve.devices.pci;

import org.jbhyve.bhyve.config.ConfigException;

/**
 * Where a PCI function sits: bus 0-255, slot (device) 0-31, function 0-7. Ordered as bhyve walks
 * its devices (bus, then slot, then function), which is also the order snapshots list them in.
 */
public record PciAddress(int bus, int slot, int function) implements Comparable<PciAddress> {
    public static final int MAX_BUS = 255;
    public static final int MAX_SLOT = 31;
    public static final int MAX_FUNCTION = 7;

    public PciAddress {
        if (bus < 0 || bus > MAX_BUS || slot < 0 || slot > MAX_SLOT || function < 0 || function > MAX_FUNCTION) {
            throw new IllegalArgumentException("PCI address " + bus + ":" + slot + ":" + function
                    + " out of range (bus 0-255, slot 0-31, function 0-7)");
        }
    }

    public static PciAddress of(int bus, int slot, int function) {
        return new PciAddress(bus, slot, function);
    }

    /**
     * Parses a bhyve_config(5) node name, {@code pci.<bus>.<slot>.<func>} in decimal, as the
     * {@code -s} option creates them.
     */
    public static PciAddress fromNode(String node) {
        String[] parts = node == null ? new String[0] : node.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("pci")) {
            throw new ConfigException("'" + node + "' is not a PCI config node (expected pci.<bus>.<slot>.<func>)");
        }
        try {
            int bus = Integer.parseInt(parts[1]);
            int slot = Integer.parseInt(parts[2]);
            int function = Integer.parseInt(parts[3]);
            return new PciAddress(bus, slot, function);
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new ConfigException("bad PCI config node '" + node + "': bus 0-255, slot 0-31 and function 0-7 in decimal");
        }
    }

    /** The config node of this function: {@code pci.B.S.F}. */
    public String node() {
        return "pci." + bus + "." + slot + "." + function;
    }

    @Override
    public int compareTo(PciAddress o) {
        return Integer.compare(packed(), o.packed());
    }

    /** bus<<8 | slot<<3 | function: the routing ID the PCI spec uses. */
    public int packed() {
        return bus << 8 | slot << 3 | function;
    }

    @Override
    public String toString() {
        return node();
    }
}
