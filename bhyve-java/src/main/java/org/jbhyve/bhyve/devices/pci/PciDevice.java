package org.jbhyve.bhyve.devices.pci;

import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;

/**
 * What every PCI function model extends: a 4 KiB configuration space with guest write masks, BARs
 * that follow the guest's COMMAND decode bits and address writes, a capability list with MSI and
 * MSI-X, and a legacy INTx pin routed by the {@link PciBus}.
 *
 * <p>A model sets up its identity, BARs, capabilities and INTx in its constructor; the bus then
 * places the BARs and routes the pin ({@link PciBus#realize()}), and what config space looks like
 * at that point is the power-on state {@link #reset()} returns to. Everything the guest writes is
 * checked here; a bad value becomes a logged device error, never an exception on the vCPU thread.
 *
 * <p>Config space, MSI/MSI-X state and the INTx state are guarded by {@link #lock()}. BAR handlers
 * are called without it: a model guards its own registers.
 */
public abstract class PciDevice implements Lifecycle {
    private final Object lock = new Object();
    private final String emulation;
    private final PciAddress address;
    private final Platform platform;
    private final String name;
    private final ConfigSpace config = new ConfigSpace();
    private final CapabilityList capabilities = new CapabilityList(config);
    private final PciBar[] bars = new PciBar[BAR_COUNT];
    /** BARs in the order the model declared them: the allocator's tie-break, as in bhyve. */
    private final List<PciBar> declaredBars = new ArrayList<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private MsiCapability msi;
    private MsixCapability msix;

    private final IntxPin intx = new IntxPin();

    private PciBus bus;
    private byte[] powerOnConfig;

    /**
     * @param emulation bhyve's emulation name ({@code virtio-blk}, {@code hostbridge}, ...)
     * @param address   where the function sits
     * @param platform  the buses, memory and interrupts the device may use
     */
    protected PciDevice(String emulation, PciAddress address, Platform platform) {
        this.emulation = Objects.requireNonNull(emulation);
        this.address = Objects.requireNonNull(address);
        this.platform = Objects.requireNonNull(platform);
        this.name = emulation + "@" + address.node();
        // No legacy interrupt until the model asks for one (bhyve starts every function this way).
        config.set8(INTERRUPT_LINE, INTERRUPT_LINE_NONE);
        config.setWritable(COMMAND, 2, COMMAND_WRITABLE);
        config.setWriteOneToClear(STATUS, 2, STATUS_WRITE_ONE_TO_CLEAR);
        config.setWritable(CACHE_LINE_SIZE, 1, 0xff);
        config.setWritable(LATENCY_TIMER, 1, 0xff);
        config.setWritable(INTERRUPT_LINE, 1, 0xff);
    }

    // ---------------------------------------------------------------- identity

    /** bhyve's instance name, {@code <emulation>@pci.<bus>.<slot>.<func>}; also the snapshot key. */
    public final String name() { return name; }

    public final String emulation() { return emulation; }

    public final PciAddress address() { return address; }

    protected final Platform platform() { return platform; }

    /** The lock that guards config space, MSI/MSI-X and INTx state. */
    protected final Object lock() { return lock; }

    /** Raw config space, for the model's own setup and device-specific registers (hold {@link #lock()}). */
    protected final ConfigSpace config() { return config; }

    protected final CapabilityList capabilities() { return capabilities; }

    /** Sets vendor and device ID. */
    protected final void setIds(int vendorId, int deviceId) {
        config.set16(VENDOR, vendorId);
        config.set16(DEVICE, deviceId);
    }

    /** Sets the class code triple and the revision. */
    protected final void setClass(int classCode, int subclass, int progIf, int revision) {
        config.set8(CLASS, classCode);
        config.set8(SUBCLASS, subclass);
        config.set8(PROG_IF, progIf);
        config.set8(REVISION, revision);
    }

    protected final void setSubsystem(int subsystemVendor, int subsystemId) {
        config.set16(SUBSYSTEM_VENDOR, subsystemVendor);
        config.set16(SUBSYSTEM_ID, subsystemId);
    }

