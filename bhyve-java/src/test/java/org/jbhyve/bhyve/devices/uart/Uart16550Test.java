package org.jbhyve.bhyve.devices.uart;

import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bhyve.devices.FakePlatform.Edge;
import org.jbhyve.bhyve.devices.FakePlatform.RecordingLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The NS16550A register model, driven through the I/O bus as a guest driver would. */
class Uart16550Test {
    static final int BASE = 0x3f8, IRQ = 4;
    static final int DATA = BASE, IER = BASE + 1, IIR = BASE + 2, FCR = BASE + 2, LCR = BASE + 3, MCR = BASE + 4,
            LSR = BASE + 5, MSR = BASE + 6, SCR = BASE + 7;

    FakePlatform p;
    CapturingBackend host;
    Uart16550 uart;
    RecordingLine line;

    @BeforeEach
    void setUp() {
        p = new FakePlatform();
        host = new CapturingBackend();
        uart = new Uart16550(p, "com1", BASE, IRQ, host);
        line = p.line(IRQ);
    }

    @AfterEach
    void tearDown() {
        uart.close();
        p.close();
    }

    @Test
    void powerOnStateIsWhatAPcBiosFinds() {
        assertThat(p.inb(IER)).isZero();
        assertThat(p.inb(IIR)).isEqualTo(0x01); // no interrupt pending, FIFOs off
        assertThat(p.inb(LCR)).isZero();
        assertThat(p.inb(MCR)).isZero();
        assertThat(p.inb(LSR)).isEqualTo(0x60); // THRE | TEMT
        assertThat(p.inb(MSR)).isEqualTo(0xa0); // DCD | DSR: a tty open never waits for carrier
        p.outb(LCR, 0x80);
        assertThat(p.inb(DATA) | p.inb(IER) << 8).isEqualTo(12); // 9600 baud from 1.8432 MHz
        assertThat(line.events()).isEmpty();
        assertThat(p.io().find(BASE).owner()).isEqualTo("com1");
        assertThat(p.io().find(BASE + 7).owner()).isEqualTo("com1");
        assertThat(p.io().find(BASE + 8)).isNull();
    }

    @Test
    void transmittedBytesReachTheBackendUnlessDlabRedirectsTheWrite() {
        for (char c : "hi\n".toCharArray()) p.outb(DATA, c);
        p.outb(LCR, 0x83);            // DLAB: ports 0 and 1 are the divisor latch now
        p.outb(DATA, 0x01);
        p.outb(IER, 0x00);
        assertThat(p.inb(DATA)).isEqualTo(0x01);
        p.outb(LCR, 0x03);
        assertThat(p.inb(IER)).isZero(); // the DLM write did not touch IER
        p.outb(DATA, '!');
        assertThat(host.outputString()).isEqualTo("hi\n!");
    }

    @Test
    void scratchRegisterKeepsWhatWasWritten() {
        p.outb(SCR, 0x5a);
        assertThat(p.inb(SCR)).isEqualTo(0x5a);
        p.outb(SCR, 0xa5);
        assertThat(p.inb(SCR)).isEqualTo(0xa5);
    }

    @Test
    void receivedByteSetsDataReadyUntilRead() {
        host.inject("x");
        assertThat(p.inb(LSR) & 0x01).isEqualTo(1);
        assertThat(p.inb(DATA)).isEqualTo('x');
        assertThat(p.inb(LSR) & 0x01).isZero();
        assertThat(p.inb(DATA)).as("RBR still holds the last character").isEqualTo('x');
    }

    @Test
    void fifoHoldsSixteenBytesInOrderAndTheSeventeenthIsAnOverrun() {
        p.outb(FCR, 0x01);
        assertThat(p.inb(IIR) & 0xc0).isEqualTo(0xc0);
        host.inject("0123456789abcdefZ");
        int lsr = p.inb(LSR);
        assertThat(lsr & 0x03).as("DR and OE").isEqualTo(0x03);
        assertThat(p.inb(LSR) & 0x02).as("OE clears on read").isZero();
        StringBuilder got = new StringBuilder();
        while ((p.inb(LSR) & 1) != 0) got.append((char) p.inb(DATA));
        assertThat(got).hasToString("0123456789abcdef");
    }

