package org.jbhyve.bhyve.devices.virtio;

import static org.jbhyve.bhyve.devices.virtio.Virtio.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.bhyve.devices.pci.MsiCapability;
import org.jbhyve.bhyve.devices.pci.MsixCapability;
import org.jbhyve.bhyve.devices.pci.PciAddress;
import org.jbhyve.bhyve.devices.pci.PciBarHandler;
import org.jbhyve.bhyve.devices.pci.PciDevice;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

/**
 * The virtio-over-PCI transport every virtio device model extends: a transitional device with the
 * legacy (0.9.5) register block in I/O BAR 0, as bhyve's guests use it, and the modern (1.0+)
 * interface: vendor capabilities pointing at common, notify, ISR and device configuration in
 * 64-bit memory BAR 2, plus the PCI configuration access capability. MSI-X (one vector per queue
 * plus one for configuration changes, in BAR 1 as in bhyve) unless {@code virtio_msix=false}
 * (bhyve's {@code -W}), a single MSI vector, and INTx with the ISR register.
 *
 * <p>PCI identity follows bhyve: vendor 0x1af4, the transitional device ID (0x1001 block, 0x1003
 * console, 0x1005 entropy), subsystem vendor 0x1af4 and subsystem ID = the virtio device type,
 * revision 0. With {@code virtio.legacy=false} the function is modern-only (device and subsystem
 * ID 0x1040 + type, revision 1, no I/O BAR); with {@code virtio.modern=false} legacy-only (bhyve
 * on FreeBSD), the keys illumos bhyve uses.
 *
 * <p><b>The guest is hostile.</b> Every register write is checked; rings are checked by {@link
 * VirtQueue}. A broken ring is logged once and the queue stops; if the driver negotiated
 * VIRTIO_F_VERSION_1 the device also sets DEVICE_NEEDS_RESET, stops every queue and raises a
 * configuration-change interrupt, as the spec asks. Nothing the guest does throws on a vCPU thread
 * or makes the VMM allocate in proportion to a guest-supplied number.
 *
 * <p><b>Threads.</b> All transport state is guarded by {@link #lock()} (the PCI function's lock,
 * so config space, MSI-X and this state never deadlock against each other). BAR handlers run on
 * vCPU threads; a model's {@link #queueNotified} runs on the notifying vCPU thread without the
 * lock and should hand work to a thread of its own if the work can block. A model takes chains
 * with {@link #take}, may drop the lock while working on one (its buffers stay valid: a reset,
 * pause or snapshot waits until every chain taken has been given back), and returns it with
 * {@link #giveBack}, then calls {@link #interruptIfNeeded}.
 *
 * <p><b>Snapshots.</b> The PCI record's {@code model} field holds: {@code status}, {@code isr}
 * (u8), {@code offered_features}, {@code driver_features} (u64), {@code device_feature_select},
 * {@code driver_feature_select} (u32), {@code queue_select}, {@code config_vector} (u16),
 * {@code config_generation} (u8), {@code queues} (per queue: {@code size}, {@code msix_vector},
 * {@code next_avail}, {@code next_used}, {@code signalled_used} u16; {@code ready}, {@code broken}
 * bool; {@code desc}, {@code avail}, {@code used}, {@code legacy_pfn} u64) and {@code device} (the
 * model's own record). Taken while paused, so no request is in flight and the used ring in guest
 * RAM agrees with {@code next_used}. A restore refuses a record whose offered features differ (a
 * differently configured device, e.g. {@code ro}) or whose rings are not in this VM's RAM.
 */
public abstract class VirtioPciDevice extends PciDevice {
    public static final int LEGACY_BAR = 0;
    public static final int MSIX_BAR = 1;
    public static final int MODERN_BAR = 2;
    /** Modern BAR layout: one 4 KiB page per structure. */
    public static final int MODERN_COMMON = 0x0000, MODERN_ISR = 0x1000, MODERN_DEVICE = 0x2000,
            MODERN_NOTIFY = 0x3000, MODERN_BAR_SIZE = 0x4000;
    public static final int NOTIFY_OFF_MULTIPLIER = 4;
    /** How long a reset or pause waits for requests taken off the rings to come back (tests shorten it). */
    static volatile long drainWaitNanos = TimeUnit.SECONDS.toNanos(30);

    /** What the model is, for PCI: virtio type, transitional device ID, class and subclass. */
    protected record Identity(int virtioType, int legacyDeviceId, int classCode, int subclass) {}

    private final Identity identity;
    private final VirtQueue[] queues;
    private final long offeredFeatures;
    private final boolean legacyInterface;
    private final boolean modernInterface;
    private final int configSize;
    private int pciCfgCap = -1;

    // ---- transport state, guarded by lock() ----
    private int status;
    private int isr;
    private long driverFeatures;
    private int deviceFeatureSelect, driverFeatureSelect;
    private int queueSelect;
    private int configVector = NO_VECTOR;
    private int configGeneration;
    private boolean paused;
    private boolean quiescing;
    private int inFlight;
    /**
     * Work a register write reached through the PCI configuration access capability found to do, left
     * for {@link #afterGuestConfigWrite()}: such a write runs with the lock held, and {@link #driverReady()}
     * and {@link #queueNotified} must run without it.
     */
    private boolean deferredReady;
    private final boolean[] deferredNotify;
    /** The VM's memory was released under the device (the VM ended): nothing is touched any more. */
    private volatile boolean gone;

