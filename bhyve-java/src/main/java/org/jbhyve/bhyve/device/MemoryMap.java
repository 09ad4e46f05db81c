package org.jbhyve.bhyve.device;

/**
 * Where things live in the guest's physical address space and port space. bhyve's layout, so that
 * firmware and guests written for bhyve find the same things at the same places.
 */
public final class MemoryMap {
    private MemoryMap() {}

    // ---- RAM (see GuestMemory): [0, min(mem, 3 GiB)) and [4 GiB, 4 GiB + rest) ----
    public static final long LOWMEM_LIMIT = org.jbhyve.vmm.GuestMemory.LOWMEM_LIMIT;
    public static final long HIGHMEM_BASE = org.jbhyve.vmm.GuestMemory.HIGHMEM_BASE;

    // ---- PCI ----
    /** PCI I/O BARs are allocated in [PCI_IO_BASE, PCI_IO_LIMIT). */
    public static final int PCI_IO_BASE = 0x2000;
    public static final int PCI_IO_LIMIT = 0x10000;
    /** 32-bit PCI memory BARs are allocated in [PCI_MEM32_BASE, PCI_MEM32_LIMIT). */
    public static final long PCI_MEM32_BASE = LOWMEM_LIMIT;
    public static final long PCI_MEM32_LIMIT = 0xe0000000L;
    /** PCIe enhanced configuration access (ECAM/MMCONFIG): 256 buses x 1 MiB. */
    public static final long PCI_ECAM_BASE = 0xe0000000L;
    public static final long PCI_ECAM_SIZE = 256L << 20;
    /** 64-bit PCI memory BARs go above RAM, at or above this address, 32 GiB aligned. */
    public static final long PCI_MEM64_MIN_BASE = 32L << 30;
    public static final long PCI_MEM64_SIZE = 32L << 30;
    /** Configuration mechanism #1: address register 0xcf8, data window 0xcfc-0xcff. */
    public static final int PCI_CONFIG_ADDRESS = 0xcf8;
    public static final int PCI_CONFIG_DATA = 0xcfc;
    /** IOAPIC pins PCI INTx lines are routed to (16-23), below them the ISA IRQs. */
    public static final int PCI_INTX_FIRST_PIN = 16;
    public static final int PCI_INTX_PIN_COUNT = 8;

    // ---- interrupt controllers and timers ----
    public static final long IOAPIC_BASE = 0xfec00000L;
    public static final long HPET_BASE = 0xfed00000L;
    public static final long LAPIC_BASE = 0xfee00000L;

    // ---- firmware ----
    /** The boot ROM (UEFI) occupies the top of this 16 MiB window, its last byte at 0xffffffff. */
    public static final long BOOTROM_WINDOW_BASE = 0xff000000L;
    public static final long BOOTROM_WINDOW_SIZE = 16L << 20;
    /** MP table (floating pointer and configuration table). */
    public static final long MPTABLE_BASE = 0xf0000L;
    /** ACPI tables start here with the RSDP; they must stay below 1 MiB. */
    public static final long ACPI_BASE = 0xf2400L;
    public static final long ACPI_LIMIT = 0x100000L;

    // ---- ISA / LPC ports and IRQs ----
    public static final int COM1_PORT = 0x3f8, COM2_PORT = 0x2f8, COM3_PORT = 0x3e8, COM4_PORT = 0x2e8;
    public static final int COM1_IRQ = 4, COM2_IRQ = 3, COM3_IRQ = 4, COM4_IRQ = 3;
    public static final int RTC_PORT = 0x70, RTC_IRQ = 8;
    /** ACPI fixed hardware (bhyve's ports). */
    public static final int SMI_CMD_PORT = 0xb2, ACPI_ENABLE_VALUE = 0xa0, ACPI_DISABLE_VALUE = 0xa1;
    public static final int PM1A_EVT_PORT = 0x400, PM1A_CNT_PORT = 0x404, PM_TIMER_PORT = 0x408;
    public static final int SCI_IRQ = 9;
    /** Reset control register (write 0x6 or 0xe to reset). */
    public static final int RESET_PORT = 0xcf9;
    /** QEMU fw_cfg selector/data ports and the DMA address register; bhyve's fwctl uses 0x510/0x511 too. */
    public static final int FW_CFG_PORT = 0x510, FW_CFG_DMA_PORT = 0x514;
    /** isa-debug-exit style port: a write of v makes the VMM exit with status (v << 1) | 1. */
    public static final int DEBUG_EXIT_PORT = 0xf4;
}
