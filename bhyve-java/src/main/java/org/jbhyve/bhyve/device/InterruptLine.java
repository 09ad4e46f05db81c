package org.jbhyve.bhyve.device;

/**
 * One interrupt line as a device sees it: an ISA IRQ or a PCI INTx routed to an IOAPIC pin.
 * Level-triggered devices assert and deassert; edge-triggered ones pulse.
 */
public interface InterruptLine {
    void assertLine();

    void deassertLine();

    default void pulse() {
        assertLine();
        deassertLine();
    }

    /** Sets the level. */
    default void set(boolean asserted) {
        if (asserted) assertLine(); else deassertLine();
    }

    /** A line connected to nothing (e.g. a PCI device whose INTx pin is not routed). */
    InterruptLine NONE = new InterruptLine() {
        @Override
        public void assertLine() { }

        @Override
        public void deassertLine() { }
    };
}
