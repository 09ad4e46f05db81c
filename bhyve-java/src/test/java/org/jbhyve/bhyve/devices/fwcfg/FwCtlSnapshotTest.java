package org.jbhyve.bhyve.devices.fwcfg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.SnapshotTesting.assertRefused;
import static org.jbhyve.bhyve.devices.SnapshotTesting.edit;
import static org.jbhyve.bhyve.devices.SnapshotTesting.fuzzRestore;
import static org.jbhyve.bhyve.devices.SnapshotTesting.save;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** fwctl saved at every point of its protocol, restored into a new VM, and the firmware carries on. */
class FwCtlSnapshotTest {
    static final int OUT = 0x510, IN = 0x511;

    final FakePlatform p1 = new FakePlatform(), p2 = new FakePlatform();
    final FwCtl ctl1 = new FwCtl(p1, 6), ctl2 = new FwCtl(p2, 6);

    @AfterEach
    void tearDown() {
        p1.close();
        p2.close();
    }

    static int nameWord(String four) {
        return ByteBuffer.wrap(four.getBytes(StandardCharsets.US_ASCII)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** The whole exchange as firmware does it, one step per element, each returning what it read. */
    static List<Runnable> exchange(FakePlatform p, List<Integer> seen) {
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> p.outw(OUT, 0));
        for (int i = 0; i < 4; i++) steps.add(() -> seen.add(p.inb(IN)));
        steps.add(() -> p.outl(OUT, 12 + 8));
        steps.add(() -> p.outl(OUT, 3));
        steps.add(() -> p.outl(OUT, 0x77));
        steps.add(() -> p.outl(OUT, nameWord("hw.n")));
        steps.add(() -> p.outl(OUT, nameWord("cpu\0")));
        for (int i = 0; i < 7; i++) steps.add(() -> seen.add(p.inl(IN)));
        steps.add(() -> seen.add(p.inl(IN)));  // past the end: all ones
        return steps;
    }

    @Test
    void aSnapshotAtAnyStepOfTheProtocolResumesToTheSameAnswers() throws SnapshotFormatException {
        List<Integer> expected = new ArrayList<>();
        try (FakePlatform p = new FakePlatform()) {
            new FwCtl(p, 6);
            exchange(p, expected).forEach(Runnable::run);
        }
        assertThat(expected).containsExactly((int) 'B', (int) 'H', (int) 'Y', (int) 'V', 28, 3, 0x77, 0, 4, 0, 6, -1);

        int steps = exchange(p1, new ArrayList<>()).size();
        for (int cut = 0; cut <= steps; cut++) {
            try (FakePlatform a = new FakePlatform(); FakePlatform b = new FakePlatform()) {
                FwCtl before = new FwCtl(a, 6), after = new FwCtl(b, 6);
                List<Integer> seen = new ArrayList<>();
                List<Runnable> first = exchange(a, seen);
                for (int i = 0; i < cut; i++) first.get(i).run();
                StateRecord saved = save(before);
                after.restoreState(saved, before.stateVersion());
                assertThat(save(after)).as("cut at step %d", cut).isEqualTo(saved);
                List<Runnable> rest = exchange(b, seen);
                for (int i = cut; i < rest.size(); i++) rest.get(i).run();
                assertThat(seen).as("cut at step %d", cut).isEqualTo(expected);
            }
        }
    }

    @Test
    void aVmServingOtherValuesRefusesTheRestore() {
        p1.outw(OUT, 0);
        StateRecord saved = save(ctl1);
        try (FakePlatform p3 = new FakePlatform()) {
            assertRefused(new FwCtl(p3, 2), saved, "nodes_digest", "CPU count");
        }
    }

    @Test
    void badRecordsAreRefusedAndLeaveTheDeviceAsItWas() {
        List<Integer> seen = new ArrayList<>();
        List<Runnable> steps = exchange(p1, seen);
        for (int i = 0; i < 13; i++) steps.get(i).run(); // two response words read
        StateRecord midResponse = save(ctl1);
        assertThat(midResponse.toString()).contains("state=\"response\"");
        exchange(p2, new ArrayList<>()).subList(0, 7).forEach(Runnable::run); // ctl2 mid-request

        assertRefused(ctl2, edit(midResponse, b -> b.putU32("response_index", 7)), "response_index", "past");
        assertRefused(ctl2, edit(midResponse, b -> b.putBytes("response", new byte[6])), "response");
        assertRefused(ctl2, edit(midResponse, b -> b.putBytes("response", new byte[400])), "response");
        assertRefused(ctl2, edit(midResponse, b -> b.putString("state", "sleeping")), "state", "not one of");
        assertRefused(ctl2, edit(midResponse, b -> b.putString("state", "identify")), "signature_index");
        assertRefused(ctl2, edit(midResponse, b -> b.putU32("request_words", 2)), "request_words", "in progress");
        StateRecord midRequest = save(ctl2);
        assertRefused(ctl2, edit(midRequest, b -> b.putU32("request_words", 9)), "request_words", "complete");
        assertRefused(ctl2, edit(midRequest, b -> b.putBytes("request_name", new byte[84])), "request_name");
        assertRefused(ctl2, edit(midRequest, b -> b.putBytes("request_name", new byte[4])), "request_name", "leave 0");
        assertRefused(ctl2, edit(midRequest, b -> b.putU32("transaction", 5)), "transaction");
    }

    @Test
    void randomlyDamagedRecordsAreRestoredOrRefusedCleanly() {
        List<Runnable> steps = exchange(p1, new ArrayList<>());
        for (int cut : new int[] {3, 8, 13}) {
            for (int i = 0; i < steps.size() && i < cut; i++) steps.get(i).run();
            try (FakePlatform p3 = new FakePlatform()) {
                int refused = fuzzRestore(new FwCtl(p3, 6), save(ctl1), cut, 800, () -> null);
                assertThat(refused).isGreaterThan(400);
            }
            p1.outw(OUT, 0);
            steps = exchange(p1, new ArrayList<>());
        }
    }
}
