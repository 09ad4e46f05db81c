package org.jbhyve.bhyve.devices.virtio;

/**
 * Numbers from the virtio 1.2 specification (and its legacy 0.9.5 interface) that the transport and
 * the device models share: PCI IDs, device status bits, feature bits, ring flags, register offsets.
 */
public final class Virtio {
    private Virtio() {}

    // ---- PCI identity (virtio 1.2 section 4.1.2) ----
    public static final int VENDOR = 0x1af4;
    /** Transitional device IDs are 0x1000 + something; modern-only ones 0x1040 + the device type. */
    public static final int MODERN_DEVICE_ID_BASE = 0x1040;

    /** Virtio device types (section 5). */
    public static final int TYPE_NET = 1, TYPE_BLOCK = 2, TYPE_CONSOLE = 3, TYPE_ENTROPY = 4;
    /** bhyve's transitional PCI device IDs (virtio.h). */
    public static final int LEGACY_ID_NET = 0x1000, LEGACY_ID_BLOCK = 0x1001, LEGACY_ID_CONSOLE = 0x1003,
            LEGACY_ID_ENTROPY = 0x1005;

    // ---- device status (section 2.1) ----
    public static final int STATUS_ACKNOWLEDGE = 1;
    public static final int STATUS_DRIVER = 2;
    public static final int STATUS_DRIVER_OK = 4;
    public static final int STATUS_FEATURES_OK = 8;
    public static final int STATUS_NEEDS_RESET = 64;
    public static final int STATUS_FAILED = 128;

    // ---- device-independent feature bits (section 6) ----
    public static final int F_NOTIFY_ON_EMPTY = 24;
    public static final int F_ANY_LAYOUT = 27;
    public static final int F_RING_INDIRECT_DESC = 28;
    public static final int F_RING_EVENT_IDX = 29;
    public static final int F_VERSION_1 = 32;

    public static long bit(int feature) {
        return 1L << feature;
    }

    // ---- split virtqueue (section 2.7) ----
    public static final int DESC_F_NEXT = 1;
    public static final int DESC_F_WRITE = 2;
    public static final int DESC_F_INDIRECT = 4;
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    public static final int USED_F_NO_NOTIFY = 1;
    public static final int DESC_SIZE = 16;
    /** The largest queue size the split ring format allows. */
    public static final int MAX_QUEUE_SIZE = 32768;
    /** The legacy interface's ring alignment and page size of the PFN register. */
    public static final int LEGACY_ALIGN = 4096;
    public static final int LEGACY_PFN_SHIFT = 12;

    // ---- interrupts ----
    public static final int NO_VECTOR = 0xffff;
    public static final int ISR_QUEUE = 1;
    public static final int ISR_CONFIG = 2;

    // ---- legacy register block in I/O BAR 0 (section 4.1.4.8) ----
    public static final int LEGACY_HOST_FEATURES = 0x00;
    public static final int LEGACY_GUEST_FEATURES = 0x04;
    public static final int LEGACY_QUEUE_PFN = 0x08;
    public static final int LEGACY_QUEUE_NUM = 0x0c;
    public static final int LEGACY_QUEUE_SEL = 0x0e;
    public static final int LEGACY_QUEUE_NOTIFY = 0x10;
    public static final int LEGACY_STATUS = 0x12;
    public static final int LEGACY_ISR = 0x13;
    /** Present only while MSI-X is enabled. */
    public static final int LEGACY_CONFIG_VECTOR = 0x14;
    public static final int LEGACY_QUEUE_VECTOR = 0x16;
    /** Where device-specific configuration starts: 20 without MSI-X enabled, 24 with. */
    public static final int LEGACY_CONFIG_NO_MSIX = 0x14;
    public static final int LEGACY_CONFIG_MSIX = 0x18;

    // ---- modern interface: vendor capabilities (section 4.1.4) ----
    public static final int CAP_ID_VENDOR = 0x09;
    public static final int PCI_CAP_COMMON_CFG = 1;
    public static final int PCI_CAP_NOTIFY_CFG = 2;
    public static final int PCI_CAP_ISR_CFG = 3;
    public static final int PCI_CAP_DEVICE_CFG = 4;
    public static final int PCI_CAP_PCI_CFG = 5;

    // struct virtio_pci_common_cfg
    public static final int COMMON_DFSELECT = 0x00;
    public static final int COMMON_DF = 0x04;
    public static final int COMMON_GFSELECT = 0x08;
    public static final int COMMON_GF = 0x0c;
    public static final int COMMON_MSIX = 0x10;
    public static final int COMMON_NUMQ = 0x12;
    public static final int COMMON_STATUS = 0x14;
    public static final int COMMON_CFGGENERATION = 0x15;
    public static final int COMMON_Q_SELECT = 0x16;
    public static final int COMMON_Q_SIZE = 0x18;
    public static final int COMMON_Q_MSIX = 0x1a;
    public static final int COMMON_Q_ENABLE = 0x1c;
    public static final int COMMON_Q_NOFF = 0x1e;
    public static final int COMMON_Q_DESC = 0x20;
    public static final int COMMON_Q_AVAIL = 0x28;
    public static final int COMMON_Q_USED = 0x30;
    public static final int COMMON_Q_NOTIF_DATA = 0x38;
    public static final int COMMON_Q_RESET = 0x3a;
    public static final int COMMON_SIZE = 0x3c;
}
