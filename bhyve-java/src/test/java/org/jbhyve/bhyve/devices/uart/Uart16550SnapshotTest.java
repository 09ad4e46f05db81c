package org.jbhyve.bhyve.devices.uart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.SnapshotTesting.assertRefused;
import static org.jbhyve.bhyve.devices.SnapshotTesting.edit;
import static org.jbhyve.bhyve.devices.SnapshotTesting.fuzzRestore;
import static org.jbhyve.bhyve.devices.SnapshotTesting.save;

import java.util.ArrayList;
import java.util.List;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bhyve.devices.FakePlatform.Edge;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Save a UART in the middle of things, restore it into a new VM, and let a guest driver carry on. */
class Uart16550SnapshotTest {
    static final int BASE = 0x3f8, IRQ = 4;
    static final int DATA = BASE, IER = BASE + 1, IIR = BASE + 2, FCR = BASE + 2, LCR = BASE + 3, MCR = BASE + 4,
            LSR = BASE + 5, MSR = BASE + 6, SCR = BASE + 7;

    final FakePlatform p1 = new FakePlatform(), p2 = new FakePlatform();
    final CapturingBackend host1 = new CapturingBackend(), host2 = new CapturingBackend();
    Uart16550 uart1, uart2;

    @BeforeEach
    void setUp() {
        uart1 = new Uart16550(p1, "com1", BASE, IRQ, host1);
        uart2 = new Uart16550(p2, "com1", BASE, IRQ, host2);
    }

    @AfterEach
    void tearDown() {
        uart1.close();
        uart2.close();
        p1.close();
        p2.close();
    }

    /**
     * A guest mid-way through a driver's life: FIFO on with trigger level 8, RX and THRE interrupts
     * enabled (THRE pending, never acknowledged), OUT2 on so the line is up, five bytes received and
     * one of them read, a modem delta pending, and DLAB left set while it reprograms the divisor.
     */
    void driveIntoBusyState(FakePlatform p, CapturingBackend host) {
        p.outb(FCR, 0x81);           // FIFO enable, trigger level 8
        p.outb(MCR, 0x1b);           // loopback + OUT2 + RTS + DTR: modem inputs change ...
        p.outb(MCR, 0x0b);           // ... and back: delta bits pending in MSR
        p.outb(IER, 0x0b);           // RX data, THRE and modem status interrupts
        p.outb(SCR, 0x5a);
        host.inject("hello");
        assertThat(p.inb(DATA)).isEqualTo('h');
        p.outb(LCR, 0x83);           // DLAB
        p.outb(DATA, 0x01);          // 115200 baud
        p.outb(IER, 0x00);
    }

    /** What a driver does next; returns every value it read and the line level after each step. */
    List<Integer> driverCarriesOn(FakePlatform p, CapturingBackend host) {
        List<Integer> seen = new ArrayList<>();
        FakePlatform.RecordingLine line = p.line(IRQ);
        seen.add(p.inb(DATA));        // DLL
        seen.add(p.inb(IER));         // DLM
        seen.add(p.inb(LCR));
        p.outb(LCR, 0x03);
        seen.add(p.inb(IER));
        seen.add(p.inb(MCR));
        seen.add(p.inb(SCR));
        seen.add(p.inb(LSR));
        seen.add(p.inb(IIR));         // RX timeout: 4 bytes, below the trigger level
        seen.add(line.isAsserted() ? 1 : 0);
        host.inject("wxyz");          // 8 bytes now: at the trigger level
        seen.add(p.inb(IIR));
        for (int i = 0; i < 8; i++) seen.add(p.inb(DATA));
        seen.add(p.inb(DATA));        // RBR keeps the last character
        seen.add(p.inb(IIR));         // THRE, still unacknowledged since before the snapshot; reading acks it
        seen.add(p.inb(IIR));         // modem status
        seen.add(p.inb(MSR));         // reading MSR acknowledges it
        seen.add(p.inb(IIR));         // nothing left
        seen.add(line.isAsserted() ? 1 : 0);
        p.outb(DATA, '!');
        seen.add(line.isAsserted() ? 1 : 0);
        seen.add(p.inb(IIR));         // THRE again after the write; reading acknowledges it
        seen.add(line.isAsserted() ? 1 : 0);
        return seen;
    }

