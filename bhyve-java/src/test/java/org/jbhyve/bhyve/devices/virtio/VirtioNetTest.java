package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.virtio.Virtio.*;
import static org.jbhyve.bhyve.devices.virtio.VirtioNet.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.pci.PciAddress;
import org.jbhyve.bindings.linux.tun.tun_h;
import org.jbhyve.vmm.GuestMemory;
import org.junit.jupiter.api.Test;

/**
 * virtio-net on an in-memory backend: configuration (MAC, MTU, features by backend), transmit with
 * the header translated for the backend, receive into mergeable buffers published together and
 * into big-packet chains, waiting for receive buffers, offloads passed to the backend, and a
 * driver's broken receive buffer.
 */
class VirtioNetTest {
    static final byte[] MAC = {0x58, (byte) 0x9c, (byte) 0xfc, 1, 2, 3};
    static final long RX_PFN = 0x100, TX_PFN = 0x200;

    /** A backend in memory: frames sent are collected, frames to receive are queued. */
    static final class FakeBackend implements NetBackend {
        final int header;
        final List<byte[]> sent = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
        volatile int offloads = -1;
        volatile boolean closed;
        /** Runs at the start of every send (a test may block it there). */
        volatile Runnable beforeSend = () -> { };

        FakeBackend(int header) {
            this.header = header;
        }

