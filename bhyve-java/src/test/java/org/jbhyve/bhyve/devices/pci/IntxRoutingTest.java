package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import java.util.ArrayList;
import java.util.List;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.InterruptLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IntxRoutingTest {
    private final PciTestPlatform platform = new PciTestPlatform();

    @AfterEach
    void close() {
        platform.close();
    }

    private PciBus bus(boolean bootrom) {
        return new PciBus(platform, new PciBus.Options(32L << 30, !bootrom, bootrom));
    }

    private TestPciDevice intxDevice(int slot, int function) {
        return new TestPciDevice(PciAddress.of(0, slot, function), platform, PciDevice::requestIntx);
    }

    private LpcBridge lpc() {
        return new LpcBridge(new ConfigTree(), "pci.0.31.0", PciAddress.of(0, 31, 0), platform);
    }

    @Test
    void assertDrivesTheIoapicPinAndThePirqIrqAndHonoursIntxDisable() {
        PciBus bus = bus(false);
        TestPciDevice d = intxDevice(3, 0);
        bus.add(d);
        bus.realize();
        PciAddress at = d.address();
        assertThat(platform.cfgRead(at, INTERRUPT_PIN, 1)).isEqualTo(1);
        assertThat(platform.cfgRead(at, INTERRUPT_LINE, 1)).isEqualTo(3); // no LPC: nothing reserves IRQ 3
        assertThat(bus.intxRoutes()).containsExactly(new IntxRoute(0, 3, 1, 16, 1));

        d.assertIntx();
        assertThat(platform.highLines()).containsExactly(3, 16);
        assertThat(platform.cfgRead(at, STATUS, 2) & STATUS_INTERRUPT).isNotZero();

        platform.cfgWrite(at, COMMAND, 2, COMMAND_BUS_MASTER | COMMAND_INTX_DISABLE);
        assertThat(platform.highLines()).isEmpty();
        assertThat(platform.cfgRead(at, STATUS, 2) & STATUS_INTERRUPT).as("status shows the request anyway").isNotZero();

        platform.cfgWrite(at, COMMAND, 2, COMMAND_BUS_MASTER);
        assertThat(platform.highLines()).containsExactly(3, 16);

        d.deassertIntx();
        assertThat(platform.highLines()).isEmpty();
        assertThat(platform.cfgRead(at, STATUS, 2) & STATUS_INTERRUPT).isZero();
    }

    @Test
    void anAssertWhileDisabledIsHeldAndDroppedIfDeassertedFirst() {
        PciBus bus = bus(false);
        TestPciDevice d = intxDevice(3, 0);
        bus.add(d);
        bus.realize();
        platform.cfgWrite(d.address(), COMMAND, 2, COMMAND_INTX_DISABLE);
        d.assertIntx();
        d.deassertIntx();
        platform.cfgWrite(d.address(), COMMAND, 2, 0);
        assertThat(platform.highLines()).isEmpty();
        assertThat(platform.line(16).raises()).isZero();
    }

    @Test
    void routesLikeBhyveRoundRobinOverIoapicPinsAndLeastUsedPirqs() {
        PciBus bus = bus(false);
        bus.add(lpc());                               // reserves ISA IRQs 3 and 4
        for (int slot = 3; slot <= 6; slot++) bus.add(intxDevice(slot, 0));
        bus.add(intxDevice(7, 0));
        bus.add(intxDevice(7, 1));
        bus.add(new TestPciDevice(PciAddress.of(0, 8, 0), platform)); // no INTx
        bus.realize();

        assertThat(bus.intxRoutes()).containsExactly(
                new IntxRoute(0, 3, 1, 16, 1),
                new IntxRoute(0, 4, 1, 17, 2),
                new IntxRoute(0, 5, 1, 18, 3),
                new IntxRoute(0, 6, 1, 19, 4),
                new IntxRoute(0, 7, 1, 20, 5),
                new IntxRoute(0, 7, 2, 21, 6));
        int[] expectedLines = {5, 6, 7, 9, 10};
        for (int slot = 3; slot <= 7; slot++) {
            assertThat(platform.cfgRead(0, slot, 0, INTERRUPT_LINE, 1)).as("slot %d", slot).isEqualTo(expectedLines[slot - 3]);
        }
        assertThat(platform.cfgRead(0, 7, 1, INTERRUPT_PIN, 1)).isEqualTo(2);
        assertThat(platform.cfgRead(0, 7, 1, INTERRUPT_LINE, 1)).isEqualTo(11);
        assertThat(platform.cfgRead(0, 8, 0, INTERRUPT_LINE, 2)).isEqualTo(INTERRUPT_LINE_NONE); // pin 0, line 0xff
        // The LPC bridge shows the links: PIRQA-D, then PIRQE-H.
        assertThat(platform.cfgRead(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 4)).isEqualTo(0x09070605);
        assertThat(platform.cfgRead(0, 31, 0, LpcBridge.PIRQ_E_TO_H, 4)).isEqualTo(0x80800b0a);
        assertThat(bus.intx().levelTriggeredIsaIrqs()).containsExactly(5, 6, 7, 9, 10, 11);
    }

    @Test
    void theNinthPinWrapsAroundAndSharedLinesAreWireOred() {
        PciBus bus = bus(false);
        List<TestPciDevice> devs = new ArrayList<>();
        for (int slot = 1; slot <= 9; slot++) {
            TestPciDevice d = intxDevice(slot, 0);
            devs.add(d);
            bus.add(d);
        }
        bus.realize();
        assertThat(bus.intxRoutes().get(8)).isEqualTo(new IntxRoute(0, 9, 1, 16, 1));
        TestPciDevice first = devs.get(0), ninth = devs.get(8);
        assertThat(first.configRegister(INTERRUPT_LINE, 1)).isEqualTo(ninth.configRegister(INTERRUPT_LINE, 1));
        int isa = first.configRegister(INTERRUPT_LINE, 1);

        first.assertIntx();
        ninth.assertIntx();
        first.deassertIntx();
        assertThat(platform.highLines()).containsExactly(isa, 16);
        ninth.deassertIntx();
        assertThat(platform.highLines()).isEmpty();
        assertThat(platform.line(16).raises()).isEqualTo(1);
    }

    @Test
    void sharedLinesStayConsistentUnderConcurrentAssertsAndCommandWrites() throws Exception {
        PciBus bus = bus(false);
        TestPciDevice f0 = intxDevice(4, 0), f4 = intxDevice(4, 4); // both get INTA of slot 4
        bus.add(f0);
        bus.add(f4);
        for (int f = 1; f <= 3; f++) bus.add(intxDevice(4, f));
        bus.realize();
        assertThat(f0.intxPin()).isEqualTo(f4.intxPin()).isEqualTo(1);

        Thread[] threads = new Thread[3];
        threads[0] = new Thread(() -> { for (int i = 0; i < 20_000; i++) { f0.assertIntx(); f0.deassertIntx(); } });
        threads[1] = new Thread(() -> { for (int i = 0; i < 20_000; i++) { f4.assertIntx(); f4.deassertIntx(); } });
        threads[2] = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                platform.cfgWrite(0, 4, (i & 1) * 4, COMMAND, 2, (i & 2) != 0 ? COMMAND_INTX_DISABLE : 0);
            }
        });
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        platform.cfgWrite(0, 4, 0, COMMAND, 2, 0);
        platform.cfgWrite(0, 4, 4, COMMAND, 2, 0);
        assertThat(platform.highLines()).isEmpty();
        f4.assertIntx();
        f0.assertIntx();
        f4.deassertIntx();
        assertThat(platform.highLines()).hasSize(2).contains(16);
        f0.deassertIntx();
        assertThat(platform.highLines()).isEmpty();
    }

    @Test
    void functionsOfOneSlotSpreadOverTheFourPins() {
        PciBus bus = bus(false);
        for (int f = 0; f < 6; f++) bus.add(intxDevice(4, f));
        bus.realize();
        int[] pins = new int[6];
        for (int f = 0; f < 6; f++) pins[f] = platform.cfgRead(0, 4, f, INTERRUPT_PIN, 1);
        assertThat(pins).containsExactly(1, 2, 3, 4, 1, 2);
        assertThat(bus.intxRoutes()).hasSize(4);
    }

    @Test
    void withABootRomTheRoutingIsFixedBySlotAndPin() {
        PciBus bus = bus(true);
        bus.add(intxDevice(3, 0));
        bus.add(intxDevice(4, 0));
        bus.add(intxDevice(5, 0));
        bus.add(intxDevice(5, 1));
        bus.realize();
        assertThat(bus.intxRoutes()).containsExactly(
                new IntxRoute(0, 3, 1, 16, 1),
                new IntxRoute(0, 4, 1, 17, 2),
                new IntxRoute(0, 5, 1, 18, 3),
                new IntxRoute(0, 5, 2, 19, 4));
    }

    @Test
    void aSharedLevelUserMakesAnIrqLessPreferredAndReservationsAfterRoutingFail() {
        PciBus bus = bus(false);
        bus.intx().useIsaIrq(3);
        bus.intx().reserveIsaIrq(4);
        bus.add(intxDevice(3, 0));
        bus.realize();
        assertThat(platform.cfgRead(0, 3, 0, INTERRUPT_LINE, 1)).isEqualTo(5);
        assertThatThrownBy(() -> bus.intx().reserveIsaIrq(6)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.intx().useIsaIrq(7)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * The machine VmRuntime builds: the SCI uses IRQ 9 and the LPC bridge reserves 3 and 4, so the
     * eight links take the eight free IRQs and none lands on the SCI's, as under bhyve.
     */
    @Test
    void withTheSciOnIrq9EveryLinkGetsAnotherIrq() {
        PciBus bus = bus(false);
        bus.add(lpc());
        bus.intx().useIsaIrq(9);
        for (int slot = 1; slot <= 8; slot++) bus.add(intxDevice(slot, 0));
        bus.realize();
        List<Integer> irqs = new ArrayList<>();
        for (int p = 1; p <= IntxRouter.PIRQ_COUNT; p++) irqs.add(bus.intx().pirqIrq(p));
        assertThat(irqs).containsExactly(5, 6, 7, 10, 11, 12, 14, 15);
        assertThat(bus.intx().levelTriggeredIsaIrqs()).doesNotContain(9);
    }

    /** A guest may still point a link at IRQ 9: the link and the SCI's source are wired-OR there. */
    @Test
    void aLinkTheGuestPointsAtTheSciIrqIsWireOredWithTheSci() {
        PciBus bus = bus(false);
        bus.add(lpc());
        bus.intx().useIsaIrq(9);
        TestPciDevice d = intxDevice(3, 0);
        bus.add(d);
        bus.realize();
        bus.intx().writePirq(1, 9);
        InterruptLine sci = platform.irq(9);
        sci.assertLine();
        d.assertIntx();
        sci.deassertLine();
        assertThat(platform.highLines()).containsExactly(9, 16);
        d.deassertIntx();
        assertThat(platform.highLines()).isEmpty();
    }

    @Test
    void rewritingAPirqRegisterMovesAnAssertedInterrupt() {
        PciBus bus = bus(false);
        bus.add(lpc());
        TestPciDevice d = intxDevice(3, 0);
        bus.add(d);
        bus.realize();
        d.assertIntx();
        assertThat(platform.highLines()).containsExactly(5, 16);

        platform.cfgWrite(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 1, 10);
        assertThat(platform.highLines()).containsExactly(10, 16);
        platform.cfgWrite(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 1, 0x80 | 10);
        assertThat(platform.highLines()).containsExactly(16);
        platform.cfgWrite(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 1, 8);  // IRQ 8 (RTC) may not be used: acts disabled
        assertThat(platform.highLines()).containsExactly(16);
        platform.cfgWrite(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 4, 0x8080800e);
        assertThat(platform.highLines()).containsExactly(14, 16);
        platform.cfgWrite(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 1, 0xff);
        assertThat(platform.cfgRead(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 1)).isEqualTo(0x8f);
        assertThat(platform.highLines()).containsExactly(16);

        d.deassertIntx();
        platform.cfgWrite(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 1, 11);
        assertThat(platform.highLines()).isEmpty();

        bus.reset();
        assertThat(platform.cfgRead(0, 31, 0, LpcBridge.PIRQ_A_TO_D, 1)).isEqualTo(5);
    }

    @Test
    void assertingWithoutARequestedPinIsLoggedNotThrown() {
        PciBus bus = bus(false);
        TestPciDevice d = new TestPciDevice(PciAddress.of(0, 3, 0), platform);
        bus.add(d);
        bus.realize();
        d.assertIntx();
        d.assertIntx();
        d.deassertIntx();
        assertThat(platform.highLines()).isEmpty();
        assertThat(platform.logs).hasSize(1);
        assertThat(platform.cfgRead(0, 3, 0, INTERRUPT_LINE, 1)).isEqualTo(INTERRUPT_LINE_NONE);
    }

    @Test
    void resetDropsAnAssertedLine() {
        PciBus bus = bus(false);
        TestPciDevice d = intxDevice(3, 0);
        bus.add(d);
        bus.realize();
        d.assertIntx();
        bus.reset();
        assertThat(platform.highLines()).isEmpty();
        assertThat(platform.cfgRead(0, 3, 0, STATUS, 2) & STATUS_INTERRUPT).isZero();
        d.assertIntx();
        assertThat(platform.highLines()).containsExactly(3, 16);
    }
}