    @Test
    void withoutFifoASecondByteOverwritesTheUnreadOneWithAnOverrun() {
        host.inject("ab");
        assertThat(p.inb(LSR) & 0x03).isEqualTo(0x03);
        assertThat(p.inb(DATA)).isEqualTo('b');
        assertThat(p.inb(LSR) & 0x01).isZero();
    }

    @Test
    void fifoControlResetsAndModeSwitchesEmptyTheReceiver() {
        p.outb(FCR, 0x01);
        host.inject("abc");
        p.outb(FCR, 0x03); // enable + RX reset
        assertThat(p.inb(LSR) & 0x01).isZero();
        host.inject("abc");
        p.outb(FCR, 0x00); // back to 16450 mode empties the FIFO and turns it off
        assertThat(p.inb(LSR) & 0x01).isZero();
        assertThat(p.inb(IIR) & 0xc0).isZero();
        p.outb(FCR, 0xc6); // other bits without FIFO_ENABLE do nothing
        assertThat(p.inb(IIR) & 0xc0).isZero();
        host.inject("xy");
        assertThat(p.inb(DATA)).as("still a one-byte receiver").isEqualTo('y');
        p.outb(FCR, 0x01);
        host.inject("pq");
        p.outb(FCR, 0x05); // TX reset alone leaves received data alone
        assertThat(p.inb(DATA)).isEqualTo('p');
    }

    @Test
    void receiveTriggerLevelSeparatesDataAvailableFromTimeout() {
        p.outb(IER, 0x01);
        p.outb(FCR, 0x41); // FIFO on, trigger level 4
        host.inject("abc");
        assertThat(p.inb(IIR) & 0x0f).as("below trigger: character timeout").isEqualTo(0x0c);
        host.inject("d");
        assertThat(p.inb(IIR) & 0x0f).as("at trigger: data available").isEqualTo(0x04);
        p.outb(FCR, 0xc1); // trigger 14
        host.inject("0123456789");
        assertThat(p.inb(IIR) & 0x0f).isEqualTo(0x04);
        p.inb(DATA);
        assertThat(p.inb(IIR) & 0x0f).isEqualTo(0x0c);
        p.outb(FCR, 0x81); // trigger 8
        assertThat(p.inb(IIR) & 0x0f).isEqualTo(0x04);
    }

    @Test
    void interruptIdentificationFollowsThe16550PriorityOrder() {
        p.outb(MCR, 0x10);               // loopback: DCD and DSR drop (deltas DDCD, DDSR)
        p.outb(MCR, 0x13);               // DTR, RTS -> DSR, CTS rise (DDSR, DCTS)
        p.outb(FCR, 0x01);
        for (int i = 0; i < 17; i++) p.outb(DATA, 'a' + i); // loop 17 bytes back: overrun
        p.outb(IER, 0x0f);               // everything enabled; THRE becomes due on enabling
        assertThat(p.inb(IIR)).isEqualTo(0xc6); // line status first
        p.inb(LSR);
        assertThat(p.inb(IIR)).isEqualTo(0xc4); // then received data (16 >= trigger 1)
        while ((p.inb(LSR) & 1) != 0) p.inb(DATA);
        assertThat(p.inb(IIR)).isEqualTo(0xc2); // then THR empty, acknowledged by this read
        assertThat(p.inb(IIR)).isEqualTo(0xc0); // then modem status
        assertThat(p.inb(MSR) & 0x0f).isEqualTo(0x0b); // DCTS | DDSR | DDCD, cleared by the read
        assertThat(p.inb(IIR)).isEqualTo(0xc1);
    }

    @Test
    void thrEmptyInterruptIsRaisedOnEnableClearedByIirAndRearmedByWritingThr() {
        p.outb(MCR, 0x08); // OUT2: the line reaches the PIC
        p.outb(IER, 0x02);
        assertThat(line.isAsserted()).isTrue();
        assertThat(p.inb(IIR)).isEqualTo(0x02);
        assertThat(line.isAsserted()).as("reading IIR acknowledged it").isFalse();
        assertThat(p.inb(IIR)).isEqualTo(0x01);
        p.outb(DATA, 'z');
        assertThat(p.inb(IIR)).as("the written byte left THR at once").isEqualTo(0x02);
        p.outb(IER, 0x02); // rewriting the same enable does not re-raise it
        assertThat(p.inb(IIR)).isEqualTo(0x01);
        p.outb(IER, 0x00);
        p.outb(IER, 0x02); // a fresh 0 -> 1 transition does
        assertThat(p.inb(IIR)).isEqualTo(0x02);
    }