    @Test
    void restoredUartContinuesExactlyWhereTheSavedOneWas() throws SnapshotFormatException {
        driveIntoBusyState(p1, host1);
        assertThat(p1.line(IRQ).isAsserted()).isTrue();
        StateRecord saved = save(uart1);
        assertThat(uart1.stateName()).isEqualTo("dev.com1");
        assertThat(saved.u8("dll")).isEqualTo(1);
        assertThat(saved.bytes("rx_fifo")).containsExactly('e', 'l', 'l', 'o');

        uart2.restoreState(saved, uart1.stateVersion());
        assertThat(p2.line(IRQ).isAsserted()).as("the line is re-driven on the new platform").isTrue();
        assertThat(p2.line(IRQ).events()).containsExactly(Edge.ASSERT);
        assertThat(save(uart2)).isEqualTo(saved);

        List<Integer> original = driverCarriesOn(p1, host1);
        List<Integer> restored = driverCarriesOn(p2, host2);
        assertThat(restored).isEqualTo(original);
        assertThat(restored).startsWith(0x01, 0x00, 0x83, 0x0b, 0x0b, 0x5a, 0x61, 0xcc, 1, 0xc4,
                (int) 'e', (int) 'l', (int) 'l', (int) 'o', (int) 'w', (int) 'x', (int) 'y', (int) 'z', (int) 'z',
                0xc2, 0xc0);
        assertThat(restored).endsWith(0xc1, 0, 1, 0xc2, 0);
        assertThat(host2.outputString()).as("output goes to the new VM's backend").isEqualTo("!");
    }

    @Test
    void nextReceivedByteLandsBehindTheRestoredFifoContentsAndRaisesTheInterrupt() throws SnapshotFormatException {
        p1.outb(FCR, 0xc1);          // trigger level 14
        p1.outb(MCR, 0x08);
        p1.outb(IER, 0x01);
        host1.inject("0123456789abc"); // 13 bytes: timeout interrupt only
        assertThat(p1.inb(IIR)).isEqualTo(0xcc);
        uart2.restoreState(save(uart1), 1);
        assertThat(p2.inb(IIR)).isEqualTo(0xcc);
        host2.inject("d");           // the 14th byte reaches the trigger level
        assertThat(p2.inb(IIR)).isEqualTo(0xc4);
        assertThat(p2.line(IRQ).isAsserted()).isTrue();
        host2.inject("efZ");         // 16 fit, the 17th is an overrun
        assertThat(p2.inb(LSR) & 0x03).isEqualTo(0x03);
        StringBuilder got = new StringBuilder();
        while ((p2.inb(LSR) & 1) != 0) got.append((char) p2.inb(DATA));
        assertThat(got).hasToString("0123456789abcdef");
    }

    @Test
    void lineAndLoopbackStateSurviveWithoutTheHostSide() throws SnapshotFormatException {
        p1.outb(MCR, 0x1f);          // loopback: the line is forced low, TX goes to RX
        p1.outb(IER, 0x01);
        p1.outb(DATA, 'L');
        assertThat(p1.line(IRQ).isAsserted()).isFalse();
        uart2.restoreState(save(uart1), 1);
        assertThat(p2.line(IRQ).events()).isEmpty();
        assertThat(p2.inb(MSR)).isEqualTo(uart1.saveState().u8("msr"));
        assertThat(p2.inb(DATA)).isEqualTo('L');
        host2.inject("x");           // host input is discarded in loopback
        assertThat(p2.inb(LSR) & 1).isZero();
        assertThat(host2.output()).isEmpty();
    }

    @Test
    void savedLineLevelIsDrivenEvenWhenRestoredWhilePaused() throws SnapshotFormatException {
        p1.outb(MCR, 0x08);
        p1.outb(IER, 0x02);
        assertThat(p1.line(IRQ).isAsserted()).isTrue();
        StateRecord saved = save(uart1);
        uart2.pause();
        uart2.restoreState(saved, 1);
        assertThat(p2.line(IRQ).isAsserted()).isTrue();
        uart2.resume();
        assertThat(p2.inb(IIR)).isEqualTo(0x02);
        assertThat(p2.inb(IIR)).isEqualTo(0x01);
        assertThat(p2.line(IRQ).isAsserted()).isFalse();
    }