    /**
     * @param queueSizes      the maximum size of each queue (powers of two)
     * @param deviceFeatures  the device-specific feature bits offered; the transport adds
     *                        INDIRECT_DESC, EVENT_IDX and (for the modern interface) VERSION_1
     * @param configSize      bytes of device-specific configuration
     */
    protected VirtioPciDevice(String emulation, PciAddress address, Platform platform, ConfigTree config,
            Identity identity, int[] queueSizes, long deviceFeatures, int configSize) {
        super(emulation, address, platform);
        this.identity = identity;
        this.configSize = configSize;
        boolean useMsix = config.getBoolean("virtio_msix", true);
        this.modernInterface = config.getBoolean("virtio.modern", true);
        this.legacyInterface = config.getBoolean("virtio.legacy", true);
        if (!modernInterface && !legacyInterface) {
            throw new ConfigException(name() + ": virtio.modern=false and virtio.legacy=false leave no interface"
                    + " to drive the device (keep at least one)");
        }
        this.queues = new VirtQueue[queueSizes.length];
        this.deferredNotify = new boolean[queueSizes.length];
        for (int i = 0; i < queues.length; i++) queues[i] = new VirtQueue(i, queueSizes[i]);
        this.offeredFeatures = deviceFeatures | bit(F_RING_INDIRECT_DESC) | bit(F_RING_EVENT_IDX)
                | (modernInterface ? bit(F_VERSION_1) : 0);

        int type = identity.virtioType();
        if (legacyInterface) {
            setIds(VENDOR, identity.legacyDeviceId());
            setSubsystem(VENDOR, type);
            setClass(identity.classCode(), identity.subclass(), 0, 0);
        } else {
            setIds(VENDOR, MODERN_DEVICE_ID_BASE + type);
            setSubsystem(VENDOR, MODERN_DEVICE_ID_BASE + type);
            setClass(identity.classCode(), identity.subclass(), 0, 1);
        }
        synchronized (lock()) {
            if (useMsix) addMsixCapability(queues.length + 1, MSIX_BAR);
            addMsiCapability(1, false);
            requestIntx();
            if (legacyInterface) addIoBar(LEGACY_BAR, LEGACY_CONFIG_MSIX + configSize, new LegacyRegisters());
            if (modernInterface) {
                addMemBar64(MODERN_BAR, MODERN_BAR_SIZE, new ModernRegisters());
                addVendorCap(PCI_CAP_COMMON_CFG, MODERN_COMMON, 0x1000, 16);
                int notify = addVendorCap(PCI_CAP_NOTIFY_CFG, MODERN_NOTIFY, 0x1000, 20);
                config().set32(notify + 16, NOTIFY_OFF_MULTIPLIER);
                addVendorCap(PCI_CAP_DEVICE_CFG, MODERN_DEVICE, 0x1000, 16);
                addVendorCap(PCI_CAP_ISR_CFG, MODERN_ISR, 0x1000, 16);
                pciCfgCap = capabilities().add(CAP_ID_VENDOR, 20);
                config().set8(pciCfgCap + 2, 20);
                config().set8(pciCfgCap + 3, PCI_CAP_PCI_CFG);
                config().setWritable(pciCfgCap + 4, 1, 0xff);
                config().setWritable(pciCfgCap + 8, 4, -1);
                config().setWritable(pciCfgCap + 12, 4, -1);
                config().setWritable(pciCfgCap + 16, 4, -1);
            }
        }
    }

    private int addVendorCap(int cfgType, int offset, int length, int capLength) {
        int at = capabilities().add(CAP_ID_VENDOR, capLength);
        config().set8(at + 2, capLength);
        config().set8(at + 3, cfgType);
        config().set8(at + 4, MODERN_BAR);
        config().set32(at + 8, offset);
        config().set32(at + 12, length);
        return at;
    }

    // ---------------------------------------------------------------- for models

    /** The queues, in index order. */
    protected final VirtQueue queue(int index) {
        return queues[index];
    }

    protected final int queueCount() {
        return queues.length;
    }

    /** Every feature the device offers (device-specific plus the transport's). */
    public final long offeredFeatures() {
        return offeredFeatures;
    }

    /** The features both sides agreed on (what the driver wrote, limited to what was offered). */
    public final long negotiatedFeatures() {
        synchronized (lock()) {
            return driverFeatures & offeredFeatures;
        }
    }

    public final boolean negotiated(int feature) {
        return (negotiatedFeatures() & bit(feature)) != 0;
    }

    public final int status() {
        synchronized (lock()) {
            return status;
        }
    }

    /** The device-specific configuration as the driver reads it now (little-endian, {@code configSize} bytes). */
    protected abstract byte[] deviceConfig();

    /** A driver write into device-specific configuration; the default ignores it (read-only fields). */
    protected void writeDeviceConfig(int offset, int size, long value) {
        deviceError("config-write", String.format("write of %d bytes at device config offset 0x%x ignored (read-only)",
                size, offset));
    }

    /**
     * The driver notified queue {@code q} (or the VM resumed). Runs on a vCPU thread (or the thread
     * that resumed the VM) without the lock; must not block for long.
     */
    protected abstract void queueNotified(VirtQueue q);

    /** The driver set DRIVER_OK. Called without the lock. */
    protected void driverReady() {}

    /** The model's part of a device reset; called with the lock held, after every queue is reset. */
    protected void deviceReset() {}

    /**
     * Takes the next available chain of {@code q}, or null when there is none or the queue must not
     * be used now (not ready, broken, device paused or being reset, or DEVICE_NEEDS_RESET). A ring
     * violation is handled here (logged once, queue stopped) and also gives null.
     */
    protected final DescriptorChain take(VirtQueue q) {
        synchronized (lock()) {
            if (gone || paused || quiescing || (status & STATUS_NEEDS_RESET) != 0) return null;
            try {
                DescriptorChain c = q.pop(q.generation());
                if (c != null) inFlight++;
                return c;
            } catch (RingViolation | IllegalStateException e) {
                ringFailed(q, e);
                return null;
            }
        }
    }

    /**
     * Takes up to {@code max} available chains of {@code q} into {@code into} under one lock round
     * trip; returns how many (0 under the same conditions {@link #take} gives null). A ring
     * violation stops the batch there (handled as in {@link #take}); what was taken before it is
     * returned and must be completed by {@link #complete}. Chains already in {@code into} are
     * reused (refilled) rather than replaced, so a device that completes each batch before it takes
     * the next allocates no chains once its array is full.
     */
    protected final int takeBatch(VirtQueue q, DescriptorChain[] into, int max) {
        synchronized (lock()) {
            return takeLocked(q, into, max);
        }
    }

    private int takeLocked(VirtQueue q, DescriptorChain[] into, int max) {
        if (gone || paused || quiescing || (status & STATUS_NEEDS_RESET) != 0) return 0;
        int n = 0;
        try {
            long generation = q.generation();
            while (n < max) {
                DescriptorChain c = q.pop(generation, into[n]);
                if (c == null) break;
                into[n++] = c;
                inFlight++;
            }
        } catch (RingViolation | IllegalStateException e) {
            ringFailed(q, e);
        }
        return n;
    }

    /**
     * Completes a batch of chains taken with {@link #takeBatch}/{@link #take} under one lock round
     * trip: every chain with {@code written[i] >= 0} goes onto the used ring in order and the used
     * index moves once; chains with {@code written[i] < 0} are abandoned (not returned). Then, as
     * {@link #interruptIfNeeded}, one interrupt if the driver wants one for the batch (with
     * EVENT_IDX: if the used index passed used_event anywhere in the batch). Chains of a queue that
     * was reset or disabled meanwhile are dropped silently.
     */
    protected final void complete(VirtQueue q, DescriptorChain[] chains, long[] written, int count) {
        completeAndTake(q, chains, written, count, 0);
    }

