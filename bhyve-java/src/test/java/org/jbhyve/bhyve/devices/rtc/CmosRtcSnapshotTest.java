package org.jbhyve.bhyve.devices.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.SnapshotTesting.assertRefused;
import static org.jbhyve.bhyve.devices.SnapshotTesting.edit;
import static org.jbhyve.bhyve.devices.SnapshotTesting.fuzzRestore;
import static org.jbhyve.bhyve.devices.SnapshotTesting.save;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bhyve.devices.FakePlatform.Edge;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RTC saved mid-second with interrupts running, restored into a VM on another host clock. */
class CmosRtcSnapshotTest {
    static final long GIB = 1L << 30;

    final FakePlatform p1 = new FakePlatform(), p2 = new FakePlatform();
    long now1 = 1_000_000_000_000L;
    /** The new host's monotonic clock: another origin entirely. */
    long now2 = 7_777_000_000_000L;
    CmosRtc rtc1, rtc2;

    @BeforeEach
    void setUp() {
        rtc1 = new CmosRtc(p1, 3 * GIB, 0, LocalDateTime.of(2024, 6, 1, 8, 0, 0), () -> now1, false);
        // The new VM starts with another wall-clock time: what the restore sets must win.
        rtc2 = new CmosRtc(p2, 3 * GIB, 0, LocalDateTime.of(2031, 3, 3, 3, 3, 3), () -> now2, false);
    }

    @AfterEach
    void tearDown() {
        rtc1.close();
        rtc2.close();
        p1.close();
        p2.close();
    }

    static int read(FakePlatform p, int reg) {
        p.outb(0x70, reg);
        return p.inb(0x71);
    }

    static void write(FakePlatform p, int reg, int value) {
        p.outb(0x70, reg);
        p.outb(0x71, value);
    }

    /**
     * Binary 12-hour mode set to 11:15:30 PM on 2024-12-31, a 2 Hz periodic interrupt and an alarm
     * at second 32 enabled, NVRAM written, 1.9 s run (a PF acknowledged, another pending), the clock
     * 0.9 s into a second, and the index left at register A with NMIs masked.
     */
    void driveIntoBusyState() {
        FakePlatform p = p1;
        write(p, 0x0b, 0x84);                 // SET, binary, 12-hour
        write(p, 0x00, 30);
        write(p, 0x02, 15);
        write(p, 0x04, 0x80 | 11);            // 11 PM
        write(p, 0x07, 31);
        write(p, 0x08, 12);
        write(p, 0x09, 24);
        write(p, 0x32, 20);
        write(p, 0x01, 32);                   // alarm: second 32 of any minute of any hour
        write(p, 0x03, 0xff);
        write(p, 0x05, 0xff);
        write(p, 0x0a, 0x2f);                 // divider running, rate 15: 2 Hz
        write(p, 0x0b, 0x04 | 0x40 | 0x20);   // leave SET: binary, 12h, PIE, AIE
        write(p, 0x40, 0x77);
        write(p, 0x7f, 0x88);
        now1 += 1_600_000_000L;
        rtc1.serviceTimers();
        assertThat(read(p, 0x0c) & 0xc0).as("PF with IRQF").isEqualTo(0xc0);
        now1 += 300_000_000L;                 // the next 2 Hz tick is due at 2.0 s: PF not yet
        rtc1.serviceTimers();
        p.outb(0x70, 0x80 | 0x0a);            // NMI masked, index at register A
    }

    /** A guest carrying on; every value read and the IRQ 8 pulses seen, in order. */
    static List<Object> guestCarriesOn(FakePlatform p, CmosRtc rtc, Runnable advance100ms) {
        List<Object> seen = new ArrayList<>();
        seen.add(p.inb(0x71));                // register A through the saved index
        seen.add(rtc.nmiMasked());
        for (int i = 0; i < 2; i++) advance100ms.run(); // crosses into second 32: UF, AF, and a PF
        seen.add(p.line(8).count(Edge.PULSE));
        for (int reg : new int[] {0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x32, 0x0b, 0x0c, 0x0c, 0x40, 0x7f, 0x34}) {
            seen.add(read(p, reg));
        }
        for (int i = 0; i < 5; i++) advance100ms.run();
        seen.add(p.line(8).count(Edge.PULSE));
        seen.add(read(p, 0x0c));
        for (int i = 0; i < 26_680; i++) advance100ms.run(); // past midnight: a new year, 12 AM
        for (int reg : new int[] {0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32, 0x0c}) seen.add(read(p, reg));
        seen.add(p.line(8).count(Edge.PULSE));
        return seen;
    }

