package org.jbhyve.bhyve.devices.pci;

/**
 * How one slot's INTx pin reaches the interrupt controllers: what the ACPI {@code _PRT} (APIC mode:
 * {@code ioapicPin}; PIC mode: link device {@code LNK<pirq letter>}) and the MP table need.
 *
 * @param bus       PCI bus
 * @param slot      PCI slot (device number)
 * @param pin       1 = INTA ... 4 = INTD (the {@code _PRT} pin field is {@code pin - 1})
 * @param ioapicPin IOAPIC input, 16-23
 * @param pirq      PIRQ link of the LPC bridge's router, 1 = PIRQA ... 8 = PIRQH
 */
public record IntxRoute(int bus, int slot, int pin, int ioapicPin, int pirq) {
    /** 'A'..'D' */
    public char pinLetter() {
        return (char) ('A' + pin - 1);
    }

    /** 'A'..'H', as in bhyve's link device names {@code LNKA}..{@code LNKH}. */
    public char pirqLetter() {
        return (char) ('A' + pirq - 1);
    }
}
