package org.jbhyve.bhyve.devices.pci;

import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

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
 *
 * <p>Snapshots: every function is a chunk named {@code dev.<emulation>@pci.<bus>.<slot>.<func>}
 * (bhyve's {@code pi_name} with the {@code dev.} prefix), version {@link #stateVersion()} (1 for
 * the fields here; a model that changes its own fields' meaning overrides it). The record holds
 * {@code config} (bytes, the whole 4 KiB config space, MSI state included), {@code bars} (one
 * record per declared BAR: {@code index} u8, {@code kind} {@code io|mem32|mem64}, {@code size} u64,
 * {@code address} u64, {@code decoded} bool), {@code intx} ({@code idle}, {@code asserted} or
 * {@code pending}), {@code msix} (for functions with MSI-X: {@code table} bytes, {@code pba} u64[],
 * and {@code enabled} and {@code function_mask} bools mirroring the control register), and
 * {@code model} (a record of the model's own fields, see {@link #saveModelState()}).
 *
 * <p>A restore checks the record as it would check guest writes, then applies it without going
 * through the guest-visible paths: bits the guest cannot write must equal this VM's (so a function
 * with other IDs or capabilities is refused), BARs must have the declared kind and size, sit at an
 * address the register can hold and, if decoded, on no range other than another PCI function's
 * BAR; MSI-X table and PBA must fit the table. Then the BARs are taken off the buses and
 * registered at the saved addresses (a BAR of another function found there is taken off first; that
 * function's own restore puts it back), and the INTx line is re-driven to the saved level.
 */
public abstract class PciDevice implements Lifecycle, Snapshottable {
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
        assertIntxLater();
        intx.apply();
    }

    public final void deassertIntx() {
        deassertIntxLater();
        intx.apply();
    }

    /**
     * {@link #assertIntx()}, except that the line itself moves only at {@link #applyIntx()}, which
     * the caller must call once it has released {@link #lock()}. For hot paths: moving the line can
     * be slow (a KVM ioctl that wakes a vCPU; a thread wake-up), and a driver that the interrupt
     * sends straight to the device's registers should not find the lock held through that call.
     */
    protected final void assertIntxLater() {
        synchronized (lock) {
            if (!intx.requested()) {
                deviceError("intx-unrequested", "asserted INTx without requesting a pin; ignored");
                return;
            }
            intx.raise(intxPermitted());
            setInterruptStatus(true);
        }
    }

    /** {@link #deassertIntx()} with the line left to {@link #applyIntx()}, as {@link #assertIntxLater()}. */
    protected final void deassertIntxLater() {
        synchronized (lock) {
            intx.lower();
            setInterruptStatus(false);
        }
    }

    /**
     * Moves the INTx line to where the function's INTx state says. Any thread, lock held or not;
     * it never waits for another thread's line operation (see {@code IntxPin.apply}).
     */
    protected final void applyIntx() {
        intx.apply();
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
        intx.apply();
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
        try {
            afterGuestConfigWrite();
        } catch (RuntimeException e) {
            deviceError("config-write", "config write of " + size + " bytes at 0x" + Integer.toHexString(offset) + " failed: " + e);
        }
    }

    /**
     * Runs after every guest config write, on the same vCPU thread, with {@link #lock()} released: for
     * work a {@link #configWrite} found to do but must not do under the lock (it may take locks of the
     * model's own that are taken before this one elsewhere). The default does nothing.
     */
    protected void afterGuestConfigWrite() {}

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

    // ---------------------------------------------------------------- snapshot

    /** A model's validated restore, run after the common state is in place; it must not fail. */
    @FunctionalInterface
    protected interface ModelRestore {
        ModelRestore NONE = () -> { };

        void apply();
    }

    @Override
    public final String stateName() {
        return "dev." + name;
    }

    /** 1: the fields described in the class comment. A model that changes its own fields overrides it. */
    @Override
    public int stateVersion() {
        return 1;
    }

    /**
     * The model's own fields, saved as the record's {@code model} field. Called with {@link #lock()}
     * held. The default has none.
     */
    protected StateRecord saveModelState() {
        return StateRecord.EMPTY;
    }

    /**
     * Reads and checks the model's own fields and returns how to apply them; throws for a value it
     * cannot honour. Must not change the device: the common state may still be refused after it.
     * Called with {@link #lock()} held; the returned restore runs with it held too, after config
     * space, BARs, MSI-X and INTx are restored.
     */
    protected ModelRestore prepareModelRestore(StateReader model, int version) throws SnapshotFormatException {
        return ModelRestore.NONE;
    }

    /**
     * Bits of config byte {@code offset} the model itself changes at run time although the guest
     * cannot write them (device-specific status registers); a restore takes them from the record
     * instead of requiring them to equal this VM's. The default has none.
     */
    protected int deviceManagedConfigBits(int offset) {
        return 0;
    }

    private static String kindName(PciBar.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public final StateRecord saveState() {
        synchronized (lock) {
            List<StateRecord> barStates = new ArrayList<>();
            for (int i = 0; i < BAR_COUNT; i++) {
                PciBar bar = bars[i];
                if (bar == null) continue;
                barStates.add(StateRecord.builder()
                        .putU8("index", i)
                        .putString("kind", kindName(bar.kind()))
                        .putU64("size", bar.size())
                        .putU64("address", bar.address())
                        .putBool("decoded", bar.mappedBase() >= 0)
                        .build());
            }
            StateRecord.Builder b = StateRecord.builder()
                    .putBytes("config", config.snapshot())
                    .putRecords("bars", barStates)
                    .putString("intx", intx.stateName());
            if (msix != null) {
                b.putRecord("msix", StateRecord.builder()
                        .putBool("enabled", msix.enabled())
                        .putBool("function_mask", msix.functionMasked())
                        .putBytes("table", msix.tableSnapshot())
                        .putU64Array("pba", msix.pbaSnapshot())
                        .build());
            }
            b.putRecord("model", saveModelState());
            return b.build();
        }
    }

    private record BarRestore(PciBar bar, long address, boolean decoded) {
        long end() { return address + bar.size(); }
    }

    @Override
    public final void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader r = StateReader.open(this, state, version);
        byte[] saved = r.bytesExactly("config", ConfigSpace.SIZE, "PCI configuration space");
        List<StateReader> barStates = r.records("bars");
        String intxState = r.choice("intx", "idle", "asserted", "pending");
        StateReader model = r.record("model");
        synchronized (lock) {
            if (powerOnConfig == null) {
                throw new IllegalStateException(name + ": restore before the PCI bus is realized");
            }
            checkFixedConfigBits(r, saved);
            int command = (saved[COMMAND] & 0xff) | (saved[COMMAND + 1] & 0xff) << 8;
            int status = (saved[STATUS] & 0xff) | (saved[STATUS + 1] & 0xff) << 8;

            List<BarRestore> barRestores = checkBars(r, barStates, saved, command);

            if (msi != null) {
                String problem = msi.stateProblem(saved);
                if (problem != null) throw r.invalid("config", problem);
            }
            byte[] msixTable = null;
            long[] msixPba = null;
            if (msix != null) {
                StateReader m = r.record("msix");
                msixTable = m.bytes("table");
                String problem = msix.tableProblem(msixTable);
                if (problem != null) throw m.invalid("table", problem);
                msixPba = m.u64Array("pba");
                problem = msix.pbaProblem(msixPba);
                if (problem != null) throw m.invalid("pba", problem);
                if (m.bool("enabled") != msix.enabledIn(saved) || m.bool("function_mask") != msix.functionMaskedIn(saved)) {
                    throw m.invalid("enabled", "disagrees with the MSI-X control register in field 'config'");
                }
            } else if (r.has("msix")) {
                throw r.invalid("msix", "this VM's " + emulation + " has no MSI-X capability");
            }

            boolean messages = (msi != null && msi.enabledIn(saved)) || (msix != null && msix.enabledIn(saved));
            boolean permitted = !messages && (command & COMMAND_INTX_DISABLE) == 0;
            switch (intxState) {
                case "asserted" -> {
                    if (!permitted) throw r.invalid("intx", "asserted, but the saved COMMAND/MSI/MSI-X state masks INTx");
                }
                case "pending" -> {
                    if (permitted) throw r.invalid("intx", "pending, but the saved COMMAND/MSI/MSI-X state permits INTx");
                }
                default -> { }
            }
            if (!intxState.equals("idle") && intx.pin() == 0) {
                throw r.invalid("intx", intxState + ", but this function has no INTx pin");
            }
            if (((status & STATUS_INTERRUPT) != 0) != !intxState.equals("idle")) {
                throw r.invalid("config", "STATUS.interrupt disagrees with field 'intx' (" + intxState + ")");
            }

            ModelRestore modelRestore = prepareModelRestore(model, version);

            // Everything is checked: apply. First take this function's BARs off the buses, then
            // anything of another function's that sits where a restored BAR goes.
            for (PciBar bar : declaredBars) bar.unmap(platform);
            for (BarRestore b : barRestores) if (b.decoded()) evictOthersAt(b);
            config.restore(saved);
            for (BarRestore b : barRestores) b.bar().setAddress(b.address());
            for (BarRestore b : barRestores) if (b.decoded()) b.bar().map(platform);
            if (msix != null) msix.restore(msixTable, msixPba);
            intx.restore(intxState);
            intx.apply();
            modelRestore.apply();
        }
    }

    /**
     * Every bit the guest cannot write and the function does not change at run time must be what
     * this VM's function has: otherwise the record is another function's (other IDs, class,
     * capabilities, INTx pin), or was tampered with.
     */
    private void checkFixedConfigBits(StateReader r, byte[] saved) throws SnapshotFormatException {
        byte[] current = config.snapshot();
        int msiPending = msi == null ? -1 : msi.pendingOffset();
        for (int i = 0; i < ConfigSpace.SIZE; i++) {
            if (i >= BAR0 && i < BAR_END) continue; // checked with the BARs
            int free = config.writableMask(i, 1) | config.writeOneToClearMask(i, 1) | deviceManagedConfigBits(i);
            if (i == STATUS) free |= STATUS_INTERRUPT;
            if (msiPending >= 0 && i >= msiPending && i < msiPending + 4) free = 0xff;
            int fixed = ~free & 0xff;
            if (((saved[i] ^ current[i]) & fixed) != 0) {
                throw r.invalid("config", String.format("byte 0x%03x is 0x%02x, but this VM's %s has 0x%02x there "
                        + "(read-only bits 0x%02x differ: the snapshot is of a differently configured function)",
                        i, saved[i] & 0xff, name, current[i] & 0xff, fixed));
            }
        }
    }

    private List<BarRestore> checkBars(StateReader r, List<StateReader> barStates, byte[] saved, int command)
            throws SnapshotFormatException {
        List<BarRestore> out = new ArrayList<>();
        boolean[] seen = new boolean[BAR_COUNT];
        for (StateReader b : barStates) {
            int index = b.u8In("index", 0, BAR_COUNT - 1);
            PciBar bar = bars[index];
            if (bar == null) throw b.invalid("index", "this VM's " + name + " has no BAR" + index);
            if (seen[index]) throw b.invalid("index", "BAR" + index + " is listed twice");
            seen[index] = true;
            String kind = b.choice("kind", "io", "mem32", "mem64");
            if (!kind.equals(kindName(bar.kind()))) {
                throw b.invalid("kind", kind + ", but this VM's BAR" + index + " is " + kindName(bar.kind()));
            }
            long size = b.u64("size");
            if (size != bar.size()) {
                throw b.invalid("size", String.format("0x%x, but this VM's BAR%d is 0x%x bytes", size, index, bar.size()));
            }
            long address = b.u64("address");
            if ((address & ~bar.addressMask()) != 0) {
                throw b.invalid("address", String.format("0x%x cannot be held by a %s BAR of 0x%x bytes", address,
                        kind, size));
            }
            int lo = le32(saved, BAR0 + 4 * index);
            int expectLo = (int) address | bar.typeBits();
            boolean wide = bar.kind() == PciBar.Kind.MEM64;
            int hi = wide ? le32(saved, BAR0 + 4 * (index + 1)) : 0;
            if (lo != expectLo || (wide && hi != (int) (address >>> 32))) {
                throw b.invalid("address", String.format("0x%x disagrees with the BAR register in field 'config'", address));
            }
            boolean decoded = b.bool("decoded");
            if (decoded && !bar.decodeEnabled(command)) {
                throw b.invalid("decoded", "true, but the saved COMMAND register has BAR decoding off");
            }
            if (decoded) {
                String problem = bar.placementProblem(address, platform.memory());
                if (problem != null) throw b.invalid("address", problem);
            }
            out.add(new BarRestore(bar, address, decoded));
        }
        for (PciBar bar : declaredBars) {
            if (!seen[bar.index()]) throw r.invalid("bars", "BAR" + bar.index() + " of this VM's " + name + " is missing");
        }
        // BAR registers no BAR implements stay zero.
        for (int i = 0; i < BAR_COUNT; i++) {
            if (bars[i] != null || (i > 0 && bars[i - 1] != null && bars[i - 1].kind() == PciBar.Kind.MEM64)) continue;
            if (le32(saved, BAR0 + 4 * i) != 0) {
                throw r.invalid("config", "BAR register " + i + " is not implemented here and must be zero");
            }
        }
        // Decoded BARs may not overlap each other, nor anything on the buses but other PCI BARs.
        for (int i = 0; i < out.size(); i++) {
            BarRestore a = out.get(i);
            if (!a.decoded()) continue;
            for (int j = i + 1; j < out.size(); j++) {
                BarRestore c = out.get(j);
                if (c.decoded() && a.bar().kind().isMemory() == c.bar().kind().isMemory()
                        && a.address() < c.end() && c.address() < a.end()) {
                    throw r.invalid("bars", String.format("BAR%d and BAR%d overlap at 0x%x", a.bar().index(),
                            c.bar().index(), Math.max(a.address(), c.address())));
                }
            }
            String other = occupant(a);
            if (other != null) {
                throw r.invalid("bars", String.format("BAR%d at 0x%x (0x%x bytes) overlaps %s in this VM",
                        a.bar().index(), a.address(), a.bar().size(), other));
            }
        }
        return out;
    }

    /** What else than a PCI BAR occupies the range a BAR would be restored to, or null. */
    private String occupant(BarRestore b) {
        if (b.bar().kind() == PciBar.Kind.IO) {
            for (long p = b.address(); p < b.end(); p++) {
                IoBus.Range range = platform.io().find((int) p);
                if (range != null && PciBar.ownerOf(range.handler()) == null) return range.toString();
            }
            return null;
        }
        for (MmioBus.Range range : platform.mmio().ranges()) {
            if (Long.compareUnsigned(b.address(), range.end()) < 0 && Long.compareUnsigned(range.base(), b.end()) < 0
                    && PciBar.ownerOf(range.handler()) == null) {
                return range.toString();
            }
        }
        return null;
    }

    /** Takes other functions' BARs off the range a restored BAR goes to. */
    private void evictOthersAt(BarRestore b) {
        List<PciBar> owners = new ArrayList<>();
        if (b.bar().kind() == PciBar.Kind.IO) {
            for (long p = b.address(); p < b.end(); p++) {
                IoBus.Range range = platform.io().find((int) p);
                PciBar owner = range == null ? null : PciBar.ownerOf(range.handler());
                if (owner != null && !owners.contains(owner)) owners.add(owner);
            }
        } else {
            for (MmioBus.Range range : platform.mmio().ranges()) {
                if (Long.compareUnsigned(b.address(), range.end()) < 0 && Long.compareUnsigned(range.base(), b.end()) < 0) {
                    PciBar owner = PciBar.ownerOf(range.handler());
                    if (owner != null && !owners.contains(owner)) owners.add(owner);
                }
            }
        }
        for (PciBar owner : owners) owner.evict(platform, name);
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
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
                intx.apply();
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