    @Test
    void restoredClockResumesFromTheSavedTimeAndKeepsItsInterruptPhase() throws SnapshotFormatException {
        driveIntoBusyState();
        StateRecord saved = save(rtc1);
        assertThat(rtc1.stateName()).isEqualTo("dev.rtc");
        assertThat(saved.u32("rtc_subsecond_ns")).isEqualTo(900_000_000L);

        rtc2.restoreState(saved, rtc1.stateVersion());
        assertThat(p2.line(8).events()).as("IRQ 8 is an edge: nothing to re-drive").isEmpty();
        assertThat(rtc2.currentTime()).as("no jump by the time the VM was away")
                .isEqualTo(LocalDateTime.of(2024, 12, 31, 23, 15, 31));
        assertThat(save(rtc2)).isEqualTo(saved);

        p1.line(8).clearEvents();
        List<Object> original = guestCarriesOn(p1, rtc1, () -> {
            now1 += 100_000_000L;
            rtc1.serviceTimers();
        });
        List<Object> restored = guestCarriesOn(p2, rtc2, () -> {
            now2 += 100_000_000L;
            rtc2.serviceTimers();
        });
        assertThat(restored).isEqualTo(original);
        assertThat(restored.subList(0, 3)).containsExactly(0x2f, true, 1L);
        // 11:15:32 PM, Tuesday 2024-12-31, binary; C = IRQF | PF | AF | UF, then clear.
        assertThat(restored.subList(3, 17)).containsExactly(32, 15, 0x80 | 11, 3, 31, 12, 24, 20, 0x64, 0xf0, 0x00,
                0x77, 0x88, rtc1.cmosByte(0x34));
        // 44 min 28 s later: 12:00:00 AM on 2025-01-01.
        assertThat(restored.subList(19, 26)).containsExactly(0, 0, 12, 1, 1, 25, 20);
    }

    /** A clock a guest set to the last second its fields can hold runs on into year 10000, and restores. */
    @Test
    void aClockRunPastTheYear9999StillRestores() throws SnapshotFormatException {
        write(p1, 0x0b, 0x86);                // SET, binary, 24-hour
        write(p1, 0x00, 58);
        write(p1, 0x02, 59);
        write(p1, 0x04, 23);
        write(p1, 0x07, 31);
        write(p1, 0x08, 12);
        write(p1, 0x09, 99);
        write(p1, 0x32, 99);                  // 9999-12-31 23:59:58
        write(p1, 0x0b, 0x06);                // leave SET
        now1 += 5_000_000_000L;
        rtc1.serviceTimers();
        StateRecord saved = save(rtc1);
        rtc2.restoreState(saved, rtc1.stateVersion());
        assertThat(save(rtc2)).isEqualTo(saved);
    }

    /**
     * A guest that writes an invalid time outside SET stops the clock where it stands; the snapshot then
     * restores (the clock used to fall back to its last setting, behind its own last update cycle).
     */
    @Test
    void anInvalidTimeStopsTheClockWhereItIsAndTheSnapshotRestores() throws SnapshotFormatException {
        LocalDateTime before = rtc1.currentTime();
        now1 += 100_000_000_000L;             // 100 s
        rtc1.serviceTimers();
        write(p1, 0x00, 0x7a);                // not BCD: the time is invalid, the clock stops
        assertThat(rtc1.currentTime()).isEqualTo(before.plusSeconds(100));
        StateRecord saved = save(rtc1);
        rtc2.restoreState(saved, rtc1.stateVersion());
        assertThat(rtc2.currentTime()).isEqualTo(before.plusSeconds(100));
    }

    @Test
    void timerThreadIsRestartedForTheRestoredRegisterB() throws Exception {
        driveIntoBusyState();
        read(p1, 0x0c);                       // acknowledge: IRQF clear, the 2 Hz interrupt may fire again
        StateRecord saved = save(rtc1);
        try (FakePlatform p3 = new FakePlatform()) {
            CmosRtc live = new CmosRtc(p3, 3 * GIB, 0, LocalDateTime.of(2031, 1, 1, 0, 0), System::nanoTime, true);
            try {
                Thread.sleep(300);
                assertThat(p3.line(8).events()).as("a fresh RTC has no interrupts enabled").isEmpty();
                live.restoreState(saved, 1);
                assertThat(p3.line(8).awaitCount(Edge.PULSE, 1, 3, TimeUnit.SECONDS)).isTrue();
                assertThat(read(p3, 0x0c) & 0xc0).isEqualTo(0xc0);
                assertThat(p3.line(8).awaitCount(Edge.PULSE, 2, 3, TimeUnit.SECONDS)).isTrue();
            } finally {
                live.close();
            }
        }
    }

