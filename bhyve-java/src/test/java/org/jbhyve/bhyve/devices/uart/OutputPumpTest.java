package org.jbhyve.bhyve.devices.uart;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Guest output never blocks a vCPU: a slow or dead host side costs bytes, logged once. */
class OutputPumpTest {

    @Test
    void bytesArriveInOrder() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputPump pump = new OutputPump("t", 64, (b, off, len) -> {
            synchronized (sink) {
                sink.write(b, off, len);
            }
        }, m -> { })) {
            for (int i = 0; i < 10_000; i++) {
                while (!pump.offer((byte) i)) Thread.onSpinWait(); // the ring is tiny; retry when full
            }
            assertThat(pump.awaitDrained(5000)).isTrue();
        }
        byte[] got = sink.toByteArray();
        assertThat(got).hasSize(10_000);
        for (int i = 0; i < got.length; i++) assertThat(got[i]).isEqualTo((byte) i);
    }

    @Test
    void aStuckSinkMakesOfferDropInsteadOfBlockingAndLogsOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> log = new CopyOnWriteArrayList<>();
        try (OutputPump pump = new OutputPump("t", 16, (b, off, len) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }, log::add)) {
            int accepted = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) if (pump.offer((byte) i)) accepted++;
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(accepted).isBetween(16, 17 + 16); // the ring, plus at most one chunk in flight
            assertThat(log).hasSize(1).allMatch(m -> m.contains("not keeping up"));
            release.countDown();
        }
    }

    @Test
    void aFailedSinkDropsEverythingAfterAndLogsOnce() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (OutputPump pump = new OutputPump("t", 16, (b, off, len) -> {
            throw new IOException("Broken pipe");
        }, log::add)) {
            pump.offer((byte) 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (log.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(pump.offer((byte) 2)).isFalse();
            assertThat(pump.offer((byte) 3)).isFalse();
            assertThat(log).containsExactly("serial output failed (Broken pipe); dropping further output");
        }
    }
}