    /** A config register value as the device holds it now (diagnostics, tests, ACPI). */
    public final int configRegister(int offset, int size) {
        synchronized (lock) {
            return config.read(offset, size);
        }
    }

    public final int command() {
        synchronized (lock) {
            return config.read16(COMMAND);
        }
    }

    /** Whether the guest lets the function master the bus (do DMA). */
    public final boolean busMasterEnabled() {
        return (command() & COMMAND_BUS_MASTER) != 0;
    }

    /** Emits a device error once per {@code key}: the guest is hostile, the log must not flood. */
    protected final void deviceError(String key, String message) {
        if (reported.add(key)) platform.log(name, message);
    }

    // ---------------------------------------------------------------- BARs

    /** Declares an I/O BAR of at least {@code size} bytes (rounded up to a power of two, minimum 4). */
    protected final PciBar addIoBar(int index, long size, PciBarHandler handler) {
        checkBarSize(index, size, 0x10000, "the I/O port space");
        return addBar(index, PciBar.Kind.IO, Math.max(4, size), false, handler);
    }

    /** Declares a 32-bit memory BAR (rounded up to a power of two, minimum 16 bytes). */
    protected final PciBar addMemBar32(int index, long size, PciBarHandler handler) {
        checkBarSize(index, size, 1L << 31, "the space below 4 GiB");
        return addBar(index, PciBar.Kind.MEM32, Math.max(16, size), false, handler);
    }

    /** Declares a non-prefetchable 64-bit memory BAR; it takes {@code index} and {@code index+1}. */
    protected final PciBar addMemBar64(int index, long size, PciBarHandler handler) {
        return addMemBar64(index, size, false, handler);
    }

    /** Declares a 64-bit memory BAR; it takes {@code index} and {@code index+1}. */
    protected final PciBar addMemBar64(int index, long size, boolean prefetchable, PciBarHandler handler) {
        if (index > BAR_COUNT - 2) throw new IllegalArgumentException(name + ": 64-bit BAR" + index + " needs two registers");
        checkBarSize(index, size, MemoryMap.PCI_MEM64_SIZE, "the 64-bit PCI window");
        return addBar(index, PciBar.Kind.MEM64, Math.max(16, size), prefetchable, handler);
    }

    private void checkBarSize(int index, long size, long max, String what) {
        if (size <= 0 || size > max) {
            throw new IllegalArgumentException(name + ": BAR" + index + " of " + size + " bytes: must be 1 to 0x"
                    + Long.toHexString(max) + " bytes to fit " + what);
        }
    }

    private PciBar addBar(int index, PciBar.Kind kind, long size, boolean prefetchable, PciBarHandler handler) {
        Objects.requireNonNull(handler, "BAR handler");
        synchronized (lock) {
            if (powerOnConfig != null) throw new IllegalStateException(name + ": BARs must be declared before the bus is realized");
            if (index < 0 || index >= BAR_COUNT) throw new IllegalArgumentException(name + ": there is no BAR" + index + " (0-5)");
            if (registerTaken(index) || (kind == PciBar.Kind.MEM64 && registerTaken(index + 1))) {
                throw new IllegalArgumentException(name + ": BAR register " + index + " is already in use");
            }
            long rounded = Long.bitCount(size) == 1 ? size : Long.highestOneBit(size) << 1;
            PciBar bar = new PciBar(this, index, kind, rounded, prefetchable, handler);
            bars[index] = bar;
            declaredBars.add(bar);
            syncBarRegisters(bar);
            return bar;
        }
    }

    private boolean registerTaken(int index) {
        return bars[index] != null || (index > 0 && bars[index - 1] != null && bars[index - 1].kind() == PciBar.Kind.MEM64);
    }

    /** The BAR declared at {@code index}, or null. */
    public final PciBar bar(int index) {
        return index >= 0 && index < BAR_COUNT ? bars[index] : null;
    }

    /** Every BAR in declaration order. */
    public final List<PciBar> bars() {
        return Collections.unmodifiableList(declaredBars);
    }