    @Test
    void restoreWhilePausedArmsNothingUntilResume() throws Exception {
        driveIntoBusyState();
        read(p1, 0x0c);
        StateRecord saved = save(rtc1);
        try (FakePlatform p3 = new FakePlatform()) {
            CmosRtc live = new CmosRtc(p3, 3 * GIB, 0, LocalDateTime.of(2031, 1, 1, 0, 0), System::nanoTime, true);
            try {
                live.pause();
                live.restoreState(saved, 1);
                Thread.sleep(Duration.ofMillis(700));
                assertThat(p3.line(8).events()).isEmpty();
                live.resume();
                assertThat(p3.line(8).awaitCount(Edge.PULSE, 1, 3, TimeUnit.SECONDS)).isTrue();
            } finally {
                live.close();
            }
        }
    }

    @Test
    void badRecordsAreRefusedAndLeaveTheClockAsItWas() throws SnapshotFormatException {
        driveIntoBusyState();
        StateRecord good = save(rtc1);
        write(p2, 0x40, 0x12);
        byte[] cmos = rtc1.saveState().bytes("cmos", null);

        assertRefused(rtc2, edit(good, b -> b.putBytes("cmos", new byte[127])), "cmos", "127 bytes");
        byte[] uip = cmos.clone();
        uip[0x0a] |= (byte) 0x80;
        assertRefused(rtc2, edit(good, b -> b.putBytes("cmos", uip)), "cmos", "UIP");
        byte[] setUie = cmos.clone();
        setUie[0x0b] = (byte) 0x90;
        assertRefused(rtc2, edit(good, b -> b.putBytes("cmos", setUie)), "cmos", "UIE");
        byte[] c = cmos.clone();
        c[0x0c] = 0x01;
        assertRefused(rtc2, edit(good, b -> b.putBytes("cmos", c)), "cmos", "register C");
        assertRefused(rtc2, edit(good, b -> b.putU8("index", 0x80)), "index", "out of range");
        assertRefused(rtc2, edit(good, b -> b.putU32("rtc_subsecond_ns", 1_000_000_000L)), "rtc_subsecond_ns");
        assertRefused(rtc2, edit(good, b -> b.putI64("rtc_seconds", Long.MAX_VALUE)), "rtc_seconds", "years 0000 to 99999");
        // The last second java.time can show is no time an RTC set within 0000-9999 reaches (year 999999999).
        long javaTimeEnd = java.time.LocalDateTime.MAX.toEpochSecond(java.time.ZoneOffset.UTC);
        assertRefused(rtc2, edit(good, b -> b.putI64("rtc_seconds", javaTimeEnd)), "rtc_seconds", "years 0000 to 99999");
        assertRefused(rtc2, edit(good, b -> b.putI64("rtc_seconds", CmosRtc.FIRST_SECOND - 1)), "rtc_seconds");
        // More periodic ticks than periods elapsed: the timer would wait past the end of the clock.
        assertRefused(rtc2, edit(good, b -> b.putU64("periodic_ticks", Long.MAX_VALUE)), "periodic_ticks");
        assertRefused(rtc2, edit(good, b -> b.putI64("last_update_second", Long.MAX_VALUE)), "last_update_second");
        assertRefused(rtc2, edit(good, b -> b.putU64("periodic_elapsed_ns", -1L)), "periodic_elapsed_ns");
        assertRefused(rtc2, edit(good, b -> b.remove("time_valid")), "time_valid", "missing");
        assertThat(read(p2, 0x40)).isEqualTo(0x12);
    }

    @Test
    void randomlyDamagedRecordsAreRestoredOrRefusedCleanly() {
        driveIntoBusyState();
        StateRecord good = save(rtc1);
        int refused = fuzzRestore(rtc2, good, 146818, 1500, () -> p2.line(8).events());
        assertThat(refused).isGreaterThan(300);
    }
}
