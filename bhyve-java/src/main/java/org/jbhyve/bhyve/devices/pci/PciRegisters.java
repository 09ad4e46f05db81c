package org.jbhyve.bhyve.devices.pci;

/** Register offsets, bits and codes of the type 0 configuration header (PCI Local Bus spec, ch. 6). */
public final class PciRegisters {
    private PciRegisters() {}

    /** Conventional configuration space (what mechanism #1 reaches). */
    public static final int CONVENTIONAL_SIZE = 256;
    /** PCI Express configuration space (what ECAM reaches). */
    public static final int EXTENDED_SIZE = 4096;

    public static final int VENDOR = 0x00;
    public static final int DEVICE = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION = 0x08;
    public static final int PROG_IF = 0x09;
    public static final int SUBCLASS = 0x0a;
    public static final int CLASS = 0x0b;
    public static final int CACHE_LINE_SIZE = 0x0c;
    public static final int LATENCY_TIMER = 0x0d;
    public static final int HEADER_TYPE = 0x0e;
    public static final int BAR0 = 0x10;
    public static final int BAR_COUNT = 6;
    public static final int BAR_END = BAR0 + 4 * BAR_COUNT;
    public static final int SUBSYSTEM_VENDOR = 0x2c;
    public static final int SUBSYSTEM_ID = 0x2e;
    public static final int EXPANSION_ROM = 0x30;
    public static final int CAPABILITIES_POINTER = 0x34;
    public static final int INTERRUPT_LINE = 0x3c;
    public static final int INTERRUPT_PIN = 0x3d;
    /** Capabilities start right after the type 0 header. */
    public static final int CAPABILITIES_START = 0x40;

    public static final int COMMAND_IO = 1;
    public static final int COMMAND_MEMORY = 1 << 1;
    public static final int COMMAND_BUS_MASTER = 1 << 2;
    public static final int COMMAND_PARITY_ERROR_RESPONSE = 1 << 6;
    public static final int COMMAND_SERR = 1 << 8;
    public static final int COMMAND_INTX_DISABLE = 1 << 10;
    /** The COMMAND bits a guest may change; the rest are hardwired to 0 in our devices. */
    public static final int COMMAND_WRITABLE = COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER
            | COMMAND_PARITY_ERROR_RESPONSE | COMMAND_SERR | COMMAND_INTX_DISABLE;

    public static final int STATUS_INTERRUPT = 1 << 3;
    public static final int STATUS_CAPABILITIES = 1 << 4;
    /** Error bits that software clears by writing 1 (master data parity, target/master aborts, SERR, parity). */
    public static final int STATUS_WRITE_ONE_TO_CLEAR = 0xf900;

    public static final int HEADER_TYPE_NORMAL = 0x00;
    public static final int HEADER_TYPE_MULTIFUNCTION = 0x80;

    public static final int BAR_IO_SPACE = 0x1;
    public static final int BAR_MEM_TYPE_64 = 0x4;
    public static final int BAR_MEM_PREFETCHABLE = 0x8;

    public static final int CAP_ID_MSI = 0x05;
    public static final int CAP_ID_PCIE = 0x10;
    public static final int CAP_ID_MSIX = 0x11;

    public static final int CLASS_BRIDGE = 0x06;
    public static final int SUBCLASS_BRIDGE_HOST = 0x00;
    public static final int SUBCLASS_BRIDGE_ISA = 0x01;

    /** Interrupt line value meaning "not connected" (PCI firmware spec). */
    public static final int INTERRUPT_LINE_NONE = 0xff;
}
