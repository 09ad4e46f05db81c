package org.jbhyve.bhyve.devices.virtio;

import static org.jbhyve.bhyve.devices.virtio.Virtio.bit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.bhyve.devices.pci.PciAddress;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.vmm.GuestMemory;

/**
 * bhyve's {@code virtio-blk}: a virtio block device (type 2, PCI 1af4:1001, class storage) on a raw
 * image file, with one 128-entry request queue as in bhyve.
 *
 * <p>Options (bhyve's block_if keys under the device's node, as {@code -s N,virtio-blk,PATH,...}
 * writes them): {@code path}, {@code ro}, {@code nocache}, {@code direct}/{@code sync},
 * {@code nodelete}, {@code sectorsize=L[/P]}, and {@code serial} (or {@code ser}) for the GET_ID
 * string, which otherwise is bhyve's {@code BHYVE-XXXX-XXXX-XXXX} from the MD5 of the path.
 *
 * <p>Requests: IN, OUT, FLUSH (fsync: what completed before is durable when it completes), GET_ID,
 * DISCARD (fallocate PUNCH_HOLE; offered only when the file system supports it, the disk is
 * writable and {@code nodelete} is not given), WRITE_ZEROES (offered on writable disks); anything
 * else completes with UNSUPP. A read-only disk offers VIRTIO_BLK_F_RO and completes writes with
 * IOERR without touching the file. Requests outside the disk, with data not a multiple of 512
 * bytes, or malformed are IOERR; a chain without a writable status byte is a ring violation.
 *
 * <p>Requests are processed on the device's own I/O thread; a notification only wakes it, so a
 * slow disk never stalls a vCPU. Zero-copy: file I/O goes straight to and from guest memory. The
 * thread works in batches: it takes every available request (up to {@link #BATCH_MAX}) in one lock
 * round trip, does the I/O and writes the status byte of each, then publishes them all with one
 * used index update and raises at most one interrupt for the batch (none if the driver suppressed
 * it: with EVENT_IDX only if the batch moved the used index past used_event). A pause or snapshot
 * waits for the batch in flight. Idle, the thread spins briefly ({@link #SPIN_NANOS}) before it parks.
 */
public final class VirtioBlk extends VirtioPciDevice implements AutoCloseable {
    public static final String EMULATION = "virtio-blk";
    public static final int QUEUE_SIZE = 128;
    public static final int SECTOR = 512;

    // device-specific feature bits (virtio 1.2 section 5.2.3)
    public static final int F_SIZE_MAX = 1, F_SEG_MAX = 2, F_GEOMETRY = 4, F_RO = 5, F_BLK_SIZE = 6, F_FLUSH = 9,
            F_TOPOLOGY = 10, F_CONFIG_WCE = 11, F_MQ = 12, F_DISCARD = 13, F_WRITE_ZEROES = 14;
    // request types and status values (section 5.2.6)
    public static final int T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_FLUSH_OUT = 5, T_GET_ID = 8, T_DISCARD = 11,
            T_WRITE_ZEROES = 13;
    private static final int T_BARRIER = 0x80000000;
    public static final int S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;
    public static final int ID_BYTES = 20;
    public static final int HEADER_BYTES = 16;
    /** The config structure up to and including write_zeroes_may_unmap and its padding. */
    public static final int CONFIG_SIZE = 60;
    /** Segments a discard / write zeroes request may carry, and sectors per segment (16 MiB as bhyve). */
    public static final int MAX_DISCARD_SEG = 16;
    public static final int MAX_DISCARD_SECTORS = (16 << 20) / SECTOR;
    /** Data segments per request: what the 128-entry ring leaves after header and status. */
    public static final int SEG_MAX = QUEUE_SIZE - 2;
    private static final int CLASS_STORAGE = 0x01;

    private final BlockFile file;
    private final long capacity;
    private final byte[] id;
    private final Thread ioThread;
    private final Transfer transfer = new Transfer();
    /**
     * How long the idle I/O thread spins for the next notification before it parks: a bound on the
     * CPU burnt per idle period (at most 30 us), paid so that a driver resubmitting right after its
     * completion interrupt does not also pay the wake-up of a parked thread.
     */
    static final long SPIN_NANOS = 30_000;