        @Override public int headerBytes() { return header; }
        @Override public boolean offloads() { return header != 0; }
        @Override public void setOffloads(int tunFlags) { offloads = tunFlags; }
        @Override
        public void send(MemorySegment frame) {
            beforeSend.run();
            sent.add(frame.toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public int receive(MemorySegment buffer, int timeoutMillis) throws java.io.IOException {
            try {
                byte[] f = incoming.poll(timeoutMillis, TimeUnit.MILLISECONDS);
                if (f == null || f.length == 0) return 0;
                MemorySegment.copy(f, 0, buffer, ValueLayout.JAVA_BYTE, 0, f.length);
                return f.length;
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
        }

        @Override public void wakeup() { incoming.add(new byte[0]); }
        @Override public String name() { return "fake0"; }
        @Override public void close() { closed = true; }
    }

    static VirtioHarness net(FakeBackend b, int mtu, String... keyValues) {
        return new VirtioHarness(VirtioHarness.config(EMULATION, keyValues),
                (c, n, a, p) -> new VirtioNet(c, a, p, b, MAC, mtu));
    }

    /** Legacy bring-up of both queues with {@code features}. */
    static GuestRing[] legacyUp(VirtioHarness h, int features) {
        h.lout(LEGACY_STATUS, 1, 0);
        h.lout(LEGACY_STATUS, 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        h.lout(LEGACY_GUEST_FEATURES, 4, features);
        GuestRing[] rings = new GuestRing[2];
        long[] pfns = {RX_PFN, TX_PFN};
        for (int q = 0; q < 2; q++) {
            h.lout(LEGACY_QUEUE_SEL, 2, q);
            int size = h.lin(LEGACY_QUEUE_NUM, 2);
            rings[q] = GuestRing.legacy(h.memory(), pfns[q], size);
            h.lout(LEGACY_QUEUE_PFN, 4, (int) pfns[q]);
        }
        h.lout(LEGACY_STATUS, 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
        return rings;
    }

    static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < 6; i++) f[i] = MAC[i];
        for (int i = 6; i < length; i++) f[i] = (byte) (i * 7 + seed);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        return f;
    }

    @Test
    void identityConfigAndFeaturesFollowTheBackend() throws Exception {
        try (VirtioHarness h = net(new FakeBackend(12), 9000)) {
            assertThat(h.cfgRead(0, 4)).isEqualTo(0x1000 << 16 | VENDOR);
            assertThat(h.cfgRead(0x2c, 4) >>> 16).as("subsystem = type 1").isEqualTo(TYPE_NET);
            assertThat(h.cfgRead(0x08, 4) >>> 24).as("class network").isEqualTo(2);
            for (int i = 0; i < 6; i++) assertThat((byte) h.lin(LEGACY_CONFIG_NO_MSIX + i, 1)).isEqualTo(MAC[i]);
            assertThat(h.lin(LEGACY_CONFIG_NO_MSIX + 6, 2)).as("link up").isEqualTo(S_LINK_UP);
            assertThat(h.lin(LEGACY_CONFIG_NO_MSIX + 10, 2)).isEqualTo(9000);
            long f = h.dev.offeredFeatures();
            for (int b : new int[] {F_MAC, F_STATUS, F_MRG_RXBUF, F_MTU, F_CSUM, F_GUEST_CSUM, F_HOST_TSO4, F_GUEST_TSO6}) {
                assertThat(f & bit(b)).as("feature " + b).isNotZero();
            }
        }
        try (VirtioHarness h = net(new FakeBackend(0), 0)) {
            long f = h.dev.offeredFeatures();
            assertThat(f & (bit(F_CSUM) | bit(F_GUEST_CSUM) | bit(F_HOST_TSO4) | bit(F_GUEST_TSO4) | bit(F_MTU)))
                    .as("no offloads without a header from the backend, no MTU unless given").isZero();
            assertThat(f & bit(F_MRG_RXBUF)).isNotZero();
        }
    }

    @Test
    void macFromOptionOrStablyFromTheVmName() {
        PciAddress at = PciAddress.of(0, 3, 0);
        ConfigTree c = new ConfigTree();
        c.set("name", "vm1");
        byte[] a = VirtioNet.mac(c, at.node(), at, "t");
        assertThat(a).startsWith((byte) 0, (byte) 0xa0, (byte) 0x98);
        assertThat(VirtioNet.mac(c, at.node(), at, "t")).isEqualTo(a);
        ConfigTree other = new ConfigTree();
        other.set("name", "vm2");
        assertThat(VirtioNet.mac(other, at.node(), at, "t")).isNotEqualTo(a);
        assertThat(VirtioNet.mac(c, PciAddress.of(0, 4, 0).node(), PciAddress.of(0, 4, 0), "t")).isNotEqualTo(a);

        c.set(at.node() + ".mac", "58:9c:fc:01:02:03");
        assertThat(VirtioNet.mac(c, at.node(), at, "t")).isEqualTo(MAC);
        for (String bad : new String[] {"01:00:5e:00:00:01", "00:00:00:00:00:00", "58:9c:fc:01:02", "zz:9c:fc:01:02:03"}) {
            c.set(at.node() + ".mac", bad);
            assertThatThrownBy(() -> VirtioNet.mac(c, at.node(), at, "t")).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(bad);
        }
        c.set(at.node() + ".mtu", "67");
        assertThatThrownBy(() -> VirtioNet.mtu(c, at.node(), "t")).isInstanceOf(ConfigException.class);
        c.set(at.node() + ".mtu", "1500");
        assertThat(VirtioNet.mtu(c, at.node(), "t")).isEqualTo(1500);
        assertThatThrownBy(() -> VirtioNet.backendName(c, at.node(), "t", false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tapN");
        assertThatThrownBy(() -> VirtioNet.backendName(c, at.node(), "t", true)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tapN");
    }

    @Test
    void theBackendNameIsALinuxTapInterfaceOrAFreeBsdTapDevice() {
        PciAddress at = PciAddress.of(0, 3, 0);
        ConfigTree c = new ConfigTree();
        java.util.function.BiFunction<String, Boolean, String> name = (backend, freeBsd) -> {
            c.set(at.node() + ".backend", backend);
            return VirtioNet.backendName(c, at.node(), "t", freeBsd);
        };
        for (boolean freeBsd : new boolean[] {false, true}) {
            assertThat(name.apply("tap3", freeBsd)).isEqualTo("tap3");
            assertThat(name.apply("/dev/tap3", freeBsd)).as("/dev/ is dropped").isEqualTo("tap3");
            for (String other : new String[] {"netgraph", "netmap:em0", "vale0:1", "slirp"}) {
                assertThatThrownBy(() -> name.apply(other, freeBsd)).as(other).isInstanceOf(ConfigException.class)
                        .hasMessageContaining("\"" + other + "\" is not supported");
            }
        }
        // Linux: any interface name, but not FreeBSD's vmnet devices.
        assertThat(name.apply("jbtap1", false)).isEqualTo("jbtap1");
        assertThatThrownBy(() -> name.apply("vmnet0", false)).isInstanceOf(ConfigException.class)
                .hasMessage("t: backend \"vmnet0\" is not supported here; give a Linux tap interface name,"
                        + " e.g. -s 3,virtio-net,tap0");
        // FreeBSD: bhyve's tap backend prefixes, tap and vmnet (alone: clone the next free unit).
        for (String dev : new String[] {"vmnet0", "/dev/vmnet2", "tap", "vmnet"}) {
            assertThat(name.apply(dev, true)).isEqualTo(dev.replace("/dev/", ""));
        }
        assertThatThrownBy(() -> name.apply("em0", true)).isInstanceOf(ConfigException.class)
                .hasMessage("t: backend \"em0\" is not supported; jbhyve implements bhyve's tap backend: give a"
                        + " tap(4) device, tapN or vmnetN, e.g. -s 3,virtio-net,tap0");
    }

    @Test
    void transmitPassesTheHeaderAndFrameToTheBackend() throws Exception {
        FakeBackend b = new FakeBackend(12);
        try (VirtioHarness h = net(b, 0)) {
            GuestRing tx = legacyUp(h, (int) bit(F_MRG_RXBUF) | (int) bit(F_CSUM))[TX];
            byte[] hdr = {1, 0, 0, 0, 0, 0, 34, 0, 16, 0, 7, 7}; // NEEDS_CSUM, csum_start 34, offset 16, junk num_buffers
            byte[] f = frame(60, 1);
            h.memory().write(0x400000, hdr, 0, 12);
            h.memory().write(0x400100, f, 0, 20);
            h.memory().write(0x400200, f, 20, 40);
            tx.desc(0, 0x400000, 12, DESC_F_NEXT, 1);
            tx.desc(1, 0x400100, 20, DESC_F_NEXT, 2);
            tx.desc(2, 0x400200, 40, 0, 0);
            tx.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, TX);
            assertThat(tx.usedIdx()).isEqualTo(1);
            assertThat(tx.usedLength(0)).isZero();
            assertThat(b.sent).hasSize(1);
            byte[] got = b.sent.get(0);
            assertThat(got).hasSize(72);
            assertThat(java.util.Arrays.copyOf(got, 12)).isEqualTo(new byte[] {1, 0, 0, 0, 0, 0, 34, 0, 16, 0, 0, 0});
            assertThat(java.util.Arrays.copyOfRange(got, 12, 72)).isEqualTo(f);

            // Too short for header + Ethernet header: dropped, completed, logged once.
            tx.desc(3, 0x400000, 12, 0, 0);
            tx.offer(3);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, TX);
            assertThat(tx.usedIdx()).isEqualTo(2);
            assertThat(b.sent).hasSize(1);
            assertThat(h.logs()).anyMatch(l -> l.contains("less than"));
        }
    }

    /** The receive thread of the newest virtio-net device. */
    private static Thread rxThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().endsWith(" rx")
                && t.getName().startsWith(EMULATION)).max(java.util.Comparator.comparingLong(Thread::threadId)).orElseThrow();
    }

    /**
     * With mergeable buffers, a frame that needs more receive buffers than the driver has offered waits
     * for the driver to offer more. The buffers it could not use are available all along, so "buffers are
     * available" must not count as "try again now": that made the receive thread spin on the ring, a
     * host CPU burnt for as long as the guest (deliberately) offers too little. With EVENT_IDX the
     * device must also ask to be notified of the next buffer (avail_event = the driver's index), or a
     * driver that offers more never says so.
     */
    @Test
    void aFrameNeedingMoreMergeableBuffersWaitsForThemWithoutSpinning() throws Exception {
        FakeBackend b = new FakeBackend(12);
        try (VirtioHarness h = net(b, 0)) {
            GuestRing rx = legacyUp(h, (int) (bit(F_MRG_RXBUF) | bit(F_RING_EVENT_IDX)))[RX];
            rx.desc(0, 0x500000, 100, DESC_F_WRITE, 0);
            rx.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, RX);
            byte[] f = frame(1000, 5);
            byte[] in = new byte[12 + f.length];
            System.arraycopy(f, 0, in, 12, f.length);
            b.incoming.add(in);
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long id = rxThread().threadId();
            assertThat(VirtioHarness.await(b.incoming::isEmpty, 5000)).isTrue();
            Thread.sleep(100); // it has found one buffer too few by now
            long before = mx.getThreadCpuTime(id);
            Thread.sleep(500);
            long spent = mx.getThreadCpuTime(id) - before;
            assertThat(spent).as("receive thread CPU time while waiting for buffers (ns)").isLessThan(50_000_000L);
            assertThat(rx.usedIdx()).isZero();
            assertThat(rx.availEvent()).as("asks to hear of the next buffer").isEqualTo(rx.availIdx());

            rx.desc(1, 0x501000, 1526, DESC_F_WRITE, 0);
            rx.offer(1);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, RX);
            assertThat(VirtioHarness.await(() -> rx.usedIdx() == 2, 5000)).isTrue();
            assertThat(rx.usedLength(0) + rx.usedLength(1)).isEqualTo(12 + f.length);
        }
    }

