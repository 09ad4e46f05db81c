package org.jbhyve.bhyve.devices.pm;

import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bhyve.devices.FakePlatform.RecordingLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bhyve's ACPI fixed hardware, as ACPICA in a guest drives it. */
class AcpiPmTest {
    static final int SMI_CMD = 0xb2, PM1_STS = 0x400, PM1_EN = 0x402, PM1_CNT = 0x404, PM_TMR = 0x408,
            GPE0_STS = 0x40c, GPE0_EN = 0x40d, RESET = 0xcf9;

    FakePlatform p;
    long now = 5_000_000_000L;
    final AtomicInteger poweroffs = new AtomicInteger(), resets = new AtomicInteger();
    AcpiPm pm;
    RecordingLine sci;

    @BeforeEach
    void setUp() {
        p = new FakePlatform();
        pm = new AcpiPm(p, new PowerControl() {
            @Override
            public void poweroff() { poweroffs.incrementAndGet(); }

            @Override
            public void reset() { resets.incrementAndGet(); }
        }, () -> now);
        sci = p.line(9);
    }

    @AfterEach
    void tearDown() {
        p.close();
    }

    @Test
    void smiCommandSwitchesAcpiModeOnAndOff() {
        assertThat(p.inw(PM1_CNT) & 1).isZero();
        p.outb(SMI_CMD, 0xa0);
        assertThat(p.inw(PM1_CNT) & 1).isEqualTo(1);
        assertThat(pm.acpiEnabled()).isTrue();
        p.outw(PM1_CNT, 0); // OSPM cannot clear SCI_EN by writing PM1_CNT
        assertThat(p.inw(PM1_CNT) & 1).isEqualTo(1);
        p.outb(SMI_CMD, 0xa1);
        assertThat(p.inw(PM1_CNT) & 1).isZero();
        assertThat(p.inb(SMI_CMD)).as("write-only").isEqualTo(0xff);
        p.outb(SMI_CMD, 0x42);
        p.outb(SMI_CMD, 0x43);
        assertThat(p.logs()).hasSize(1).first().asString().contains("unknown SMI command 0x42");
    }

    @Test
    void statusBitsAreWriteOneToClearAndOnlyBhyvesEnableBitsStick() {
        pm.pressPowerButton();
        assertThat(p.inw(PM1_STS)).isEqualTo(0x0100);
        p.outw(PM1_STS, 0xfeff); // every other bit: nothing to clear, nothing set
        assertThat(p.inw(PM1_STS)).isEqualTo(0x0100);
        p.outw(PM1_STS, 0x0100);
        assertThat(p.inw(PM1_STS)).isZero();
        p.outw(PM1_EN, 0xffff);
        assertThat(p.inw(PM1_EN)).isEqualTo(0x0520); // RTC_EN, PWRBTN_EN, GBL_EN
        p.outl(PM1_STS, 0x0100_0000); // dword over both registers: enable = PWRBTN_EN only
        assertThat(p.inl(PM1_STS)).isEqualTo(0x0100_0000);
        p.outb(PM1_EN + 1, 0x04); // high byte of enable alone: RTC_EN
        assertThat(p.inw(PM1_EN)).isEqualTo(0x0400);
    }

    @Test
    void powerButtonRaisesTheSciOnlyOnceAcpiIsEnabledAndTheEventIsEnabled() {
        assertThat(pm.pressPowerButton()).as("nobody listens yet").isFalse();
        assertThat(sci.isAsserted()).isFalse();
        p.outb(SMI_CMD, 0xa0);
        assertThat(sci.isAsserted()).as("event not enabled").isFalse();
        p.outw(PM1_EN, 0x0100);
        assertThat(sci.isAsserted()).as("pending press delivered once enabled").isTrue();
        p.outw(PM1_STS, 0x0100);
        assertThat(sci.isAsserted()).isFalse();
        assertThat(pm.pressPowerButton()).isTrue();
        assertThat(sci.isAsserted()).isTrue();
        p.outb(SMI_CMD, 0xa1);
        assertThat(sci.isAsserted()).as("legacy mode: no SCI").isFalse();
    }

    @Test
    void slpEnWithS5PowersOffAndOtherSleepTypesAreIgnored() {
        p.outb(SMI_CMD, 0xa0);
        p.outw(PM1_CNT, 5 << 10); // SLP_TYP without SLP_EN: just stored
        assertThat(poweroffs).hasValue(0);
        assertThat(p.inw(PM1_CNT)).isEqualTo(5 << 10 | 1);
        p.outw(PM1_CNT, 5 << 10 | 0x2000);
        assertThat(poweroffs).hasValue(1);
        assertThat(p.inw(PM1_CNT) & 0x2000).as("SLP_EN reads as 0").isZero();
        p.outw(PM1_CNT, 3 << 10 | 0x2000);
        p.outw(PM1_CNT, 3 << 10 | 0x2000);
        assertThat(poweroffs).hasValue(1);
        assertThat(p.logs()).hasSize(1).first().asString().contains("sleep type 3");
        p.outb(PM1_CNT + 1, (5 << 2) | 0x20); // byte write of the high half: S5 + SLP_EN
        assertThat(poweroffs).hasValue(2);
        assertThat(resets).hasValue(0);
    }