    @Test
    void readingIirForAHigherPriorityCauseLeavesThrEmptyPending() {
        p.outb(IER, 0x03);
        host.inject("q");
        assertThat(p.inb(IIR)).isEqualTo(0x04);
        assertThat(p.inb(IIR)).isEqualTo(0x04);
        p.inb(DATA);
        assertThat(p.inb(IIR)).isEqualTo(0x02);
    }

    @Test
    void interruptLineFollowsPendingStateOnlyWhileOut2IsSet() {
        p.outb(IER, 0x01);
        host.inject("a");
        assertThat(line.isAsserted()).as("OUT2 clear: gated off").isFalse();
        p.outb(MCR, 0x08);
        assertThat(line.isAsserted()).isTrue();
        p.inb(DATA);
        assertThat(line.isAsserted()).isFalse();
        host.inject("b");
        assertThat(line.isAsserted()).isTrue();
        p.outb(MCR, 0x18); // loopback forces OUT2's pin inactive
        assertThat(line.isAsserted()).isFalse();
        p.outb(MCR, 0x08);
        assertThat(line.isAsserted()).isTrue();
        assertThat(line.events()).containsExactly(Edge.ASSERT, Edge.DEASSERT, Edge.ASSERT, Edge.DEASSERT, Edge.ASSERT);
    }

    @Test
    void loopbackWiresTransmitterToReceiverAndModemOutputsToInputs() {
        p.outb(MCR, 0x10);
        assertThat(p.inb(MSR) & 0xf0).as("all outputs off").isZero();
        p.outb(MCR, 0x1f);
        assertThat(p.inb(MSR) & 0xf0).isEqualTo(0xf0); // CTS, DSR, RI, DCD
        p.outb(MCR, 0x11);
        assertThat(p.inb(MSR) & 0xf0).isEqualTo(0x20); // DTR -> DSR only
        p.outb(MCR, 0x12);
        assertThat(p.inb(MSR) & 0xf0).isEqualTo(0x10); // RTS -> CTS
        p.outb(MCR, 0x14);
        assertThat(p.inb(MSR) & 0xf0).isEqualTo(0x40); // OUT1 -> RI
        p.outb(MCR, 0x18);
        assertThat(p.inb(MSR) & 0xf0).isEqualTo(0x80); // OUT2 -> DCD
        p.outb(DATA, 'L');
        host.inject("host input is cut off in loopback");
        assertThat(p.inb(LSR) & 1).isEqualTo(1);
        assertThat(p.inb(DATA)).isEqualTo('L');
        assertThat(p.inb(LSR) & 1).isZero();
        assertThat(host.output()).as("nothing went out on the wire").isEmpty();
        p.outb(MCR, 0x00);
        assertThat(p.inb(MSR) & 0xf0).as("back to DCD|DSR").isEqualTo(0xa0);
    }

    @Test
    void modemStatusDeltasAreSetOnChangeAndClearedByReadingMsr() {
        p.outb(MCR, 0x10);
        p.inb(MSR);
        p.outb(MCR, 0x1f);
        assertThat(p.inb(MSR) & 0x0f).isEqualTo(0x0b); // DCTS, DDSR, DDCD; RI rose: no TERI
        assertThat(p.inb(MSR) & 0x0f).isZero();
        p.outb(MCR, 0x1b); // OUT1 off: RI falls -> trailing edge
        assertThat(p.inb(MSR) & 0x0f).isEqualTo(0x04);
        p.outb(IER, 0x08);
        p.outb(MCR, 0x19); // RTS off -> DCTS
        assertThat(p.inb(IIR)).isEqualTo(0x00);
        p.inb(MSR);
        assertThat(p.inb(IIR)).isEqualTo(0x01);
    }

