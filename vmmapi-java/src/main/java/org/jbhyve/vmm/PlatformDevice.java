package org.jbhyve.vmm;

/**
 * Platform devices that a backend's kernel may emulate. The VMM supplies in Java every one the
 * backend does not (see {@link VirtualMachine#kernelDevices()}).
 */
public enum PlatformDevice {
    /** Per-vCPU local APIC. */
    LAPIC,
    /** I/O APIC at 0xfec00000. */
    IOAPIC,
    /** The two cascaded 8259A PICs (ports 0x20/0xa0). */
    PIC_8259,
    /** The 8254 interval timer (ports 0x40-0x43). */
    PIT_8254,
    /** HPET at 0xfed00000. */
    HPET,
    /** The ACPI power-management timer. */
    PM_TIMER,
    /** The MC146818 CMOS RTC (ports 0x70/0x71). */
    RTC
}
