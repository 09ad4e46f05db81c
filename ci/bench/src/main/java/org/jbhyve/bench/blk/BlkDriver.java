package org.jbhyve.bench.blk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.bhyve.device.MsiSink;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.pci.PciAddress;
import org.jbhyve.bhyve.devices.pci.PciBus;
import org.jbhyve.bhyve.devices.virtio.Virtio;
import org.jbhyve.bhyve.devices.virtio.VirtioBlk;
import org.jbhyve.bhyve.devices.virtio.VirtioPciDevice;
import org.jbhyve.vmm.GuestMemory;

/**
 * A virtio-blk device on a PCI bus over an in-process platform (real guest memory in an Arena
 * segment, no VM), and the driver side a guest would run: a legacy split ring of 128 entries,
 * requests of three descriptors (header, data, status), notification through the legacy I/O BAR,
 * completion by INTx (the line wakes the driver thread; it reads the ISR as a guest does, then
 * reaps the used ring). The driver honours the device's NO_NOTIFY flag, as Linux's does.
 */
final class BlkDriver implements AutoCloseable {
    private static final PciAddress AT = PciAddress.of(0, 3, 0);
    private static final long RAM = 16 << 20;
    private static final long RING_PFN = 0x100; // ring at 1 MiB
    private static final long HEADERS = 0x300000, STATUS = 0x380000, DATA = 0x400000;
    private static final int MAX_QD = 32, MAX_BS = 64 << 10;

    private final Arena arena = Arena.ofShared();
    /** Guest RAM as the VMM sees it: what the device is given (a segment of the shared arena). */
    private final GuestMemory vmmMemory;
    /**
     * The same RAM as the guest sees it, for this driver's own accesses: a view of the same address
     * range without the arena's session, because a guest's loads and stores do not go through the
     * VMM's MemorySegment (see the constructor).
     */
    private final GuestMemory memory;
    private final IoBus io = new IoBus();
    private final VirtioBlk dev;
    private final int ioBase;
    private final long desc, avail, used;
    private final int size;
    private int availIdx, usedSeen;
    private volatile Thread waiter;

    BlkDriver(Path image) {
        MemorySegment ram = arena.allocate(RAM, 4096);
        vmmMemory = new GuestMemory(new GuestMemory.Region(0, RAM, ram), null);
        // Every access through a shared arena's segment reads the session's liveness word, and every
        // downcall given such a segment (the device's pread/pwrite) updates it with two atomics. A
        // driver going through that segment for each of its ring accesses kept that cache line
        // bouncing between the two cores: 4 KiB pread into the segment 1390 -> 1780 ns with a second
        // thread reading the same segment. A real guest's loads and stores never touch the VMM's
        // session, so the driver uses a view of the same memory in the global scope. It is only
        // used while the device is open, and the arena is closed after the device (close()).
        memory = new GuestMemory(new GuestMemory.Region(0, RAM, MemorySegment.ofAddress(ram.address()).reinterpret(RAM)), null);
        MmioBus mmio = new MmioBus();
        InterruptLine line = new InterruptLine() {
            @Override public void assertLine() {
                Thread t = waiter;
                if (t != null) LockSupport.unpark(t);
            }

            @Override public void deassertLine() {}
        };
        Platform platform = new Platform() {
            @Override public IoBus io() { return io; }
            @Override public MmioBus mmio() { return mmio; }
            @Override public GuestMemory memory() { return vmmMemory; }
            @Override public InterruptLine irq(int irq) { return line; }
            @Override public MsiSink msi() { return (a, d) -> {}; }
            @Override public void log(String device, String message) { System.err.println(device + ": " + message); }
        };
        ConfigTree config = new ConfigTree();
        config.set(AT.node() + ".device", VirtioBlk.EMULATION);
        config.set(AT.node() + ".path", image.toString());
        PciBus bus = new PciBus(platform, PciBus.Options.directBoot(vmmMemory));
        dev = VirtioBlk.create(config, AT.node(), AT, platform);
        bus.add(dev);
        bus.realize();
        ioBase = (int) dev.bar(VirtioPciDevice.LEGACY_BAR).address();

        // legacy bring-up: reset, ACK | DRIVER, no optional features, queue 0 at RING_PFN, DRIVER_OK
        out(Virtio.LEGACY_STATUS, 1, 0);
        out(Virtio.LEGACY_STATUS, 1, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER);
        out(Virtio.LEGACY_GUEST_FEATURES, 4, 0);
        out(Virtio.LEGACY_QUEUE_SEL, 2, 0);
        size = io.in(ioBase + Virtio.LEGACY_QUEUE_NUM, 2) & 0xffff;
        // legacy layout: descriptors, avail ring, then the used ring at the next 4 KiB boundary
        desc = RING_PFN << Virtio.LEGACY_PFN_SHIFT;
        avail = desc + 16L * size;
        used = (avail + 6 + 2L * size + Virtio.LEGACY_ALIGN - 1) & -(long) Virtio.LEGACY_ALIGN;
        memory.fill(desc, used + 6 + 8L * size - desc, (byte) 0);
        out(Virtio.LEGACY_QUEUE_PFN, 4, (int) RING_PFN);
        out(Virtio.LEGACY_STATUS, 1, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER | Virtio.STATUS_DRIVER_OK);
        if (size < 3 * MAX_QD) throw new IllegalStateException("queue of " + size + " entries is too small");
    }

