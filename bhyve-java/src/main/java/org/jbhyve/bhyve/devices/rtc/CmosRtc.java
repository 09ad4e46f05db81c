package org.jbhyve.bhyve.devices.rtc;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The MC146818 real-time clock and CMOS RAM of a PC: index port 0x70, data port 0x71, IRQ 8.
 *
 * <p>Registers: 0x00-0x09 time, alarm and date (BCD or binary per register B's DM bit; hours in
 * 12-hour form with bit 7 for PM unless B's 24/12 bit is set), 0x0A register A (UIP, divider,
 * periodic rate), 0x0B register B (SET, PIE, AIE, UIE, SQWE, DM, 24/12, DSE), 0x0C register C
 * (IRQF, PF, AF, UF; reading clears it), 0x0D register D (VRT, always set), 0x0E-0x7F CMOS RAM
 * with the century at 0x32. Bit 7 of the index is the NMI mask, remembered but with nothing to
 * mask here. bhyve reserves ports 0x72-0x77 for an extended bank but emulates none; neither does
 * this.
 *
 * <p>Time keeping follows bhyve's vrtc: the clock is a base time plus monotonic time elapsed since
 * the base was set, so it never jumps with the host's wall clock, and what the guest programs
 * persists. It counts only while the divider runs (A bits 6..4 = 010), SET is clear and the date
 * and time fields hold a valid time; a guest that programs an invalid time (say month 13, or a BCD
 * digit above 9) stops the clock until it writes a valid one, which is logged once. Unlike bhyve,
 * a write to a single time field outside SET takes effect at once rather than being overwritten on
 * the next read.
 *
 * <p>Interrupts: PF/AF/UF are set whether or not enabled, as on the chip; IRQF follows the
 * enabled ones; IRQ 8 is pulsed (an edge, as bhyve does) when IRQF goes from 0 to 1, and can fire
 * again only after the guest reads register C. A timer thread wakes only when an enabled interrupt
 * is due and IRQF is clear, so a guest that is slow to acknowledge costs no host wakeups.
 *
 * <p>At creation CMOS RAM holds what bhyve's rtc_init writes: 0x34/0x35 the RAM between 16 MiB and
 * the end of lowmem in 64 KiB blocks, 0x5B-0x5D the RAM above 4 GiB in 64 KiB blocks (both little
 * endian; UEFI reads them), and the century. Reset keeps time and CMOS RAM (they are battery
 * backed) and, as bhyve's vrtc_reset, clears the interrupt enables, SQWE and register C.
 *
 * <p>Snapshots (chunk {@code dev.rtc}, version 1) hold all 128 CMOS bytes ({@code cmos}: the
 * date/time fields as last rendered, registers A-D, NVRAM), the index register ({@code index}) and
 * NMI mask ({@code nmi_masked}), whether the guest's time is valid ({@code time_valid}), the
 * interrupt bookkeeping, and the guest's time. <b>Time across a snapshot:</b> the record stores
 * the RTC's own wall-clock value at the moment of saving ({@code rtc_seconds}, RTC seconds since
 * 1970 of its zoneless calendar, and {@code rtc_subsecond_ns}, how far into that second it was).
 * On restore the clock resumes from exactly that value: a guest's RTC does not jump forward by the
 * time the VM spent suspended, the same choice as for kvmclock, so a restored guest sees time
 * continue from its checkpoint and corrects its wall clock the way it would after any pause (NTP,
 * or a hypervisor time-sync agent). The periodic interrupt's phase ({@code periodic_elapsed_ns},
 * {@code periodic_ticks}) and the last accounted update cycle ({@code last_update_second}) are kept
 * relative to that time, so no interrupts are owed or lost across the restore. After a restore the
 * timer thread is re-armed for what register B enables (unless the device is paused; resume
 * arms it).
 */
public final class CmosRtc implements IoHandler, Lifecycle, Snapshottable, AutoCloseable {
    public static final int INDEX_PORT = MemoryMap.RTC_PORT, DATA_PORT = MemoryMap.RTC_PORT + 1;

