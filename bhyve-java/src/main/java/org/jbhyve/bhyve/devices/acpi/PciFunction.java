package org.jbhyve.bhyve.devices.acpi;

/** A device and function number on PCI bus 0 (where bhyve requires its LPC bridge to be). */
public record PciFunction(int slot, int function) {
    public PciFunction {
        if (slot < 0 || slot > 31 || function < 0 || function > 7) {
            throw new IllegalArgumentException("bad PCI slot/function " + slot + "." + function);
        }
    }

    /** The _ADR value ACPI gives a PCI function: device in the high word, function in the low. */
    public long acpiAddress() {
        return ((long) slot << 16) | function;
    }
}