    /**
     * {@link #complete Completes} the batch in {@code chains}, then {@link #takeBatch takes} the
     * next (up to {@code max}) into the same array, in one lock round trip. The interrupt for the
     * completed batch is decided last under the lock, and an INTx line is moved after the lock is
     * released: that is where a wake-up happens (a vCPU kicked by KVM; here a parked thread), and
     * it takes several microseconds on these hosts. Done under the lock, the woken driver's ISR
     * read found the lock still held, parked on it, and had to be woken a second time when the
     * device let go (ci/bench-blk 4 KiB QD32: the driver blocked ~20-28 us on ~70% of interrupts).
     *
     * @return how many chains were taken, as {@link #takeBatch}
     */
    protected final int completeAndTake(VirtQueue q, DescriptorChain[] chains, long[] written, int count, int max) {
        int taken;
        synchronized (lock()) {
            boolean usable = publishLocked(q, chains, written, count);
            taken = takeLocked(q, chains, max);
            if (usable && !paused) interruptLocked(q, true); // resume() raises what a pause held back
        }
        applyIntx();
        return taken;
    }

    /**
     * Puts the chains with {@code written[i] >= 0} on the used ring in order and moves the used
     * index once; the others are abandoned. Every chain stops counting as in flight. Returns
     * whether the queue is still usable (for the interrupt decision of {@link #completeAndTake}).
     */
    private boolean publishLocked(VirtQueue q, DescriptorChain[] chains, long[] written, int count) {
        try {
            boolean any = false;
            for (int i = 0; i < count; i++) {
                DescriptorChain c = chains[i];
                if (written[i] >= 0 && !gone && c.generation == q.generation() && q.ready() && !q.broken()) {
                    q.pushUnpublished(c.head(), written[i]);
                    any = true;
                }
            }
            boolean usable = !gone && q.ready() && !q.broken();
            if (any && usable) q.publishUsed();
            return usable;
        } catch (RingViolation | IllegalStateException e) {
            ringFailed(q, e);
            return false;
        } finally {
            for (int i = 0; i < count; i++) finished();
        }
    }

    /**
     * Returns a chain taken with {@link #take} to the driver with {@code written} bytes written. A
     * chain of a queue that was reset or disabled meanwhile is dropped silently.
     */
    protected final void giveBack(VirtQueue q, DescriptorChain c, long written) {
        synchronized (lock()) {
            try {
                if (!gone && c.generation == q.generation() && q.ready() && !q.broken()) q.push(c.head(), written);
            } catch (RingViolation | IllegalStateException e) {
                ringFailed(q, e);
            } finally {
                finished();
            }
        }
    }

    /**
     * Returns {@code count} chains taken with {@link #take}, in order, with the bytes written into
     * each, and publishes them to the driver at once (the used index moves once): for a packet
     * spread over several buffers, which the driver must see together.
     */
    protected final void giveBack(VirtQueue q, DescriptorChain[] chains, long[] written, int count) {
        synchronized (lock()) {
            publishLocked(q, chains, written, count);
        }
    }

    /** Gives up a taken chain without returning it to the driver (the queue is broken anyway). */
    protected final void abandon(DescriptorChain c) {
        synchronized (lock()) {
            finished();
        }
    }

    /**
     * Puts back the chain just taken, untouched, so the next {@link #take} returns it again (the
     * device has nothing to put into it yet).
     */
    protected final void putBack(VirtQueue q, DescriptorChain c) {
        synchronized (lock()) {
            if (c.generation == q.generation()) q.unpop();
            finished();
        }
    }

    private void finished() {
        if (--inFlight == 0) lock().notifyAll();
    }

    /** Interrupts the driver for {@code q} if it wants one for what was given back since the last call. */
    protected final void interruptIfNeeded(VirtQueue q) {
        synchronized (lock()) {
            if (gone || !q.ready() || q.broken() || paused) return;
            interruptLocked(q, false);
        }
    }

    /** Raises the queue's interrupt if the driver wants it; with {@code later}, INTx waits for {@link #applyIntx()}. */
    private void interruptLocked(VirtQueue q, boolean later) {
        try {
            if (q.needsInterrupt()) raise(ISR_QUEUE, q.msixVector(), later);
        } catch (RingViolation | IllegalStateException e) {
            ringFailed(q, e);
        }
    }

    /**
     * Turns the driver's notifications for {@code q} off (while the device drains it anyway) or on. Not
     * while paused or resetting: the flag lives in guest RAM, which must not change while a checkpoint
     * copies it; {@link #resume()} looks at every queue again, and the model turns them on then.
     *
     * @return when turning them on: true if buffers arrived meanwhile (drain again)
     */
    protected final boolean notifications(VirtQueue q, boolean on) {
        synchronized (lock()) {
            return !gone && !paused && !quiescing && setNotificationLocked(q, on);
        }
    }

    /** {@link VirtQueue#setNotification} with a bad ring handled ({@link #ringFailed}); holds the lock. */
    private boolean setNotificationLocked(VirtQueue q, boolean on) {
        try {
            return q.setNotification(on);
        } catch (RingViolation | IllegalStateException e) {
            ringFailed(q, e);
            return false;
        }
    }

    /** Signals a change of device configuration. */
    protected final void configChanged() {
        synchronized (lock()) {
            configGeneration = (configGeneration + 1) & 0xff;
            if ((status & STATUS_DRIVER_OK) != 0) raise(ISR_CONFIG, configVector, false);
        }
    }

    /**
     * The guest broke the rules on {@code q} in a way only the device model can see (a request
     * without room for its status byte): handled like a ring violation.
     */
    protected final void fail(VirtQueue q, String problem) {
        synchronized (lock()) {
            deviceError("virtq" + q.index() + "-violation", problem + "; queue " + q.index()
                    + " stopped until the driver resets the device");
            q.markBroken();
            if ((driverFeatures & offeredFeatures & bit(F_VERSION_1)) != 0 && (status & STATUS_NEEDS_RESET) == 0) {
                status |= STATUS_NEEDS_RESET;
                raise(ISR_CONFIG, configVector, false);
            }
        }
    }

