package org.jbhyve.bhyve.devices.pci;

/**
 * The MSI capability (ID 0x05), always 64-bit address capable, optionally with per-vector masking.
 *
 * <p>Layout: +2 message control (enable bit 0, multiple message capable 3:1 read-only, multiple
 * message enable 6:4, 64-bit bit 7, per-vector masking bit 8), +4 address low, +8 address high,
 * +12 data; with masking +16 mask bits and +20 pending bits (read-only). The registers in config
 * space are the state; this class reads them when a message is sent and sends pending messages
 * when the guest unmasks them. The owning device holds its lock around every call.
 */
public final class MsiCapability {
    private static final int CONTROL = 2, ADDRESS_LOW = 4, ADDRESS_HIGH = 8, DATA = 12, MASK = 16, PENDING = 20;
    private static final int CONTROL_ENABLE = 1;
    private static final int CONTROL_64BIT = 1 << 7;
    private static final int CONTROL_PER_VECTOR_MASK = 1 << 8;

    private final PciDevice device;
    private final ConfigSpace config;
    private final int offset;
    private final int vectors;
    private final boolean perVectorMask;

    MsiCapability(PciDevice device, ConfigSpace config, CapabilityList caps, int vectors, boolean perVectorMask) {
        if (vectors < 1 || vectors > 32 || Integer.bitCount(vectors) != 1) {
            throw new IllegalArgumentException("MSI vectors must be a power of two from 1 to 32, not " + vectors);
        }
        this.device = device;
        this.config = config;
        this.vectors = vectors;
        this.perVectorMask = perVectorMask;
        this.offset = caps.add(PciRegisters.CAP_ID_MSI, perVectorMask ? 24 : 14);
        int mmc = Integer.numberOfTrailingZeros(vectors);
        config.set16(offset + CONTROL, CONTROL_64BIT | mmc << 1 | (perVectorMask ? CONTROL_PER_VECTOR_MASK : 0));
        // Enable and Multiple Message Enable; the capable bits are the device's.
        config.setWritable(offset + CONTROL, 2, CONTROL_ENABLE | 0x70);
        config.setWritable(offset + ADDRESS_LOW, 4, 0xfffffffc);
        config.setWritable(offset + ADDRESS_HIGH, 4, 0xffffffff);
        config.setWritable(offset + DATA, 2, 0xffff);
        if (perVectorMask) config.setWritable(offset + MASK, 4, vectorBits());
    }

    private int vectorBits() {
        return vectors == 32 ? -1 : (1 << vectors) - 1;
    }

    /** Offset of the capability in config space. */
    public int offset() { return offset; }

    /** Length in config space (for write notification). */
    int length() { return perVectorMask ? 24 : 14; }

    public int vectors() { return vectors; }

    public boolean enabled() {
        return (config.read16(offset + CONTROL) & CONTROL_ENABLE) != 0;
    }

    /** Vectors the guest enabled (Multiple Message Enable), never more than the device offers. */
    public int enabledVectors() {
        int mme = (config.read16(offset + CONTROL) >> 4) & 7;
        return Math.min(1 << mme, vectors);
    }

    public long address() {
        return (config.read32(offset + ADDRESS_HIGH) & 0xffffffffL) << 32 | (config.read32(offset + ADDRESS_LOW) & 0xffffffffL);
    }

    public boolean masked(int vector) {
        return perVectorMask && (config.read32(offset + MASK) & (1 << vector)) != 0;
    }

    public boolean pending(int vector) {
        return perVectorMask && (config.read32(offset + PENDING) & (1 << vector)) != 0;
    }

    // ---- snapshots: the capability's state is its registers in config space ----

    /** Offset of the read-only pending-bits register, which the device sets; -1 without per-vector masking. */
    int pendingOffset() {
        return perVectorMask ? offset + PENDING : -1;
    }

    /** Whether a saved config space image has MSI enabled. */
    boolean enabledIn(byte[] cfg) {
        return (cfg[offset + CONTROL] & CONTROL_ENABLE) != 0;
    }

    /** Why the MSI registers in a saved config space image cannot be this capability's, or null. */
    String stateProblem(byte[] cfg) {
        if (!perVectorMask) return null;
        int at = offset + PENDING;
        int pending = (cfg[at] & 0xff) | (cfg[at + 1] & 0xff) << 8 | (cfg[at + 2] & 0xff) << 16 | (cfg[at + 3] & 0xff) << 24;
        if ((pending & ~vectorBits()) != 0) {
            return String.format("MSI pending bits 0x%08x name vectors beyond the %d the function has", pending, vectors);
        }
        return null;
    }

    /**
     * Signals {@code vector}: sends it, or marks it pending when masked. The vector is put in the
     * low bits of the data the guest programmed, as the spec says a multi-message function does.
     */
    void send(int vector) {
        int allocated = enabledVectors();
        if (vector < 0 || vector >= allocated) {
            device.deviceError("msi-vector", "MSI vector " + vector + " dropped: the guest enabled " + allocated);
            return;
        }
        if (masked(vector)) {
            config.set32(offset + PENDING, config.read32(offset + PENDING) | 1 << vector);
            return;
        }
        deliver(vector);
    }

    private void deliver(int vector) {
        int allocated = enabledVectors();
        int data = (config.read16(offset + DATA) & ~(allocated - 1)) | vector;
        device.deliverMessage(address(), data, "MSI vector " + vector);
    }

    /** After a guest write into the capability: sends vectors that were pending and are now unmasked. */
    void afterGuestWrite() {
        if (!perVectorMask || !enabled()) return;
        int pending = config.read32(offset + PENDING);
        int unmaskedPending = pending & ~config.read32(offset + MASK);
        if (unmaskedPending == 0) return;
        config.set32(offset + PENDING, pending & ~unmaskedPending);
        for (int v = 0; v < vectors; v++) {
            if ((unmaskedPending & (1 << v)) != 0 && v < enabledVectors()) deliver(v);
        }
    }
}