    /**
     * Two vCPUs notify the transmit queue at once, one through the I/O BAR, the other through the PCI
     * configuration access capability (a config write, made with the function's lock held). The first
     * is inside the transmit loop, between taking a chain and giving it back; the second must not wait
     * for it while holding the lock the first needs to give the chain back: that deadlock hung both
     * vCPUs, and every later pause, checkpoint or config access of the device, for good.
     */
    @Test
    void aNotifyThroughThePciConfigWindowDoesNotDeadlockWithTransmit() throws Exception {
        FakeBackend b = new FakeBackend(12);
        java.util.concurrent.CountDownLatch inSend = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        VirtioHarness h = net(b, 0);
        GuestRing tx = legacyUp(h, 0)[TX];
        byte[] f = frame(60, 4);
        h.memory().write(0x400000, new byte[10], 0, 10);
        h.memory().write(0x40000a, f, 0, f.length);
        tx.desc(0, 0x400000, 10 + f.length, 0, 0);
        tx.offer(0);
        b.beforeSend = () -> {
            inSend.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread ioBar = Thread.ofPlatform().daemon().start(() -> h.lout(LEGACY_QUEUE_NOTIFY, 2, TX));
        assertThat(inSend.await(5, TimeUnit.SECONDS)).isTrue();
        int cap = h.virtioCap(PCI_CAP_PCI_CFG);
        h.cfgWrite(cap + 4, 1, VirtioPciDevice.LEGACY_BAR);
        h.cfgWrite(cap + 8, 4, LEGACY_QUEUE_NOTIFY);
        h.cfgWrite(cap + 12, 4, 2);
        Thread window = Thread.ofPlatform().daemon().start(() -> h.cfgWrite(cap + 16, 2, TX));
        // Let the window's notification get as far as it goes while the first is still sending.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (window.isAlive() && window.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        b.beforeSend = () -> { };
        release.countDown();
        ioBar.join(5000);
        window.join(5000);
        boolean finished = !ioBar.isAlive() && !window.isAlive();
        // After a deadlock closing would hang too (it takes the transmit lock): the harness is left open then.
        assertThat(finished).as("both notifications completed (no deadlock)").isTrue();
        try (h) {
            assertThat(tx.usedIdx()).isEqualTo(1);
            assertThat(b.sent).containsExactly(concat(new byte[12], f));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void transmitWithoutBackendHeaderStripsTheGuestsTenByteHeader() throws Exception {
        FakeBackend b = new FakeBackend(0);
        try (VirtioHarness h = net(b, 0)) {
            GuestRing tx = legacyUp(h, 0)[TX];
            byte[] f = frame(64, 2);
            h.memory().write(0x400000, new byte[10], 0, 10);
            h.memory().write(0x40000a, f, 0, 64);
            tx.desc(0, 0x400000, 74, 0, 0);
            tx.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, TX);
            assertThat(b.sent).containsExactly(f);
        }
    }

    @Test
    void aLargeFrameSpreadsOverMergeableBuffersPublishedTogether() throws Exception {
        FakeBackend b = new FakeBackend(12);
        try (VirtioHarness h = net(b, 0)) {
            GuestRing rx = legacyUp(h, (int) bit(F_MRG_RXBUF))[RX];
            for (int i = 0; i < 4; i++) {
                rx.desc(i, 0x500000 + 0x1000L * i, 1526, DESC_F_WRITE, 0);
                rx.offer(i);
            }
            h.lout(LEGACY_QUEUE_NOTIFY, 2, RX);
            byte[] f = frame(4000, 3);
            byte[] in = new byte[12 + f.length];
            in[0] = 1; // NEEDS_CSUM from the tap: not passed on (GUEST_CSUM not negotiated)
            System.arraycopy(f, 0, in, 12, f.length);
            b.incoming.add(in);
            assertThat(VirtioHarness.await(() -> rx.usedIdx() == 3, 5000)).as(h.logs().toString()).isTrue();
            assertThat(rx.usedLength(0)).isEqualTo(1526);
            assertThat(rx.usedLength(1)).isEqualTo(1526);
            assertThat(rx.usedLength(2)).isEqualTo(12 + 4000 - 2 * 1526);
            byte[] hdr = new byte[12];
            h.memory().read(0x500000, hdr, 0, 12);
            assertThat(hdr).isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0});
            byte[] got = new byte[f.length];
            h.memory().read(0x500000 + 12, got, 0, 1514);
            h.memory().read(0x501000, got, 1514, 1526);
            h.memory().read(0x502000, got, 1514 + 1526, f.length - 1514 - 1526);
            assertThat(got).isEqualTo(f);
        }
    }

