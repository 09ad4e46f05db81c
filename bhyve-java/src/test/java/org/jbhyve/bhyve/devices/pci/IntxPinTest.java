package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbhyve.bhyve.device.InterruptLine;
import org.junit.jupiter.api.Test;

/**
 * IntxPin moves its line outside the device lock, from whichever thread calls apply: the line must
 * still end at the pin's latest state, see strictly alternating asserts and deasserts (the router
 * counts them), and no caller may wait for another's line operation.
 */
class IntxPinTest {
    /** A line that counts its operations and notes any that does not alternate. */
    private static class CheckingLine implements InterruptLine {
        final AtomicInteger asserts = new AtomicInteger(), deasserts = new AtomicInteger(), misorders = new AtomicInteger();
        private volatile boolean high;

        @Override public void assertLine() {
            if (high) misorders.incrementAndGet();
            high = true;
            asserts.incrementAndGet();
        }

        @Override public void deassertLine() {
            if (!high) misorders.incrementAndGet();
            high = false;
            deasserts.incrementAndGet();
        }
    }

    @Test
    void aLowerWhileAnAssertIsInProgressReturnsAtOnceAndTheLineEndsLow() throws Exception {
        CountDownLatch inAssert = new CountDownLatch(1), release = new CountDownLatch(1);
        CheckingLine line = new CheckingLine() {
            @Override public void assertLine() {
                super.assertLine();
                inAssert.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // a slow wake-up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        IntxPin pin = new IntxPin();
        Object deviceLock = new Object();
        pin.connect(1, line);
        synchronized (deviceLock) {
            pin.raise(true);
        }
        Thread device = Thread.ofPlatform().start(pin::apply);
        assertThat(inAssert.await(10, TimeUnit.SECONDS)).isTrue();

        synchronized (deviceLock) { // the driver's ISR read, while the device is inside assertLine
            pin.lower();
        }
        long t0 = System.nanoTime();
        pin.apply();
        assertThat(System.nanoTime() - t0).as("did not wait for the other thread's assert").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(line.high).as("still high until the applier gets back").isTrue();

        release.countDown();
        device.join(10_000);
        assertThat(line.high).isFalse();
        assertThat(line.asserts.get()).isEqualTo(1);
        assertThat(line.deasserts.get()).isEqualTo(1);
        assertThat(line.misorders.get()).isZero();
    }

    @Test
    void racingRaisesLowersAndAppliesLeaveTheLineAtTheLastStateAndBalanced() throws Exception {
        CheckingLine line = new CheckingLine();
        IntxPin pin = new IntxPin();
        Object deviceLock = new Object();
        pin.connect(1, line);
        int threads = 3, rounds = 50_000;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long seed = 0x1a7c + t;
            ts[t] = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                for (int i = 0; i < rounds; i++) {
                    synchronized (deviceLock) {
                        switch (r.nextInt(3)) {
                            case 0 -> pin.raise(true);
                            case 1 -> pin.lower();
                            default -> pin.update(r.nextBoolean());
                        }
                    }
                    pin.apply(); // outside the lock, as the hot paths do
                }
            });
        }
        for (Thread t : ts) t.join(60_000);
        boolean wanted;
        synchronized (deviceLock) {
            wanted = pin.stateName().equals("asserted");
        }
        assertThat(line.misorders.get()).isZero();
        assertThat(line.high).isEqualTo(wanted);
        assertThat(line.asserts.get() - line.deasserts.get()).isEqualTo(wanted ? 1 : 0);
        assertThat(line.asserts.get()).isPositive();
    }
}
