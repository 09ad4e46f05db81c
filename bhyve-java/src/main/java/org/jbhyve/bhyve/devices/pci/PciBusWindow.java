package org.jbhyve.bhyve.devices.pci;

/**
 * The address ranges one bus decodes for its BARs, limits exclusive: what the ACPI {@code _CRS} of
 * the bus's host bridge device ({@code PC00}, ...) describes. Each window covers the BARs placed on
 * the bus plus bhyve's slack (32 ports, 1 MiB, 512 MiB) so a guest may move BARs a little.
 */
public record PciBusWindow(int bus, int ioBase, int ioLimit, long mem32Base, long mem32Limit, long mem64Base, long mem64Limit) {
}