    /**
     * The most requests one batch takes before it publishes them (one used index update, at most
     * one interrupt). Less than the queue: at a deep queue the driver then reaps and resubmits one
     * batch while the device works on the next, instead of both taking turns over the whole queue
     * (ci/bench-blk: 4 KiB QD32 at 0.69-0.76 of fio psync with 16, 0.57-0.65 with the queue size).
     */
    static final int BATCH_MAX = 16;

    private final Object kick = new Object();
    /** A notification arrived since the I/O thread last looked (set by vCPUs, cleared by the I/O thread). */
    private volatile boolean kicked;
    /** The I/O thread is (about to be) waiting on {@link #kick}: notifiers must wake it. */
    private volatile boolean parked;
    private volatile boolean closed;

    public static VirtioBlk create(ConfigTree config, String node, PciAddress address, Platform platform) {
        String who = EMULATION + "@" + address.node();
        BlockFile.Options o = options(config, node, who);
        BlockFile file = BlockFile.open(o, who, node + ".path", msg -> platform.log(who, msg));
        try {
            return new VirtioBlk(config, address, platform, file, o.noDelete(), ident(config, node, o.path()));
        } catch (RuntimeException e) {
            try {
                file.close();
            } catch (IOException ignored) {
                // reporting the first problem
            }
            throw e;
        }
    }

    /** bhyve's block_if keys under {@code node}. */
    static BlockFile.Options options(ConfigTree config, String node, String who) {
        String path = config.get(node + ".path").orElseThrow(() -> new ConfigException(who
                + " needs a backing file: -s <slot>,virtio-blk,/path/to/disk.img[,ro][,nocache][,sync][,sectorsize=512]"));
        if (path.isEmpty()) throw new ConfigException(who + ": the backing file path is empty");
        boolean ro = config.getBoolean(node + ".ro", false);
        boolean nocache = config.getBoolean(node + ".nocache", false);
        boolean sync = config.getBoolean(node + ".sync", false) || config.getBoolean(node + ".direct", false);
        boolean nodelete = config.getBoolean(node + ".nodelete", false);
        int logical = 0, physical = 0;
        String ss = config.get(node + ".sectorsize").orElse(null);
        if (ss != null) {
            int slash = ss.indexOf('/');
            try {
                logical = Integer.parseInt(slash < 0 ? ss : ss.substring(0, slash));
                physical = slash < 0 ? logical : Integer.parseInt(ss.substring(slash + 1));
            } catch (NumberFormatException e) {
                logical = -1;
            }
            if (logical < SECTOR || physical < logical || Integer.bitCount(logical) != 1 || Integer.bitCount(physical) != 1
                    || physical > (1 << 20)) {
                throw new ConfigException(who + ": invalid sectorsize=" + ss + " (give logical[/physical] sizes in bytes,"
                        + " powers of two, logical at least 512 and at most physical, e.g. sectorsize=512/4096)");
            }
        }
        return new BlockFile.Options(Path.of(path), ro, nocache, sync, nodelete, logical, physical);
    }