    @Test
    void reservedBitsOfIerAndMcrReadAsZero() {
        p.outb(IER, 0xff);
        assertThat(p.inb(IER)).isEqualTo(0x0f);
        p.outb(MCR, 0xff);
        assertThat(p.inb(MCR)).isEqualTo(0x1f);
        p.outb(LSR, 0x00); // read-only registers ignore writes
        p.outb(MSR, 0x00);
        assertThat(p.inb(LSR) & 0x60).isEqualTo(0x60);
    }

    @Test
    void widerAccessesAreSplitIntoConsecutiveByteRegisters() {
        p.outb(SCR, 0x77);
        assertThat(p.inw(LSR)).isEqualTo(0x60 | 0xa0 << 8);
        assertThat(p.inl(MSR)).as("bytes past the last register read as ones").isEqualTo(0xffff77a0);
        p.outw(LCR, 0x0380); // LCR = 0x80 (DLAB), MCR = 0x03
        assertThat(p.inb(LCR)).isEqualTo(0x80);
        assertThat(p.inb(MCR)).isEqualTo(0x03);
        p.outw(DATA, 0x0201); // DLL, DLM
        assertThat(p.inw(DATA)).isEqualTo(0x0201);
        p.outl(SCR, 0x12345678); // only SCR is inside the window
        assertThat(p.inb(SCR)).isEqualTo(0x78);
    }

    @Test
    void resetReturnsToPowerOnStateAndDropsTheLine() {
        p.outb(MCR, 0x0b);
        p.outb(IER, 0x0f);
        p.outb(FCR, 0xc1);
        p.outb(SCR, 1);
        host.inject("abc");
        assertThat(line.isAsserted()).isTrue();
        uart.reset();
        assertThat(line.isAsserted()).isFalse();
        assertThat(p.inb(IER)).isZero();
        assertThat(p.inb(IIR)).isEqualTo(0x01);
        assertThat(p.inb(MCR)).isZero();
        assertThat(p.inb(LSR)).isEqualTo(0x60);
        assertThat(p.inb(SCR)).isZero();
    }

    @Test
    void aPausedUartRaisesNothingAndCatchesUpOnResume() {
        p.outb(MCR, 0x08);
        p.outb(IER, 0x01);
        uart.pause();
        host.inject("a");
        assertThat(line.isAsserted()).isFalse();
        uart.resume();
        assertThat(line.isAsserted()).isTrue();
    }

    @Test
    void typedInputWaitsForFifoRoomSoNothingIsLostWhileTheGuestReads() throws Exception {
        p.outb(FCR, 0x01);
        byte[] text = new byte[500];
        for (int i = 0; i < text.length; i++) text[i] = (byte) ('A' + i % 26);
        CompletableFuture<Boolean> typing = CompletableFuture.supplyAsync(() -> {
            try {
                return host.type(text, Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < text.length && System.nanoTime() < deadline) {
            int lsr = p.inb(LSR);
            assertThat(lsr & 0x02).as("no overrun").isZero();
            if ((lsr & 1) != 0) got.write(p.inb(DATA));
        }
        assertThat(typing.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(got.toByteArray()).isEqualTo(text);
    }

    @Test
    void typingGivesUpWhenTheGuestNeverReads() throws Exception {
        p.outb(FCR, 0x01);
        assertThat(host.type(new byte[20], Duration.ofMillis(50))).isFalse();
        int n = 0;
        while ((p.inb(LSR) & 1) != 0) {
            p.inb(DATA);
            n++;
        }
        assertThat(n).isEqualTo(16);
    }

    @Test
    void randomGuestAccessesNeverThrowAndTheLineNeverFiresWithoutOut2() {
        Random rnd = new Random(0x16550);
        int[] sizes = {1, 2, 4};
        for (int i = 0; i < 200_000; i++) {
            int port = BASE - 2 + rnd.nextInt(12);
            int size = sizes[rnd.nextInt(3)];
            if (rnd.nextBoolean()) {
                p.io().out(port, size, rnd.nextInt());
            } else {
                p.io().in(port, size);
            }
            if (rnd.nextInt(16) == 0) host.inject(new byte[] {(byte) rnd.nextInt()});
            if (line.isAsserted()) {
                int mcr = p.inb(MCR);
                assertThat(mcr & 0x18).as("asserted only with OUT2 and without loopback").isEqualTo(0x08);
            }
        }
    }
}
