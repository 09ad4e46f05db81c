package org.jbhyve.bhyve.device;

import org.jbhyve.vmm.GuestMemory;

/**
 * The three narrow doors through which a device sees the world: the I/O and MMIO buses it registers
 * ranges on, guest memory, and interrupts. A device never touches the hypervisor backend.
 */
public interface Platform {
    IoBus io();

    MmioBus mmio();

    GuestMemory memory();

    /**
     * A new source on ISA IRQ {@code irq} (0-15; reaches the PIC and the same IOAPIC pin) or IOAPIC
     * pin 16-23. Every call gives a separate source, wired-OR with the line's other sources (see
     * {@link SharedInterruptLine}): a device asks once per line it drives and keeps what it got.
     */
    InterruptLine irq(int irq);

    MsiSink msi();

    /** Emits a diagnostic for the device (once per problem; the guest is hostile, the log must not flood). */
    void log(String device, String message);
}
