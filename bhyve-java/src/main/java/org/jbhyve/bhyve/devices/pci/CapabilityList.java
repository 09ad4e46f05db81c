package org.jbhyve.bhyve.devices.pci;

/**
 * Builds the linked list of capabilities in conventional config space, as bhyve lays it out: the
 * first one at 0x40, each one dword aligned and right after the previous, the capabilities pointer
 * and STATUS bit set when the first is added. ID and next-pointer bytes are read-only to the guest;
 * what else a capability lets the guest write is up to whoever adds it.
 */
public final class CapabilityList {
    private final ConfigSpace config;
    private int lastOffset;
    private int nextFree = PciRegisters.CAPABILITIES_START;

    CapabilityList(ConfigSpace config) {
        this.config = config;
    }

    /**
     * Appends a capability with ID {@code id} spanning {@code length} bytes (ID and next pointer
     * included) and returns its offset. The body is zero until the caller fills it.
     *
     * @throws IllegalStateException when it does not fit below 256 (a bug in the device model)
     */
    public int add(int id, int length) {
        if (length < 2 || id < 0 || id > 0xff) throw new IllegalArgumentException("bad capability id " + id + " / length " + length);
        int offset = nextFree;
        int reserved = (length + 3) & ~3;
        if (offset + reserved > PciRegisters.CONVENTIONAL_SIZE) {
            throw new IllegalStateException("capability 0x" + Integer.toHexString(id) + " (" + length
                    + " bytes) does not fit in config space at 0x" + Integer.toHexString(offset));
        }
        if (lastOffset == 0) {
            config.set8(PciRegisters.CAPABILITIES_POINTER, offset);
            config.set16(PciRegisters.STATUS, config.read16(PciRegisters.STATUS) | PciRegisters.STATUS_CAPABILITIES);
        } else {
            config.set8(lastOffset + 1, offset);
        }
        config.set8(offset, id);
        config.set8(offset + 1, 0);
        lastOffset = offset;
        nextFree = offset + reserved;
        return offset;
    }

    /** Offset of the first capability with {@code id}, or -1. Walks the list as a guest would. */
    public int find(int id) {
        if ((config.read16(PciRegisters.STATUS) & PciRegisters.STATUS_CAPABILITIES) == 0) return -1;
        int offset = config.read8(PciRegisters.CAPABILITIES_POINTER);
        for (int hops = 0; offset != 0 && hops < 48; hops++) {
            if (config.read8(offset) == id) return offset;
            offset = config.read8(offset + 1);
        }
        return -1;
    }

    /** First offset after the last capability: where the next one would go. */
    public int end() {
        return nextFree;
    }
}
