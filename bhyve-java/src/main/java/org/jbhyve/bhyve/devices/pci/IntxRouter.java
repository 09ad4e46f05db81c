package org.jbhyve.bhyve.devices.pci;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;

/**
 * Routes PCI INTx pins the way bhyve does (its pci_emul.c, ioapic.c and pci_irq.c), so guests see
 * the same interrupt wiring as under bhyve:
 *
 * <ul>
 * <li>Each (bus, slot, pin) gets an IOAPIC pin 16-23, handed out round-robin in bus/slot/function
 *     order. Functions of one slot that share a pin share its routing.</li>
 * <li>Each also gets one of the 8 PIRQ links of an ICH10-style router (the LPC bridge's registers
 *     0x60-0x63 and 0x68-0x6b): the least-used link. A link, the first time it is used, is pointed
 *     at the least-used ISA IRQ among 3-7, 9-12 and 14-15 not reserved by an ISA device; that IRQ is
 *     what the function's interrupt line register shows, for guests that use the 8259. The VM counts
 *     the SCI as a use of IRQ 9 ({@link #useIsaIrq}), so links take it last, as under bhyve. That matters more
 *     here than there: bhyve drives only the 8259 input for a link, while a KVM ISA IRQ also drives
 *     the IOAPIC pin of its number, which for IRQ 9 an APIC-mode guest has enabled for the SCI.</li>
 * <li>With a boot ROM, both choices are fixed instead: {@code (4 + slot + pin) % 8} gives the IOAPIC
 *     pin (plus 16) and the PIRQ link, as the firmware assumes.</li>
 * </ul>
 *
 * An asserted function drives its IOAPIC pin and, when its link holds a valid IRQ, that ISA IRQ.
 * Lines shared by several functions (or several links) are wire-ORed here: the router's source on
 * the platform line goes up with the first assertion and down with the last; the platform ORs that
 * with other devices on the line (the SCI on IRQ 9). Ties in "least used" go to the lowest number.
 */
public final class IntxRouter {
    public static final int PIRQ_COUNT = 8;
    /** PIRQ register bit 7: the link is routed nowhere. */
    public static final int PIRQ_DISABLED = 0x80;
    private static final int PIRQ_IRQ_MASK = 0x0f;
    /** ISA IRQs a PIRQ link may use: 3-7, 9-12, 14-15. */
    private static final int PERMITTED_ISA_IRQS = 0xdef8;
    private static final int UNAVAILABLE = -1;

    private final Platform platform;
    private final boolean fixedRouting;
    private final int[] pirqRegister = new int[PIRQ_COUNT];
    private final int[] pirqUses = new int[PIRQ_COUNT];
    private final int[] pirqActive = new int[PIRQ_COUNT];
    /** Routing uses per ISA IRQ, or UNAVAILABLE when not permitted or reserved by an ISA device. */
    private final int[] isaUses = new int[16];
    private final int[] isaLevel = new int[16];
    private final int[] ioapicLevel = new int[MemoryMap.PCI_INTX_PIN_COUNT];
    private final TreeMap<Integer, IntxRoute> routes = new TreeMap<>();
    private final TreeSet<Integer> routedIsaIrqs = new TreeSet<>();
    /**
     * The router's sources on the platform's lines (ISA IRQs 0-15, IOAPIC pins 16-23), taken on first
     * use and kept: each {@link Platform#irq} call is a new source, and a deassert only lowers what the
     * same source asserted.
     */
    private final InterruptLine[] platformLines = new InterruptLine[MemoryMap.PCI_INTX_FIRST_PIN + MemoryMap.PCI_INTX_PIN_COUNT];
    private int nextIoapicPin;
    private boolean routingStarted;
    private int[] powerOnPirqRegisters;

    IntxRouter(Platform platform, boolean fixedRouting) {
        this.platform = platform;
        this.fixedRouting = fixedRouting;
        java.util.Arrays.fill(pirqRegister, PIRQ_DISABLED);
        for (int irq = 0; irq < 16; irq++) isaUses[irq] = permitted(irq) ? 0 : UNAVAILABLE;
    }

    private static boolean permitted(int irq) {
        return (PERMITTED_ISA_IRQS & (1 << irq)) != 0;
    }

    /** A register value routes the link to an IRQ (not disabled, IRQ permitted). */
    private static boolean valid(int register) {
        return (register & PIRQ_DISABLED) == 0 && permitted(register & PIRQ_IRQ_MASK);
    }