    private void syncBarRegisters(PciBar bar) {
        config.set32(BAR0 + 4 * bar.index(), bar.registerValue(false));
        if (bar.kind() == PciBar.Kind.MEM64) config.set32(BAR0 + 4 * (bar.index() + 1), bar.registerValue(true));
    }

    /** Registers every BAR whose decode bit is on and unregisters the rest. */
    private void refreshDecode() {
        int cmd = config.read16(COMMAND);
        for (PciBar bar : declaredBars) {
            if (bar.decodeEnabled(cmd)) bar.map(platform);
            else bar.unmap(platform);
        }
    }

    // ---------------------------------------------------------------- capabilities

    /** Adds an MSI capability with {@code vectors} (power of two, 1-32) messages. */
    protected final MsiCapability addMsiCapability(int vectors, boolean perVectorMask) {
        synchronized (lock) {
            if (msi != null) throw new IllegalStateException(name + " already has an MSI capability");
            msi = new MsiCapability(this, config, capabilities, vectors, perVectorMask);
            return msi;
        }
    }

    /** Adds an MSI-X capability with its table and PBA in a new 32-bit memory BAR {@code barIndex}. */
    protected final MsixCapability addMsixCapability(int vectors, int barIndex) {
        synchronized (lock) {
            if (msix != null) throw new IllegalStateException(name + " already has an MSI-X capability");
            msix = new MsixCapability(this, config, capabilities, vectors, barIndex);
            return msix;
        }
    }

    /** Adds a PCI Express capability of the given port type ({@link PcieCapability}'s TYPE_*). */
    protected final int addPcieCapability(int type) {
        synchronized (lock) {
            return PcieCapability.add(this, type);
        }
    }

    public final MsiCapability msi() { return msi; }

    public final MsixCapability msix() { return msix; }

    /**
     * Signals message {@code vector} through MSI or MSI-X, whichever the guest enabled (MSI wins if
     * it enabled both, as in bhyve). A masked vector becomes pending and is sent when unmasked.
     *
     * @return false when neither is enabled: the model should fall back to INTx
     */
    public final boolean sendMsi(int vector) {
        synchronized (lock) {
            if (msi != null && msi.enabled()) {
                msi.send(vector);
                return true;
            }
            if (msix != null && msix.enabled()) {
                msix.send(vector);
                return true;
            }
            return false;
        }
    }

    /** True when the guest enabled MSI or MSI-X, i.e. {@link #sendMsi} will not return false. */
    public final boolean messageInterruptsEnabled() {
        synchronized (lock) {
            return (msi != null && msi.enabled()) || (msix != null && msix.enabled());
        }
    }

