package org.jbhyve.bhyve.devices.testdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.SnapshotTesting.assertRefused;
import static org.jbhyve.bhyve.devices.SnapshotTesting.edit;
import static org.jbhyve.bhyve.devices.SnapshotTesting.fuzzRestore;
import static org.jbhyve.bhyve.devices.SnapshotTesting.save;

import java.util.ArrayList;
import java.util.List;

import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bhyve.devices.FakePlatform.Edge;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** isa-debug-exit and pc-testdev across a snapshot. */
class TestDevicesSnapshotTest {
    final FakePlatform p1 = new FakePlatform(), p2 = new FakePlatform();

    @AfterEach
    void tearDown() {
        p1.close();
        p2.close();
    }

    @Test
    void debugExitIsAnEmptyChunkThatStillRestoresAndWorks() throws SnapshotFormatException {
        List<Integer> exits = new ArrayList<>();
        DebugExit d1 = new DebugExit(p1, exits::add), d2 = new DebugExit(p2, exits::add);
        StateRecord saved = save(d1);
        assertThat(d1.stateName()).isEqualTo("dev.isa-debug-exit");
        assertThat(saved.isEmpty()).isTrue();
        d2.restoreState(saved, d1.stateVersion());
        d2.restoreState(edit(saved, b -> b.putU8("later_field", 1)), 1); // a newer writer's extra field
        p2.outb(DebugExit.PORT, 0x10);
        assertThat(exits).containsExactly(0x21);
    }

    @Test
    void pcTestDevKeepsScratchMemoryAndRaisedLines() throws SnapshotFormatException {
        PcTestDev t1 = new PcTestDev(p1), t2 = new PcTestDev(p2);
        p1.outl(PcTestDev.IOPORT, 0xdeadbeef);
        p1.outb(PcTestDev.IOPORT_BYTEWISE + 1, 0x11);
        p1.mmio().write(PcTestDev.IOMEM_BASE + 0x100, 8, 0x0102030405060708L);
        p1.mmio().write(PcTestDev.IOMEM_BASE + 0xfff8, 8, -1L);
        p1.outb(PcTestDev.IRQ_PORT + 5, 1);
        p1.outb(PcTestDev.IRQ_PORT + 17, 1);
        p1.outb(PcTestDev.IRQ_PORT + 6, 1);
        p1.outb(PcTestDev.IRQ_PORT + 6, 0);

        StateRecord saved = save(t1);
        assertThat(t1.stateName()).isEqualTo("dev.pc-testdev");
        assertThat(saved.u32("irq_lines")).isEqualTo(1L << 5 | 1L << 17);
        t2.restoreState(saved, 1);
        assertThat(save(t2)).isEqualTo(saved);

        assertThat(p2.line(5).isAsserted()).isTrue();
        assertThat(p2.line(17).isAsserted()).isTrue();
        assertThat(p2.line(6).events()).as("a line the device never raised is left alone").isEmpty();
        assertThat(p2.inl(PcTestDev.IOPORT)).isEqualTo(p1.inl(PcTestDev.IOPORT)).isEqualTo(0xdead11ef);
        assertThat(p2.mmio().read(PcTestDev.IOMEM_BASE + 0x100, 8)).isEqualTo(0x0102030405060708L);
        assertThat(p2.mmio().read(PcTestDev.IOMEM_BASE + 0xfffc, 4)).isEqualTo(0xffffffffL);
        p2.outb(PcTestDev.IRQ_PORT + 5, 0);
        assertThat(p2.line(5).isAsserted()).isFalse();

        // Restoring a state with fewer lines raised lowers the ones this device holds.
        PcTestDev fresh;
        try (FakePlatform p3 = new FakePlatform()) {
            fresh = new PcTestDev(p3);
            t2.restoreState(save(fresh), 1);
        }
        assertThat(p2.line(17).isAsserted()).isFalse();
        assertThat(p2.line(17).events()).containsExactly(Edge.ASSERT, Edge.DEASSERT);
    }

    @Test
    void badRecordsAreRefusedAndLeaveTheDeviceAsItWas() {
        PcTestDev t1 = new PcTestDev(p1), t2 = new PcTestDev(p2);
        StateRecord good = save(t1);
        p2.outl(PcTestDev.IOPORT, 42);
        assertRefused(t2, edit(good, b -> b.putU32("irq_lines", 1L << 24)), "irq_lines", "never holds");
        assertRefused(t2, edit(good, b -> b.putBytes("iomem", new byte[4096])), "iomem", "4096 bytes");
        assertRefused(t2, edit(good, b -> b.putU16("ioport", 1)), "ioport", "u16");
        assertThat(p2.inl(PcTestDev.IOPORT)).isEqualTo(42);
        assertThat(p2.line(0).events()).isEmpty();
    }

    @Test
    void randomlyDamagedRecordsAreRestoredOrRefusedCleanly() {
        PcTestDev t1 = new PcTestDev(p1), t2 = new PcTestDev(p2);
        p1.outl(PcTestDev.IOPORT, 0x12345678);
        p1.outb(PcTestDev.IRQ_PORT + 12, 1);
        StateRecord good = save(t1);
        int refused = fuzzRestore(t2, good, 0xe0, 500, () -> {
            List<Boolean> levels = new ArrayList<>();
            for (int i = 0; i < PcTestDev.IRQ_LINES; i++) levels.add(p2.line(i).isAsserted());
            return levels;
        });
        assertThat(refused).isGreaterThan(100);
        DebugExit d = new DebugExit(p2, status -> { });
        fuzzRestore(d, save(d), 0xf4, 100, () -> null);
    }
}
