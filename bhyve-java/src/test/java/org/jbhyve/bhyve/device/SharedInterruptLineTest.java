package org.jbhyve.bhyve.device;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/** The wired-OR of one interrupt line's sources, as the hypervisor's line sees it. */
class SharedInterruptLineTest {
    private final List<Boolean> driven = new ArrayList<>();
    private final SharedInterruptLine line = new SharedInterruptLine(driven::add);

    @Test
    void theLineIsHighWhileAnySourceAssertsIt() {
        InterruptLine a = line.newSource(), b = line.newSource();
        a.assertLine();
        b.assertLine();
        a.deassertLine();
        assertThat(line.level()).isTrue();
        b.deassertLine();
        assertThat(line.level()).isFalse();
        assertThat(driven).containsExactly(true, false);
    }

    @Test
    void aSourceOnlyLowersWhatItAsserted() {
        InterruptLine a = line.newSource(), b = line.newSource();
        a.assertLine();
        b.deassertLine();
        b.deassertLine();
        assertThat(line.level()).isTrue();
        assertThat(driven).containsExactly(true);
    }

    /** How a device puts its level back after a restore loaded the controllers' state over it. */
    @Test
    void aSourceAssertingAgainReDrivesTheLine() {
        InterruptLine a = line.newSource();
        a.assertLine();
        a.assertLine();
        assertThat(driven).containsExactly(true, true);
        a.deassertLine();
        assertThat(driven).containsExactly(true, true, false);
    }

    @Test
    void aPulseOnAFreeLineIsAnEdgeEachTime() {
        InterruptLine rtc = line.newSource();
        rtc.pulse();
        rtc.pulse();
        assertThat(driven).containsExactly(true, false, true, false);
        assertThat(line.level()).isFalse();
    }

    /** A wired-OR line held high does not move, so an edge-triggered input sees no edge: as on a PC. */
    @Test
    void aPulseOnALineAnotherSourceHoldsChangesNothing() {
        InterruptLine holder = line.newSource(), edge = line.newSource();
        holder.assertLine();
        edge.pulse();
        assertThat(driven).containsExactly(true);
        assertThat(line.level()).isTrue();
        holder.deassertLine();
        edge.pulse();
        assertThat(driven).containsExactly(true, false, true, false);
    }

    @Test
    void concurrentSourcesLeaveTheLineAtTheirOr() throws Exception {
        int threads = 4, rounds = 20_000;
        List<Boolean> last = new ArrayList<>();
        SharedInterruptLine shared = new SharedInterruptLine(level -> {
            synchronized (last) {
                last.add(level);
            }
        });
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            InterruptLine source = shared.newSource();
            boolean endHigh = t == 0;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                for (int i = 0; i < rounds; i++) {
                    source.assertLine();
                    source.deassertLine();
                }
                if (endHigh) source.assertLine();
            }));
        }
        for (Thread w : workers) w.join();
        assertThat(shared.level()).isTrue();
        synchronized (last) {
            assertThat(last.getLast()).isTrue();
            for (int i = 1; i < last.size(); i++) {
                assertThat(last.get(i)).as("call %d alternates", i).isNotEqualTo(last.get(i - 1));
            }
        }
    }
}
