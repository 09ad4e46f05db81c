package org.jbhyve.bhyve.device;

/**
 * One input of the interrupt controllers (an IOAPIC pin, for 0-15 also the 8259 input) that several
 * devices may drive, wired-OR: it is high while any of its sources asserts it. The hypervisor keeps
 * one level per line for the whole VMM (KVM_IRQ_LINE has a single userspace source), so if devices
 * drove it directly, the one that lowered a shared line last would erase the others' requests. Lines
 * are shared: COM1 and COM3 on IRQ 4, COM2 and COM4 on IRQ 3, the SCI with a PCI link a guest points
 * at IRQ 9, PCI INTx pins on one IOAPIC pin. bhyve needs none of this: its kernel's 8259 and IOAPIC
 * count the assertions on each pin.
 *
 * <p>Each device drives its own {@link #newSource() source}. The {@link Driver} hears of the line
 * only when the OR changes, with one exception: a source that asserts again while asserting re-drives
 * the line high. That is how a device puts its level back after a restore, where the interrupt
 * controllers' saved state was loaded over what the device had driven (see AcpiPm.restored()); the
 * hot paths never repeat an assertion.
 *
 * <p>Edges: a {@link InterruptLine#pulse() pulse} on a line nobody holds gives the driver high, then
 * low. On a line a source holds high it does nothing, because the wire does not move and an edge
 * triggered input sees no edge. That is what an ISA IRQ shared by two devices does on a PC (drivers
 * of shared edge IRQs, such as Linux's 8250 driver, service every port on the IRQ until all are
 * quiet, so that the line drops and the next request is an edge again), and what bhyve's counting
 * 8259 and IOAPIC do, taking an edge only from 0 to 1 assertions.
 *
 * <p>The driver runs under this line's lock, so the hypervisor hears the changes in the order the OR
 * made them. The lock is per line and held for one call, which the backend serializes anyway.
 */
public final class SharedInterruptLine {
    /** Moves the line itself (KVM_IRQ_LINE): called only when the level must change, or to re-drive it. */
    @FunctionalInterface
    public interface Driver {
        void drive(boolean level);
    }

    private final Driver driver;
    /** Sources asserting now. Guarded by this. */
    private int asserting;

    public SharedInterruptLine(Driver driver) {
        this.driver = driver;
    }

    /** A new source on this line, low. A device takes one per line it drives and keeps it. */
    public InterruptLine newSource() {
        return new Source();
    }

    /** The wired-OR of the sources: what the driver was last told, unless a call to it failed. */
    public synchronized boolean level() {
        return asserting > 0;
    }

    private final class Source implements InterruptLine {
        /** This source's own level. Guarded by the line. */
        private boolean asserted;

        @Override
        public void assertLine() {
            synchronized (SharedInterruptLine.this) {
                if (asserted) {
                    driver.drive(true); // a re-drive: the line is high, the kernel may have been told otherwise
                    return;
                }
                asserted = true;
                if (asserting++ == 0) driver.drive(true);
            }
        }

        @Override
        public void deassertLine() {
            synchronized (SharedInterruptLine.this) {
                if (!asserted) return; // never lowers what other sources hold
                asserted = false;
                if (--asserting == 0) driver.drive(false);
            }
        }

        /** An edge if nobody holds the line, nothing otherwise; this source's own level is left as it was. */
        @Override
        public void pulse() {
            synchronized (SharedInterruptLine.this) {
                if (asserting > 0) return;
                driver.drive(true);
                driver.drive(false);
            }
        }
    }
}
