package org.jbhyve.bhyve.devices.acpi;

/**
 * The PCI Express memory-mapped configuration table, "MCFG" (PCI Firmware Specification 3.x,
 * 4.1.2): 8 reserved bytes after the header, then one 16-byte allocation per ECAM window. jbhyve
 * has one, for segment 0.
 */
final class Mcfg {
    static final String SIGNATURE = "MCFG";
    static final int REVISION = 1;

    private Mcfg() {}

    static byte[] build(AcpiMachine m) {
        return new SdtBuilder(SIGNATURE, REVISION)
                .zeros(8)
                .u64(m.ecamBase())
                .u16(0)                   // PCI segment group
                .u8(0)                    // start bus
                .u8(m.ecamBuses() - 1)    // end bus, inclusive
                .zeros(4)
                .finish();
    }
}
