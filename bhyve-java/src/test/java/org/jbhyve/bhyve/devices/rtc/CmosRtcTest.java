package org.jbhyve.bhyve.devices.rtc;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bhyve.devices.FakePlatform.Edge;
import org.jbhyve.bhyve.devices.FakePlatform.RecordingLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MC146818 model through ports 0x70/0x71, on a clock the test moves by hand. */
class CmosRtcTest {
    static final long GIB = 1L << 30, MIB = 1L << 20;
    static final LocalDateTime START = LocalDateTime.of(2024, 2, 29, 13, 45, 56);

    FakePlatform p;
    long now = 1_000_000_000_000L; // arbitrary monotonic origin
    CmosRtc rtc;
    RecordingLine irq8;

    @BeforeEach
    void setUp() {
        p = new FakePlatform();
        rtc = new CmosRtc(p, 3 * GIB, 5 * GIB, START, () -> now, false);
        irq8 = p.line(8);
    }

    @AfterEach
    void tearDown() {
        rtc.close();
        p.close();
    }

    int read(int reg) {
        p.outb(0x70, reg);
        return p.inb(0x71);
    }

    void write(int reg, int value) {
        p.outb(0x70, reg);
        p.outb(0x71, value);
    }

    void advance(Duration d) {
        now += d.toNanos();
        rtc.serviceTimers();
    }

    @Test
    void cmosHoldsBhyvesMemorySizeFields() {
        int low = read(0x34) | read(0x35) << 8;
        assertThat(low).isEqualTo((int) ((3 * GIB - 16 * MIB) / (64 * 1024)));
        int high = read(0x5b) | read(0x5c) << 8 | read(0x5d) << 16;
        assertThat(high).isEqualTo((int) (5 * GIB / (64 * 1024)));
        try (FakePlatform small = new FakePlatform()) {
            CmosRtc tiny = new CmosRtc(small, 8 * MIB, 0, START, () -> now, false);
            assertThat(tiny.cmosByte(0x34) | tiny.cmosByte(0x35) << 8).as("below 16 MiB: none").isZero();
            assertThat(tiny.cmosByte(0x5b) | tiny.cmosByte(0x5c) | tiny.cmosByte(0x5d)).isZero();
        }
    }

    @Test
    void powerOnTimeIsBcdTwentyFourHourWithCentury() {
        assertThat(read(0x0a)).isEqualTo(0x20);
        assertThat(read(0x0b)).isEqualTo(0x02);
        assertThat(read(0x0c)).isZero();
        assertThat(read(0x0d)).isEqualTo(0x80);
        assertThat(read(0x00)).isEqualTo(0x56);
        assertThat(read(0x02)).isEqualTo(0x45);
        assertThat(read(0x04)).isEqualTo(0x13);
        assertThat(read(0x06)).as("Thursday, Sunday being 1").isEqualTo(0x05);
        assertThat(read(0x07)).isEqualTo(0x29);
        assertThat(read(0x08)).isEqualTo(0x02);
        assertThat(read(0x09)).isEqualTo(0x24);
        assertThat(read(0x32)).isEqualTo(0x20);
        assertThat(p.io().find(0x70).owner()).isEqualTo("rtc");
        assertThat(p.io().find(0x71).owner()).isEqualTo("rtc");
        assertThat(p.io().find(0x72)).as("no extended bank, as in bhyve").isNull();
    }

    @Test
    void timeRunsOnTheMonotonicClockAcrossALeapDay() {
        advance(Duration.ofMillis(3_500));
        assertThat(read(0x00)).isEqualTo(0x59);
        advance(Duration.ofHours(10).plusMinutes(14));
        // 2024-02-29 23:59:59.5 + 1 s -> 2024-03-01 00:00:00
        advance(Duration.ofSeconds(1));
        assertThat(new int[] {read(0x04), read(0x02), read(0x00)}).containsExactly(0x00, 0x00, 0x00);
        assertThat(read(0x07)).isEqualTo(0x01);
        assertThat(read(0x08)).isEqualTo(0x03);
        assertThat(rtc.currentTime()).isEqualTo(LocalDateTime.of(2024, 3, 1, 0, 0, 0));
    }

    @Test
    void binaryAndTwelveHourFormatsFollowRegisterB() {
        write(0x0b, 0x04); // binary, 12-hour
        assertThat(read(0x00)).isEqualTo(56);
        assertThat(read(0x04)).as("1 PM").isEqualTo(0x80 | 1);
        write(0x0b, 0x00); // BCD, 12-hour
        assertThat(read(0x04)).isEqualTo(0x81);
        assertThat(read(0x09)).isEqualTo(0x24);
        write(0x0b, 0x06); // binary, 24-hour
        assertThat(read(0x04)).isEqualTo(13);
        assertThat(read(0x32)).isEqualTo(20);
    }