    // Register indices.
    static final int SECONDS = 0x00, SECONDS_ALARM = 0x01, MINUTES = 0x02, MINUTES_ALARM = 0x03, HOURS = 0x04,
            HOURS_ALARM = 0x05, DAY_OF_WEEK = 0x06, DAY_OF_MONTH = 0x07, MONTH = 0x08, YEAR = 0x09, REG_A = 0x0a,
            REG_B = 0x0b, REG_C = 0x0c, REG_D = 0x0d, CENTURY = 0x32;
    static final int LOWMEM_LSB = 0x34, LOWMEM_MSB = 0x35, HIGHMEM_LSB = 0x5b, HIGHMEM_MID = 0x5c, HIGHMEM_MSB = 0x5d;

    // Register A.
    static final int A_UIP = 0x80, A_DIVIDER = 0x70, A_DIVIDER_RUNNING = 0x20, A_RATE = 0x0f;
    // Register B.
    static final int B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_SQWE = 0x08, B_BINARY = 0x04,
            B_24H = 0x02;
    // Register C.
    static final int C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10;
    static final int D_VRT = 0x80;

    /** How long before each update UIP reads as 1 (the chip's 244 µs). */
    static final long UIP_NANOS = 244_000;
    static final long SECOND = 1_000_000_000L;
    /**
     * The range of RTC seconds a snapshot may hold. A guest sets years 0000 to 9999 (the year byte and
     * the century byte), and the clock then runs on, past 9999 too (the fields wrap): 99999 leaves it
     * ninety thousand years, and keeps every sum of seconds and elapsed time far inside java.time.
     */
    static final long FIRST_SECOND = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    static final long LAST_SECOND = LocalDateTime.of(99_999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
    /** An alarm pattern repeats within a day, so a catch-up never needs to look further back. */
    static final long ALARM_SCAN_LIMIT_SECONDS = 86_400;

    private static final String NAME = "rtc";

    private final Platform platform;
    private final InterruptLine irq;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer; // null: the caller drives serviceTimers()
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private final byte[] cmos = new byte[128];
    private int index = REG_D;
    private boolean nmiMasked;

    /** RTC time, seconds since 1970-01-01T00:00 of the RTC's own (zoneless) calendar, at baseNanos. */
    private long baseSeconds;
    private long baseNanos;
    /** False while the guest has programmed an invalid date/time. */
    private boolean timeValid = true;
    /** The last RTC second whose update cycle has been accounted for (UF, alarm). */
    private long lastUpdatedSecond;

    private long periodicOriginNanos;
    private long periodicTicksSeen;

    private boolean paused;
    private ScheduledFuture<?> pending;
    private long pendingDeadline;

    /**
     * A clock that starts at the host's current time ({@code useLocaltime}: the local wall-clock
     * time, as bhyve's default; otherwise UTC) and reports {@code lowmemBytes}/{@code
     * highmemBytes} in CMOS RAM. Claims ports 0x70-0x71.
     */
    public CmosRtc(Platform platform, long lowmemBytes, long highmemBytes, boolean useLocaltime) {
        this(platform, lowmemBytes, highmemBytes, hostNow(useLocaltime), System::nanoTime, true);
    }

    /**
     * The host's wall-clock time now: local ({@code localtime}) or UTC. Local time is read through
     * {@link TimeZone}, not {@code ZoneId.systemDefault()}: both find the same zone (TZ, else
     * /etc/localtime), but the latter also starts java.time's zone-rules provider, which reads the
     * time-zone database a second time: 7-9 ms instead of 26-29 in a fresh JVM, part of every start.
     */
    static LocalDateTime hostNow(boolean localtime) {
        long millis = System.currentTimeMillis();
        int offsetSeconds = localtime ? TimeZone.getDefault().getOffset(millis) / 1000 : 0;
        return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000,
                ZoneOffset.ofTotalSeconds(offsetSeconds));
    }

    /**
     * For tests: an explicit start time and monotonic clock; with {@code timerThread} false no thread
     * is started and the caller runs {@link #serviceTimers()} itself.
     */
    CmosRtc(Platform platform, long lowmemBytes, long highmemBytes, LocalDateTime start, LongSupplier nanoTime,
            boolean timerThread) {
        this.platform = platform;
        this.irq = platform.irq(MemoryMap.RTC_IRQ);
        this.nanoTime = nanoTime;
        this.timer = timerThread ? newTimer() : null;
        long now = nanoTime.getAsLong();
        cmos[REG_A] = A_DIVIDER_RUNNING;
        cmos[REG_B] = B_24H;
        baseSeconds = start.toEpochSecond(ZoneOffset.UTC);
        baseNanos = now;
        lastUpdatedSecond = baseSeconds;
        periodicOriginNanos = now;
        writeMemorySize(lowmemBytes, highmemBytes);
        storeTime(baseSeconds);
        platform.io().register(INDEX_PORT, 2, NAME, this);
    }