    @Test
    void bytesWaitingInTheTransmitFifoAreSentOnRestore() throws SnapshotFormatException {
        StateRecord saved = edit(save(uart1), b -> b.putBytes("tx_fifo", "ok".getBytes()));
        uart2.restoreState(saved, 1);
        assertThat(host2.outputString()).isEqualTo("ok");
    }

    @Test
    void chunkNameComesFromTheConfigNode() {
        ConfigTree cfg = new ConfigTree();
        try (FakePlatform p = new FakePlatform()) {
            Uart16550 com2 = Uart16550.fromConfig(cfg, "lpc.com2", 0x2f8, 3, p);
            Uart16550 com4 = Uart16550.fromConfig(cfg, "lpc.com4", 0x2e8, 3, p);
            assertThat(com2.stateName()).isEqualTo("dev.com2");
            assertThat(com4.stateName()).isEqualTo("dev.com4");
            com2.close();
            com4.close();
        }
    }

    @Test
    void badRecordsAreRefusedAndLeaveTheUartAsItWas() {
        driveIntoBusyState(p1, host1);
        StateRecord good = save(uart1);
        driveIntoBusyState(p2, host2);
        p2.outb(SCR, 0x11);
        List<Edge> edges = p2.line(IRQ).events();

        assertRefused(uart2, edit(good, b -> b.putBytes("rx_fifo", new byte[17])), "rx_fifo", "17 bytes");
        StateRecord noFifo = edit(good, b -> b.putU8("fcr", 0).putU8("iir", 0xc1));
        assertRefused(uart2, edit(noFifo, b -> b.putBytes("rx_fifo", new byte[2])), "rx_fifo", "FIFO disabled");
        assertRefused(uart2, edit(good, b -> b.putU8("ier", 0x10)), "ier", "never holds");
        assertRefused(uart2, edit(good, b -> b.putU8("mcr", 0x20)), "mcr");
        assertRefused(uart2, edit(good, b -> b.putU8("fcr", 0x08)), "fcr");
        assertRefused(uart2, edit(good, b -> b.putU8("msr", 0x00)), "msr", "modem inputs");
        assertRefused(uart2, edit(good, b -> b.putU8("lsr", 0x60)), "lsr", "DR");
        assertRefused(uart2, edit(good, b -> b.putU8("lsr", 0x63)), "lsr", "overrun");
        assertRefused(uart2, edit(good, b -> b.putU8("lsr", 0x01)), "lsr", "THRE and TEMT");
        assertRefused(uart2, edit(good, b -> b.putU8("lsr", 0x21)), "lsr", "THRE and TEMT");
        assertRefused(uart2, edit(good, b -> b.putU8("iir", 0xc1)), "iir", "0xcc");
        assertRefused(uart2, edit(good, b -> b.putBytes("rx_fifo", new byte[0]).putU8("lsr", 0x60)), "iir", "0xc2");
        assertRefused(uart2, edit(good, b -> b.putBytes("tx_fifo", new byte[17])), "tx_fifo");
        assertRefused(uart2, edit(good, b -> b.remove("scr")), "scr", "missing");
        assertRefused(uart2, edit(good, b -> b.remove("dll").putU16("dll", 1)), "dll", "u16");
        assertThat(p2.line(IRQ).events()).isEqualTo(edges);

        assertThatThrownBy(() -> uart2.restoreState(good, 2))
                .isExactlyInstanceOf(SnapshotFormatException.class).hasMessageContaining("dev.com1")
                .hasMessageContaining("version 2");
        assertThat(p2.inb(SCR)).isEqualTo(0x11);
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() throws SnapshotFormatException {
        driveIntoBusyState(p1, host1);
        StateRecord saved = edit(save(uart1), b -> b.putU32("break_timer", 7));
        uart2.restoreState(saved, 1);
        assertThat(save(uart2)).isEqualTo(save(uart1));
    }

    @Test
    void randomlyDamagedRecordsAreRestoredOrRefusedCleanly() {
        driveIntoBusyState(p1, host1);
        StateRecord good = save(uart1);
        int refused = fuzzRestore(uart2, good, 16550, 1500, () -> java.util.List.of(p2.line(IRQ).events(), host2.outputString()));
        assertThat(refused).isGreaterThan(700);
    }
}