    /** The GET_ID string: {@code serial}/{@code ser}, else bhyve's MD5-of-path identifier; 20 bytes, NUL padded. */
    static byte[] ident(ConfigTree config, String node, Path path) {
        String s = config.get(node + ".serial").or(() -> config.get(node + ".ser")).orElse(null);
        if (s == null) {
            try {
                byte[] d = MessageDigest.getInstance("MD5").digest(path.toString().getBytes(StandardCharsets.UTF_8));
                HexFormat hex = HexFormat.of().withUpperCase();
                s = "BHYVE-" + hex.formatHex(d, 0, 2) + "-" + hex.formatHex(d, 2, 4) + "-" + hex.formatHex(d, 4, 6);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is missing from this JDK", e);
            }
        }
        byte[] id = new byte[ID_BYTES];
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, id, 0, Math.min(b.length, ID_BYTES));
        return id;
    }

    private static long features(BlockFile file, boolean noDelete) {
        long f = bit(F_SEG_MAX) | bit(F_BLK_SIZE) | bit(F_FLUSH) | bit(F_TOPOLOGY);
        if (file.readOnly()) {
            f |= bit(F_RO);
        } else {
            f |= bit(F_WRITE_ZEROES);
            if (file.canPunchHole() && !noDelete) f |= bit(F_DISCARD);
        }
        return f;
    }

    VirtioBlk(ConfigTree config, PciAddress address, Platform platform, BlockFile file, boolean noDelete, byte[] id) {
        super(EMULATION, address, platform, config, new Identity(Virtio.TYPE_BLOCK, Virtio.LEGACY_ID_BLOCK, CLASS_STORAGE, 0),
                new int[] {QUEUE_SIZE}, features(file, noDelete), CONFIG_SIZE);
        this.file = file;
        this.capacity = file.size() / SECTOR;
        this.id = id.clone();
        this.ioThread = Thread.ofPlatform().daemon().name(name() + " io").unstarted(this::ioLoop);
        ioThread.start();
    }

    /** Disk size in 512-byte sectors. */
    public long capacity() {
        return capacity;
    }

    public boolean readOnly() {
        return file.readOnly();
    }

    @Override
    protected byte[] deviceConfig() {
        ByteBuffer b = ByteBuffer.allocate(CONFIG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int logical = file.logicalSector(), physical = file.physicalSector();
        b.putLong(0, capacity);
        b.putInt(8, 0); // size_max: not offered
        b.putInt(12, SEG_MAX);
        b.putInt(16, 0); // geometry: none
        b.putInt(20, logical);
        b.put(24, (byte) Integer.numberOfTrailingZeros(physical / logical));
        b.put(25, (byte) 0); // alignment_offset
        b.putShort(26, (short) 0); // min_io_size
        b.putInt(28, 0); // opt_io_size
        b.put(32, (byte) 0); // writeback (CONFIG_WCE not offered)
        b.putShort(34, (short) 1); // num_queues
        b.putInt(36, MAX_DISCARD_SECTORS);
        b.putInt(40, MAX_DISCARD_SEG);
        b.putInt(44, Math.max(logical, physical) / SECTOR);
        b.putInt(48, MAX_DISCARD_SECTORS);
        b.putInt(52, MAX_DISCARD_SEG);
        b.put(56, (byte) (file.canPunchHole() ? 1 : 0));
        return b.array();
    }

    // ---------------------------------------------------------------- the I/O thread

    @Override
    protected void queueNotified(VirtQueue q) {
        kicked = true;
        if (parked) {
            synchronized (kick) {
                kick.notifyAll();
            }
        }
    }

    /**
     * Waits for a notification: first spins for up to {@link #SPIN_NANOS} on the kick flag (a
     * driver that submits again right after its completion interrupt then finds the thread awake,
     * without a park/unpark pair), then parks. Returns false when the device is closing.
     */
    private boolean awaitKick() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (!kicked && !closed && System.nanoTime() - deadline < 0) Thread.onSpinWait();
        if (!kicked && !closed) {
            synchronized (kick) {
                parked = true; // a notifier that sets kicked after this sees parked and wakes us
                try {
                    while (!kicked && !closed) kick.wait();
                } catch (InterruptedException e) {
                    return false;
                } finally {
                    parked = false;
                }
            }
        }
        kicked = false;
        return !closed;
    }

    private void ioLoop() {
        VirtQueue q = queue(0);
        DescriptorChain[] batch = new DescriptorChain[BATCH_MAX]; // refilled by every take
        long[] written = new long[BATCH_MAX];
        while (!closed) {
            if (!awaitKick()) return;
            do {
                notifications(q, false);
                int n = closed ? 0 : takeBatch(q, batch, BATCH_MAX);
                while (n > 0) {
                    if (!processBatch(q, batch, written, n)) {
                        complete(q, batch, written, n); // the VM ended: the rest of the batch is dropped
                        return;
                    }
                    // one lock round trip: publish this batch, take the next, then at most one interrupt
                    n = completeAndTake(q, batch, written, n, closed ? 0 : BATCH_MAX);
                }
            } while (!closed && !gone() && notifications(q, true));
            if (gone()) return;
        }
    }

    /**
     * Processes {@code n} requests, setting {@code written[i]} for each (-1: abandon it). Returns
     * false if the VM's memory went away under it; the requests after that one are abandoned.
     */
    private boolean processBatch(VirtQueue q, DescriptorChain[] batch, long[] written, int n) {
        for (int i = 0; i < n; i++) {
            try {
                written[i] = process(q, batch[i]);
            } catch (RuntimeException e) {
                written[i] = -1;
                if (memoryGone(e)) {
                    Arrays.fill(written, i + 1, n, -1);
                    return false;
                }
                warnOnce("io-thread", "request failed: " + e);
            }
        }
        return true;
    }

    private boolean inRange(long sector, long bytes) {
        return bytes % SECTOR == 0 && Long.compareUnsigned(sector, capacity) <= 0 && bytes / SECTOR <= capacity - sector;
    }

    /**
     * Handles one request and writes its status byte; returns the bytes written into the chain, or
     * -1 if the chain is to be abandoned (the caller completes or abandons it either way).
     */
    long process(VirtQueue q, DescriptorChain c) {
        long writable = c.writableBytes();
        if (writable < 1) {
            fail(q, String.format("queue %d: request (head %d) has no device-writable byte for its status", q.index(),
                    c.head()));
            return -1;
        }
        long statusAt = writable - 1;
        int status;
        long written = 1;
        try {
            if (c.readableBytes() < HEADER_BYTES) {
                warnOnce("short-header", "request with " + c.readableBytes() + " readable bytes, less than the 16-byte"
                        + " header; completed with IOERR");
                status = S_IOERR;
            } else {
                int type = c.readInt(0) & ~T_BARRIER; // header: type, reserved, sector
                long sector = c.readLong(8);
                switch (type) {
                    case T_IN -> {
                        long len = statusAt;
                        status = read(c, sector, len);
                        if (status == S_OK) written = len + 1;
                    }
                    case T_OUT -> status = write(c, sector, c.readableBytes() - HEADER_BYTES);
                    case T_FLUSH, T_FLUSH_OUT -> {
                        file.flush();
                        status = S_OK;
                    }
                    case T_GET_ID -> {
                        int n = (int) Math.min(ID_BYTES, statusAt);
                        c.write(0, id, 0, n);
                        written = n + 1;
                        status = S_OK;
                    }
                    case T_DISCARD, T_WRITE_ZEROES -> status = discardOrZero(c, type == T_DISCARD);
                    default -> status = S_UNSUPP;
                }
            }
        } catch (IOException e) {
            warnOnce("io-error", "I/O error on " + file.path() + ": " + e.getMessage() + " (completed with IOERR;"
                    + " further errors are not logged)");
            status = S_IOERR;
            written = 1;
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException && !(e instanceof org.jbhyve.vmm.GuestMemoryException)) throw e;
            warnOnce("request-error", "request failed: " + e + " (completed with IOERR)");
            status = S_IOERR;
            written = 1;
        }
        c.writeByte(statusAt, (byte) status);
        return written;
    }

    private int read(DescriptorChain c, long sector, long len) throws IOException {
        if (!inRange(sector, len)) return S_IOERR;
        long offset = sector * SECTOR;
        if (file.direct()) {
            file.readDirect(offset, len, c::copyIn);
        } else {
            transfer.run(c, true, 0, len, offset);
        }
        return S_OK;
    }

    private int write(DescriptorChain c, long sector, long len) throws IOException {
        if (file.readOnly()) return S_IOERR;
        if (!inRange(sector, len)) return S_IOERR;
        long offset = sector * SECTOR;
        if (file.direct()) {
            file.writeDirect(offset, len, (done, chunk) -> c.copyOut(HEADER_BYTES + done, chunk));
        } else {
            transfer.run(c, false, HEADER_BYTES, len, offset);
        }
        return S_OK;
    }

    /**
     * Moves a request's data between the file and guest memory, buffer by buffer, straight into or
     * out of guest RAM. One per device, used only by the I/O thread: an object reused for every
     * request instead of a capturing lambda and a position holder allocated for each.
     */
    private final class Transfer implements DescriptorChain.Piece {
        private GuestMemory memory;
        private boolean toGuest;
        private long position;

        /**
         * Moves {@code length} bytes between file {@code position} and the chain's writable stream
         * ({@code toGuest}: a read) or readable stream (a write), from {@code streamOffset} on.
         */
        void run(DescriptorChain c, boolean toGuest, long streamOffset, long length, long position) throws IOException {
            this.memory = c.memory();
            this.toGuest = toGuest;
            this.position = position;
            c.forEach(toGuest, streamOffset, length, this);
        }

        @Override
        public void accept(long gpa, int length) throws IOException {
            if (toGuest) {
                try {
                    file.read(position, memory.slice(gpa, length));
                } finally {
                    memory.written(gpa, length); // it may have been in flight when a checkpoint's log started
                }
            } else {
                file.write(position, memory.readSlice(gpa, length));
            }
            position += length;
        }
    }

    private int discardOrZero(DescriptorChain c, boolean discard) throws IOException {
        if (!negotiated(discard ? F_DISCARD : F_WRITE_ZEROES)) return S_UNSUPP;
        long payload = c.readableBytes() - HEADER_BYTES;
        if (payload <= 0 || payload % 16 != 0 || payload / 16 > MAX_DISCARD_SEG) return S_IOERR;
        int segments = (int) (payload / 16);
        byte[] raw = new byte[segments * 16];
        c.read(HEADER_BYTES, raw, 0, raw.length);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < segments; i++) {
            long sector = b.getLong(16 * i);
            long count = Integer.toUnsignedLong(b.getInt(16 * i + 8));
            int flags = b.getInt(16 * i + 12);
            // Discard knows no flags; write zeroes knows unmap (bit 0). Unknown flags: UNSUPP (5.2.6.2).
            if ((flags & (discard ? ~0 : ~1)) != 0) return S_UNSUPP;
            if (count > MAX_DISCARD_SECTORS || !inRange(sector, count * SECTOR)) return S_IOERR;
        }
        if (file.readOnly()) return S_IOERR;
        for (int i = 0; i < segments; i++) {
            long sector = b.getLong(16 * i);
            long count = Integer.toUnsignedLong(b.getInt(16 * i + 8));
            if (count == 0) continue;
            if (discard) file.punchHole(sector * SECTOR, count * SECTOR);
            else file.writeZeroes(sector * SECTOR, count * SECTOR, (b.getInt(16 * i + 12) & 1) != 0);
        }
        return S_OK;
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * The device record: the disk's size and sector size, which a restore requires to be the same, and the
     * image's modification time, which a restore compares to warn about an image written since.
     */
    @Override
    protected StateRecord saveDeviceState() {
        StateRecord.Builder b = StateRecord.builder()
                .putU64("capacity", capacity)
                .putU32("blk_size", file.logicalSector());
        long modified = file.modifiedNanos(); // paused: no write of this device is in flight
        if (modified >= 0) b.putU64("image_mtime_ns", modified);
        return b.build();
    }

    /**
     * A snapshot holds the guest's RAM but not its disk: its page cache and file system state only fit the
     * image as it was at the checkpoint. A VM that kept running after a checkpoint (or anything else) has
     * written the image since, and restoring that older snapshot onto it can damage the guest's file systems.
     * bhyve, QEMU and Firecracker restore regardless; jbhyve says so, once, and restores (a copy made without
     * keeping times, or a backup put back, also changes the time while the contents may be right).
     */
    private void warnIfImageChanged(StateReader device) throws SnapshotFormatException {
        if (!device.has("image_mtime_ns")) return; // older snapshots, and block devices
        long then = device.u64("image_mtime_ns");
        long now = file.modifiedNanos();
        if (file.unmodifiedSince(then, now)) return;
        platform().log(name(), "warning: " + file.path() + " was modified after this snapshot was taken (at "
                + Instant.ofEpochSecond(0, now) + ", the snapshot has " + Instant.ofEpochSecond(0, then)
                + "): unless it holds what it held then, the guest's file systems on it may be damaged");
    }

    @Override
    protected ModelRestore prepareDeviceRestore(StateReader device, int version) throws SnapshotFormatException {
        long cap = device.u64("capacity");
        if (cap != capacity) {
            throw device.invalid("capacity", String.format(Locale.ROOT, "%d sectors, but %s has %d (a different disk"
                    + " image; the guest would see its disk change size)", cap, file.path(), capacity));
        }
        long bs = device.u32("blk_size");
        if (bs != file.logicalSector()) {
            throw device.invalid("blk_size", bs + " bytes, but this disk has " + file.logicalSector() + "-byte sectors");
        }
        warnIfImageChanged(device);
        return ModelRestore.NONE;
    }

    @Override
    protected void vmGone() {
        try {
            close();
        } catch (IOException ignored) {
            // the VM is gone; nothing to report to
        }
    }

    /**
     * Stops the I/O thread (after the request it is on) and closes the image. If the thread is still
     * in a request after 10 s (a hung file system), the image stays open: its descriptor number must
     * not be reused by another file while that thread may still read or write through it.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (kick) {
            kick.notifyAll();
        }
        try {
            ioThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ioThread.isAlive()) {
            warnOnce("close", "the I/O thread is still busy with a request after 10 s; " + file.path() + " stays open");
            return;
        }
        file.close();
    }
}