    /**
     * An ISA device (a COM port, the keyboard controller) owns {@code irq} edge-triggered: PCI must
     * not share it. Call before the bus is realized.
     */
    public synchronized void reserveIsaIrq(int irq) {
        checkIsaIrq(irq);
        if (routingStarted) throw new IllegalStateException("ISA IRQ " + irq + " reserved after PCI interrupts were routed");
        if (isaUses[irq] > 0) throw new IllegalStateException("ISA IRQ " + irq + " is already shared with a level-triggered user");
        isaUses[irq] = UNAVAILABLE;
    }

    /**
     * A level-triggered ISA user (the ACPI SCI) shares {@code irq}: PCI may still use it, but prefers
     * others. Call before the bus is realized.
     */
    public synchronized void useIsaIrq(int irq) {
        checkIsaIrq(irq);
        if (routingStarted) throw new IllegalStateException("ISA IRQ " + irq + " claimed after PCI interrupts were routed");
        if (isaUses[irq] == UNAVAILABLE) throw new IllegalStateException("ISA IRQ " + irq + " is reserved or not usable by PCI");
        isaUses[irq]++;
    }

    private static void checkIsaIrq(int irq) {
        if (irq < 0 || irq > 15) throw new IllegalArgumentException("ISA IRQ " + irq + " out of range 0-15");
    }

    private static int key(int bus, int slot, int pin) {
        return bus << 16 | slot << 8 | pin;
    }

    /** The route of (bus, slot, pin), allocated the first time it is asked for. */
    synchronized IntxRoute route(int bus, int slot, int pin) {
        IntxRoute existing = routes.get(key(bus, slot, pin));
        if (existing != null) return existing;
        routingStarted = true;
        int ioapicPin;
        int pirq;
        if (fixedRouting) {
            int n = (4 + slot + pin) % PIRQ_COUNT;
            ioapicPin = MemoryMap.PCI_INTX_FIRST_PIN + n;
            pirq = n + 1;
        } else {
            ioapicPin = MemoryMap.PCI_INTX_FIRST_PIN + (nextIoapicPin++ % MemoryMap.PCI_INTX_PIN_COUNT);
            pirq = leastUsedPirq() + 1;
        }
        pirqUses[pirq - 1]++;
        if (pirqRegister[pirq - 1] == PIRQ_DISABLED) {
            int irq = leastUsedIsaIrq();
            if (irq >= 0) {
                isaUses[irq]++;
                pirqRegister[pirq - 1] = irq;
                routedIsaIrqs.add(irq);
            }
        }
        IntxRoute route = new IntxRoute(bus, slot, pin, ioapicPin, pirq);
        routes.put(key(bus, slot, pin), route);
        return route;
    }

    private int leastUsedPirq() {
        int best = 0;
        for (int p = 1; p < PIRQ_COUNT; p++) if (pirqUses[p] < pirqUses[best]) best = p;
        return best;
    }

    private int leastUsedIsaIrq() {
        int best = -1;
        for (int irq = 0; irq < 16; irq++) {
            if (isaUses[irq] == UNAVAILABLE) continue;
            if (best < 0 || isaUses[irq] < isaUses[best]) best = irq;
        }
        return best;
    }

    /** What the function's interrupt line register shows: its link's ISA IRQ, or 0xff if none. */
    synchronized int interruptLineRegister(IntxRoute route) {
        int reg = pirqRegister[route.pirq() - 1];
        return valid(reg) ? reg & PIRQ_IRQ_MASK : PciRegisters.INTERRUPT_LINE_NONE;
    }

    /** A line for one function on {@code route}; the function alternates assert and deassert. */
    InterruptLine line(IntxRoute route) {
        return new InterruptLine() {
            @Override
            public void assertLine() { raise(route); }

            @Override
            public void deassertLine() { lower(route); }
        };
    }

    private synchronized void raise(IntxRoute route) {
        int pin = route.ioapicPin() - MemoryMap.PCI_INTX_FIRST_PIN;
        if (ioapicLevel[pin]++ == 0) platformLine(route.ioapicPin()).assertLine();
        int p = route.pirq() - 1;
        if (pirqActive[p]++ == 0 && valid(pirqRegister[p])) raiseIsa(pirqRegister[p] & PIRQ_IRQ_MASK);
    }

    private synchronized void lower(IntxRoute route) {
        int pin = route.ioapicPin() - MemoryMap.PCI_INTX_FIRST_PIN;
        if (ioapicLevel[pin] > 0 && --ioapicLevel[pin] == 0) platformLine(route.ioapicPin()).deassertLine();
        int p = route.pirq() - 1;
        if (pirqActive[p] > 0 && --pirqActive[p] == 0 && valid(pirqRegister[p])) lowerIsa(pirqRegister[p] & PIRQ_IRQ_MASK);
    }