    private void out(int reg, int width, int value) {
        io.out(ioBase + reg, width, value);
    }

    /** Thread CPU id of the device's I/O thread (for the busy figure), or -1. */
    static long ioThreadId() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(VirtioBlk.EMULATION) && t.getName().endsWith(" io")) return t.threadId();
        }
        return -1;
    }

    /** Result of one timed run. */
    record Result(long requests, long nanos, long[] perSecond, long errors) {
        double iops() { return requests * 1e9 / nanos; }
    }

    /** Writes request {@code slot}'s header (type, random sector) and makes its chain available. */
    private void submit(int slot, int pos, boolean write, int bs, long blocks, SplittableRandom rnd) {
        long sector = rnd.nextLong(blocks) * (bs / VirtioBlk.SECTOR);
        long hdr = HEADERS + 16L * slot;
        memory.writeInt(hdr, write ? VirtioBlk.T_OUT : VirtioBlk.T_IN);
        memory.writeInt(hdr + 4, 0);
        memory.writeLong(hdr + 8, sector);
        memory.writeByte(STATUS + slot, (byte) 0x77);
        int d = 3 * slot;
        descriptor(d, hdr, 16, Virtio.DESC_F_NEXT, d + 1);
        descriptor(d + 1, DATA + (long) MAX_BS * slot, bs, Virtio.DESC_F_NEXT | (write ? 0 : Virtio.DESC_F_WRITE), d + 2);
        descriptor(d + 2, STATUS + slot, 1, Virtio.DESC_F_WRITE, 0);
        memory.writeShort(avail + 4 + 2L * ((pos & 0xffff) % size), (short) d);
    }

    private void descriptor(int i, long addr, int len, int flags, int next) {
        long at = desc + 16L * i;
        memory.writeLong(at, addr);
        memory.writeInt(at + 8, len);
        memory.writeShort(at + 12, (short) flags);
        memory.writeShort(at + 14, (short) next);
    }

    /** Publishes what {@link #submit} wrote and kicks the device unless it asked not to be. */
    private void publish(int count) {
        availIdx = (availIdx + count) & 0xffff;
        java.lang.invoke.VarHandle.fullFence();
        memory.writeShort(avail + 2, (short) availIdx);
        java.lang.invoke.VarHandle.fullFence();
        if ((memory.readShort(used) & Virtio.USED_F_NO_NOTIFY) == 0) out(Virtio.LEGACY_QUEUE_NOTIFY, 2, 0);
    }

    /**
     * Keeps {@code qd} requests of {@code bs} bytes in flight at random block-aligned offsets for
     * {@code warmupNanos} (not counted) then {@code nanos}, then drains.
     */
    Result run(boolean write, int bs, int qd, long warmupNanos, long nanos, long fileBytes) {
        if (qd < 1 || qd > MAX_QD || bs > MAX_BS || bs % VirtioBlk.SECTOR != 0) throw new IllegalArgumentException();
        long blocks = fileBytes / bs;
        SplittableRandom rnd = new SplittableRandom(bs * 31L + qd + (write ? 7 : 0));
        waiter = Thread.currentThread();
        for (int s = 0; s < qd; s++) submit(s, availIdx + s, write, bs, blocks, rnd);
        publish(qd);
        int inFlight = qd;
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos, end = measureFrom + nanos;
        int seconds = (int) Math.max(1, nanos / 1_000_000_000L);
        long[] perSecond = new long[seconds];
        long counted = 0, errors = 0;
        boolean measuring = warmupNanos == 0, stopping = false;
        long stoppedAt = 0;
        while (inFlight > 0) {
            int usedIdx = memory.readShort(used + 2) & 0xffff;
            if (usedIdx == usedSeen) {
                LockSupport.parkNanos(1_000_000);
                if ((memory.readShort(used + 2) & 0xffff) == usedSeen) continue;
            }
            io.in(ioBase + Virtio.LEGACY_ISR, 1); // as a guest's handler: read (and so clear) the ISR
            java.lang.invoke.VarHandle.fullFence();
            usedIdx = memory.readShort(used + 2) & 0xffff;
            long now = System.nanoTime();
            if (!measuring && now >= measureFrom) {
                measuring = true;
                measureFrom = now;
                end = now + nanos;
            }
            if (!stopping && measuring && now >= end) {
                stopping = true;
                stoppedAt = now;
            }
            int resubmitted = 0;
            while (usedSeen != usedIdx) {
                int id = memory.readInt(used + 4 + 8L * (usedSeen % size));
                usedSeen = (usedSeen + 1) & 0xffff;
                int slot = id / 3;
                if (memory.readByte(STATUS + slot) != VirtioBlk.S_OK) errors++;
                if (measuring && !stopping) {
                    counted++;
                    int sec = (int) ((now - measureFrom) / 1_000_000_000L);
                    if (sec < seconds) perSecond[sec]++;
                }
                if (stopping) {
                    inFlight--;
                } else {
                    submit(slot, availIdx + resubmitted, write, bs, blocks, rnd);
                    resubmitted++;
                }
            }
            if (resubmitted > 0) publish(resubmitted);
        }
        long elapsed = stoppedAt - measureFrom;
        waiter = null;
        return new Result(counted, elapsed, perSecond, errors);
    }

    @Override
    public void close() throws Exception {
        dev.close();
        arena.close();
    }
}
