package org.jbhyve.bhyve.devices.acpi;

/**
 * The IA-PC HPET description table, "HPET" (IA-PC HPET specification 1.0a, 3.2.4): 56 bytes.
 */
final class HpetTable {
    static final String SIGNATURE = "HPET";
    static final int REVISION = 1;
    /** Page protection: the block needs 4 KiB of address space with nothing else in it. */
    static final int PAGE_PROTECT_4K = 1;

    private HpetTable() {}

    static byte[] build(HpetBlock hpet) {
        return new SdtBuilder(SIGNATURE, REVISION)
                .u32(hpet.eventTimerBlockId() & 0xffff_ffffL)
                // Base address as a GAS in system memory; bhyve leaves width and access size 0.
                .gas(SdtBuilder.SPACE_SYSTEM_MEMORY, 0, 0, SdtBuilder.ACCESS_UNDEFINED, hpet.base())
                .u8(0)                    // HPET number
                .u16(0)                   // minimum clock tick in periodic mode
                .u8(PAGE_PROTECT_4K)
                .finish();
    }
}
