package org.jbhyve.bhyve.devices.acpi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One PCI hierarchy as the guest sees it: bhyve gives every configured bus its own host bridge
 * {@code \_SB.PCxx} with the windows its devices' BARs were allocated in.
 *
 * @param io     I/O port window for BARs (bhyve allocates from 0x2000 up)
 * @param mem32  32-bit memory window
 * @param mem64  64-bit memory window (above RAM)
 * @param routes every slot pin that has a device using INTx, in any order
 */
public record PciRootBus(int bus, AddressWindow io, AddressWindow mem32, AddressWindow mem64,
                         List<PciIntxRoute> routes) {
    public PciRootBus {
        if (bus < 0 || bus > 255) throw new IllegalArgumentException("PCI bus out of range: " + bus);
        if (io.limit() > 0x10000) throw new IllegalArgumentException("I/O window beyond port 0xffff: " + io);
        if (mem32.limit() > 1L << 32) throw new IllegalArgumentException("32-bit window beyond 4 GiB: " + mem32);
        routes = List.copyOf(routes);
        Set<Integer> seen = new HashSet<>();
        for (PciIntxRoute r : routes) {
            if (!seen.add(r.slot() * 4 + r.pin())) {
                throw new IllegalArgumentException("bus " + bus + " routes slot " + r.slot() + " pin " + r.pin() + " twice");
            }
        }
    }
}