    @Test
    void resetRegisterResetsWhenRstCpuIsWritten() {
        p.outb(RESET, 0x02);
        assertThat(resets).hasValue(0);
        assertThat(p.inb(RESET)).isEqualTo(0x02);
        p.outb(RESET, 0x06);
        assertThat(resets).hasValue(1);
        p.outb(RESET, 0x0e);
        assertThat(resets).hasValue(2);
        assertThat(p.inb(RESET)).isEqualTo(0x0e);
        assertThat(poweroffs).hasValue(0);
    }

    @Test
    void pmTimerCountsAt3579545HzAndWrapsAt32Bits() {
        int t0 = p.inl(PM_TMR);
        now += Duration.ofSeconds(1).toNanos();
        assertThat(p.inl(PM_TMR) - t0).isEqualTo(3_579_545);
        now += 1_000; // 1 us: 3.58 ticks
        assertThat(p.inl(PM_TMR) - t0).isEqualTo(3_579_548);
        now += Duration.ofDays(10).toNanos();
        long expected = (10L * 86_400 + 1) * 3_579_545 + 3; // no overflow over days
        assertThat(p.inl(PM_TMR) - t0).isEqualTo((int) expected);
        int full = p.inl(PM_TMR);
        assertThat(p.inb(PM_TMR + 1)).isEqualTo(full >>> 8 & 0xff);
        assertThat(p.inw(PM_TMR + 2)).isEqualTo(full >>> 16);
        p.outl(PM_TMR, 0); // read-only
        assertThat(p.inl(PM_TMR)).isEqualTo(full);
    }

    @Test
    void gpeBlockRaisesTheSciForTheGenerationCounter() {
        p.outb(SMI_CMD, 0xa0);
        pm.raiseGpe(AcpiPm.GPE_VMGENC);
        assertThat(p.inb(GPE0_STS)).isEqualTo(1);
        assertThat(sci.isAsserted()).isFalse();
        p.outb(GPE0_EN, 0xff);
        assertThat(p.inb(GPE0_EN)).as("only bit 0 exists").isEqualTo(1);
        assertThat(sci.isAsserted()).isTrue();
        p.outb(GPE0_STS, 0x01);
        assertThat(sci.isAsserted()).isFalse();
        assertThatThrownBy(() -> pm.raiseGpe(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetAndPauseLeaveNoStaleInterrupt() {
        p.outb(SMI_CMD, 0xa0);
        p.outw(PM1_EN, 0x0100);
        pm.pause();
        pm.pressPowerButton();
        assertThat(sci.isAsserted()).isFalse();
        pm.resume();
        assertThat(sci.isAsserted()).isTrue();
        pm.reset();
        assertThat(sci.isAsserted()).isFalse();
        assertThat(p.inw(PM1_CNT)).isZero();
        assertThat(p.inl(PM1_STS)).isZero();
    }

    @Test
    void portsAreTheOnesBhyvesFadtDeclares() {
        assertThat(p.io().find(0xb2).owner()).isEqualTo("acpi-pm smi_cmd");
        assertThat(p.io().find(0x403).owner()).isEqualTo("acpi-pm pm1a_evt");
        assertThat(p.io().find(0x405).owner()).isEqualTo("acpi-pm pm1a_cnt");
        assertThat(p.io().find(0x40b).owner()).isEqualTo("acpi-pm pm_tmr");
        assertThat(p.io().find(0x40d).owner()).isEqualTo("acpi-pm gpe0");
        assertThat(p.io().find(0xcf9).owner()).isEqualTo("acpi-pm reset");
        assertThat(p.io().find(0xcf8)).isNull();
        assertThat(p.io().find(0xcfa)).isNull();
    }

    @Test
    void randomGuestAccessesNeverThrow() {
        Random rnd = new Random(0xacb1);
        int[] ports = {SMI_CMD, PM1_STS, PM1_STS + 1, PM1_EN, PM1_EN + 1, PM1_CNT, PM1_CNT + 1, PM_TMR, PM_TMR + 3,
                GPE0_STS, GPE0_EN, RESET};
        int[] sizes = {1, 2, 4};
        for (int i = 0; i < 100_000; i++) {
            int port = ports[rnd.nextInt(ports.length)];
            int size = sizes[rnd.nextInt(3)];
            if (rnd.nextBoolean()) p.io().out(port, size, rnd.nextInt());
            else p.io().in(port, size);
            if (sci.isAsserted()) assertThat(pm.acpiEnabled()).isTrue();
        }
    }
}
