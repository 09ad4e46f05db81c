package org.jbhyve.bhyve.devices.pci;

/**
 * The PCI Express capability (ID 0x10), version 2, the 60-byte layout bhyve uses. Control registers
 * are guest-writable, the few status error bits are write-1-to-clear, capabilities are read-only.
 * bhyve gives its host bridge one of type "root port" with a gen1 x1 link.
 */
public final class PcieCapability {
    private PcieCapability() {}

    public static final int LENGTH = 60;

    /** Device/port type field values (bits 7:4 of the capabilities register). */
    public static final int TYPE_ENDPOINT = 0x0;
    public static final int TYPE_ROOT_PORT = 0x4;
    public static final int TYPE_ROOT_COMPLEX_INTEGRATED_ENDPOINT = 0x9;

    private static final int VERSION = 2;
    private static final int CAPABILITIES = 2, DEVICE_CONTROL = 8, DEVICE_STATUS = 10;
    private static final int LINK_CAPABILITIES = 12, LINK_CONTROL = 16, LINK_STATUS = 18;
    private static final int ROOT_CONTROL = 28, ROOT_STATUS = 32;
    /** 2.5 GT/s, x1, L0s supported; status 2.5 GT/s x1 (bhyve's values). */
    private static final int GEN1_X1_LINK_CAPABILITIES = 0x411;
    private static final int GEN1_X1_LINK_STATUS = 0x11;

    /**
     * Adds the capability to {@code device} and returns its offset. As in bhyve, an endpoint on bus
     * 0 (the root complex bus, the only one bhyve has) becomes a root complex integrated endpoint,
     * which has no link.
     */
    static int add(PciDevice device, int type) {
        if (type == TYPE_ENDPOINT && device.address().bus() == 0) type = TYPE_ROOT_COMPLEX_INTEGRATED_ENDPOINT;
        ConfigSpace cfg = device.config();
        int off = device.capabilities().add(PciRegisters.CAP_ID_PCIE, LENGTH);
        cfg.set16(off + CAPABILITIES, VERSION | type << 4);
        cfg.setWritable(off + DEVICE_CONTROL, 2, 0x7fff);          // all but Initiate FLR
        cfg.setWriteOneToClear(off + DEVICE_STATUS, 2, 0x000f);    // error detected bits
        if (type != TYPE_ROOT_COMPLEX_INTEGRATED_ENDPOINT) {
            cfg.set32(off + LINK_CAPABILITIES, GEN1_X1_LINK_CAPABILITIES);
            cfg.set16(off + LINK_STATUS, GEN1_X1_LINK_STATUS);
            cfg.setWritable(off + LINK_CONTROL, 2, 0x0fdf);        // all but Retrain Link, which reads 0
            cfg.setWriteOneToClear(off + LINK_STATUS, 2, 0xc000);  // bandwidth management / autonomous bits
        }
        if (type == TYPE_ROOT_PORT) {
            cfg.setWritable(off + ROOT_CONTROL, 2, 0x001f);
            cfg.setWriteOneToClear(off + ROOT_STATUS, 4, 0x00010000); // PME status
        }
        return off;
    }
}
