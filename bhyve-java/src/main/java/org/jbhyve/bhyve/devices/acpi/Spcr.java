package org.jbhyve.bhyve.devices.acpi;

/**
 * The Serial Port Console Redirection table, "SPCR" (Microsoft's SPCR specification, revision 1
 * layout, 80 bytes), pointing at COM1 like bhyve's, so a guest can find its console early.
 */
final class Spcr {
    static final String SIGNATURE = "SPCR";
    static final int REVISION = 1;
    static final int INTERFACE_16550 = 0;
    /** Interrupt type bit 0: a dual-8259 IRQ, given in the "PC-AT IRQ" field. bhyve declares only this. */
    static final int INTERRUPT_TYPE_8259 = 1;
    static final int BAUD_115200 = 7;
    /** Flow control: DCD (bit 0) and RTS/CTS (bit 1), as bhyve declares. */
    static final int FLOW_DCD_RTS_CTS = 3;
    static final int TERMINAL_VT_UTF8 = 2;

    private Spcr() {}

    static byte[] build(IsaDevice.Uart uart) {
        return new SdtBuilder(SIGNATURE, REVISION)
                .u8(INTERFACE_16550).zeros(3)
                .gas(SdtBuilder.SPACE_SYSTEM_IO, 8, 0, SdtBuilder.ACCESS_UNDEFINED, uart.port())
                .u8(INTERRUPT_TYPE_8259)
                .u8(uart.irq())
                .u32(0)                   // GSI: unused, the 8259 type is the only one declared
                .u8(BAUD_115200)
                .u8(0)                    // no parity
                .u8(1)                    // 1 stop bit
                .u8(FLOW_DCD_RTS_CTS)
                .u8(TERMINAL_VT_UTF8)
                .u8(0)                    // reserved
                // Not a PCI device: the spec asks for 0xffff in the PCI device and vendor IDs.
                .u16(0xffff).u16(0xffff)
                .u8(0).u8(0).u8(0)        // PCI bus, device, function
                .u32(0)                   // PCI flags
                .u8(0)                    // PCI segment
                .zeros(4)
                .finish();
    }
}
