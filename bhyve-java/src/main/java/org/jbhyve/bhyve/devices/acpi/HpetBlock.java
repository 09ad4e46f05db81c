package org.jbhyve.bhyve.devices.acpi;

/**
 * An HPET the guest should find (FreeBSD's vhpet; KVM has none).
 *
 * @param eventTimerBlockId the HPET table's "Event Timer Block ID": bits 63-32 of the HPET's
 *                          General Capabilities and ID register (vendor, counter size, timer count,
 *                          revision), which bhyve reads with vm_get_hpet_capabilities
 */
public record HpetBlock(long base, int eventTimerBlockId) {
    public static final int MMIO_SIZE = 0x400;

    public HpetBlock {
        if (base < 0 || base + MMIO_SIZE > 1L << 32) throw new IllegalArgumentException("HPET must be below 4 GiB");
    }
}
