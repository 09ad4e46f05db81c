package org.jbhyve.bhyve.devices.virtio;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.bhyve.device.MsiSink;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.pci.PciAddress;
import org.jbhyve.bhyve.devices.pci.PciBus;
import org.jbhyve.bhyve.devices.pci.PciRegisters;
import org.jbhyve.vmm.GuestMemory;

/**
 * A virtio device on a real PCI bus over a test platform (real I/O and MMIO buses, 16 MiB of guest
 * RAM, recording interrupt lines, MSI sink and log), with the register accesses a guest driver makes:
 * config space, the legacy I/O BAR, the modern memory BAR, MSI-X programming.
 */
final class VirtioHarness implements AutoCloseable {
    static final PciAddress AT = PciAddress.of(0, 3, 0);
    static final String NODE = AT.node();
    static final long RAM = 16 << 20;
    static final int MSI_DATA_BASE = 0x40;

    /** Test platform. */
    static final class TestPlatform implements Platform, AutoCloseable {
        private final IoBus io = new IoBus();
        private final MmioBus mmio = new MmioBus();
        private final Arena arena = Arena.ofShared();
        private final GuestMemory memory;
        private final Map<Integer, Line> lines = new ConcurrentHashMap<>();
        final List<long[]> msis = new ArrayList<>();
        final List<String> logs = new ArrayList<>();

        TestPlatform(long ram) {
            memory = new GuestMemory(new GuestMemory.Region(0, ram, arena.allocate(ram, 4096)), null);
        }

        @Override public IoBus io() { return io; }

        @Override public MmioBus mmio() { return mmio; }

        @Override public GuestMemory memory() { return memory; }

        @Override
        public Line irq(int irq) {
            return lines.computeIfAbsent(irq, k -> new Line());
        }

        @Override
        public MsiSink msi() {
            return (address, data) -> {
                synchronized (msis) {
                    msis.add(new long[] {address, data});
                    msis.notifyAll();
                }
            };
        }

        @Override
        public void log(String device, String message) {
            synchronized (logs) {
                logs.add(device + ": " + message);
            }
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** A level line that counts raises. */
    static final class Line implements InterruptLine {
        private boolean high;
        private int raises;

        @Override public synchronized void assertLine() {
            if (!high) raises++;
            high = true;
            notifyAll();
        }

        @Override public synchronized void deassertLine() { high = false; }

        synchronized boolean high() { return high; }

        synchronized int raises() { return raises; }
    }

    final TestPlatform platform;
    final PciBus bus;
    final VirtioPciDevice dev;
    final ConfigTree config;

    @FunctionalInterface
    interface Factory {
        VirtioPciDevice create(ConfigTree config, String node, PciAddress address, Platform platform);
    }

    VirtioHarness(ConfigTree config, Factory factory) {
        this.config = config;
        this.platform = new TestPlatform(RAM);
        this.bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
        this.dev = factory.create(config, NODE, AT, platform);
        bus.add(dev);
        bus.realize();
    }

    static ConfigTree config(String emulation, String... keyValues) {
        ConfigTree c = new ConfigTree();
        c.set(NODE + ".device", emulation);
        for (int i = 0; i < keyValues.length; i += 2) c.set(keyValues[i], keyValues[i + 1]);
        return c;
    }

    GuestMemory memory() { return platform.memory(); }

    // ---- config space ----
    int cfgRead(int offset, int size) {
        return bus.configRead(0, AT.slot(), 0, offset, size);
    }

    void cfgWrite(int offset, int size, int value) {
        bus.configWrite(0, AT.slot(), 0, offset, size, value);
    }

    /** Offsets of capabilities with {@code id}, walking the list as a guest does. */
    List<Integer> capabilities(int id) {
        List<Integer> out = new ArrayList<>();
        int at = cfgRead(PciRegisters.CAPABILITIES_POINTER, 1);
        for (int hops = 0; at != 0 && hops < 48; hops++) {
            if (cfgRead(at, 1) == id) out.add(at);
            at = cfgRead(at + 1, 1);
        }
        return out;
    }

    /** The vendor capability of virtio cfg_type {@code type}, or -1. */
    int virtioCap(int type) {
        for (int at : capabilities(Virtio.CAP_ID_VENDOR)) if (cfgRead(at + 3, 1) == type) return at;
        return -1;
    }

    // ---- legacy interface ----
    int ioBase() {
        return (int) dev.bar(VirtioPciDevice.LEGACY_BAR).address();
    }

    int lin(int reg, int size) {
        int v = platform.io().in(ioBase() + reg, size);
        return size == 4 ? v : v & ((1 << (8 * size)) - 1);
    }

    void lout(int reg, int size, int value) {
        platform.io().out(ioBase() + reg, size, value);
    }

    // ---- modern interface ----
    long modernBase() {
        return dev.bar(VirtioPciDevice.MODERN_BAR).address();
    }

    long mread(int offset, int size) {
        return platform.mmio().read(modernBase() + offset, size);
    }

    void mwrite(int offset, int size, long value) {
        platform.mmio().write(modernBase() + offset, size, value);
    }

    long common(int reg, int size) {
        return mread(VirtioPciDevice.MODERN_COMMON + reg, size);
    }

    void common(int reg, int size, long value) {
        mwrite(VirtioPciDevice.MODERN_COMMON + reg, size, value);
    }

    void notifyModern(int queue) {
        mwrite(VirtioPciDevice.MODERN_NOTIFY + VirtioPciDevice.NOTIFY_OFF_MULTIPLIER * queue, 2, queue);
    }

    // ---- MSI-X ----
    /** Enables MSI-X and programs vector v to 0xfee00000 / data MSI_DATA_BASE + v, unmasked. */
    void enableMsix() {
        int cap = capabilities(PciRegisters.CAP_ID_MSIX).getFirst();
        int vectors = (cfgRead(cap + 2, 2) & 0x7ff) + 1;
        long table = dev.bar(VirtioPciDevice.MSIX_BAR).address();
        for (int v = 0; v < vectors; v++) {
            platform.mmio().write(table + 16L * v, 8, 0xfee00000L);
            platform.mmio().write(table + 16L * v + 8, 4, MSI_DATA_BASE + v);
            platform.mmio().write(table + 16L * v + 12, 4, 0);
        }
        cfgWrite(cap + 2, 2, 0x8000);
    }

    /** MSI data values delivered so far. */
    List<Integer> msiData() {
        synchronized (platform.msis) {
            return platform.msis.stream().map(m -> (int) m[1]).toList();
        }
    }

    /** Waits until {@code n} MSIs arrived. */
    boolean awaitMsis(int n, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (platform.msis) {
            while (platform.msis.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(platform.msis, left);
            }
        }
        return true;
    }

    /** The INTx line of the function (IOAPIC pin the bus routed it to). */
    Line intx() {
        int pin = bus.intxRoutes().stream().filter(r -> r.slot() == AT.slot()).findFirst().orElseThrow().ioapicPin();
        return platform.irq(pin);
    }

    List<String> logs() {
        synchronized (platform.logs) {
            return List.copyOf(platform.logs);
        }
    }

    static boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(2);
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        if (dev instanceof AutoCloseable c) c.close();
        platform.close();
    }