    /**
     * Sends one message to the LAPICs. The address is the guest's: anything outside the interrupt
     * window 0xfee00000-0xfeefffff would be a DMA write on real hardware; here it is dropped and logged.
     */
    void deliverMessage(long messageAddress, int data, String what) {
        if (((int) messageAddress & 0xfff00000) != 0xfee00000) {
            deviceError("msi-address", what + " dropped: address 0x" + Long.toHexString(messageAddress)
                    + " is outside the interrupt window 0xfee00000-0xfeefffff");
            return;
        }
        try {
            platform.msi().send(messageAddress, data);
        } catch (RuntimeException e) {
            deviceError("msi-send", what + " could not be delivered: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- INTx

    /** Asks for a legacy interrupt pin; the bus picks INTA-INTD and routes it at realize time. */
    protected final void requestIntx() {
        synchronized (lock) {
            if (powerOnConfig != null) throw new IllegalStateException(name + ": INTx must be requested before the bus is realized");
            intx.request();
        }
    }

    public final boolean intxRequested() {
        synchronized (lock) {
            return intx.requested();
        }
    }

    /** The pin the bus gave the function: 1 = INTA ... 4 = INTD, 0 = none. */
    public final int intxPin() {
        synchronized (lock) {
            return intx.pin();
        }
    }

    /**
     * Raises the function's INTx (level-triggered, stays up until {@link #deassertIntx()}). While
     * INTx is disabled in COMMAND or MSI/MSI-X is on, the request is held pending and the line stays
     * low; STATUS.interrupt shows the request either way.
     */
    public final void assertIntx() {
        synchronized (lock) {
            if (!intx.requested()) {
                deviceError("intx-unrequested", "asserted INTx without requesting a pin; ignored");
                return;
            }
            intx.raise(intxPermitted());
            setInterruptStatus(true);
        }
    }

    public final void deassertIntx() {
        synchronized (lock) {
            intx.lower();
            setInterruptStatus(false);
        }
    }

    private void setInterruptStatus(boolean on) {
        int status = config.read16(STATUS);
        config.set16(STATUS, on ? status | STATUS_INTERRUPT : status & ~STATUS_INTERRUPT);
    }

    private boolean intxPermitted() {
        boolean messages = (msi != null && msi.enabled()) || (msix != null && msix.enabled());
        return !messages && (config.read16(COMMAND) & COMMAND_INTX_DISABLE) == 0;
    }

    /** Re-evaluates the line after COMMAND or MSI/MSI-X enables changed. */
    private void updateIntx() {
        intx.update(intxPermitted());
    }

    // ---------------------------------------------------------------- guest config access

    /** The bus's entry for a guest read: size 1, 2 or 4, naturally aligned, inside the 4 KiB. */
    final int guestConfigRead(int offset, int size) {
        synchronized (lock) {
            try {
                return configRead(offset, size);
            } catch (RuntimeException e) {
                deviceError("config-read", "config read of " + size + " bytes at 0x" + Integer.toHexString(offset) + " failed: " + e);
                return size == 4 ? -1 : (1 << (8 * size)) - 1;
            }
        }
    }

    /** The bus's entry for a guest write: size 1, 2 or 4, naturally aligned, inside the 4 KiB. */
    final void guestConfigWrite(int offset, int size, int value) {
        synchronized (lock) {
            try {
                configWrite(offset, size, value);
            } catch (RuntimeException e) {
                deviceError("config-write", "config write of " + size + " bytes at 0x" + Integer.toHexString(offset) + " failed: " + e);
            }
        }
    }

    /**
     * A guest config read. Override for registers computed on the fly and call {@code super} for
     * the rest. Called with {@link #lock()} held; {@code size} is 1, 2 or 4 and {@code offset} is
     * aligned to it.
     */
    protected int configRead(int offset, int size) {
        return config.read(offset, size);
    }

    /**
     * A guest config write: BAR registers, COMMAND/STATUS and capabilities get their standard
     * behaviour, everything else goes through the write masks. Override for device-specific
     * registers and call {@code super} for the rest. Called with {@link #lock()} held.
     */
    protected void configWrite(int offset, int size, int value) {
        int dword = offset & ~3;
        if (dword >= BAR0 && dword < BAR_END) {
            writeBarRegister(offset, size, value);
        } else if (dword == COMMAND) {
            int before = config.read16(COMMAND);
            config.guestWrite(offset, size, value);
            commandChanged(before);
        } else {
            config.guestWrite(offset, size, value);
            capabilityWritten(offset, size);
        }
    }

    private void writeBarRegister(int offset, int size, int value) {
        int register = (offset - BAR0) >> 2;
        PciBar bar = bars[register];
        boolean upper = false;
        if (bar == null && register > 0 && bars[register - 1] != null && bars[register - 1].kind() == PciBar.Kind.MEM64) {
            bar = bars[register - 1];
            upper = true;
        }
        if (bar == null) return; // unimplemented BARs are hardwired to zero
        // A partial write changes only its bytes of the dword; then the dword is taken as a whole.
        int shift = (offset & 3) * 8;
        int mask = size == 4 ? -1 : ((1 << (8 * size)) - 1) << shift;
        int merged = (config.read32(offset & ~3) & ~mask) | ((value << shift) & mask);
        long next = bar.addressAfterWrite(upper, merged);
        if (next == bar.address()) return;
        boolean decoding = bar.decodeEnabled(config.read16(COMMAND));
        if (decoding) bar.unmap(platform);
        bar.setAddress(next);
        syncBarRegisters(bar);
        if (decoding) bar.map(platform);
    }

    private void commandChanged(int before) {
        int now = config.read16(COMMAND);
        int changed = before ^ now;
        for (PciBar bar : declaredBars) {
            int bit = bar.kind() == PciBar.Kind.IO ? COMMAND_IO : COMMAND_MEMORY;
            if ((changed & bit) == 0) continue;
            if ((now & bit) != 0) bar.map(platform);
            else bar.unmap(platform);
        }
        updateIntx();
    }

    private void capabilityWritten(int offset, int size) {
        if (msi != null && overlaps(offset, size, msi.offset(), msi.length())) {
            msi.afterGuestWrite();
            updateIntx();
        }
        if (msix != null && overlaps(offset, size, msix.offset(), msix.length())) {
            msix.afterGuestWrite();
            updateIntx();
        }
    }

    private static boolean overlaps(int offset, int size, int start, int length) {
        return offset < start + length && start < offset + size;
    }

    // ---------------------------------------------------------------- bus wiring

    /** Called when the device is added to {@code bus}; a model may check placement rules here. */
    protected void attached(PciBus bus) {}

    final void attach(PciBus bus) {
        synchronized (lock) {
            if (this.bus != null) throw new IllegalStateException(name + " is already on a bus");
            this.bus = bus;
        }
        attached(bus);
    }

    /** The bus the device is on, or null before it is added. */
    public final PciBus bus() {
        synchronized (lock) {
            return bus;
        }
    }

    /** Allocator result: the BAR's power-on address. */
    final void placeBar(PciBar bar, long barAddress) {
        synchronized (lock) {
            bar.setAddress(barAddress);
            syncBarRegisters(bar);
        }
    }

    /** Router result: pin INTA-INTD, the shared line and the interrupt line register value. */
    final void connectIntx(int pin, InterruptLine line, int interruptLineRegister) {
        synchronized (lock) {
            intx.connect(pin, line);
            config.set8(INTERRUPT_PIN, pin);
            config.set8(INTERRUPT_LINE, interruptLineRegister);
        }
    }

    /**
     * Last step of realize: with {@code enableBars} (bhyve's {@code pci.enable_bars}, on unless a
     * boot ROM will program the BARs) the function starts with bus mastering and the decode bits for
     * its BARs on. The config space now is the power-on state.
     */
    final void finishRealize(boolean enableBars) {
        synchronized (lock) {
            if (enableBars) {
                int cmd = config.read16(COMMAND) | COMMAND_BUS_MASTER;
                for (PciBar bar : declaredBars) cmd |= bar.kind() == PciBar.Kind.IO ? COMMAND_IO : COMMAND_MEMORY;
                config.set16(COMMAND, cmd);
            }
            refreshDecode();
            powerOnConfig = config.snapshot();
        }
    }

    public final boolean realized() {
        synchronized (lock) {
            return powerOnConfig != null;
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Returns the function to its power-on state: config space as it was when the bus was realized
     * (so BARs go back to where the allocator put them), MSI-X table masked, nothing pending, INTx
     * low. Then {@link #onReset()} lets the model reset its own state.
     */
    @Override
    public final void reset() {
        synchronized (lock) {
            if (powerOnConfig != null) {
                for (PciBar bar : declaredBars) bar.unmap(platform);
                intx.lower();
                config.restore(powerOnConfig);
                for (PciBar bar : declaredBars) {
                    long lo = config.read32(BAR0 + 4 * bar.index()) & 0xffffffffL;
                    long hi = bar.kind() == PciBar.Kind.MEM64 ? config.read32(BAR0 + 4 * (bar.index() + 1)) & 0xffffffffL : 0;
                    bar.setAddress(hi << 32 | lo);
                }
                if (msix != null) msix.resetTable();
                refreshDecode();
            }
        }
        onReset();
    }

    /** Takes every BAR off its bus (first half of a bus-wide reset). */
    final void unmapBars() {
        synchronized (lock) {
            for (PciBar bar : declaredBars) bar.unmap(platform);
        }
    }

    /** The model's part of {@link #reset()}: called after config space is back to power-on state. */
    protected void onReset() {}

    @Override
    public String toString() {
        return name;
    }
}