    /** The RTC bhyve configures: {@code rtc.use_localtime} (default true) picks local time or UTC. */
    public static CmosRtc fromConfig(ConfigTree cfg, Platform platform, long lowmemBytes, long highmemBytes) {
        return new CmosRtc(platform, lowmemBytes, highmemBytes, cfg.getBoolean("rtc.use_localtime", true));
    }

    private static ScheduledExecutorService newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().name("rtc-timer").daemon().unstarted(r));
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private void writeMemorySize(long lowmem, long highmem) {
        long lowBlocks = Math.max(0, lowmem - (16L << 20)) / (64 << 10);
        long highBlocks = Math.max(0, highmem) / (64 << 10);
        // The fields are 16 and 24 bits wide; larger memory saturates rather than wraps.
        lowBlocks = Math.min(lowBlocks, 0xffff);
        highBlocks = Math.min(highBlocks, 0xffffff);
        cmos[LOWMEM_LSB] = (byte) lowBlocks;
        cmos[LOWMEM_MSB] = (byte) (lowBlocks >> 8);
        cmos[HIGHMEM_LSB] = (byte) highBlocks;
        cmos[HIGHMEM_MID] = (byte) (highBlocks >> 8);
        cmos[HIGHMEM_MSB] = (byte) (highBlocks >> 16);
    }

    // ---- guest access ----

    @Override
    public synchronized int in(int port, int size) {
        if (size != 1) {
            reportOnce("size", size + "-byte access to RTC port 0x" + Integer.toHexString(port)
                    + " (the RTC has byte registers); reads as all ones");
            return size == 4 ? -1 : (1 << (size * 8)) - 1;
        }
        if (port == INDEX_PORT) return 0xff; // the index register is write-only
        long now = nanoTime.getAsLong();
        // A flag that comes due in the very read of C that acknowledges it needs no edge: the
        // guest is already handling it, and a pulse would be a spurious interrupt.
        catchUp(now, index != REG_C);
        int value = switch (index) {
            case REG_A -> (cmos[REG_A] & 0x7f) | (updateInProgress(now) ? A_UIP : 0);
            case REG_C -> {
                int c = cmos[REG_C] & 0xff;
                cmos[REG_C] = 0; // reading C acknowledges every flag and lowers IRQF
                yield c;
            }
            case REG_D -> D_VRT;
            default -> {
                if (isTimeField(index) && fieldsTrackClock()) storeTime(currentSeconds(now));
                yield cmos[index] & 0xff;
            }
        };
        reschedule(now);
        return value;
    }

    @Override
    public synchronized void out(int port, int size, int value) {
        if (size != 1) {
            reportOnce("size", size + "-byte access to RTC port 0x" + Integer.toHexString(port)
                    + " (the RTC has byte registers); ignored");
            return;
        }
        value &= 0xff;
        if (port == INDEX_PORT) {
            nmiMasked = (value & 0x80) != 0;
            index = value & 0x7f;
            return;
        }
        long now = nanoTime.getAsLong();
        catchUp(now, true);
        switch (index) {
            case REG_A -> writeRegisterA(value, now);
            case REG_B -> writeRegisterB(value, now);
            case REG_C, REG_D -> { } // read-only
            default -> {
                if (isTimeField(index)) writeTimeField(index, value, now);
                else cmos[index] = (byte) value; // alarm fields and CMOS RAM
            }
        }
        updateInterruptFlag(true);
        reschedule(now);
    }

    private static boolean isTimeField(int i) {
        return i == SECONDS || i == MINUTES || i == HOURS || i == DAY_OF_WEEK || i == DAY_OF_MONTH || i == MONTH
                || i == YEAR || i == CENTURY;
    }

    private void writeTimeField(int field, int value, long now) {
        if (field == SECONDS) value &= 0x7f; // bit 7 of the seconds register is read-only
        if ((cmos[REG_B] & B_SET) != 0) {
            cmos[field] = (byte) value; // the guest owns the fields until it clears SET
            return;
        }
        // Outside SET: bring the other fields up to date, change this one, and restart from the result.
        if (fieldsTrackClock()) storeTime(currentSeconds(now));
        cmos[field] = (byte) value;
        setTimeFromRegisters(now);
    }

    private void writeRegisterA(int value, long now) {
        boolean wasRunning = running();
        boolean dividerWas = dividerRunning();
        int oldRate = cmos[REG_A] & A_RATE;
        long current = currentSeconds(now);
        cmos[REG_A] = (byte) (value & 0x7f); // UIP is read-only
        // Only a change of running state moves the base; a rate change must not cost the clock its
        // sub-second phase.
        if (wasRunning && !running()) freezeAt(current);
        else if (!wasRunning && running()) baseNanos = now;
        if (dividerRunning() && (!dividerWas || (value & A_RATE) != oldRate)) {
            // The periodic divider chain starts counting afresh.
            periodicOriginNanos = now;
            periodicTicksSeen = 0;
        }
    }

    private void writeRegisterB(int value, long now) {
        int old = cmos[REG_B] & 0xff;
        boolean wasRunning = running();
        if ((value & B_SET) != 0 && (old & B_SET) == 0) {
            // Entering SET: the fields show the time at this moment and then stay put; the
            // update-ended interrupt is disabled, as the chip does.
            if (fieldsTrackClock()) storeTime(currentSeconds(now));
            if (wasRunning) freezeAt(currentSeconds(now));
            cmos[REG_B] = (byte) (value & ~B_UIE);
        } else if ((value & B_SET) == 0 && (old & B_SET) != 0) {
            // Leaving SET: the fields the guest wrote, read in the new format, are the new time.
            cmos[REG_B] = (byte) value;
            setTimeFromRegisters(now);
        } else {
            if ((value & B_SET) != 0) value &= ~B_UIE;
            // A format change while running: the fields are re-rendered on the next read.
            cmos[REG_B] = (byte) value;
        }
    }

    // ---- time keeping ----

    private boolean dividerRunning() {
        return (cmos[REG_A] & A_DIVIDER) == A_DIVIDER_RUNNING;
    }

    private boolean running() {
        return dividerRunning() && (cmos[REG_B] & B_SET) == 0 && timeValid;
    }

    private long currentSeconds(long now) {
        return running() ? baseSeconds + Math.floorDiv(now - baseNanos, SECOND) : baseSeconds;
    }

    /** Stops the count at {@code seconds} (sub-second phase is lost, as on a halted chip). */
    private void freezeAt(long seconds) {
        baseSeconds = seconds;
        lastUpdatedSecond = seconds;
    }

    /**
     * Whether the date/time fields mirror the clock: not while the guest owns them (SET) and not
     * after it wrote an invalid time (they keep what it wrote).
     */
    private boolean fieldsTrackClock() {
        return timeValid && (cmos[REG_B] & B_SET) == 0;
    }

    private boolean updateInProgress(long now) {
        return running() && Math.floorMod(now - baseNanos, SECOND) >= SECOND - UIP_NANOS;
    }

    /** Parses the date/time fields; on success the clock restarts there, else it stops. */
    private void setTimeFromRegisters(long now) {
        long parsed = parseRegisters();
        if (parsed == Long.MIN_VALUE) {
            // Stopped where it is now, not back at the time it was last set (which would also put the
            // last update cycle after the clock, a state no restore accepts).
            freezeAt(currentSeconds(now));
            timeValid = false;
            reportOnce("invalid-time", String.format("guest programmed an invalid date/time (%02x-%02x-%02x%02x "
                            + "%02x:%02x:%02x, register B %02x); the clock is stopped until a valid time is set",
                    cmos[DAY_OF_MONTH], cmos[MONTH], cmos[CENTURY], cmos[YEAR], cmos[HOURS], cmos[MINUTES],
                    cmos[SECONDS], cmos[REG_B]));
            return;
        }
        timeValid = true;
        baseSeconds = parsed;
        baseNanos = now;
        lastUpdatedSecond = parsed;
    }

    /** The date/time fields as RTC seconds, or {@link Long#MIN_VALUE} if they are not a valid time. */
    private long parseRegisters() {
        int sec = decode(cmos[SECONDS]), min = decode(cmos[MINUTES]);
        int hourReg = cmos[HOURS] & 0xff;
        boolean pm = false;
        if ((cmos[REG_B] & B_24H) == 0) {
            pm = (hourReg & 0x80) != 0;
            hourReg &= 0x7f;
        }
        int hour = decode((byte) hourReg);
        if ((cmos[REG_B] & B_24H) == 0) {
            if (hour < 1 || hour > 12) return Long.MIN_VALUE;
            hour = hour % 12 + (pm ? 12 : 0);
        }
        int day = decode(cmos[DAY_OF_MONTH]), month = decode(cmos[MONTH]);
        int year = decode(cmos[YEAR]), century = decode(cmos[CENTURY]);
        if (sec < 0 || min < 0 || hour < 0 || day < 0 || month < 0 || year < 0 || century < 0) return Long.MIN_VALUE;
        // Day of week is ignored, as bhyve does: guests leave it unset or get it wrong.
        try {
            return LocalDateTime.of(century * 100 + year, month, day, hour, min, sec).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /** A field value in the current format, or -1 if it is not valid BCD / not below 100. */
    private int decode(byte field) {
        int v = field & 0xff;
        if ((cmos[REG_B] & B_BINARY) != 0) return v < 100 ? v : -1;
        int hi = v >> 4, lo = v & 0xf;
        return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
    }

    private int encode(int v) {
        return (cmos[REG_B] & B_BINARY) != 0 ? v : (v / 10) << 4 | v % 10;
    }

    /** Renders RTC seconds into the date/time fields in the current format. */
    private void storeTime(long seconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        cmos[SECONDS] = (byte) encode(t.getSecond());
        cmos[MINUTES] = (byte) encode(t.getMinute());
        cmos[HOURS] = (byte) encodeHour(t.getHour());
        cmos[DAY_OF_WEEK] = (byte) encode(t.getDayOfWeek().getValue() % 7 + 1); // Sunday = 1
        cmos[DAY_OF_MONTH] = (byte) encode(t.getDayOfMonth());
        cmos[MONTH] = (byte) encode(t.getMonthValue());
        int year = Math.floorMod(t.getYear(), 10_000);
        cmos[YEAR] = (byte) encode(year % 100);
        cmos[CENTURY] = (byte) encode(year / 100);
    }

    private int encodeHour(int hour24) {
        if ((cmos[REG_B] & B_24H) != 0) return encode(hour24);
        int h12 = hour24 % 12 == 0 ? 12 : hour24 % 12;
        return encode(h12) | (hour24 >= 12 ? 0x80 : 0);
    }

    // ---- interrupts ----

    /**
     * Accounts for everything that happened up to {@code now}: periodic ticks (PF), update cycles
     * (UF) and alarm matches (AF), then raises IRQ 8 if IRQF became set.
     */
    private void catchUp(long now, boolean raise) {
        int c = cmos[REG_C] & 0xff;
        long period = periodNanos();
        if (period > 0) {
            long ticks = Math.floorDiv(now - periodicOriginNanos, period);
            if (ticks > periodicTicksSeen) {
                periodicTicksSeen = ticks;
                c |= C_PF;
            }
        }
        if (running()) {
            long current = currentSeconds(now);
            if (current > lastUpdatedSecond) {
                c |= C_UF;
                if (alarmMatchedIn(Math.max(lastUpdatedSecond, current - ALARM_SCAN_LIMIT_SECONDS), current)) {
                    c |= C_AF;
                }
                lastUpdatedSecond = current;
            }
        }
        cmos[REG_C] = (byte) c;
        updateInterruptFlag(raise);
    }

    /** Whether any second in {@code (after, upTo]} matches the alarm fields. */
    private boolean alarmMatchedIn(long after, long upTo) {
        int as = cmos[SECONDS_ALARM] & 0xff, am = cmos[MINUTES_ALARM] & 0xff, ah = cmos[HOURS_ALARM] & 0xff;
        for (long s = after + 1; s <= upTo; s++) {
            int secondOfDay = (int) Math.floorMod(s, 86_400L);
            // 0xC0-0xFF in an alarm field means "any value".
            if ((as >= 0xc0 || as == encode(secondOfDay % 60))
                    && (am >= 0xc0 || am == encode(secondOfDay / 60 % 60))
                    && (ah >= 0xc0 || ah == encodeHour(secondOfDay / 3600))) {
                return true;
            }
        }
        return false;
    }

    /** The periodic interrupt period for register A's rate, or 0 if there is none. */
    private long periodNanos() {
        return periodNanos(cmos[REG_A] & 0xff);
    }

    /** The periodic interrupt's period for register A {@code a}; 0 when it does not run. */
    private static long periodNanos(int a) {
        if ((a & A_DIVIDER) != A_DIVIDER_RUNNING) return 0;
        int rate = a & A_RATE;
        if (rate == 0) return 0;
        if (rate <= 2) rate += 7; // rates 1 and 2 repeat rates 8 and 9 (256 Hz, 128 Hz) on a 32.768 kHz base
        return SECOND * (1L << (rate - 1)) / 32768;
    }

    /** The shortest period register A can select (rate 3, 8192 Hz). */
    private static final long MIN_PERIOD_NANOS = periodNanos(A_DIVIDER_RUNNING | 3);

    /** Recomputes IRQF; pulses IRQ 8 when it rises, if {@code raise}. */
    private void updateInterruptFlag(boolean raise) {
        int c = cmos[REG_C] & 0xff;
        int b = cmos[REG_B] & 0xff;
        boolean irqf = ((c & C_PF) != 0 && (b & B_PIE) != 0) || ((c & C_AF) != 0 && (b & B_AIE) != 0)
                || ((c & C_UF) != 0 && (b & B_UIE) != 0);
        if (paused) return; // nothing is raised while paused; resume() catches up
        boolean was = (c & C_IRQF) != 0;
        cmos[REG_C] = (byte) (irqf ? c | C_IRQF : c & ~C_IRQF);
        if (irqf && !was && raise) irq.pulse();
    }

    /** Arms the timer for the next moment an enabled interrupt can become due, if any. */
    private void reschedule(long now) {
        if (timer == null) return;
        long deadline = paused ? Long.MAX_VALUE : nextInterruptDeadline(now);
        if (pending != null && deadline == pendingDeadline) return;
        if (pending != null) pending.cancel(false);
        pending = null;
        if (deadline == Long.MAX_VALUE) return;
        pendingDeadline = deadline;
        pending = timer.schedule(this::serviceTimers, Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
    }

    private long nextInterruptDeadline(long now) {
        int b = cmos[REG_B] & 0xff;
        if ((cmos[REG_C] & C_IRQF) != 0) return Long.MAX_VALUE; // nothing new can fire before C is read
        long next = Long.MAX_VALUE;
        long period = periodNanos();
        if ((b & B_PIE) != 0 && period > 0) {
            try {
                next = Math.addExact(periodicOriginNanos, Math.multiplyExact(periodicTicksSeen + 1, period));
            } catch (ArithmeticException e) {
                next = Long.MAX_VALUE; // a tick past the end of the clock never comes
            }
        }
        if ((b & (B_UIE | B_AIE)) != 0 && running()) {
            long elapsed = Math.floorDiv(now - baseNanos, SECOND);
            next = Math.min(next, baseNanos + (elapsed + 1) * SECOND);
        }
        return next;
    }

    /** What the timer thread runs: catches up and raises whatever became due. */
    synchronized void serviceTimers() {
        pending = null;
        if (paused) return;
        long now = nanoTime.getAsLong();
        catchUp(now, true);
        reschedule(now);
    }

    // ---- state for the VMM ----

    /** The time the RTC shows now (its own calendar, no zone). */
    public synchronized LocalDateTime currentTime() {
        return LocalDateTime.ofEpochSecond(currentSeconds(nanoTime.getAsLong()), 0, ZoneOffset.UTC);
    }

    /** Whether the guest last wrote the index port with bit 7 (NMI disable) set. */
    public synchronized boolean nmiMasked() {
        return nmiMasked;
    }

    /** One CMOS byte as stored (no time refresh); for diagnostics and tests. */
    public synchronized int cmosByte(int offset) {
        return cmos[offset & 0x7f] & 0xff;
    }

    // ---- snapshot ----

    static final int STATE_VERSION = 1;

    @Override
    public String stateName() {
        return "dev." + NAME;
    }

    @Override
    public int stateVersion() {
        return STATE_VERSION;
    }

    @Override
    public synchronized StateRecord saveState() {
        long now = nanoTime.getAsLong();
        long subsecond = running() ? Math.floorMod(now - baseNanos, SECOND) : 0;
        return StateRecord.builder()
                .putBytes("cmos", cmos.clone())
                .putU8("index", index)
                .putBool("nmi_masked", nmiMasked)
                .putBool("time_valid", timeValid)
                .putI64("rtc_seconds", currentSeconds(now))
                .putU32("rtc_subsecond_ns", subsecond)
                .putI64("last_update_second", lastUpdatedSecond)
                .putU64("periodic_elapsed_ns", Math.max(0, now - periodicOriginNanos))
                .putU64("periodic_ticks", Math.max(0, periodicTicksSeen))
                .build();
    }

    /**
     * Restores registers, CMOS RAM and the guest's time (which resumes from the saved value; see
     * the class comment), then re-arms the timer for what register B enables. A refused record
     * leaves the clock as it was.
     */
    @Override
    public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader r = StateReader.open(this, state, version);
        byte[] newCmos = r.bytesExactly("cmos", cmos.length, "CMOS RAM");
        int a = newCmos[REG_A] & 0xff, b = newCmos[REG_B] & 0xff, c = newCmos[REG_C] & 0xff;
        if ((a & A_UIP) != 0) {
            throw r.invalid("cmos", String.format("register A is 0x%02x: UIP (bit 7) is computed, never stored", a));
        }
        if ((b & B_SET) != 0 && (b & B_UIE) != 0) {
            throw r.invalid("cmos", String.format("register B is 0x%02x: UIE cannot be set while SET is", b));
        }
        if ((c & ~(C_IRQF | C_PF | C_AF | C_UF)) != 0) {
            throw r.invalid("cmos", String.format("register C is 0x%02x: bits 3..0 are always zero", c));
        }
        int newIndex = r.u8In("index", 0, 0x7f);
        boolean newNmi = r.bool("nmi_masked");
        boolean newValid = r.bool("time_valid");
        long seconds = r.i64("rtc_seconds");
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            throw r.invalid("rtc_seconds", seconds + " is outside the years 0000 to 99999 a clock set to 0000-9999 can reach");
        }
        long subsecond = r.u32In("rtc_subsecond_ns", 0, SECOND - 1);
        long lastUpdate = r.i64("last_update_second");
        if (lastUpdate > seconds) {
            throw r.invalid("last_update_second", lastUpdate + " is after the saved time " + seconds);
        }
        long periodicElapsed = r.u64In("periodic_elapsed_ns", 0, Long.MAX_VALUE / 4);
        // Ticks seen cannot outnumber the periods elapsed: at the saved rate, or at the fastest one when the
        // divider is stopped (the count is kept until it runs again).
        long savedPeriod = periodNanos(a);
        long periodicTicks = r.u64In("periodic_ticks", 0,
                periodicElapsed / (savedPeriod > 0 ? savedPeriod : MIN_PERIOD_NANOS));

        synchronized (this) {
            long now = nanoTime.getAsLong();
            System.arraycopy(newCmos, 0, cmos, 0, cmos.length);
            index = newIndex;
            nmiMasked = newNmi;
            timeValid = newValid;
            baseSeconds = seconds;
            baseNanos = now - subsecond;
            lastUpdatedSecond = lastUpdate;
            periodicOriginNanos = now - periodicElapsed;
            periodicTicksSeen = periodicTicks;
            // IRQ 8 is an edge: a flag already in register C was delivered before the snapshot, and
            // the interrupt controller's own state carries it. Only the timer needs re-arming.
            if (pending != null) pending.cancel(false);
            pending = null;
            reschedule(now);
        }
    }

    // ---- lifecycle ----

    @Override
    public synchronized void reset() {
        long now = nanoTime.getAsLong();
        catchUp(now, true);
        cmos[REG_B] = (byte) (cmos[REG_B] & ~(B_PIE | B_AIE | B_UIE | B_SQWE));
        cmos[REG_C] = 0;
        index = REG_D;
        nmiMasked = false;
        reschedule(now);
    }

    @Override
    public synchronized void pause() {
        paused = true;
        if (pending != null) pending.cancel(false);
        pending = null;
    }

    @Override
    public synchronized void resume() {
        paused = false;
        long now = nanoTime.getAsLong();
        catchUp(now, true);
        reschedule(now);
    }

    /** Stops the timer thread. */
    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }

    private void reportOnce(String key, String message) {
        if (reported.add(key)) platform.log(NAME, message);
    }
}