    // ---- driver-side sequences ----

    /** Legacy bring-up of queue {@code q} at page frame {@code pfn}: ACK, DRIVER, features, PFN, DRIVER_OK. */
    GuestRing legacySetup(int q, long pfn, int guestFeatures) {
        lout(Virtio.LEGACY_STATUS, 1, 0);
        lout(Virtio.LEGACY_STATUS, 1, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER);
        lout(Virtio.LEGACY_GUEST_FEATURES, 4, guestFeatures);
        lout(Virtio.LEGACY_QUEUE_SEL, 2, q);
        int size = lin(Virtio.LEGACY_QUEUE_NUM, 2);
        GuestRing ring = GuestRing.legacy(memory(), pfn, size);
        lout(Virtio.LEGACY_QUEUE_PFN, 4, (int) pfn);
        lout(Virtio.LEGACY_STATUS, 1, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER | Virtio.STATUS_DRIVER_OK);
        return ring;
    }

    /** Modern bring-up of queue {@code q} with {@code features} at {@code base} (desc, then avail, then used). */
    GuestRing modernSetup(int q, long features, long base, int size) {
        common(Virtio.COMMON_STATUS, 1, 0);
        common(Virtio.COMMON_STATUS, 1, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER);
        common(Virtio.COMMON_GFSELECT, 4, 0);
        common(Virtio.COMMON_GF, 4, features & 0xffffffffL);
        common(Virtio.COMMON_GFSELECT, 4, 1);
        common(Virtio.COMMON_GF, 4, features >>> 32);
        common(Virtio.COMMON_STATUS, 1, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER | Virtio.STATUS_FEATURES_OK);
        GuestRing ring = GuestRing.modern(memory(), base, size);
        common(Virtio.COMMON_Q_SELECT, 2, q);
        common(Virtio.COMMON_Q_SIZE, 2, size);
        common(Virtio.COMMON_Q_DESC, 8, ring.desc);
        common(Virtio.COMMON_Q_AVAIL, 4, ring.avail & 0xffffffffL);
        common(Virtio.COMMON_Q_AVAIL + 4, 4, ring.avail >>> 32);
        common(Virtio.COMMON_Q_USED, 8, ring.used);
        common(Virtio.COMMON_Q_MSIX, 2, q + 1);
        common(Virtio.COMMON_MSIX, 2, 0);
        common(Virtio.COMMON_Q_ENABLE, 2, 1);
        common(Virtio.COMMON_STATUS, 1, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER | Virtio.STATUS_FEATURES_OK
                | Virtio.STATUS_DRIVER_OK);
        return ring;
    }
}
