package org.jbhyve.bhyve.devices.pm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.SnapshotTesting.assertRefused;
import static org.jbhyve.bhyve.devices.SnapshotTesting.edit;
import static org.jbhyve.bhyve.devices.SnapshotTesting.fuzzRestore;
import static org.jbhyve.bhyve.devices.SnapshotTesting.save;

import java.util.concurrent.atomic.AtomicInteger;

import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bhyve.devices.FakePlatform.Edge;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ACPI PM saved with the power button pressed and the SCI up, restored into a VM on another clock. */
class AcpiPmSnapshotTest {
    static final int SMI_CMD = 0xb2, PM1_STS = 0x400, PM1_EN = 0x402, PM1_CNT = 0x404, PM_TMR = 0x408,
            GPE0_STS = 0x40c, GPE0_EN = 0x40d, RESET = 0xcf9;

    final FakePlatform p1 = new FakePlatform(), p2 = new FakePlatform();
    long now1 = 5_000_000_000L, now2 = 900_000_000_000L;
    final AtomicInteger poweroffs = new AtomicInteger();
    AcpiPm pm1, pm2;

    PowerControl power() {
        return new PowerControl() {
            @Override
            public void poweroff() { poweroffs.incrementAndGet(); }

            @Override
            public void reset() { }
        };
    }

    @BeforeEach
    void setUp() {
        pm1 = new AcpiPm(p1, power(), () -> now1);
        pm2 = new AcpiPm(p2, power(), () -> now2);
    }

    @AfterEach
    void tearDown() {
        p1.close();
        p2.close();
    }

    /** ACPI on, power button and GBL events enabled, the button pressed, GPE0 raised and enabled. */
    void driveIntoBusyState() {
        p1.outb(SMI_CMD, 0xa0);
        p1.outw(PM1_EN, 0x0120);
        p1.outw(PM1_CNT, 0x0400);             // SLP_TYP 1, no SLP_EN: stored, nothing happens
        p1.outb(GPE0_EN, 0x01);
        p1.outb(RESET, 0x02);                 // no RST_CPU bit: just a value
        now1 += 1_234_567_891L;               // the PM timer has counted 1.23 s
        assertThat(pm1.pressPowerButton()).isTrue();
        pm1.raiseGpe(AcpiPm.GPE_VMGENC);
        assertThat(p1.line(9).isAsserted()).isTrue();
    }

    @Test
    void registersSciAndTimerCarryOver() throws SnapshotFormatException {
        driveIntoBusyState();
        StateRecord saved = save(pm1);
        assertThat(pm1.stateName()).isEqualTo("dev.acpi-pm");
        int timerAtSave = p1.inl(PM_TMR);
        assertThat(timerAtSave).isEqualTo(4_419_191);   // 1.234567891 s at 3.579545 MHz

        pm2.restoreState(saved, pm1.stateVersion());
        assertThat(p2.line(9).isAsserted()).as("SCI re-driven").isTrue();
        assertThat(p2.line(9).events()).containsExactly(Edge.ASSERT);
        assertThat(p2.inl(PM_TMR)).as("the timer continues from its saved count").isEqualTo(timerAtSave);
        assertThat(save(pm2)).isEqualTo(saved);

        for (FakePlatform p : new FakePlatform[] {p1, p2}) {
            assertThat(p.inw(PM1_STS)).isEqualTo(0x0100);
            assertThat(p.inw(PM1_EN)).isEqualTo(0x0120);
            assertThat(p.inw(PM1_CNT)).isEqualTo(0x0401);
            assertThat(p.inb(GPE0_STS)).isEqualTo(0x01);
            assertThat(p.inb(GPE0_EN)).isEqualTo(0x01);
            assertThat(p.inb(RESET)).isEqualTo(0x02);
        }
        now1 += 1_000_000L;
        now2 += 1_000_000L;
        assertThat(p2.inl(PM_TMR)).isEqualTo(p1.inl(PM_TMR)).isIn(timerAtSave + 3579, timerAtSave + 3580); // 1 ms

        // The guest's SCI handler: acknowledge the button, then the GPE; the SCI drops after both.
        p2.outw(PM1_STS, 0x0100);
        assertThat(p2.line(9).isAsserted()).isTrue();
        p2.outb(GPE0_STS, 0x01);
        assertThat(p2.line(9).isAsserted()).isFalse();
        p2.outw(PM1_CNT, 0x3400);             // SLP_TYP 5 | SLP_EN: soft off
        assertThat(poweroffs).hasValue(1);
    }

    @Test
    void twentyFourBitReadersSeeTheSameLowBitsAfterTheTimerWraps() throws SnapshotFormatException {
        now1 += 1_300_000_000_000L;           // > 2^32 ticks: the 32-bit counter has wrapped
        StateRecord saved = save(pm1);
        pm2.restoreState(saved, 1);
        assertThat(p2.inl(PM_TMR)).isEqualTo(p1.inl(PM_TMR));
        assertThat(p2.inl(PM_TMR) & 0xffffff).isEqualTo(p1.inl(PM_TMR) & 0xffffff);
    }

    @Test
    void badRecordsAreRefusedAndLeaveTheDeviceAsItWas() throws SnapshotFormatException {
        driveIntoBusyState();
        StateRecord good = save(pm1);
        p2.outb(RESET, 0x01);

        assertRefused(pm2, edit(good, b -> b.putU16("pm1_enable", 0x0001)), "pm1_enable", "never holds");
        assertRefused(pm2, edit(good, b -> b.putU16("pm1_status", 0x0002)), "pm1_status");
        assertRefused(pm2, edit(good, b -> b.putU16("pm1_control", 0x2000)), "pm1_control");
        assertRefused(pm2, edit(good, b -> b.putU8("gpe0_status", 0x02)), "gpe0_status");
        assertRefused(pm2, edit(good, b -> b.putU32("pm_timer", 5)), "pm_timer", "gives");
        assertRefused(pm2, edit(good, b -> b.putU64("pm_timer_ns", -5L)), "pm_timer_ns", "out of range");
        assertRefused(pm2, edit(good, b -> b.remove("sci_level")), "sci_level", "missing");
        assertThat(p2.line(9).events()).isEmpty();
        assertThat(p2.inb(RESET)).isEqualTo(0x01);
    }

    @Test
    void randomlyDamagedRecordsAreRestoredOrRefusedCleanly() {
        driveIntoBusyState();
        StateRecord good = save(pm1);
        int refused = fuzzRestore(pm2, good, 0x400, 1500, () -> p2.line(9).events());
        assertThat(refused).isGreaterThan(500);
    }
}