    @Test
    void midnightAndNoonInTwelveHourForm() {
        write(0x0b, 0x80); // SET, BCD, 12h
        write(0x04, 0x12); // 12 AM = 00h
        write(0x02, 0x00);
        write(0x00, 0x00);
        write(0x0b, 0x00);
        assertThat(rtc.currentTime().getHour()).isZero();
        write(0x0b, 0x80);
        write(0x04, 0x92); // 12 PM = 12h
        write(0x0b, 0x00);
        assertThat(rtc.currentTime().getHour()).isEqualTo(12);
    }

    @Test
    void timeSetUnderSetPersistsAndRunsOnFromThere() {
        write(0x0b, 0x82 | 0x10); // SET (with UIE, which SET clears)
        assertThat(read(0x0b)).isEqualTo(0x82);
        write(0x00, 0x58);
        write(0x02, 0x59);
        write(0x04, 0x23);
        write(0x07, 0x31);
        write(0x08, 0x12);
        write(0x09, 0x30);
        write(0x32, 0x20);
        advance(Duration.ofSeconds(10)); // frozen while SET
        assertThat(read(0x00)).isEqualTo(0x58);
        write(0x0b, 0x02);
        advance(Duration.ofSeconds(3));
        assertThat(rtc.currentTime()).isEqualTo(LocalDateTime.of(2031, 1, 1, 0, 0, 1));
        assertThat(read(0x09)).isEqualTo(0x31);
        assertThat(read(0x06)).as("Wednesday").isEqualTo(0x04);
    }

    @Test
    void aSingleFieldWrittenOutsideSetTakesEffect() {
        write(0x02, 0x10); // minutes
        assertThat(read(0x02)).isEqualTo(0x10);
        advance(Duration.ofSeconds(60));
        assertThat(read(0x02)).isEqualTo(0x11);
        write(0x32, 0x21); // the century alone, as OpenBSD writes it
        assertThat(rtc.currentTime().getYear()).isEqualTo(2124);
        write(0x00, 0xff & 0x85); // bit 7 of seconds is read-only
        assertThat(read(0x00)).isEqualTo(0x05);
    }

    @Test
    void anInvalidProgrammedTimeStopsTheClockUntilAValidOneIsSet() {
        write(0x0b, 0x82);
        write(0x08, 0x13); // month 13
        write(0x0b, 0x02);
        advance(Duration.ofSeconds(5));
        assertThat(read(0x08)).as("kept as written").isEqualTo(0x13);
        assertThat(read(0x00)).isEqualTo(0x56);
        write(0x0b, 0x82);
        write(0x07, 0x30); // Feb 30 is no better
        write(0x08, 0x02);
        write(0x0b, 0x02);
        write(0x0b, 0x82);
        write(0x07, 0x1a); // not BCD
        write(0x0b, 0x02);
        assertThat(p.logs()).hasSize(1).allMatch(m -> m.startsWith("rtc: guest programmed an invalid date/time"));
        write(0x0b, 0x82);
        write(0x07, 0x28);
        write(0x0b, 0x02);
        advance(Duration.ofSeconds(2));
        assertThat(rtc.currentTime()).isEqualTo(LocalDateTime.of(2024, 2, 28, 13, 45, 58));
    }

    @Test
    void dividerResetHoldsTheClockAndUipPrecedesEachUpdate() {
        write(0x0a, 0x70); // divider held in reset
        advance(Duration.ofSeconds(30));
        assertThat(read(0x00)).isEqualTo(0x56);
        write(0x0a, 0xa6); // running again, rate 6; UIP is read-only
        assertThat(read(0x0a)).isEqualTo(0x26);
        advance(Duration.ofMillis(999_800).dividedBy(1000)); // 999.8 ms into the second
        assertThat(read(0x0a) & 0x80).as("UIP in the last 244 us").isEqualTo(0x80);
        advance(Duration.ofNanos(300_000));
        assertThat(read(0x0a) & 0x80).isZero();
        assertThat(read(0x00)).isEqualTo(0x57);
    }

    @Test
    void changingTheRateDoesNotCostTheClockItsSubSecondPhase() {
        advance(Duration.ofMillis(600));
        for (int i = 0; i < 10; i++) write(0x0a, 0x20 | (i % 15 + 1));
        advance(Duration.ofMillis(500));
        assertThat(read(0x00)).isEqualTo(0x57);
    }

