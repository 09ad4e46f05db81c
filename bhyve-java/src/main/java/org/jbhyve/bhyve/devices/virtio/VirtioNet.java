package org.jbhyve.bhyve.devices.virtio;

import static org.jbhyve.bhyve.devices.virtio.Virtio.bit;
import static org.jbhyve.bindings.linux.tun.tun_h.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.bhyve.devices.pci.PciAddress;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

/**
 * bhyve's {@code virtio-net}: a virtio network device (type 1, PCI 1af4:1000, class network) with
 * a receive queue and a transmit queue of 1024 entries each, as in bhyve, on a tap: a Linux tap
 * interface ({@link TapBackend}) or, on FreeBSD, a tap(4) device {@code /dev/tapN} or
 * {@code /dev/vmnetN} ({@link FreeBsdTapBackend}), chosen by the host's OS.
 *
 * <p>Options under the device's node, as {@code -s N,virtio-net,tap0[,mac=..][,mtu=..]} writes
 * them: {@code backend} (the tap; {@code /dev/tapN} is taken as {@code tapN}), {@code mac}
 * ({@code xx:xx:xx:xx:xx:xx}, unicast and not zero; without it bhyve's stable address derived from
 * slot, function and VM {@code name}: 00:a0:98 and the first three bytes of the MD5 of
 * "{@code slot-function-name}"), and {@code mtu} (68 to 65521; offered to the driver with
 * VIRTIO_NET_F_MTU).
 *
 * <p>Features: MAC, STATUS (link always up), MRG_RXBUF, and, when the backend carries a
 * virtio-net header (a Linux tap with IFF_VNET_HDR; FreeBSD's carries none), the checksum and TSO
 * offloads both ways (CSUM,
 * HOST_TSO4/6, HOST_ECN; GUEST_CSUM, GUEST_TSO4/6, GUEST_ECN), the guest's choice passed to the
 * tap with TUNSETOFFLOAD at DRIVER_OK. Without mergeable buffers a received frame must fit one
 * chain ("big packets": a driver taking GUEST_TSO offers 64 KiB chains); one that does not is
 * dropped. With them a frame is spread over as many chains as it needs, published together.
 *
 * <p>Transmission runs on the notifying vCPU (a tap write does not block: the tap is non-blocking
 * and a frame it cannot take is dropped); reception on a thread of its own that reads the tap only
 * while the guest has receive buffers (the kernel queues, then drops, meanwhile).
 */
public final class VirtioNet extends VirtioPciDevice implements AutoCloseable {
    public static final String EMULATION = "virtio-net";
    public static final int QUEUE_SIZE = 1024;
    public static final int RX = 0, TX = 1;

    // device feature bits (virtio 1.2 section 5.1.3)
    public static final int F_CSUM = 0, F_GUEST_CSUM = 1, F_MTU = 3, F_MAC = 5, F_GUEST_TSO4 = 7,
            F_GUEST_TSO6 = 8, F_GUEST_ECN = 9, F_HOST_TSO4 = 11, F_HOST_TSO6 = 12, F_HOST_ECN = 13,
            F_MRG_RXBUF = 15, F_STATUS = 16;
    public static final int S_LINK_UP = 1;
    /** mac[6], status, max_virtqueue_pairs, mtu. */
    public static final int CONFIG_SIZE = 12;
    /** struct virtio_net_hdr without, and with, num_buffers. */
    public static final int HEADER_LEGACY = 10, HEADER_MRG = 12;
    /** The header a backend passes with each frame (the layout with num_buffers, which it ignores). */
    public static final int BACKEND_HEADER_BYTES = HEADER_MRG;
    /** The largest Ethernet frame: a 64 KiB GSO packet with its Ethernet and VLAN headers. */
    public static final int MAX_FRAME = 65535 + 14 + 4;
    public static final int MIN_MTU = 68, MAX_MTU = 65535 - 14;
    private static final int CLASS_NETWORK = 0x02;
    private static final int RX_WAIT_MILLIS = 1000;