    /** A ring violation stops the queue ({@link #fail}); a released VM memory stops the device ({@link #memoryGone}). */
    private void ringFailed(VirtQueue q, Exception e) {
        if (e instanceof RingViolation) fail(q, e.getMessage());
        else memoryGone((RuntimeException) e);
    }

    /**
     * If {@code e} says the VM's memory was released (an access to a closed segment: the VM ended
     * while a device thread was still working), the device stops for good and {@link #vmGone()}
     * lets the model release its host resources. Returns true then; false for any other exception.
     */
    protected final boolean memoryGone(RuntimeException e) {
        if (!(e instanceof IllegalStateException) || e instanceof org.jbhyve.vmm.GuestMemoryException) return false;
        boolean first;
        synchronized (lock()) {
            first = !gone;
            gone = true;
            lock().notifyAll();
        }
        if (first) Thread.ofPlatform().daemon().name(name() + " teardown").start(this::vmGone);
        return true;
    }

    /** True once the VM's memory is gone (see {@link #memoryGone}). */
    protected final boolean gone() {
        return gone;
    }

    /** The VM ended under the device: release host resources (files, sockets, threads). */
    protected void vmGone() {}

    /** Logs a device problem once per {@code key}. */
    protected final void warnOnce(String key, String message) {
        deviceError(key, message);
    }

    // ---------------------------------------------------------------- interrupts

    /**
     * Signals the driver (lock held): an MSI-X or MSI message, or the ISR bit and INTx. With
     * {@code later} the INTx line moves only at {@link #applyIntx()}, which the caller then calls
     * after releasing the lock (see {@link #completeAndTake}).
     */
    private void raise(int isrBit, int vector, boolean later) {
        MsixCapability x = msix();
        MsiCapability m = msi();
        boolean msixOn = x != null && x.enabled();
        boolean msiOn = m != null && m.enabled();
        if (msixOn && !msiOn) {
            if (vector != NO_VECTOR) sendMsi(vector);
            return;
        }
        isr |= isrBit;
        if (msiOn) sendMsi(0);
        else if (later) assertIntxLater();
        else assertIntx();
    }

    /**
     * Reads and clears the ISR (lock held), lowering INTx when it was set. The line moves at the
     * caller's {@link #applyIntx()}: for a register read, after the lock is released, so a driver
     * reading the ISR never waits for a line operation.
     */
    private int readIsr() {
        int v = isr;
        isr = 0;
        if (v != 0) deassertIntxLater();
        return v;
    }

    /** A driver's read of the ISR register: read and clear it under the lock, then move the line without it. */
    private int isrRegister() {
        int v;
        synchronized (lock()) {
            v = readIsr();
        }
        applyIntx();
        return v;
    }

    /** A vector the driver may program: one in the MSI-X table, else NO_VECTOR (what it reads back). */
    private int mapVector(int v) {
        MsixCapability x = msix();
        return x != null && v >= 0 && v < x.vectors() ? v : NO_VECTOR;
    }

    private boolean msixEnabled() {
        MsixCapability x = msix();
        return x != null && x.enabled();
    }

    // ---------------------------------------------------------------- status, features, reset

    private void applyFeatures() {
        long n = driverFeatures & offeredFeatures;
        for (VirtQueue q : queues) q.setFeatures((n & bit(F_RING_EVENT_IDX)) != 0, (n & bit(F_RING_INDIRECT_DESC)) != 0);
    }

    /** A status write; returns true when DRIVER_OK was just set (call {@link #driverReady()} unlocked). */
    private boolean writeStatus(int value, boolean modern) {
        value &= 0xff;
        if (value == 0) {
            resetTransport();
            return false;
        }
        int old = status;
        // Bits 4 and 5 are reserved and NEEDS_RESET is the device's: the driver sets only the others.
        int driverBits = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK | STATUS_FEATURES_OK | STATUS_FAILED;
        int next = (value & driverBits) | (old & STATUS_NEEDS_RESET);
        // Checked through either status register: a transitional driver may write feature bits through the
        // modern window and set FEATURES_OK through the legacy one (VERSION_1 is only required of the modern).
        if ((next & STATUS_FEATURES_OK) != 0 && (old & STATUS_FEATURES_OK) == 0) {
            long unoffered = driverFeatures & ~offeredFeatures;
            if (unoffered != 0 || (modern && (driverFeatures & bit(F_VERSION_1)) == 0)) {
                next &= ~STATUS_FEATURES_OK;
                deviceError("features", String.format("FEATURES_OK refused: the driver accepted features 0x%x%s",
                        driverFeatures, unoffered != 0 ? String.format(" (0x%x were not offered)", unoffered)
                                : " without VIRTIO_F_VERSION_1"));
            }
        }
        status = next;
        applyFeatures();
        return (next & STATUS_DRIVER_OK) != 0 && (old & STATUS_DRIVER_OK) == 0;
    }

    /** Device reset (status 0 or PCI reset): waits for requests in flight, then forgets everything. */
    private void resetTransport() {
        quiescing = true;
        try {
            if (!awaitIdle()) {
                deviceError("drain-timeout", "reset: " + inFlight + " request(s) still in flight after "
                        + TimeUnit.NANOSECONDS.toSeconds(drainWaitNanos) + " s; going on without them");
            }
        } finally {
            quiescing = false;
        }
        status = 0;
        readIsr();
        applyIntx();
        driverFeatures = 0;
        deviceFeatureSelect = driverFeatureSelect = 0;
        queueSelect = 0;
        configVector = NO_VECTOR;
        for (VirtQueue q : queues) q.reset();
        deviceReset();
    }