    @Test
    void periodicInterruptPulsesIrq8OncePerAcknowledgement() {
        write(0x0a, 0x26); // 1024 Hz
        write(0x0b, 0x42); // PIE
        advance(Duration.ofMillis(1));
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(1);
        advance(Duration.ofMillis(5));
        assertThat(irq8.count(Edge.PULSE)).as("no new edge before register C is read").isEqualTo(1);
        assertThat(read(0x0c)).isEqualTo(0xc0);
        assertThat(read(0x0c)).isZero();
        advance(Duration.ofMillis(1));
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(2);
        assertThat(irq8.events()).containsOnly(Edge.PULSE);
    }

    @Test
    void aFlagThatComesDueInTheAcknowledgingReadRaisesNoSpuriousEdge() {
        write(0x0a, 0x26);
        write(0x0b, 0x42);
        p.outb(0x70, 0x0c);
        now += Duration.ofMillis(1).toNanos(); // due, but the timer has not run yet
        assertThat(p.inb(0x71)).isEqualTo(0xc0);
        assertThat(irq8.events()).isEmpty();
        advance(Duration.ofMillis(1));
        assertThat(irq8.count(Edge.PULSE)).as("the next tick is raised normally").isEqualTo(1);
    }

    @Test
    void flagsAreSetEvenWhenTheirInterruptIsDisabled() {
        write(0x0a, 0x2f); // 2 Hz
        advance(Duration.ofMillis(1100));
        assertThat(read(0x0c)).as("PF and UF, no IRQF").isEqualTo(0x50);
        assertThat(irq8.events()).isEmpty();
    }

    @Test
    void enablingAnInterruptWhoseFlagIsAlreadySetRaisesIt() {
        advance(Duration.ofMillis(1100)); // UF set, UIE off
        write(0x0b, 0x12);
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(1);
        assertThat(read(0x0c)).isEqualTo(0x90);
    }

    @Test
    void updateEndedInterruptFiresEachSecond() {
        write(0x0b, 0x12);
        advance(Duration.ofMillis(400));
        assertThat(irq8.count(Edge.PULSE)).isZero();
        advance(Duration.ofMillis(700));
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(1);
        assertThat(read(0x0c)).isEqualTo(0x90);
        advance(Duration.ofSeconds(1));
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(2);
    }

    @Test
    void alarmFiresOnTheMatchingSecondAndDontCareFieldsMatchAnything() {
        write(0x01, 0x59); // 13:45:59
        write(0x03, 0x45);
        write(0x05, 0x13);
        write(0x0b, 0x22); // AIE
        advance(Duration.ofSeconds(2));
        assertThat(irq8.count(Edge.PULSE)).isZero();
        advance(Duration.ofSeconds(1));
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(1);
        assertThat(read(0x0c) & 0xa0).isEqualTo(0xa0);
        write(0x03, 0xc0); // any minute, any hour: next at second 59 of every minute
        write(0x05, 0xff);
        advance(Duration.ofSeconds(59));
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(2);
    }

    @Test
    void anAlarmPassedWhileNobodyLookedIsStillReported() {
        write(0x01, 0x00);
        write(0x03, 0x30);
        write(0x05, 0x15); // 15:30:00, 1h44m from now
        now += Duration.ofHours(3).toNanos(); // no timer ran
        assertThat(read(0x0c) & 0x20).isEqualTo(0x20);
        now += Duration.ofSeconds(30).toNanos();
        assertThat(read(0x0c) & 0x20).isZero();
    }

    @Test
    void indexCarriesTheNmiMaskAndReadsAsOnes() {
        p.outb(0x70, 0x8d);
        assertThat(rtc.nmiMasked()).isTrue();
        assertThat(p.inb(0x71)).isEqualTo(0x80);
        assertThat(p.inb(0x70)).isEqualTo(0xff);
        p.outb(0x70, 0x0d);
        assertThat(rtc.nmiMasked()).isFalse();
    }

    @Test
    void cmosRamKeepsWritesAndStatusRegistersCAndDAreReadOnly() {
        for (int i = 0x0e; i < 0x80; i++) if (i != 0x32) write(i, i ^ 0x5a);
        for (int i = 0x0e; i < 0x80; i++) if (i != 0x32) assertThat(read(i)).isEqualTo(i ^ 0x5a);
        write(0x0c, 0xff);
        write(0x0d, 0x00);
        assertThat(read(0x0c)).isZero();
        assertThat(read(0x0d)).isEqualTo(0x80);
    }

    @Test
    void resetClearsInterruptEnablesButKeepsTimeAndCmos() {
        write(0x40, 0x99);
        write(0x0b, 0x7a); // PIE AIE UIE SQWE + 24h
        write(0x0a, 0x26);
        advance(Duration.ofSeconds(1));
        rtc.reset();
        assertThat(read(0x0b)).isEqualTo(0x02);
        assertThat(read(0x0c)).isZero();
        assertThat(read(0x40)).isEqualTo(0x99);
        assertThat(rtc.currentTime()).isEqualTo(START.plusSeconds(1));
    }

