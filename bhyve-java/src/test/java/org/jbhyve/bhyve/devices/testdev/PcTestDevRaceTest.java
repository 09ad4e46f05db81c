package org.jbhyve.bhyve.devices.testdev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.bhyve.device.MsiSink;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.vmm.GuestMemory;
import org.junit.jupiter.api.Test;

/**
 * Two vCPUs writing the same pc-testdev interrupt byte at once: the line must end at the level the
 * device records (and saves), whatever order the two writes' line operations would have run in.
 */
class PcTestDevRaceTest {
    static final int IRQ = 5;

    /** A line with the kernel's semantics (the last call wins) whose first assert stalls until released. */
    static final class StallingLine implements InterruptLine {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private boolean first = true;
        volatile boolean level;

        @Override
        public void assertLine() {
            boolean stall;
            synchronized (this) {
                stall = first;
                first = false;
            }
            if (stall) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            level = true;
        }

        @Override
        public void deassertLine() {
            level = false;
        }
    }

    @Test
    void concurrentWritesOfOneIrqByteLeaveTheLineWhereTheDeviceSaysItIs() throws Exception {
        try (FakePlatform base = new FakePlatform()) {
            StallingLine line = new StallingLine();
            Platform p = new Platform() {
                @Override public IoBus io() { return base.io(); }
                @Override public MmioBus mmio() { return base.mmio(); }
                @Override public GuestMemory memory() { return base.memory(); }
                @Override public InterruptLine irq(int irq) { return irq == IRQ ? line : base.irq(irq); }
                @Override public MsiSink msi() { return base.msi(); }
                @Override public void log(String device, String message) { base.log(device, message); }
            };
            PcTestDev dev = new PcTestDev(p);
            // vCPU 0 raises the line; its assert is slow (an ioctl that had to wait).
            Thread raiser = Thread.ofPlatform().start(() -> base.outb(PcTestDev.IRQ_PORT + IRQ, 1));
            assertThat(line.entered.await(5, TimeUnit.SECONDS)).isTrue();
            // vCPU 1 lowers it meanwhile.
            Thread lowerer = Thread.ofPlatform().start(() -> base.outb(PcTestDev.IRQ_PORT + IRQ, 0));
            lowerer.join(300);
            line.release.countDown();
            raiser.join(5000);
            lowerer.join(5000);
            assertThat(raiser.isAlive() || lowerer.isAlive()).isFalse();

            boolean saved = (dev.saveState().u32("irq_lines") & 1L << IRQ) != 0;
            assertThat(line.level).as("the line level agrees with the device's (saved) state").isEqualTo(saved);
        }
    }
}