    /**
     * Waits (lock released meanwhile) until every chain taken off a ring has been given back; false if
     * some are still out when the wait is over.
     */
    private boolean awaitIdle() {
        long deadline = System.nanoTime() + drainWaitNanos;
        boolean interrupted = false;
        boolean idle = true;
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                idle = false;
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(lock(), left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return idle;
    }

    @Override
    protected void onReset() {
        synchronized (lock()) {
            resetTransport();
        }
    }

    /**
     * Quiesces the device for a pause or checkpoint: no new chain is taken, and this returns once
     * every chain in flight has been completed, so the rings in guest memory are stable. The driver's
     * notifications are then turned on for every queue, as for a device waiting for work: a model may
     * have turned them off to drain a queue, and a snapshot must not hold "do not notify me" for a
     * device that will not look again on its own.
     *
     * <p>If requests are still in flight after the wait (a disk that stopped answering), the device is
     * not paused and this throws: a snapshot taken now would miss their completion, which would still
     * change guest RAM while it is copied, so the checkpoint fails instead and the VM runs on. The device
     * carries on as after {@link #resume()}; it looks at its queues on a thread of its own, because a
     * model may have to wait there for the very request that is stuck (the caller must not hang on it).
     */
    @Override
    public void pause() {
        int stuck;
        synchronized (lock()) {
            paused = true;
            if (awaitIdle()) {
                for (VirtQueue q : queues) {
                    if (q.ready() && !q.broken()) setNotificationLocked(q, true);
                }
                return;
            }
            stuck = inFlight;
            paused = false;
        }
        Thread.ofPlatform().daemon().name(name() + " resume").start(this::lookAtEveryQueue);
        throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                "%s: %d request(s) still in flight after %.1f s; the device cannot be paused now",
                name(), stuck, drainWaitNanos / 1e9));
    }

    /**
     * Lets the device go again: raises the interrupts held back while paused (requests that completed
     * during the drain, or before a snapshot was taken) and looks at every queue (notifications may
     * have come while paused).
     */
    @Override
    public void resume() {
        synchronized (lock()) {
            paused = false;
        }
        lookAtEveryQueue();
    }

    /**
     * A VM restored from a snapshot is about to run: raises the interrupts the snapshot held back and
     * looks at every queue, as {@link #resume()} does. The driver may have offered buffers and notified
     * while the device was paused for the checkpoint; that notification was not acted on, and the
     * driver will not send it again.
     */
    @Override
    public void restored() {
        lookAtEveryQueue();
    }

    private void lookAtEveryQueue() {
        for (VirtQueue q : queues) {
            boolean ready;
            synchronized (lock()) {
                ready = q.ready() && !q.broken();
            }
            if (!ready) continue;
            interruptIfNeeded(q);
            queueNotified(q);
        }
    }

    /** True while paused (models check it before working on their own). */
    protected final boolean paused() {
        synchronized (lock()) {
            return paused;
        }
    }

    private VirtQueue selected() {
        return queueSelect < queues.length ? queues[queueSelect] : null;
    }

    private byte[] deviceConfigSnapshot() {
        byte[] c = deviceConfig();
        if (c.length != configSize) throw new IllegalStateException(name() + ": device config is " + c.length + " bytes, not " + configSize);
        return c;
    }

    private long readDeviceConfig(int offset, int size) {
        if (offset < 0 || offset + size > configSize) {
            deviceError("config-range", String.format("read of %d bytes at device config offset 0x%x is outside its %d bytes",
                    size, offset, configSize));
            return 0;
        }
        byte[] c = deviceConfigSnapshot();
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | (c[offset + i] & 0xff);
        return v;
    }

    private void writeDeviceConfigChecked(int offset, int size, long value) {
        if (offset < 0 || offset + size > configSize) {
            deviceError("config-range", String.format("write of %d bytes at device config offset 0x%x is outside its %d bytes",
                    size, offset, configSize));
            return;
        }
        writeDeviceConfig(offset, size, value);
    }

    private void badAccess(String where, long offset, int size, boolean write) {
        deviceError(where + "-access", String.format("%s %s of %d bytes at offset 0x%x ignored (no such register)",
                where, write ? "write" : "read", size, offset));
    }

    // ---------------------------------------------------------------- legacy interface (BAR 0)

    private final class LegacyRegisters implements PciBarHandler {
        @Override
        public long read(int bar, long offset, int size) {
            if (offset == LEGACY_ISR && size == 1) return isrRegister();
            synchronized (lock()) {
                int cfg = msixEnabled() ? LEGACY_CONFIG_MSIX : LEGACY_CONFIG_NO_MSIX;
                if (offset >= cfg) return readDeviceConfig((int) offset - cfg, size);
                VirtQueue q = selected();
                int reg = (int) offset;
                if (reg == LEGACY_HOST_FEATURES && size == 4) return offeredFeatures & 0xffffffffL;
                if (reg == LEGACY_GUEST_FEATURES && size == 4) return driverFeatures & 0xffffffffL;
                if (reg == LEGACY_QUEUE_PFN && size == 4) return q == null ? 0 : q.legacyPfn();
                if (reg == LEGACY_QUEUE_NUM && size == 2) return q == null ? 0 : q.maxSize();
                if (reg == LEGACY_QUEUE_SEL && size == 2) return queueSelect;
                if (reg == LEGACY_QUEUE_NOTIFY && size == 2) return 0;
                if (reg == LEGACY_STATUS && size == 1) return status;
                if (reg == LEGACY_CONFIG_VECTOR && size == 2) return configVector;
                if (reg == LEGACY_QUEUE_VECTOR && size == 2) return q == null ? NO_VECTOR : q.msixVector();
                badAccess("legacy", offset, size, false);
                return size == 4 ? 0xffffffffL : (1L << (8 * size)) - 1;
            }
        }

        @Override
        public void write(int bar, long offset, int size, long value) {
            VirtQueue notify = null;
            boolean ready = false;
            synchronized (lock()) {
                int cfg = msixEnabled() ? LEGACY_CONFIG_MSIX : LEGACY_CONFIG_NO_MSIX;
                int reg = (int) offset;
                VirtQueue q = selected();
                int v = (int) value;
                if (offset >= cfg) {
                    writeDeviceConfigChecked(reg - cfg, size, value);
                } else if (reg == LEGACY_GUEST_FEATURES && size == 4) {
                    if ((status & STATUS_DRIVER_OK) != 0) {
                        deviceError("legacy-features-late", "legacy guest features written after DRIVER_OK; ignored");
                    } else {
                        driverFeatures = (value & 0xffffffffL) & offeredFeatures;
                        applyFeatures();
                    }
                } else if (reg == LEGACY_QUEUE_PFN && size == 4) {
                    if (q == null) {
                        deviceError("legacy-queue-select", "queue address written for queue " + queueSelect
                                + ", which does not exist (the device has " + queues.length + ")");
                    } else {
                        String problem = q.enableLegacy(platform().memory(), value & 0xffffffffL);
                        if (problem != null) {
                            deviceError("virtq" + q.index() + "-layout", "queue " + q.index() + " not enabled: " + problem);
                        } else {
                            applyFeatures();
                        }
                    }
                } else if (reg == LEGACY_QUEUE_SEL && size == 2) {
                    queueSelect = v & 0xffff;
                } else if (reg == LEGACY_QUEUE_NOTIFY && size == 2) {
                    notify = notifyTarget(v & 0xffff);
                } else if (reg == LEGACY_STATUS && size == 1) {
                    ready = writeStatus(v, false);
                } else if (reg == LEGACY_CONFIG_VECTOR && size == 2 && msixEnabled()) {
                    configVector = mapVector(v & 0xffff);
                } else if (reg == LEGACY_QUEUE_VECTOR && size == 2 && msixEnabled()) {
                    if (q != null) q.setMsixVector(mapVector(v & 0xffff));
                } else {
                    badAccess("legacy", offset, size, true);
                }
            }
            afterRegisterWrite(ready, notify);
        }
    }

    /**
     * Calls {@link #driverReady()} and {@link #queueNotified} for a register write, without the lock as
     * they require; a write through the PCI configuration access capability comes with the lock held
     * (the config write holds it), so then they wait for {@link #afterGuestConfigWrite()}.
     */
    private void afterRegisterWrite(boolean ready, VirtQueue notify) {
        if (!ready && notify == null) return;
        if (Thread.holdsLock(lock())) {
            deferredReady |= ready;
            if (notify != null) deferredNotify[notify.index()] = true;
            return;
        }
        if (ready) driverReady();
        if (notify != null) queueNotified(notify);
    }

    @Override
    protected final void afterGuestConfigWrite() {
        boolean ready;
        List<VirtQueue> notify = null;
        synchronized (lock()) {
            ready = deferredReady;
            deferredReady = false;
            for (int i = 0; i < deferredNotify.length; i++) {
                if (!deferredNotify[i]) continue;
                deferredNotify[i] = false;
                if (notify == null) notify = new ArrayList<>();
                notify.add(queues[i]);
            }
        }
        if (ready) driverReady();
        if (notify != null) for (VirtQueue q : notify) queueNotified(q);
    }

    /** The queue a notification names, if it may be acted on. Holds the lock. */
    private VirtQueue notifyTarget(int index) {
        if (index >= queues.length) {
            deviceError("notify-range", "notification for queue " + index + ", which does not exist (the device has "
                    + queues.length + ")");
            return null;
        }
        VirtQueue q = queues[index];
        if (!q.ready() || q.broken() || paused) return null;
        return q;
    }

    // ---------------------------------------------------------------- modern interface (BAR 2)

    private final class ModernRegisters implements PciBarHandler {
        @Override
        public boolean supportsWideAccess() {
            return true;
        }

        @Override
        public long read(int bar, long offset, int size) {
            if (offset == MODERN_ISR) return isrRegister();
            synchronized (lock()) {
                int rel = (int) (offset & 0xfff);
                switch ((int) offset & ~0xfff) {
                    case MODERN_COMMON:
                        return commonRead(rel, size);
                    case MODERN_ISR:
                        return 0; // the ISR itself is at offset 0 (isrRegister)
                    case MODERN_DEVICE:
                        return readDeviceConfig(rel, size);
                    default:
                        return 0; // notify area reads as zero
                }
            }
        }

        @Override
        public void write(int bar, long offset, int size, long value) {
            VirtQueue notify = null;
            boolean ready = false;
            synchronized (lock()) {
                int rel = (int) (offset & 0xfff);
                switch ((int) offset & ~0xfff) {
                    case MODERN_COMMON -> ready = commonWrite(rel, size, value);
                    case MODERN_DEVICE -> writeDeviceConfigChecked(rel, size, value);
                    case MODERN_NOTIFY -> {
                        if (rel % NOTIFY_OFF_MULTIPLIER == 0 && size >= 2) notify = notifyTarget(rel / NOTIFY_OFF_MULTIPLIER);
                        else badAccess("notify", offset, size, true);
                    }
                    default -> badAccess("isr", offset, size, true);
                }
            }
            afterRegisterWrite(ready, notify);
        }
    }

    /** A 64-bit queue address field accessed whole (8 bytes) or by halves (4 bytes at +0 / +4). */
    private static boolean addressAccess(int rel, int field, int size) {
        return (rel == field && (size == 8 || size == 4)) || (rel == field + 4 && size == 4);
    }

    private static long readAddress(long current, int rel, int field, int size) {
        if (size == 8) return current;
        return rel == field ? current & 0xffffffffL : current >>> 32;
    }

    private static long writeAddress(long current, int rel, int field, int size, long value) {
        if (size == 8) return value;
        if (rel == field) return (current & 0xffffffff00000000L) | (value & 0xffffffffL);
        return (current & 0xffffffffL) | (value << 32);
    }

    private long commonRead(int rel, int size) {
        VirtQueue q = selected();
        if (addressAccess(rel, COMMON_Q_DESC, size)) return q == null ? 0 : readAddress(q.descAddr(), rel, COMMON_Q_DESC, size);
        if (addressAccess(rel, COMMON_Q_AVAIL, size)) return q == null ? 0 : readAddress(q.availAddr(), rel, COMMON_Q_AVAIL, size);
        if (addressAccess(rel, COMMON_Q_USED, size)) return q == null ? 0 : readAddress(q.usedAddr(), rel, COMMON_Q_USED, size);
        int width = commonWidth(rel);
        if (width != size) {
            badAccess("common-config", rel, size, false);
            return 0;
        }
        return switch (rel) {
            case COMMON_DFSELECT -> deviceFeatureSelect & 0xffffffffL;
            case COMMON_DF -> deviceFeatureSelect == 0 ? offeredFeatures & 0xffffffffL
                    : deviceFeatureSelect == 1 ? offeredFeatures >>> 32 : 0;
            case COMMON_GFSELECT -> driverFeatureSelect & 0xffffffffL;
            case COMMON_GF -> driverFeatureSelect == 0 ? driverFeatures & 0xffffffffL
                    : driverFeatureSelect == 1 ? driverFeatures >>> 32 : 0;
            case COMMON_MSIX -> configVector;
            case COMMON_NUMQ -> queues.length;
            case COMMON_STATUS -> status;
            case COMMON_CFGGENERATION -> configGeneration;
            case COMMON_Q_SELECT -> queueSelect;
            case COMMON_Q_SIZE -> q == null ? 0 : q.size();
            case COMMON_Q_MSIX -> q == null ? NO_VECTOR : q.msixVector();
            case COMMON_Q_ENABLE -> q != null && q.ready() ? 1 : 0;
            case COMMON_Q_NOFF -> q == null ? 0 : q.index();
            case COMMON_Q_NOTIF_DATA -> q == null ? 0 : q.index();
            default -> 0; // queue_reset: VIRTIO_F_RING_RESET is not offered
        };
    }

    private static int commonWidth(int rel) {
        return switch (rel) {
            case COMMON_DFSELECT, COMMON_DF, COMMON_GFSELECT, COMMON_GF -> 4;
            case COMMON_MSIX, COMMON_NUMQ, COMMON_Q_SELECT, COMMON_Q_SIZE, COMMON_Q_MSIX, COMMON_Q_ENABLE,
                    COMMON_Q_NOFF, COMMON_Q_NOTIF_DATA, COMMON_Q_RESET -> 2;
            case COMMON_STATUS, COMMON_CFGGENERATION -> 1;
            default -> -1;
        };
    }

    /** A common configuration write; returns true when DRIVER_OK was just set. */
    private boolean commonWrite(int rel, int size, long value) {
        VirtQueue q = selected();
        boolean address = addressAccess(rel, COMMON_Q_DESC, size) || addressAccess(rel, COMMON_Q_AVAIL, size)
                || addressAccess(rel, COMMON_Q_USED, size);
        if (!address && commonWidth(rel) != size) {
            badAccess("common-config", rel, size, true);
            return false;
        }
        if (address || rel == COMMON_Q_SIZE || rel == COMMON_Q_ENABLE || rel == COMMON_Q_MSIX) {
            if (q == null) {
                deviceError("queue-select", "queue register 0x" + Integer.toHexString(rel) + " written for queue "
                        + queueSelect + ", which does not exist (the device has " + queues.length + ")");
                return false;
            }
            if (q.ready() && rel != COMMON_Q_MSIX && rel != COMMON_Q_ENABLE) {
                deviceError("queue-live", "queue " + q.index() + " configuration written while the queue is enabled; ignored");
                return false;
            }
        }
        int v = (int) value;
        if (address) {
            if (rel < COMMON_Q_AVAIL) q.setDesc(writeAddress(q.descAddr(), rel, COMMON_Q_DESC, size, value));
            else if (rel < COMMON_Q_USED) q.setAvail(writeAddress(q.availAddr(), rel, COMMON_Q_AVAIL, size, value));
            else q.setUsed(writeAddress(q.usedAddr(), rel, COMMON_Q_USED, size, value));
            return false;
        }
        switch (rel) {
            case COMMON_DFSELECT -> deviceFeatureSelect = v;
            case COMMON_GFSELECT -> driverFeatureSelect = v;
            case COMMON_GF -> {
                if ((status & STATUS_FEATURES_OK) != 0) {
                    deviceError("features-late", "driver features written after FEATURES_OK; ignored");
                } else if (driverFeatureSelect == 0) {
                    driverFeatures = (driverFeatures & 0xffffffff00000000L) | (value & 0xffffffffL);
                } else if (driverFeatureSelect == 1) {
                    driverFeatures = (driverFeatures & 0xffffffffL) | (value << 32);
                } else if (v != 0) {
                    deviceError("features-select", "driver feature bits written in word " + driverFeatureSelect
                            + " (only words 0 and 1 exist); ignored");
                }
            }
            case COMMON_MSIX -> configVector = mapVector(v & 0xffff);
            case COMMON_STATUS -> {
                return writeStatus(v, true);
            }
            case COMMON_Q_SELECT -> queueSelect = v & 0xffff;
            case COMMON_Q_SIZE -> q.setSize(v & 0xffff);
            case COMMON_Q_MSIX -> q.setMsixVector(mapVector(v & 0xffff));
            case COMMON_Q_ENABLE -> {
                if ((v & 0xffff) != 1) {
                    deviceError("queue-disable", "queue_enable written with " + (v & 0xffff) + " (only 1 is allowed); ignored");
                } else if (!q.ready()) {
                    String problem = q.enable(platform().memory());
                    if (problem != null) {
                        fail(q, "queue " + q.index() + " cannot be enabled: " + problem);
                    } else {
                        applyFeatures();
                    }
                }
            }
            default -> badAccess("common-config", rel, size, true); // read-only fields
        }
        return false;
    }

    // ---------------------------------------------------------------- PCI configuration access capability

    private long barRead(int bar, long offset, int size) {
        return switch (bar) {
            case LEGACY_BAR -> legacyInterface ? bar(LEGACY_BAR) == null ? -1 : new LegacyRegisters().read(bar, offset, size) : -1;
            case MODERN_BAR -> offset + size <= MODERN_BAR_SIZE ? new ModernRegisters().read(bar, offset, size) : -1;
            case MSIX_BAR -> msix() != null ? msix().read(bar, offset, size) : -1;
            default -> -1;
        };
    }

    private void barWrite(int bar, long offset, int size, long value) {
        switch (bar) {
            case LEGACY_BAR -> {
                if (legacyInterface) new LegacyRegisters().write(bar, offset, size, value);
            }
            case MODERN_BAR -> {
                if (offset + size <= MODERN_BAR_SIZE) new ModernRegisters().write(bar, offset, size, value);
            }
            case MSIX_BAR -> {
                if (msix() != null) msix().write(bar, offset, size, value);
            }
            default -> deviceError("pci-cfg-bar", "PCI configuration access to BAR" + bar + ", which does not exist");
        }
    }

    /** The window's target: length 1, 2 or 4, aligned offset, and the BAR; else -1 (access ignored). */
    private int pciCfgLength() {
        int length = config().read32(pciCfgCap + 12);
        int offset = config().read32(pciCfgCap + 8);
        if ((length != 1 && length != 2 && length != 4) || offset < 0 || offset % length != 0) return -1;
        return length;
    }

    @Override
    protected int configRead(int offset, int size) {
        int data = pciCfgCap + 16;
        if (pciCfgCap >= 0 && offset >= data && offset < data + 4) {
            int length = pciCfgLength();
            if (length < 0) return 0;
            long v = barRead(config().read8(pciCfgCap + 4), config().read32(pciCfgCap + 8) & 0xffffffffL, length);
            long window = length == 4 ? v & 0xffffffffL : v & ((1L << (8 * length)) - 1);
            long shifted = window >>> (8 * (offset - data));
            return (int) (size == 4 ? shifted : shifted & ((1L << (8 * size)) - 1));
        }
        return super.configRead(offset, size);
    }

    @Override
    protected void configWrite(int offset, int size, int value) {
        int data = pciCfgCap + 16;
        if (pciCfgCap >= 0 && offset >= data && offset < data + 4) {
            int length = pciCfgLength();
            if (length < 0 || offset != data || size < length) {
                deviceError("pci-cfg-access", "PCI configuration access window used with a bad length or offset; ignored");
                return;
            }
            long v = length == 4 ? value & 0xffffffffL : value & ((1L << (8 * length)) - 1);
            barWrite(config().read8(pciCfgCap + 4), config().read32(pciCfgCap + 8) & 0xffffffffL, length, v);
            return;
        }
        super.configWrite(offset, size, value);
    }

    // ---------------------------------------------------------------- snapshots

    /** The model's own saved fields (the {@code device} record). Called with the lock held. */
    protected StateRecord saveDeviceState() {
        return StateRecord.EMPTY;
    }

    /**
     * Reads and checks the model's own fields; returns how to apply them. Must not change anything.
     * Called with the lock held.
     */
    protected ModelRestore prepareDeviceRestore(StateReader device, int version) throws SnapshotFormatException {
        return ModelRestore.NONE;
    }

    @Override
    protected final StateRecord saveModelState() {
        List<StateRecord> qs = new ArrayList<>();
        for (VirtQueue q : queues) {
            qs.add(StateRecord.builder()
                    .putU16("size", q.size())
                    .putBool("ready", q.ready())
                    .putBool("broken", q.broken())
                    .putU64("desc", q.descAddr())
                    .putU64("avail", q.availAddr())
                    .putU64("used", q.usedAddr())
                    .putU64("legacy_pfn", q.legacyPfn())
                    .putU16("msix_vector", q.msixVector())
                    .putU16("next_avail", q.nextAvail())
                    .putU16("next_used", q.nextUsed())
                    .putU16("signalled_used", q.signalledUsed())
                    .build());
        }
        return StateRecord.builder()
                .putU8("status", status)
                .putU8("isr", isr)
                .putU64("offered_features", offeredFeatures)
                .putU64("driver_features", driverFeatures)
                .putU32("device_feature_select", deviceFeatureSelect & 0xffffffffL)
                .putU32("driver_feature_select", driverFeatureSelect & 0xffffffffL)
                .putU16("queue_select", queueSelect)
                .putU16("config_vector", configVector)
                .putU8("config_generation", configGeneration)
                .putRecords("queues", qs)
                .putRecord("device", saveDeviceState())
                .build();
    }

    private int checkVector(StateReader r, String field) throws SnapshotFormatException {
        int v = r.u16(field);
        if (v != NO_VECTOR && mapVector(v) != v) {
            throw r.invalid(field, v + " is not an MSI-X vector of this function (it has "
                    + (msix() == null ? 0 : msix().vectors()) + ")");
        }
        return v;
    }

    private record QueueState(int size, boolean ready, boolean broken, long desc, long avail, long used, long pfn,
            int vector, int nextAvail, int nextUsed, int signalled) {}

    @Override
    protected final ModelRestore prepareModelRestore(StateReader model, int version) throws SnapshotFormatException {
        int newStatus = model.u8Bits("status", 0xff & ~0x30);
        int newIsr = model.u8Bits("isr", ISR_QUEUE | ISR_CONFIG);
        long offered = model.u64("offered_features");
        if (offered != offeredFeatures) {
            throw model.invalid("offered_features", String.format("0x%x, but this VM's %s offers 0x%x (the snapshot"
                    + " is of a differently configured device)", offered, name(), offeredFeatures));
        }
        long features = model.u64("driver_features");
        if ((newStatus & STATUS_FEATURES_OK) != 0 && (features & ~offeredFeatures) != 0) {
            throw model.invalid("driver_features", String.format("0x%x has features the device does not offer"
                    + " although FEATURES_OK is set", features));
        }
        int dfSel = (int) model.u32("device_feature_select");
        int gfSel = (int) model.u32("driver_feature_select");
        int qSel = model.u16("queue_select");
        int cfgVector = checkVector(model, "config_vector");
        int generation = model.u8("config_generation");
        List<StateReader> qs = model.records("queues");
        if (qs.size() != queues.length) {
            throw model.invalid("queues", qs.size() + " queues, but this VM's " + name() + " has " + queues.length);
        }
        QueueState[] states = new QueueState[queues.length];
        for (int i = 0; i < queues.length; i++) {
            StateReader r = qs.get(i);
            int size = r.u16("size");
            boolean ready = r.bool("ready");
            long desc = r.u64("desc"), avail = r.u64("avail"), used = r.u64("used");
            long pfn = r.u64("legacy_pfn");
            // A queue not enabled holds whatever 16-bit queue_size the driver wrote: it is checked when the
            // driver enables the queue, so the restore takes it as it is (refusing it would lose the VM).
            if (ready) {
                if (size < 1 || size > queues[i].maxSize() || Integer.bitCount(size) != 1) {
                    throw r.invalid("size", size + " is not a power of two from 1 to " + queues[i].maxSize());
                }
                String problem = VirtQueue.layoutProblem(platform().memory(), queues[i].maxSize(), size, desc, avail, used);
                if (problem != null) throw r.invalid("desc", problem);
            }
            if (pfn != 0) {
                // The legacy register is 32 bits, and setting it places the whole ring at that page with the
                // queue's full size: a saved value that does not describe the saved ring never came from it.
                long[] legacy = VirtQueue.legacyLayout(pfn, queues[i].maxSize());
                if (pfn > 0xffff_ffffL || !ready || size != queues[i].maxSize() || desc != legacy[0] || avail != legacy[1]
                        || used != legacy[2]) {
                    throw r.invalid("legacy_pfn", String.format("0x%x does not describe the saved ring (%s, size %d, desc"
                            + " 0x%x, avail 0x%x, used 0x%x)", pfn, ready ? "ready" : "not ready", size, desc, avail, used));
                }
            }
            states[i] = new QueueState(size, ready, r.bool("broken"), desc, avail, used, pfn,
                    checkVector(r, "msix_vector"), r.u16("next_avail"), r.u16("next_used"), r.u16("signalled_used"));
        }
        ModelRestore device = prepareDeviceRestore(model.record("device"), version);
        return () -> {
            status = newStatus;
            isr = newIsr;
            driverFeatures = features;
            deviceFeatureSelect = dfSel;
            driverFeatureSelect = gfSel;
            queueSelect = qSel;
            configVector = cfgVector;
            configGeneration = generation;
            for (int i = 0; i < queues.length; i++) {
                QueueState s = states[i];
                queues[i].restore(platform().memory(), s.size(), s.desc(), s.avail(), s.used(), s.pfn(), s.ready(),
                        s.broken(), s.vector(), s.nextAvail(), s.nextUsed(), s.signalled());
            }
            applyFeatures();
            device.apply();
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