    @Test
    void nothingIsRaisedWhilePausedAndWhatBecameDueArrivesOnResume() {
        write(0x0b, 0x12);
        rtc.pause();
        advance(Duration.ofSeconds(2));
        assertThat(irq8.events()).isEmpty();
        rtc.resume();
        assertThat(irq8.count(Edge.PULSE)).isEqualTo(1);
    }

    @Test
    void wideAccessesAreRejectedOnceInTheLog() {
        assertThat(p.inw(0x70)).isEqualTo(0xffff);
        p.outl(0x70, 0x12345678);
        p.outw(0x71, 0);
        assertThat(read(0x0d)).isEqualTo(0x80);
        assertThat(p.logs()).hasSize(1);
    }

    @Test
    void randomGuestAccessesNeverThrow() {
        Random rnd = new Random(146818);
        for (int i = 0; i < 100_000; i++) {
            int port = 0x70 + rnd.nextInt(2);
            if (rnd.nextBoolean()) p.io().out(port, 1, rnd.nextInt(256));
            else p.io().in(port, 1);
            if (rnd.nextInt(100) == 0) advance(Duration.ofMillis(rnd.nextInt(3000)));
        }
        write(0x0b, 0x82);
        write(0x0a, 0x20);
        write(0x00, 0);
        write(0x02, 0);
        write(0x04, 0);
        write(0x07, 1);
        write(0x08, 1);
        write(0x09, 0);
        write(0x32, 0x20);
        write(0x0b, 0x02);
        assertThat(rtc.currentTime()).as("still settable after the abuse").isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0));
    }

    @Test
    void theTimerThreadDeliversPeriodicInterruptsInRealTime() throws Exception {
        try (FakePlatform real = new FakePlatform(); CmosRtc live = new CmosRtc(real, GIB, 0, false)) {
            RecordingLine line = real.line(8);
            real.outb(0x70, 0x0a);
            real.outb(0x71, 0x2f); // 2 Hz
            real.outb(0x70, 0x0b);
            real.outb(0x71, 0x42); // PIE
            assertThat(line.awaitCount(Edge.PULSE, 1, 3, TimeUnit.SECONDS)).isTrue();
            real.outb(0x70, 0x0c);
            assertThat(real.inb(0x71) & 0xc0).isEqualTo(0xc0);
            assertThat(line.awaitCount(Edge.PULSE, 2, 3, TimeUnit.SECONDS)).isTrue();
            live.pause();
            real.outb(0x70, 0x0c);
            real.inb(0x71);
            Thread.sleep(1200);
            assertThat(line.count(Edge.PULSE)).isEqualTo(2);
        }
    }

    @Test
    void hostNowIsTheLocalTimeOfTheDefaultZoneWhateverItsOffset() {
        TimeZone saved = TimeZone.getDefault();
        try {
            // This host runs in UTC: other zones show that local time really is local, half hours and DST too.
            for (String zone : new String[] {"Asia/Kolkata", "America/New_York", "Pacific/Chatham", "UTC"}) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                assertThat(Duration.between(CmosRtc.hostNow(true), LocalDateTime.now(ZoneId.of(zone))).abs())
                        .as(zone).isLessThan(Duration.ofSeconds(5));
                assertThat(Duration.between(CmosRtc.hostNow(false), LocalDateTime.now(ZoneOffset.UTC)).abs())
                        .as(zone + ", UTC asked").isLessThan(Duration.ofSeconds(5));
            }
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void useLocaltimePicksTheZoneAndBadValuesNameTheKey() {
        ConfigTree cfg = new ConfigTree();
        cfg.set("rtc.use_localtime", "false");
        try (FakePlatform a = new FakePlatform(); CmosRtc utc = CmosRtc.fromConfig(cfg, a, GIB, 0)) {
            assertThat(Duration.between(utc.currentTime(), LocalDateTime.now(ZoneOffset.UTC)).abs())
                    .isLessThan(Duration.ofSeconds(5));
        }
        try (FakePlatform b = new FakePlatform(); CmosRtc local = CmosRtc.fromConfig(new ConfigTree(), b, GIB, 0)) {
            assertThat(Duration.between(local.currentTime(), LocalDateTime.now(ZoneId.systemDefault())).abs())
                    .isLessThan(Duration.ofSeconds(5));
        }
        cfg.set("rtc.use_localtime", "maybe");
        try (FakePlatform c = new FakePlatform()) {
            assertThatThrownBy(() -> CmosRtc.fromConfig(cfg, c, GIB, 0))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("rtc.use_localtime")
                    .hasMessageContaining("maybe");
        }
    }
}