    private void raiseIsa(int irq) {
        if (isaLevel[irq]++ == 0) platformLine(irq).assertLine();
    }

    private void lowerIsa(int irq) {
        if (isaLevel[irq] > 0 && --isaLevel[irq] == 0) platformLine(irq).deassertLine();
    }

    private InterruptLine platformLine(int irq) {
        InterruptLine line = platformLines[irq];
        if (line == null) platformLines[irq] = line = platform.irq(irq);
        return line;
    }

    private static void checkPirq(int pirq) {
        if (pirq < 1 || pirq > PIRQ_COUNT) throw new IllegalArgumentException("PIRQ link " + pirq + " out of range 1-8");
    }

    /** The PIRQ routing register of link {@code pirq} (1 = PIRQA): bit 7 disable, bits 3:0 IRQ. */
    public synchronized int readPirq(int pirq) {
        checkPirq(pirq);
        return pirqRegister[pirq - 1];
    }

    /**
     * A guest write of a PIRQ routing register. Reserved bits are dropped; if the link is asserted
     * its interrupt moves from the old IRQ to the new one. Pointing a link at an IRQ PCI may not use
     * makes it behave as disabled, as on the ICH10.
     */
    public synchronized void writePirq(int pirq, int value) {
        checkPirq(pirq);
        int p = pirq - 1;
        int next = value & (PIRQ_DISABLED | PIRQ_IRQ_MASK);
        int old = pirqRegister[p];
        if (next == old) return;
        if (pirqActive[p] > 0 && valid(old)) lowerIsa(old & PIRQ_IRQ_MASK);
        pirqRegister[p] = next;
        if (pirqActive[p] > 0 && valid(next)) raiseIsa(next & PIRQ_IRQ_MASK);
    }

    /** The ISA IRQ link {@code pirq} is routed to now, or -1. */
    public synchronized int pirqIrq(int pirq) {
        checkPirq(pirq);
        int reg = pirqRegister[pirq - 1];
        return valid(reg) ? reg & PIRQ_IRQ_MASK : -1;
    }

    /** Every routed (bus, slot, pin), in bus, slot, pin order: the {@code _PRT} and MP table entries. */
    public synchronized List<IntxRoute> routes() {
        return List.copyOf(routes.values());
    }

    /** Routes on one bus. */
    public synchronized List<IntxRoute> routes(int bus) {
        List<IntxRoute> out = new ArrayList<>();
        for (IntxRoute r : routes.values()) if (r.bus() == bus) out.add(r);
        return out;
    }

    /**
     * The ISA IRQs the router handed to PIRQ links. They carry shared PCI interrupts, so the 8259
     * must treat them as level-triggered (ELCR), as bhyve sets them.
     */
    public synchronized List<Integer> levelTriggeredIsaIrqs() {
        return List.copyOf(routedIsaIrqs);
    }

    // ---- snapshots (the PIRQ registers are saved by the LPC bridge, whose registers they are) ----

    /**
     * Every route, packed as {@code bus << 32 | slot << 24 | pin << 16 | ioapicPin << 8 | pirq}, in
     * bus, slot, pin order: what a restore compares to be sure the new VM wires INTx the same way.
     */
    synchronized long[] packedRoutes() {
        return routes.values().stream()
                .mapToLong(r -> (long) r.bus() << 32 | (long) r.slot() << 24 | r.pin() << 16 | r.ioapicPin() << 8 | r.pirq())
                .toArray();
    }

    /** The IOAPIC pins PCI INTx holds asserted now: bit n is pin 16 + n. */
    synchronized int assertedIoapicPins() {
        int bits = 0;
        for (int i = 0; i < ioapicLevel.length; i++) if (ioapicLevel[i] > 0) bits |= 1 << i;
        return bits;
    }

    /** The ISA IRQs PCI INTx holds asserted through PIRQ links now: bit n is IRQ n. */
    synchronized int assertedIsaIrqs() {
        int bits = 0;
        for (int i = 0; i < isaLevel.length; i++) if (isaLevel[i] > 0) bits |= 1 << i;
        return bits;
    }

    /** Remembers the link registers as routed: what {@link #reset()} returns to. */
    synchronized void capturePowerOnState() {
        routingStarted = true;
        powerOnPirqRegisters = pirqRegister.clone();
    }

    /** Puts the link registers back as they were after routing. */
    synchronized void reset() {
        if (powerOnPirqRegisters == null) return;
        for (int p = 0; p < PIRQ_COUNT; p++) writePirq(p + 1, powerOnPirqRegisters[p]);
    }
}