    @Test
    void withoutMergeableBuffersAFrameMustFitOneChain() throws Exception {
        FakeBackend b = new FakeBackend(12);
        try (VirtioHarness h = net(b, 0)) {
            GuestRing rx = legacyUp(h, 0)[RX];
            rx.desc(0, 0x500000, 10, DESC_F_WRITE | DESC_F_NEXT, 1); // header
            rx.desc(1, 0x501000, 1514, DESC_F_WRITE, 0);
            rx.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, RX);
            byte[] big = new byte[12 + 2000];
            b.incoming.add(big); // does not fit: dropped, the chain kept
            byte[] f = frame(100, 4);
            byte[] in = new byte[12 + 100];
            System.arraycopy(f, 0, in, 12, 100);
            b.incoming.add(in);
            assertThat(VirtioHarness.await(() -> rx.usedIdx() == 1, 5000)).isTrue();
            assertThat(rx.usedId(0)).isZero();
            assertThat(rx.usedLength(0)).isEqualTo(10 + 100);
            byte[] got = new byte[100];
            h.memory().read(0x501000, got, 0, 100);
            assertThat(got).isEqualTo(f);
            assertThat(h.logs()).anyMatch(l -> l.contains("does not fit"));
        }
    }

    /**
     * While paused (a checkpoint copying guest RAM), a frame that arrives with no receive buffer must not
     * make the device turn the driver's notifications on: that flag (avail_event with EVENT_IDX) is in
     * guest RAM. After the resume the device turns them on and the frame goes in.
     */
    @Test
    void aPausedDeviceLeavesGuestRamAloneWhenAFrameArrives() throws Exception {
        FakeBackend b = new FakeBackend(0);
        try (VirtioHarness h = net(b, 0)) {
            GuestRing rx = legacyUp(h, (int) (bit(F_MRG_RXBUF) | bit(Virtio.F_RING_EVENT_IDX)))[RX];
            rx.desc(0, 0x500000, 2048, DESC_F_WRITE, 0);
            rx.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, RX);
            b.incoming.add(frame(60, 1));
            assertThat(VirtioHarness.await(() -> rx.usedIdx() == 1, 5000)).isTrue();

            h.dev.pause();
            h.memory().startWriteLog();
            b.incoming.add(frame(60, 2)); // no buffer left for it
            Thread.sleep(300);
            for (GuestMemory.Region r : h.memory().regions()) {
                assertThat(h.memory().writtenPages(r)).as("guest RAM written while paused").containsOnly(0L);
            }
            h.memory().stopWriteLog();

            h.dev.resume();
            rx.desc(1, 0x501000, 2048, DESC_F_WRITE, 0);
            rx.offer(1);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, RX);
            assertThat(VirtioHarness.await(() -> rx.usedIdx() == 2, 5000)).as("the frame goes in after the resume").isTrue();
        }
    }

    /**
     * A request that does not come back (the backend stuck in a send) keeps the device from pausing:
     * pause() gives up after the drain wait and says so, instead of letting a checkpoint copy guest RAM
     * that the request's completion would still change. Once the request is done, the device pauses.
     */
    @Test
    void aRequestThatDoesNotComeBackKeepsTheDeviceFromPausing() throws Exception {
        FakeBackend b = new FakeBackend(0);
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        NetBackend stuck = new NetBackend() {
            @Override public int headerBytes() { return b.headerBytes(); }
            @Override public boolean offloads() { return b.offloads(); }
            @Override public void setOffloads(int tunFlags) { b.setOffloads(tunFlags); }
            @Override public int receive(MemorySegment buffer, int timeoutMillis) throws java.io.IOException {
                return b.receive(buffer, timeoutMillis);
            }
            @Override public void wakeup() { b.wakeup(); }
            @Override public String name() { return b.name(); }
            @Override public void close() { b.close(); }

            @Override
            public void send(MemorySegment frame) {
                sending.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                b.send(frame);
            }
        };
        long wait = VirtioPciDevice.drainWaitNanos;
        VirtioPciDevice.drainWaitNanos = TimeUnit.MILLISECONDS.toNanos(300);
        try (VirtioHarness h = new VirtioHarness(VirtioHarness.config(EMULATION),
                (c, n, a, p) -> new VirtioNet(c, a, p, stuck, MAC, 0))) {
            GuestRing tx = legacyUp(h, (int) bit(F_MRG_RXBUF))[TX];
            h.memory().write(0x400000, new byte[12], 0, 12);
            h.memory().write(0x400100, frame(60, 1), 0, 60);
            tx.desc(0, 0x400000, 12, DESC_F_NEXT, 1);
            tx.desc(1, 0x400100, 60, 0, 0);
            tx.offer(0);
            Thread notifier = Thread.ofPlatform().start(() -> h.lout(LEGACY_QUEUE_NOTIFY, 2, TX));
            assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(h.dev::pause).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 request(s) still in flight after 0.3 s; the device cannot be paused now");
            release.countDown();
            notifier.join(5000);
            assertThat(tx.usedIdx()).as("not paused: the request completed").isEqualTo(1);
            assertThat(b.sent).hasSize(1);
            tx.desc(2, 0x400000, 12, DESC_F_NEXT, 3);
            tx.desc(3, 0x400100, 60, 0, 0);
            tx.offer(2);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, TX);
            assertThat(VirtioHarness.await(() -> tx.usedIdx() == 2, 5000)).as("the device runs on").isTrue();

            h.dev.pause(); // nothing in flight now
            assertThat(tx.usedFlags()).as("a paused device leaves the driver's notifications on").isZero();
            h.dev.resume();
        } finally {
            VirtioPciDevice.drainWaitNanos = wait;
        }
    }

    @Test
    void aFrameWaitsForReceiveBuffers() throws Exception {
        FakeBackend b = new FakeBackend(0);
        try (VirtioHarness h = net(b, 0)) {
            GuestRing rx = legacyUp(h, (int) bit(F_MRG_RXBUF))[RX];
            byte[] f = frame(60, 5);
            b.incoming.add(f);
            Thread.sleep(100);
            assertThat(rx.usedIdx()).isZero();
            rx.desc(0, 0x500000, 2048, DESC_F_WRITE, 0);
            rx.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, RX);
            assertThat(VirtioHarness.await(() -> rx.usedIdx() == 1, 5000)).isTrue();
            assertThat(rx.usedLength(0)).isEqualTo(12 + 60);
            byte[] got = new byte[60];
            h.memory().read(0x500000 + 12, got, 0, 60);
            assertThat(got).isEqualTo(f);
            assertThat(h.memory().readShort(0x500000 + 10)).as("num_buffers").isEqualTo((short) 1);
        }
    }

    @Test
    void offloadsTheGuestAcceptsGoToTheBackendAtDriverOk() throws Exception {
        FakeBackend b = new FakeBackend(12);
        try (VirtioHarness h = net(b, 0)) {
            h.enableMsix();
            h.modernSetup(RX, bit(F_VERSION_1) | bit(F_GUEST_CSUM) | bit(F_GUEST_TSO4) | bit(F_GUEST_ECN), 0x100000, 256);
            assertThat(b.offloads).isEqualTo(tun_h.TUN_F_CSUM | tun_h.TUN_F_TSO4 | tun_h.TUN_F_TSO_ECN);
        }
        FakeBackend plain = new FakeBackend(12);
        try (VirtioHarness h = net(plain, 0)) {
            h.modernSetup(RX, bit(F_VERSION_1) | bit(F_GUEST_TSO4), 0x100000, 256);
            assertThat(plain.offloads).as("TSO without checksum offload is not possible").isZero();
        }
    }

    @Test
    void aReceiveBufferWithoutRoomForTheHeaderBreaksTheQueue() throws Exception {
        FakeBackend b = new FakeBackend(0);
        try (VirtioHarness h = net(b, 0)) {
            GuestRing rx = legacyUp(h, (int) bit(F_MRG_RXBUF))[RX];
            rx.desc(0, 0x500000, 4, DESC_F_WRITE, 0);
            rx.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, RX);
            b.incoming.add(frame(60, 6));
            assertThat(VirtioHarness.await(() -> h.logs().stream().anyMatch(l -> l.contains("receive buffer")), 5000))
                    .isTrue();
            assertThat(rx.usedIdx()).isZero();
        }
        assertThat(b.closed).isTrue();
    }
}
