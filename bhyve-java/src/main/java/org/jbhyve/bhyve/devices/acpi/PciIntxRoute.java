package org.jbhyve.bhyve.devices.acpi;

/**
 * Where one PCI slot's interrupt pin is wired: INTA-D of device {@code slot} on the bus that owns
 * the route arrives at IOAPIC input {@code ioapicPin} (a GSI, as the IOAPIC's GSI base is 0).
 *
 * @param pin 1 = INTA, 2 = INTB, 3 = INTC, 4 = INTD (the PCI Interrupt Pin register's encoding)
 */
public record PciIntxRoute(int slot, int pin, int ioapicPin) {
    public PciIntxRoute {
        if (slot < 0 || slot > 31) throw new IllegalArgumentException("PCI slot out of range: " + slot);
        if (pin < 1 || pin > 4) throw new IllegalArgumentException("PCI interrupt pin must be 1-4 (INTA-D): " + pin);
        if (ioapicPin < 0 || ioapicPin > 0xfe) {
            throw new IllegalArgumentException("IOAPIC pin out of range: " + ioapicPin);
        }
    }
}
