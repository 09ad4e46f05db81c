package org.jbhyve.bhyve.devices.pm;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * bhyve's ACPI fixed hardware, at the ports its FADT declares:
 * <ul>
 * <li>SMI_CMD (0xb2, write-only): ACPI_ENABLE (0xa0) sets PM1_CNT.SCI_EN, ACPI_DISABLE (0xa1)
 *     clears it.</li>
 * <li>PM1a_EVT (0x400): PM1_STS (2 bytes, write 1 to clear) and PM1_EN (2 bytes; only RTC_EN,
 *     PWRBTN_EN and GBL_EN stick, as in bhyve: there is no PM-timer overflow event and ACPICA
 *     insists on GBL_EN).</li>
 * <li>PM1a_CNT (0x404, 2 bytes): SCI_EN (changed only through SMI_CMD), SLP_TYP, SLP_EN. SLP_EN
 *     with SLP_TYP 5, the value bhyve's DSDT declares for _S5, is a poweroff; other sleep states
 *     are not supported and ignored (logged once).</li>
 * <li>PM_TMR (0x408, 4 bytes, read-only): the 3.579545 MHz ACPI timer, 32 bits wide, derived from
 *     the host's monotonic clock. (bhyve's kernel provides this one; KVM does not.)</li>
 * <li>GPE0 (0x40c status, 0x40d enable; one byte each): bhyve's block, where only bit 0, the VM
 *     generation counter, is valid; see {@link #raiseGpe}.</li>
 * <li>Reset control (0xcf9, 1 byte): a write with bit 2 (RST_CPU) set, such as 0x6 or 0xe, is a
 *     reset; bhyve treats hard and soft resets alike. Reads return the last value written.</li>
 * </ul>
 * The SCI (IRQ 9, level triggered) is asserted while SCI_EN is set and an enabled event is
 * pending, in PM1 or GPE0. {@link #pressPowerButton} is how SIGTERM asks the guest to power off.
 *
 * <p>Registers accept byte, word and dword accesses by byte lane, so a guest may use any width the
 * ACPI specification allows; lanes outside a block read as ones and ignore writes.
 *
 * <p>Snapshots (chunk {@code dev.acpi-pm}, version 1): {@code pm1_status pm1_enable pm1_control}
 * (u16), {@code gpe0_status gpe0_enable reset_control} (u8), {@code sci_level} (bool, the level the
 * device drives on IRQ 9), and the PM timer as {@code pm_timer_ns} (u64, nanoseconds the timer has
 * counted) with {@code pm_timer} (u32, the counter a guest read would have returned, checked against
 * it). On restore the timer continues from the saved count rather than jumping by the time the VM
 * was suspended, as the RTC and kvmclock do.
 */
public final class AcpiPm implements IoHandler, Lifecycle, Snapshottable {
    // PM1 status and enable bits.
    static final int TMR_STS = 0x0001, BM_STS = 0x0010, GBL_STS = 0x0020, PWRBTN_STS = 0x0100, SLPBTN_STS = 0x0200,
            RTC_STS = 0x0400, WAK_STS = 0x8000;
    static final int GBL_EN = 0x0020, PWRBTN_EN = 0x0100, RTC_EN = 0x0400;
    static final int STATUS_WRITE_CLEARS = TMR_STS | BM_STS | GBL_STS | PWRBTN_STS | SLPBTN_STS | RTC_STS | WAK_STS;
    static final int ENABLE_WRITABLE = GBL_EN | PWRBTN_EN | RTC_EN;
    // PM1 control bits.
    static final int SCI_EN = 0x0001, SLP_TYP = 0x1c00, SLP_EN = 0x2000;
    /** SCI_EN (OSPM cannot change it), BM_RLD and the reserved top bits are never stored from a write. */
    static final int CNT_NOT_STORED = SLP_EN | 0xc003;
    /** SLP_TYP value of S5 in bhyve's DSDT ({@code Name (_S5, Package () {0x05, Zero})}). */
    public static final int SLP_TYP_S5 = 5;
    /** GPE0 bits that exist: bit 0, the VM generation counter. */
    public static final int GPE_VMGENC = 0;
    static final int GPE_VALID = 1 << GPE_VMGENC;

    static final int RST_CPU = 0x04;
    static final long PM_TIMER_HZ = 3_579_545;

    public static final int GPE0_PORT = 0x40c;
    private static final String NAME = "acpi-pm";

    private final Platform platform;
    private final InterruptLine sci;
    private final PowerControl power;
    private final LongSupplier nanoTime;
    /** Host nanoTime at which the PM timer read 0; moved by restore (read without the lock). */
    private volatile long timerOrigin;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private int pm1Status, pm1Enable, pm1Control;
    private int gpeStatus, gpeEnable;
    private int resetControl;
    private boolean sciAsserted;
    private boolean paused;

    /** Claims bhyve's ACPI ports and IRQ 9; power requests go to {@code power}. */
    public AcpiPm(Platform platform, PowerControl power) {
        this(platform, power, System::nanoTime);
    }

    /** For tests: an explicit monotonic clock for the PM timer. */
    AcpiPm(Platform platform, PowerControl power, LongSupplier nanoTime) {
        this.platform = platform;
        this.sci = platform.irq(MemoryMap.SCI_IRQ);
        this.power = power;
        this.nanoTime = nanoTime;
        this.timerOrigin = nanoTime.getAsLong();
        platform.io().register(MemoryMap.SMI_CMD_PORT, 1, NAME + " smi_cmd", this);
        platform.io().register(MemoryMap.PM1A_EVT_PORT, 4, NAME + " pm1a_evt", this);
        platform.io().register(MemoryMap.PM1A_CNT_PORT, 2, NAME + " pm1a_cnt", this);
        platform.io().register(MemoryMap.PM_TIMER_PORT, 4, NAME + " pm_tmr", this);
        platform.io().register(GPE0_PORT, 2, NAME + " gpe0", this);
        platform.io().register(MemoryMap.RESET_PORT, 1, NAME + " reset", this);
    }

    // ---- guest access ----

    @Override
    public int in(int port, int size) {
        if (port == MemoryMap.PM_TIMER_PORT) {
            // Lock-free: guests poll the timer in tight loops (calibration, udelay).
            return lanes(timerValue(), port - MemoryMap.PM_TIMER_PORT, size, 4);
        }
        synchronized (this) {
            return switch (port) {
                case MemoryMap.PM1A_EVT_PORT, MemoryMap.PM1A_EVT_PORT + 1, MemoryMap.PM1A_EVT_PORT + 2,
                     MemoryMap.PM1A_EVT_PORT + 3 ->
                        lanes(pm1Status | pm1Enable << 16, port - MemoryMap.PM1A_EVT_PORT, size, 4);
                case MemoryMap.PM1A_CNT_PORT, MemoryMap.PM1A_CNT_PORT + 1 ->
                        lanes(pm1Control, port - MemoryMap.PM1A_CNT_PORT, size, 2);
                case MemoryMap.PM_TIMER_PORT + 1, MemoryMap.PM_TIMER_PORT + 2, MemoryMap.PM_TIMER_PORT + 3 ->
                        lanes(timerValue(), port - MemoryMap.PM_TIMER_PORT, size, 4);
                case GPE0_PORT, GPE0_PORT + 1 -> lanes(gpeStatus | gpeEnable << 8, port - GPE0_PORT, size, 2);
                case MemoryMap.RESET_PORT -> lanes(resetControl, 0, size, 1);
                default -> lanes(0, 0, size, 0); // SMI_CMD is write-only
            };
        }
    }

    @Override
    public void out(int port, int size, int value) {
        Runnable request = null;
        synchronized (this) {
            switch (port) {
                case MemoryMap.SMI_CMD_PORT -> writeSmiCommand(value & 0xff);
                case MemoryMap.PM1A_EVT_PORT, MemoryMap.PM1A_EVT_PORT + 1, MemoryMap.PM1A_EVT_PORT + 2,
                     MemoryMap.PM1A_EVT_PORT + 3 -> writeEventBlock(port - MemoryMap.PM1A_EVT_PORT, size, value);
                case MemoryMap.PM1A_CNT_PORT, MemoryMap.PM1A_CNT_PORT + 1 ->
                        request = writeControl(port - MemoryMap.PM1A_CNT_PORT, size, value);
                case GPE0_PORT, GPE0_PORT + 1 -> writeGpeBlock(port - GPE0_PORT, size, value);
                case MemoryMap.RESET_PORT -> {
                    resetControl = value & 0xff;
                    if ((resetControl & RST_CPU) != 0) request = power::reset;
                }
                default -> { } // the PM timer is read-only
            }
            updateSci();
        }
        if (request != null) request.run(); // outside the lock: the VMM may pause devices
    }

    private void writeSmiCommand(int command) {
        if (command == MemoryMap.ACPI_ENABLE_VALUE) pm1Control |= SCI_EN;
        else if (command == MemoryMap.ACPI_DISABLE_VALUE) pm1Control &= ~SCI_EN;
        else reportOnce("smi", "unknown SMI command 0x" + Integer.toHexString(command) + " ignored");
    }

    private void writeEventBlock(int offset, int size, int value) {
        int mask = laneMask(offset, size, 4);
        int v = value << (8 * offset) & mask;
        pm1Status &= ~(v & STATUS_WRITE_CLEARS);
        int enableMask = mask >>> 16;
        pm1Enable = (pm1Enable & ~enableMask | (v >>> 16) & enableMask) & ENABLE_WRITABLE;
    }

    /** Returns the power request the write makes, if any, to run outside the lock. */
    private Runnable writeControl(int offset, int size, int value) {
        int mask = laneMask(offset, size, 2);
        int v = value << (8 * offset) & mask;
        int merged = pm1Control & ~mask | v;
        pm1Control = pm1Control & SCI_EN | merged & ~CNT_NOT_STORED;
        if ((v & SLP_EN) == 0) return null;
        int type = (pm1Control & SLP_TYP) >> 10;
        if (type == SLP_TYP_S5) return power::poweroff;
        reportOnce("sleep-" + type, "guest asked for sleep type " + type + "; only S5 (type " + SLP_TYP_S5
                + ") is supported, ignored");
        return null;
    }

    private void writeGpeBlock(int offset, int size, int value) {
        int mask = laneMask(offset, size, 2);
        int v = value << (8 * offset) & mask;
        gpeStatus &= ~(v & GPE_VALID);
        if ((mask & 0xff00) != 0) gpeEnable = v >> 8 & GPE_VALID;
    }

    /** The low {@code size} bytes of a block register seen from byte {@code offset}; ones past the block. */
    private static int lanes(int register, int offset, int size, int blockBytes) {
        int result = 0;
        for (int i = 0; i < size; i++) {
            int b = offset + i < blockBytes ? register >>> (8 * (offset + i)) & 0xff : 0xff;
            result |= b << (8 * i);
        }
        return result;
    }

    /** Which bits of a block an access of {@code size} at {@code offset} touches. */
    private static int laneMask(int offset, int size, int blockBytes) {
        int mask = 0;
        for (int i = offset; i < Math.min(offset + size, blockBytes); i++) mask |= 0xff << (8 * i);
        return mask;
    }

    /** The PM timer: 3.579545 MHz ticks since creation, modulo 2^32. */
    int timerValue() {
        return timerValue(nanoTime.getAsLong() - timerOrigin);
    }

    private static int timerValue(long elapsed) {
        // Split so that elapsed * 3579545 cannot overflow, however long the VM runs.
        long ticks = elapsed / 1_000_000_000L * PM_TIMER_HZ + elapsed % 1_000_000_000L * PM_TIMER_HZ / 1_000_000_000L;
        return (int) ticks;
    }

    private void updateSci() {
        if (paused) return; // re-evaluated on resume
        boolean want = (pm1Control & SCI_EN) != 0
                && ((pm1Status & pm1Enable) != 0 || (gpeStatus & gpeEnable) != 0);
        if (want != sciAsserted) {
            sciAsserted = want;
            sci.set(want);
        }
    }

    // ---- events from the host ----

    /**
     * Presses the power button: sets PM1_STS.PWRBTN_STS and raises the SCI if the guest listens.
     * This is how SIGTERM asks the guest to shut down.
     *
     * @return whether the guest has ACPI enabled and the power button event enabled, i.e. whether
     *     anybody will see the press; if not, the caller may fall back to a hard poweroff, which is
     *     what SIGTERM does to bhyve before the guest enables ACPI
     */
    public synchronized boolean pressPowerButton() {
        pm1Status |= PWRBTN_STS;
        updateSci();
        return (pm1Control & SCI_EN) != 0 && (pm1Enable & PWRBTN_EN) != 0;
    }

    /** Raises general-purpose event {@code bit} (only {@link #GPE_VMGENC} exists). */
    public synchronized void raiseGpe(int bit) {
        if (bit < 0 || bit >= 8 || (GPE_VALID & 1 << bit) == 0) {
            throw new IllegalArgumentException("GPE " + bit + " is not implemented");
        }
        gpeStatus |= 1 << bit;
        updateSci();
    }

    /** Whether the guest has switched to ACPI mode (PM1_CNT.SCI_EN). */
    public synchronized boolean acpiEnabled() {
        return (pm1Control & SCI_EN) != 0;
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
        long elapsed = Math.max(0, nanoTime.getAsLong() - timerOrigin);
        return StateRecord.builder()
                .putU16("pm1_status", pm1Status)
                .putU16("pm1_enable", pm1Enable)
                .putU16("pm1_control", pm1Control)
                .putU8("gpe0_status", gpeStatus)
                .putU8("gpe0_enable", gpeEnable)
                .putU8("reset_control", resetControl)
                .putBool("sci_level", sciAsserted)
                .putU64("pm_timer_ns", elapsed)
                .putU32("pm_timer", Integer.toUnsignedLong(timerValue(elapsed)))
                .build();
    }

    /**
     * Restores the registers and the PM timer's count, then drives the SCI to the saved level (and,
     * unless paused, to what the registers call for). A refused record leaves the device as it was.
     */
    @Override
    public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader r = StateReader.open(this, state, version);
        int status = r.u16Bits("pm1_status", STATUS_WRITE_CLEARS);
        int enable = r.u16Bits("pm1_enable", ENABLE_WRITABLE);
        int control = r.u16Bits("pm1_control", ~CNT_NOT_STORED & 0xffff | SCI_EN);
        int gpeSts = r.u8Bits("gpe0_status", GPE_VALID);
        int gpeEn = r.u8Bits("gpe0_enable", GPE_VALID);
        int reset = r.u8("reset_control");
        boolean level = r.bool("sci_level");
        long elapsed = r.u64In("pm_timer_ns", 0, Long.MAX_VALUE / 4);
        long counter = r.u32("pm_timer");
        if (counter != Integer.toUnsignedLong(timerValue(elapsed))) {
            throw r.invalid("pm_timer", String.format("0x%08x, but pm_timer_ns %d gives 0x%08x", counter, elapsed,
                    timerValue(elapsed)));
        }
        synchronized (this) {
            pm1Status = status;
            pm1Enable = enable;
            pm1Control = control;
            gpeStatus = gpeSts;
            gpeEnable = gpeEn;
            resetControl = reset;
            timerOrigin = nanoTime.getAsLong() - elapsed;
            // Re-drive the SCI to the saved level; lower it only if this device had raised it.
            if (level) sci.assertLine();
            else if (sciAsserted) sci.deassertLine();
            sciAsserted = level;
            updateSci();
        }
    }

    // ---- lifecycle ----

    @Override
    public synchronized void reset() {
        pm1Status = 0;
        pm1Enable = 0;
        pm1Control = 0;
        gpeStatus = 0;
        gpeEnable = 0;
        resetControl = 0;
        updateSci();
    }

    @Override
    public synchronized void pause() {
        paused = true;
    }

    @Override
    public synchronized void resume() {
        paused = false;
        updateSci();
    }

    /**
     * The VM was restored and is about to run: drives the SCI again. An event that came while a checkpoint
     * had this device paused (SIGTERM's power button press) is in the snapshot's registers, but its SCI was
     * held back for resume(), so the interrupt controllers' saved state has the line low; and they are
     * restored after the devices, over the level {@link #restoreState} drove. Without this the restored
     * guest never saw that press. (The platform's line takes a repeated assertion as a re-drive.)
     */
    @Override
    public synchronized void restored() {
        if (sciAsserted) sci.assertLine();
    }

    private void reportOnce(String key, String message) {
        if (reported.add(key)) platform.log(NAME, message);
    }
}