    private final NetBackend backend;
    private final byte[] mac;
    private final int mtu;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment txBuffer;
    private final MemorySegment rxBuffer;
    private final Object txLock = new Object();
    private final Object rxKick = new Object();
    private boolean rxKicked;
    private final Thread rxThread;
    private volatile boolean closed;
    private volatile int tunOffloads = -1;
    private volatile long rxDropped, txDropped;

    public static VirtioNet create(ConfigTree config, String node, PciAddress address, Platform platform) {
        String who = EMULATION + "@" + address.node();
        byte[] mac = mac(config, node, address, who);
        int mtu = mtu(config, node, who);
        String device = backendName(config, node, who, HostAbi.FREEBSD);
        NetBackend backend = HostAbi.FREEBSD ? FreeBsdTapBackend.open(device, who) : TapBackend.open(device, who);
        try {
            return new VirtioNet(config, address, platform, backend, mac, mtu);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * The tap named by {@code backend}, without a leading {@code /dev/}: on Linux an interface name, on
     * FreeBSD ({@code freeBsd}) a device name bhyve's tap backend takes ({@code tapN}, {@code vmnetN}).
     * bhyve's other backends (netgraph, netmap, vale, slirp) are refused on both, and FreeBSD's vmnet
     * devices on Linux.
     */
    static String backendName(ConfigTree config, String node, String who, boolean freeBsd) {
        String b = config.get(node + ".backend").orElseThrow(() -> new ConfigException(who
                + " needs a backend: -s <slot>,virtio-net,tapN[,mac=xx:xx:xx:xx:xx:xx][,mtu=N]"));
        if (b.startsWith("/dev/")) b = b.substring("/dev/".length());
        if (freeBsd && !FreeBsdTapBackend.isTapName(b)) {
            throw new ConfigException(who + ": backend \"" + b + "\" is not supported; jbhyve implements bhyve's"
                    + " tap backend: give a tap(4) device, tapN or vmnetN, e.g. -s 3,virtio-net,tap0");
        }
        if (!freeBsd && (b.startsWith("netgraph") || b.startsWith("netmap") || b.startsWith("vale")
                || b.startsWith("slirp") || b.startsWith("vmnet"))) {
            throw new ConfigException(who + ": backend \"" + b + "\" is not supported here; give a Linux tap"
                    + " interface name, e.g. -s 3,virtio-net,tap0");
        }
        return b;
    }

    /**
     * The MAC address device {@code node} has in a VM with {@code config}, as {@code mac=} text: what a
     * restore pins before it renames the VM, because bhyve's generated address depends on the name and
     * the guest keeps the address it booted with.
     */
    public static String macOf(ConfigTree config, String node) {
        return format(mac(config, node, PciAddress.fromNode(node), node));
    }

    /** {@code mac=}, or bhyve's address generated from slot, function and VM name. */
    static byte[] mac(ConfigTree config, String node, PciAddress address, String who) {
        String s = config.get(node + ".mac").orElse(null);
        if (s == null) {
            String seed = address.slot() + "-" + address.function() + "-" + config.get("name", "");
            try {
                byte[] d = MessageDigest.getInstance("MD5").digest(seed.getBytes(StandardCharsets.UTF_8));
                return new byte[] {0x00, (byte) 0xa0, (byte) 0x98, d[0], d[1], d[2]};
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is missing from this JDK", e);
            }
        }
        String[] parts = s.split("[:-]", -1);
        byte[] m = new byte[6];
        boolean ok = parts.length == 6;
        for (int i = 0; ok && i < 6; i++) {
            ok = parts[i].length() >= 1 && parts[i].length() <= 2;
            if (ok) {
                try {
                    m[i] = (byte) Integer.parseInt(parts[i], 16);
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
        }
        if (!ok) throw new ConfigException(who + ": invalid mac=" + s + " (write six hex bytes, e.g. mac=58:9c:fc:01:02:03)");
        if ((m[0] & 1) != 0) throw new ConfigException(who + ": mac=" + s + " is a multicast address");
        if (java.util.Arrays.equals(m, new byte[6])) throw new ConfigException(who + ": mac=" + s + " is all zero");
        return m;
    }

    /** {@code mtu=}, or 0 when not given (F_MTU not offered). */
    static int mtu(ConfigTree config, String node, String who) {
        String s = config.get(node + ".mtu").orElse(null);
        if (s == null) return 0;
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < MIN_MTU || v > MAX_MTU) {
            throw new ConfigException(who + ": invalid mtu=" + s + " (from " + MIN_MTU + " to " + MAX_MTU + ")");
        }
        return v;
    }

    private static long features(NetBackend backend, int mtu) {
        long f = bit(F_MAC) | bit(F_STATUS) | bit(F_MRG_RXBUF);
        if (mtu != 0) f |= bit(F_MTU);
        if (backend.offloads()) {
            f |= bit(F_CSUM) | bit(F_HOST_TSO4) | bit(F_HOST_TSO6) | bit(F_HOST_ECN)
                    | bit(F_GUEST_CSUM) | bit(F_GUEST_TSO4) | bit(F_GUEST_TSO6) | bit(F_GUEST_ECN);
        }
        return f;
    }

    VirtioNet(ConfigTree config, PciAddress address, Platform platform, NetBackend backend, byte[] mac, int mtu) {
        super(EMULATION, address, platform, config, new Identity(Virtio.TYPE_NET, Virtio.LEGACY_ID_NET, CLASS_NETWORK, 0),
                new int[] {QUEUE_SIZE, QUEUE_SIZE}, features(backend, mtu), CONFIG_SIZE);
        if (backend.headerBytes() != 0 && backend.headerBytes() != BACKEND_HEADER_BYTES) {
            throw new IllegalArgumentException("backend header of " + backend.headerBytes() + " bytes");
        }
        this.backend = backend;
        this.mac = mac.clone();
        this.mtu = mtu;
        this.txBuffer = arena.allocate(BACKEND_HEADER_BYTES + MAX_FRAME, 8);
        this.rxBuffer = arena.allocate(BACKEND_HEADER_BYTES + MAX_FRAME, 8);
        this.rxThread = Thread.ofPlatform().daemon().name(name() + " rx").unstarted(this::rxLoop);
        rxThread.start();
    }

    /** The MAC address the driver reads. */
    public byte[] mac() {
        return mac.clone();
    }

    public static String format(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    @Override
    protected byte[] deviceConfig() {
        ByteBuffer b = ByteBuffer.allocate(CONFIG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, mac);
        b.putShort(6, (short) S_LINK_UP);
        b.putShort(8, (short) 1); // max_virtqueue_pairs (valid with MQ only, which is not offered)
        b.putShort(10, (short) mtu);
        return b.array();
    }

    /** The header the driver puts before every frame: 12 bytes with MRG_RXBUF or VERSION_1, else 10. */
    private int guestHeader() {
        long f = negotiatedFeatures();
        return (f & (bit(F_MRG_RXBUF) | bit(Virtio.F_VERSION_1))) != 0 ? HEADER_MRG : HEADER_LEGACY;
    }

    @Override
    protected void driverReady() {
        if (!backend.offloads()) return;
        long f = negotiatedFeatures();
        int t = 0;
        if ((f & bit(F_GUEST_CSUM)) != 0) {
            t |= TUN_F_CSUM;
            if ((f & bit(F_GUEST_TSO4)) != 0) t |= TUN_F_TSO4;
            if ((f & bit(F_GUEST_TSO6)) != 0) t |= TUN_F_TSO6;
            if ((f & bit(F_GUEST_ECN)) != 0 && (t & (TUN_F_TSO4 | TUN_F_TSO6)) != 0) t |= TUN_F_TSO_ECN;
        }
        setOffloads(t);
    }

    @Override
    protected void deviceReset() {
        // Called with the lock held: the tap keeps the last offloads until the next DRIVER_OK, but
        // frames read from now on go nowhere until the driver gives buffers again.
        tunOffloads = -1;
    }

    private void setOffloads(int t) {
        if (t == tunOffloads) return;
        try {
            backend.setOffloads(t);
            tunOffloads = t;
        } catch (IOException e) {
            warnOnce("offload", e.getMessage() + " (the guest may receive frames it did not ask offloads for)");
        }
    }

    @Override
    protected void queueNotified(VirtQueue q) {
        if (q.index() == RX) {
            synchronized (rxKick) {
                rxKicked = true;
                rxKick.notifyAll();
            }
        } else if (q.index() == TX) {
            transmit(q);
        }
    }

    // ---------------------------------------------------------------- transmit

    private void transmit(VirtQueue q) {
        synchronized (txLock) {
            if (closed) return;
            int hl = guestHeader();
            int bh = backend.headerBytes();
            do {
                notifications(q, false);
                DescriptorChain c;
                while (!closed && (c = take(q)) != null) {
                    try {
                        send(c, hl, bh);
                    } catch (RuntimeException e) {
                        abandon(c);
                        if (memoryGone(e)) return;
                        throw e;
                    }
                    giveBack(q, c, 0);
                }
                interruptIfNeeded(q);
            } while (!closed && notifications(q, true));
        }
    }

    private void send(DescriptorChain c, int hl, int bh) {
        long n = c.readableBytes();
        if (n < hl + 14) {
            warnOnce("tx-short", "transmit request of " + n + " bytes, less than the " + hl + "-byte header and an"
                    + " Ethernet header; dropped");
            txDropped++;
            return;
        }
        long frame = n - hl;
        if (frame > MAX_FRAME) {
            warnOnce("tx-long", "transmit request with a " + frame + "-byte frame (at most " + MAX_FRAME + "); dropped");
            txDropped++;
            return;
        }
        if (bh != 0) {
            byte[] h = new byte[HEADER_MRG];
            c.read(0, h, 0, HEADER_LEGACY); // flags, gso_type, hdr_len, gso_size, csum_start, csum_offset
            MemorySegment.copy(h, 0, txBuffer, ValueLayout.JAVA_BYTE, 0, HEADER_MRG);
        }
        c.copyOut(hl, txBuffer.asSlice(bh, frame));
        try {
            backend.send(txBuffer.asSlice(0, bh + frame));
        } catch (IOException e) {
            warnOnce("tx-error", e.getMessage() + " (frames dropped; further errors are not logged)");
            txDropped++;
        }
    }

    // ---------------------------------------------------------------- receive

    private void rxLoop() {
        int pending = 0;
        try {
            while (!closed && !gone()) {
                if (pending == 0) {
                    pending = backend.receive(rxBuffer, RX_WAIT_MILLIS);
                    if (pending > 0 && pending < backend.headerBytes() + 14) pending = 0; // runt: ignored
                    if (pending == 0) continue;
                }
                if (deliver(pending)) {
                    pending = 0;
                } else if (!notifications(queue(RX), true)) { // (true: buffers came meanwhile, try again)
                    synchronized (rxKick) {
                        if (!rxKicked && !closed) rxKick.wait(RX_WAIT_MILLIS);
                        rxKicked = false;
                    }
                }
            }
        } catch (InterruptedException e) {
            // closing
        } catch (IOException e) {
            if (!closed) warnOnce("rx-error", e.getMessage() + "; receiving stopped");
        } catch (RuntimeException e) {
            if (!memoryGone(e)) warnOnce("rx-thread", "receive failed: " + e + "; receiving stopped");
        }
    }

    /**
     * Puts the frame of {@code length} bytes (backend header included) in {@link #rxBuffer} into the
     * guest's receive buffers. Returns false if there are not enough buffers now (nothing taken).
     */
    boolean deliver(int length) {
        VirtQueue q = queue(RX);
        int bh = backend.headerBytes();
        int frame = length - bh;
        int hl = guestHeader();
        boolean mergeable = negotiated(F_MRG_RXBUF);
        long total = (long) hl + frame;
        byte[] header = new byte[HEADER_MRG];
        if (bh != 0 && negotiated(F_GUEST_CSUM)) {
            // flags, gso_type, hdr_len, gso_size, csum_start, csum_offset: meaningful only with GUEST_CSUM
            MemorySegment.copy(rxBuffer, ValueLayout.JAVA_BYTE, 0, header, 0, HEADER_LEGACY);
        }
        int limit = mergeable ? Math.max(1, q.size()) : 1;
        DescriptorChain[] chains = new DescriptorChain[Math.min(limit, 16)];
        long[] written = new long[chains.length];
        int count = 0;
        long room = 0;
        while (room < total && count < limit) {
            DescriptorChain c = take(q);
            if (c == null) {
                for (int i = count - 1; i >= 0; i--) putBack(q, chains[i]);
                return false; // no (more) buffers now: wait for the driver
            }
            if (c.writableBytes() < (count == 0 ? hl : 1)) {
                // Not even the header fits: the driver broke the rules.
                for (int i = count - 1; i >= 0; i--) putBack(q, chains[i]);
                fail(q, String.format(Locale.ROOT, "queue %d: receive buffer (head %d) of %d writable bytes", q.index(),
                        c.head(), c.writableBytes()));
                abandon(c);
                return true;
            }
            if (count == chains.length) {
                chains = java.util.Arrays.copyOf(chains, Math.min(limit, count * 2));
                written = java.util.Arrays.copyOf(written, chains.length);
            }
            chains[count++] = c;
            room += c.writableBytes();
            if (!mergeable) break;
        }
        if (room < total) {
            // The frame does not fit the chain (big-packets mode) or the whole ring: dropped, buffers kept.
            warnOnce("rx-too-big", "a " + frame + "-byte frame does not fit the driver's " + room + "-byte receive"
                    + " buffer" + (mergeable ? "s" : " (no mergeable buffers)") + "; dropped");
            rxDropped++;
            for (int i = count - 1; i >= 0; i--) putBack(q, chains[i]);
            return true;
        }
        if (hl == HEADER_MRG) ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putShort(10, (short) count);
        long at = 0; // offset in (header + frame)
        for (int i = 0; i < count; i++) {
            DescriptorChain c = chains[i];
            long n = Math.min(c.writableBytes(), total - at);
            long off = 0;
            if (at < hl) {
                int h = (int) Math.min(hl - at, n);
                c.write(0, header, (int) at, h);
                off = h;
            }
            if (n > off) c.copyIn(off, rxBuffer.asSlice(bh + (at + off - hl), n - off));
            written[i] = n;
            at += n;
        }
        giveBack(q, chains, written, count);
        interruptIfNeeded(q);
        return true;
    }

    /** Frames dropped: not fitting a buffer on receive, malformed or refused on transmit. */
    long dropped() {
        return rxDropped + txDropped;
    }

    // ---------------------------------------------------------------- snapshots

    /** The device record: the MAC address and MTU, which a restore requires to be the same. */
    @Override
    protected StateRecord saveDeviceState() {
        return StateRecord.builder().putBytes("mac", mac).putU32("mtu", mtu).build();
    }

    @Override
    protected ModelRestore prepareDeviceRestore(StateReader device, int version) throws SnapshotFormatException {
        byte[] m = device.bytesAtMost("mac", 6, "a MAC address");
        if (!java.util.Arrays.equals(m, mac)) {
            throw device.invalid("mac", format(m) + ", but this VM's " + name() + " has " + format(mac)
                    + " (give the same mac= to restore)");
        }
        long t = device.u32("mtu");
        if (t != mtu) throw device.invalid("mtu", t + ", but this VM's " + name() + " has " + mtu);
        return ModelRestore.NONE;
    }

    @Override
    protected void vmGone() {
        close();
    }

    /** Stops the receive thread and closes the tap. */
    @Override
    public void close() {
        synchronized (txLock) {
            if (closed) return;
            closed = true;
        }
        backend.wakeup();
        synchronized (rxKick) {
            rxKick.notifyAll();
        }
        if (Thread.currentThread() != rxThread) {
            try {
                rxThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        backend.close();
        if (!rxThread.isAlive()) arena.close();
    }
}
