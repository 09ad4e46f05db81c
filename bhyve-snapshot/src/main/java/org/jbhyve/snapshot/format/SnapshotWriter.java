package org.jbhyve.snapshot.format;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.libc_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Writes one snapshot file atomically (docs/snapshot-format.md, "Writing").
 *
 * <p>The file is built as {@code .F.tmp.<16 hex>} in F's directory, created with mode 0600 and held
 * under {@code flock}; chunks and RAM are written with positional writes as they are added; {@link #commit()}
 * writes the {@code ram.crc} chunk, the manifest and the header, fsyncs the file, renames it onto F and
 * fsyncs the directory. Any failure (ENOSPC included), {@link #abort()}, or {@link #close()} without a
 * commit removes the temporary file: F is either the old snapshot, or the complete new one, never a
 * mixture. A writer also removes the temporary files of earlier writers of F that died (their lock is
 * free).
 *
 * <pre>{@code
 * SnapshotMetadata meta = SnapshotMetadata.of("vm1", 2, config.flatten(), HostInfo.detect("kvm"));
 * try (SnapshotWriter w = SnapshotWriter.create(Path.of("/vms/vm1.ckp"), meta)) {
 *     w.addChunk("vm", "", 1, true, vmState);
 *     for (int id = 0; id < 2; id++) w.addChunk("vcpu", Integer.toString(id), 1, true, "kvm", vcpuState[id]);
 *     w.addChunk("dev.virtio-blk@pci.0.2.0", "", 1, true, blk.saveState());
 *     w.addRamRegion("lowmem", 0, lowmem);            // scans, writes non-zero pages, sums 2 MiB blocks
 *     w.commit();                                     // manifest, header, fsync, rename, fsync directory
 * }                                                   // no commit (an exception): temporary file removed
 * }</pre>
 *
 * <p>Not thread-safe: one thread adds chunks and regions, then commits.
 */
public final class SnapshotWriter implements AutoCloseable {
    private static final int MAX_NAME = 255 - 22; // "." + name + ".tmp." + 16 hex digits must fit NAME_MAX
    /** Longest run of non-zero pages written with one pwrite. */
    private static final long MAX_RUN = 64L << 20;
    private static final long PAGE = SnapshotFormat.PAGE_SIZE;
    private static final long BLOCK = SnapshotFormat.BLOCK_SIZE;

    /** Produces a chunk's state on demand; whatever it throws aborts the snapshot. */
    @FunctionalInterface
    public interface ChunkProducer {
        StateRecord produce() throws Exception;
    }

    private enum State { OPEN, COMMITTED, ABORTED }

    private final int dirFd;
    private final boolean ownsDirFd;
    private final String name;
    private final String tmpName;
    private final String displayPath;
    private final SnapshotMetadata meta;
    private final long memorySize;
    private final UUID id = randomId();
    /** Why the temporary file of an abandoned write is still there (its unlink failed), or null. */
    private String tempNotRemoved;
    private int fd;
    private long cursor = SnapshotFormat.HEADER_LENGTH;
    private final List<ChunkEntry> chunks = new ArrayList<>();
    private final Set<String> chunkKeys = new HashSet<>();
    private final List<RamRegion> regions = new ArrayList<>();
    private final List<int[]> regionCrcs = new ArrayList<>();
    private final List<LiveRamRegion> liveRegions = new ArrayList<>();
    private State state = State.OPEN;
    /** The chunks' payload bytes so far (at most {@link SnapshotFormat#MAX_CHUNKS_TOTAL}). */
    private long chunkBytes;

    private SnapshotWriter(int dirFd, boolean ownsDirFd, String name, String displayPath, Path listing,
                           SnapshotMetadata meta) throws IOException {
        this.dirFd = dirFd;
        this.ownsDirFd = ownsDirFd;
        this.name = name;
        this.displayPath = displayPath;
        this.meta = meta;
        String size = meta.config().getOrDefault("memory.size", MemorySizes.DEFAULT);
        long parsed = MemorySizes.parse(size);
        if (parsed < 0) {
            closeDir();
            throw new IllegalArgumentException("config memory.size '" + size + "' is not a memory size");
        }
        this.memorySize = MemorySizes.pageRounded(parsed);
        String refused = targetProblem();
        if (refused != null) {
            closeDir();
            throw new SnapshotWriteException(displayPath, refused, null, null);
        }
        removeStale(dirFd, name, listing);
        String tmp = null;
        String candidate = null;
        int tmpFd = -1;
        try {
            for (int attempt = 0; attempt < 16 && tmp == null; attempt++) {
                candidate = tempName(name);
                try {
                    tmpFd = Fs.openat(dirFd, candidate,
                            Fs.O_RDWR | Fs.O_CREAT | Fs.O_EXCL | Fs.O_NOFOLLOW, 0600);
                } catch (Fs.ErrnoException e) {
                    if (e.errno == Errno.EEXIST) continue; // the name is taken: O_EXCL kept it safe, try another
                    throw e;
                }
                if (ownTemp(dirFd, candidate, tmpFd)) {
                    tmp = candidate;
                } else {
                    Fs.closeQuietly(tmpFd);
                    tmpFd = -1;
                }
            }
        } catch (Fs.ErrnoException e) {
            if (tmpFd >= 0) {
                // Created, but locking it or opening it again failed (ENOLCK on NFS, EMFILE): the file is ours
                // and nobody else's to remove, and a failed checkpoint leaves no file behind.
                try {
                    Fs.unlinkat(dirFd, candidate);
                } catch (Fs.ErrnoException ignored) {
                    // unlocked once closed: the next writer of this snapshot removes it
                }
            }
            Fs.closeQuietly(tmpFd);
            closeDir();
            throw new SnapshotWriteException(displayPath, "cannot write snapshot " + displayPath + ": cannot create a"
                    + " temporary file in its directory: " + Fs.describe(e.errno), Errno.name(e.errno), e);
        }
        if (tmp == null) {
            closeDir();
            throw new SnapshotWriteException(displayPath, "cannot write snapshot " + displayPath
                    + ": could not create a temporary file nobody else was removing", null, null);
        }
        this.tmpName = tmp;
        this.fd = tmpFd;
    }

    /** Starts writing the snapshot {@code file} (in an existing directory). */
    public static SnapshotWriter create(Path file, SnapshotMetadata meta) throws IOException {
        Objects.requireNonNull(meta, "meta");
        // Not normalize(): "link/../x" is x in the directory the link points to's parent, which only the
        // kernel can tell; a textual tidy-up would name another file.
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) throw new IllegalArgumentException("not a file path: " + file);
        String name = abs.getFileName().toString();
        checkName(name);
        int dirFd;
        try {
            dirFd = Fs.open(dir.toString(), Fs.O_RDONLY | Fs.O_DIRECTORY);
        } catch (Fs.ErrnoException e) {
            throw new SnapshotWriteException(abs.toString(), "cannot write snapshot " + abs + ": cannot open its directory "
                    + dir + ": " + Fs.describe(e.errno), Errno.name(e.errno), e);
        }
        return new SnapshotWriter(dirFd, true, name, abs.toString(), dir, meta);
    }

    /**
     * Starts writing snapshot {@code name} in the directory open as {@code dirFd} (as bhyvectl passes it
     * over the checkpoint socket). The descriptor stays the caller's; it is not closed. Stale temporary
     * files are found by listing {@code /proc/self/fd/dirFd} (Linux; FreeBSD needs fdescfs on /dev/fd).
     */
    public static SnapshotWriter create(int dirFd, String name, SnapshotMetadata meta) throws IOException {
        Objects.requireNonNull(meta, "meta");
        checkName(name);
        if (dirFd < 0) throw new IllegalArgumentException("invalid directory descriptor " + dirFd);
        String display = Fs.describeDirectory(dirFd) + "/" + name;
        return new SnapshotWriter(dirFd, false, name, display, Fs.directoryOf(dirFd), meta);
    }

    /**
     * Why the snapshot's name cannot be replaced, or null when it names nothing or a regular file. The new
     * snapshot is renamed over the old one, and rename replaces whatever has the name: a device node or a
     * FIFO (a checkpoint to /dev/null would replace the host's /dev/null), or a symbolic link itself rather
     * than the file it points to, which would keep the old snapshot there. A directory would fail at the
     * rename, after all of RAM was written. All are refused before anything is written.
     */
    private String targetProblem() throws IOException {
        FileStat st;
        try {
            st = Fs.statNoFollow(dirFd, name);
        } catch (Fs.ErrnoException e) {
            return "cannot write snapshot " + displayPath + ": cannot tell what is there: " + Fs.describe(e.errno);
        }
        if (st == null || st.isRegularFile()) return null;
        if ((st.mode() & libc_h.S_IFMT) == libc_h.S_IFLNK) {
            return "cannot write snapshot " + displayPath + ": it is a symbolic link, and a snapshot is put in place by"
                    + " renaming a new file over the old one, which would replace the link instead of the file it points"
                    + " to; name that file, or remove the link";
        }
        return "cannot write snapshot " + displayPath + ": it exists and is " + st.kind() + ", and a checkpoint"
                + " replaces only a regular file; remove it or choose another name";
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid snapshot file name '" + name + "'");
        }
        // NAME_MAX counts bytes: "é" is two of them.
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME) {
            throw new IllegalArgumentException("snapshot file name '" + name + "' is longer than " + MAX_NAME
                    + " bytes (UTF-8), which leaves no room for its temporary name's 22 more");
        }
    }

    /*
     * The temporary name and the snapshot id are not drawn from SecureRandom (nor UUID.randomUUID, which uses
     * it): its first use reads java.security and the entropy device, and one I/O error there, on a VM's first
     * checkpoint, fails a class initialisation for good, and with it every later checkpoint of that VM
     * (NoClassDefFoundError). Neither needs to be secret: O_EXCL and O_NOFOLLOW make a name someone else took
     * fail the create, and another name is tried; the id tells snapshots apart.
     */

    private static String tempName(String name) {
        return "." + name + ".tmp." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** A random (version 4, IETF variant) UUID. */
    private static UUID randomId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = r.nextLong() & ~0xf000L | 0x4000L;
        long lsb = r.nextLong() & ~(3L << 62) | 1L << 63;
        return new UUID(msb, lsb);
    }

    private static Pattern tempPattern(String name) {
        return Pattern.compile(Pattern.quote("." + name + ".tmp.") + "[0-9a-f]{16}");
    }

    /**
     * Takes the lock on a just-created temporary file and makes sure the name still refers to it: a
     * cleaner could have locked and removed it between the create and the lock.
     */
    private static boolean ownTemp(int dirFd, String tmp, int fd) throws Fs.ErrnoException {
        if (!Fs.tryLock(fd)) return false; // a cleaner holds it and will remove it
        int again;
        try {
            again = Fs.openat(dirFd, tmp, Fs.O_RDONLY | Fs.O_NOFOLLOW | Fs.O_NONBLOCK, 0); // never wait on a FIFO
        } catch (Fs.ErrnoException e) {
            if (e.errno == Errno.ENOENT) return false; // removed before we locked it
            throw e;
        }
        try {
            // Our lock belongs to our open file; a second open of the same file cannot take it.
            return !Fs.tryLock(again);
        } finally {
            Fs.closeQuietly(again);
        }
    }

    /**
     * Removes {@code .name.tmp.*} files in {@code dir} left by writers that died (kill -9, power loss):
     * a live writer holds an exclusive {@code flock} on its temporary file, a dead one does not. Returns
     * how many were removed. Best effort: errors are ignored.
     */
    public static int removeStaleTemporaries(Path dir, String name) {
        checkName(name);
        int dirFd;
        try {
            dirFd = Fs.open(dir.toAbsolutePath().toString(), Fs.O_RDONLY | Fs.O_DIRECTORY);
        } catch (Fs.ErrnoException e) {
            return 0;
        }
        try {
            return removeStale(dirFd, name, dir);
        } finally {
            Fs.closeQuietly(dirFd);
        }
    }

    private static int removeStale(int dirFd, String name, Path listing) {
        Pattern p = tempPattern(name);
        List<String> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(listing)) {
            for (Path e : ds) {
                String n = e.getFileName().toString();
                if (p.matcher(n).matches()) candidates.add(n);
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        int removed = 0;
        for (String c : candidates) {
            int cfd = -1;
            try {
                // O_NONBLOCK: a FIFO given a temporary file's name must not hold the checkpoint (and with it
                // the control socket and the VM's exit) until someone writes to it. Only regular files go.
                cfd = Fs.openat(dirFd, c, Fs.O_RDONLY | Fs.O_NOFOLLOW | Fs.O_NONBLOCK, 0);
                if (Fs.stat(cfd).isRegularFile() && Fs.tryLock(cfd) && Fs.unlinkat(dirFd, c)) removed++;
            } catch (Fs.ErrnoException e) {
                // gone already, or not ours to remove: leave it
            } finally {
                Fs.closeQuietly(cfd); // releases our lock, after the unlink
            }
        }
        return removed;
    }

    /**
     * Whether the snapshot has its name: true from the rename on, also when the directory fsync after it
     * failed (commit then throws, and the snapshot is in place but may not survive a power failure).
     */
    public boolean isCommitted() {
        return state == State.COMMITTED;
    }

    /** The final path of the snapshot (for messages). */
    public String path() {
        return displayPath;
    }

    /** The temporary file's name in the snapshot's directory. */
    public String temporaryName() {
        return tmpName;
    }

    /** The id this snapshot will carry in its header and manifest. */
    public UUID snapshotId() {
        return id;
    }

    // ---- chunks ----

    /** Adds a chunk whose payload is {@code record}. */
    public void addChunk(String name, String instance, int version, boolean required, StateRecord record)
            throws IOException {
        addChunk(name, instance, version, required, null, record);
    }

    /**
     * Adds a chunk whose payload is {@code record}, tagged with who produced what is inside it
     * ({@code kvm}, {@code freebsd:1500023}).
     */
    public void addChunk(String name, String instance, int version, boolean required, String producer,
                         StateRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        checkChunk(name, instance, version, producer);
        byte[] payload;
        try {
            payload = record.encode();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ChunkNames.label(name, instance) + ": " + e.getMessage(), e);
        }
        writeChunk(name, instance, version, required, producer, payload);
    }

    /**
     * Adds a chunk from an already encoded state record (it is decoded once to make sure it is one, so
     * {@code inspect} can always print it).
     */
    public void addChunk(String name, String instance, int version, boolean required, byte[] encodedRecord)
            throws IOException {
        Objects.requireNonNull(encodedRecord, "encodedRecord");
        checkChunk(name, instance, version, null);
        try {
            StateRecord.decode(encodedRecord);
        } catch (SnapshotFormatException e) {
            throw new IllegalArgumentException(ChunkNames.label(name, instance) + ": the bytes are not a state record: "
                    + e.getMessage(), e);
        }
        writeChunk(name, instance, version, required, null, encodedRecord.clone());
    }

    /**
     * Adds a chunk produced now by {@code producer}. If it throws, the whole snapshot is abandoned (the
     * temporary file is removed) and a SnapshotWriteException with the cause is thrown.
     */
    public void addChunk(String name, String instance, int version, boolean required, ChunkProducer producer)
            throws IOException {
        Objects.requireNonNull(producer, "producer");
        checkChunk(name, instance, version, null);
        StateRecord record;
        try {
            record = Objects.requireNonNull(producer.produce(), "the producer returned null");
        } catch (Exception e) {
            abortQuietly();
            throw new SnapshotWriteException(displayPath, "cannot write snapshot " + displayPath + ": "
                    + ChunkNames.label(name, instance) + " could not be saved: " + e.getMessage() + "; " + leftBehind(),
                    null, e);
        }
        addChunk(name, instance, version, required, null, record);
    }

    private void checkChunk(String name, String instance, int version, String producer) {
        ensureOpen();
        if (!ChunkNames.validName(name)) {
            throw new IllegalArgumentException("invalid chunk name '" + name
                    + "' (a lower-case letter or digit, then up to 127 of A-Z a-z 0-9 . _ - @ :)");
        }
        if (!ChunkNames.validInstance(instance)) {
            throw new IllegalArgumentException("invalid chunk instance '" + instance
                    + "' (empty, or up to 64 of A-Z a-z 0-9 . _ - @ :)");
        }
        if (name.equals(SnapshotFormat.RAM_CRC_CHUNK)) {
            throw new IllegalArgumentException("chunk name '" + name + "' is reserved for the container");
        }
        if (version < 1) throw new IllegalArgumentException(ChunkNames.label(name, instance) + ": version " + version + " < 1");
        if (producer != null && (producer.isEmpty() || producer.codePointCount(0, producer.length()) > Manifest.MAX_PRODUCER)) {
            throw new IllegalArgumentException(ChunkNames.label(name, instance) + ": producer tag must be 1 to "
                    + Manifest.MAX_PRODUCER + " characters");
        }
        if (chunkKeys.contains(name + "\0" + instance)) {
            throw new IllegalArgumentException(ChunkNames.label(name, instance) + " was already added");
        }
    }

    private void writeChunk(String name, String instance, int version, boolean required, String producer,
                            byte[] payload) throws IOException {
        if (payload.length > SnapshotFormat.MAX_CHUNKS_TOTAL - chunkBytes) {
            abortQuietly();
            throw new SnapshotWriteException(displayPath, "cannot write snapshot " + displayPath + ": "
                    + ChunkNames.label(name, instance) + " (" + payload.length + " bytes) would bring its chunks past the "
                    + (SnapshotFormat.MAX_CHUNKS_TOTAL >> 20) + " MiB a reader loads; " + leftBehind(), null, null);
        }
        chunkBytes += payload.length;
        long offset = align(cursor, SnapshotFormat.CHUNK_ALIGNMENT);
        String what = "writing " + ChunkNames.label(name, instance) + " at file offset 0x" + Long.toHexString(offset);
        try {
            Fs.pwriteFully(fd, payload, offset, what);
        } catch (Fs.ErrnoException e) {
            throw fail(e, what);
        }
        CRC32C crc = new CRC32C();
        crc.update(payload);
        chunks.add(new ChunkEntry(name, instance, version, required, offset, payload.length, (int) crc.getValue(), producer));
        chunkKeys.add(name + "\0" + instance);
        cursor = offset + payload.length;
    }

    // ---- RAM ----

    /** The name jbhyve gives its {@code index}th RAM region: {@code region0}, {@code region1}, ... */
    public static String regionName(int index) {
        return "region" + index;
    }

    /** Adds guest RAM at {@code gpa}, named after its index ({@link #regionName}). */
    public RamRegion addRamRegion(long gpa, MemorySegment memory) throws IOException {
        return addRamRegion(regionName(regions.size()), gpa, memory);
    }

    /**
     * Adds guest RAM: {@code memory} holds guest physical {@code gpa .. gpa + memory.byteSize()}. The region
     * gets a 2 MiB-aligned place in the file; every non-zero 4 KiB page is written there (runs of them with
     * one write each), zero pages are left as holes, and the CRC32C of every 2 MiB block is computed for
     * {@code ram.crc}. The memory must not change until this returns (pause the vCPUs first).
     */
    public RamRegion addRamRegion(String regionName, long gpa, MemorySegment memory) throws IOException {
        return addRamRegion(regionName, gpa, memory, null);
    }

    /**
     * Like {@link #addRamRegion(String, long, MemorySegment)}, when the caller knows which 2 MiB blocks
     * ({@link SnapshotFormat#BLOCK_SIZE}, region-relative) may hold data: the others are stored as holes
     * without reading them. For guest RAM whose untouched pages would be allocated by a read (a memfd, a
     * private file mapping), so that a checkpoint of a mostly idle guest does not fill its RAM on the
     * host. {@code blocksWithData} null: read every block.
     */
    public RamRegion addRamRegion(String regionName, long gpa, MemorySegment memory, java.util.BitSet blocksWithData)
            throws IOException {
        long size = checkRegion(regionName, gpa, memory);
        long offset = align(cursor, BLOCK);
        String what = "writing RAM region " + regions.size() + " (gpa 0x" + Long.toHexString(gpa) + ")";
        int[] crcs = new int[(int) ((size + BLOCK - 1) / BLOCK)];
        long populated;
        try {
            Fs.ftruncate(fd, offset + size, what + ": extending the file");
            populated = writeRam(memory, offset, crcs, what, blocksWithData, null, null);
        } catch (Fs.ErrnoException e) {
            throw fail(e, what);
        } catch (RuntimeException | Error e) {
            abortQuietly();
            throw e;
        }
        cursor = offset + size;
        return addRegion(new RamRegion(regionName, gpa, size, offset, populated), crcs);
    }

    private long checkRegion(String regionName, long gpa, MemorySegment memory) {
        ensureOpen();
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(regionName, "regionName");
        if (regionName.isEmpty() || regionName.length() > 64) throw new IllegalArgumentException("region name must be 1 to 64 characters");
        long size = memory.byteSize();
        if (gpa < 0 || gpa % PAGE != 0) throw new IllegalArgumentException("RAM region gpa 0x" + Long.toHexString(gpa) + " is not 4 KiB aligned");
        if (size <= 0 || size % PAGE != 0) throw new IllegalArgumentException("RAM region size " + size + " is not a positive multiple of 4 KiB");
        if (gpa > Long.MAX_VALUE - size) throw new IllegalArgumentException("RAM region at 0x" + Long.toHexString(gpa) + " wraps around");
        List<RamRegion> taken = new ArrayList<>(regions);
        for (LiveRamRegion live : liveRegions) taken.add(live.placement());
        for (RamRegion r : taken) {
            if (gpa < r.gpa() + r.size() && r.gpa() < gpa + size) {
                throw new IllegalArgumentException("RAM region at gpa 0x" + Long.toHexString(gpa) + " overlaps region '"
                        + r.name() + "' at 0x" + Long.toHexString(r.gpa()));
            }
        }
        return size;
    }

    private RamRegion addRegion(RamRegion region, int[] crcs) {
        regions.add(region);
        regionCrcs.add(crcs);
        return region;
    }

    /**
     * Starts a RAM region that is copied while the guest still runs: a live (pre-copy) checkpoint. The
     * region gets its place in the file now; the caller then copies it with
     * {@link LiveRamRegion#copyAll}, copies what the guest wrote meanwhile with
     * {@link LiveRamRegion#copyPages} as often as it likes, and, once the guest is paused and the last
     * written pages are copied, calls {@link LiveRamRegion#finish()}. Commit refuses a region that is not
     * finished. Add live regions before any chunk whose size is not yet known, so they come first in the
     * file; the layout rules (§3) allow any order.
     */
    public LiveRamRegion beginLiveRamRegion(String regionName, long gpa, MemorySegment memory) throws IOException {
        long size = checkRegion(regionName, gpa, memory);
        long offset = align(cursor, BLOCK);
        int index = regions.size() + liveRegions.size();
        String what = "writing RAM region " + index + " (gpa 0x" + Long.toHexString(gpa) + ")";
        try {
            Fs.ftruncate(fd, offset + size, what + ": extending the file");
        } catch (Fs.ErrnoException e) {
            throw fail(e, what);
        }
        LiveRamRegion live = new LiveRamRegion(this, new RamRegion(regionName, gpa, size, offset, 0), memory, what);
        liveRegions.add(live);
        cursor = offset + size;
        return live;
    }

    /** Called by a finished live region: it now counts like one added by {@link #addRamRegion}. */
    RamRegion finishLive(LiveRamRegion live, RamRegion region, int[] crcs) {
        ensureOpen();
        if (!liveRegions.remove(live)) throw new IllegalStateException("live RAM region '" + region.name() + "' is not open");
        return addRegion(region, crcs);
    }

    /** The temporary file's descriptor, for a live region's positional writes. */
    int fileDescriptor() {
        ensureOpen();
        return fd;
    }

    /** Abandons the snapshot after a failed write of a live region (see {@link #fail}). */
    SnapshotWriteException failLive(Fs.ErrnoException e, String what) {
        return fail(e, what);
    }

    /** Abandons the snapshot after any other failure of a live region. */
    void abortLive() {
        abortQuietly();
    }

    private static final class Zero {
        static final MemorySegment BLOCK_OF_ZEROS = Arena.global().allocate(SnapshotFormat.BLOCK_SIZE, 4096);
    }

    private static int computeZeroCrc(long length) {
        return crc32c(Zero.BLOCK_OF_ZEROS.asSlice(0, length));
    }

    /** The CRC32C of {@code bytes} (a RAM block's, for {@code ram.crc}). */
    static int crc32c(MemorySegment bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes.asByteBuffer());
        return (int) c.getValue();
    }

    /** 2 MiB of zeros, to compare pages against and to write a page back to zero. */
    static MemorySegment zeros() {
        return Zero.BLOCK_OF_ZEROS;
    }

    /** CRC32C of {@code length} zero bytes (length at most 2 MiB): what a hole's block sums to. */
    static int crcOfZeros(long length) {
        return length == BLOCK ? SnapshotFormat.ZERO_BLOCK_CRC : computeZeroCrc(length);
    }

    /** Regions at least this big are scanned and written by several threads, each a range of blocks. */
    private static final long PARALLEL_THRESHOLD = 64L << 20;
    private static final int MAX_THREADS = 4;
    /** Set when a RAM worker fails, so the others stop at their next block instead of writing on. */
    private volatile boolean ramWriteFailed;

    /**
     * Scans pages and writes runs of non-zero ones at {@code fileOffset + their offset}; returns the number
     * of populated pages. Big regions are split into contiguous ranges of 2 MiB blocks handled by up to
     * four threads: the writes are positional and the ranges disjoint, so their order does not matter.
     * Blocks not in {@code dataBlocks} (when it is not null) are holes and are not read. When
     * {@code nonZeroPages} is not null, the bit of every page written is set in it (page {@code p}: bit
     * {@code p % 64} of word {@code p / 64}); the workers' block ranges cover disjoint words. When
     * {@code stop} (if not null) says so, checked before each block, the workers stop early: the region is
     * then incomplete and the caller must abandon the snapshot.
     */
    long writeRam(MemorySegment mem, long fileOffset, int[] crcs, String what, java.util.BitSet dataBlocks,
                  long[] nonZeroPages, java.util.function.BooleanSupplier stop) throws Fs.ErrnoException {
        int threads = (int) Math.min(Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()),
                mem.byteSize() / (PARALLEL_THRESHOLD / 2));
        if (threads < 2 || mem.byteSize() < PARALLEL_THRESHOLD) {
            return writeBlocks(mem, fileOffset, crcs, 0, crcs.length, what, dataBlocks, nonZeroPages, stop);
        }
        MemorySegment shared;
        if (mem.isAccessibleBy(Thread.ofPlatform().unstarted(() -> {}))) {
            shared = mem; // shared, global or automatic arena, or heap memory
        } else if (mem.isNative()) {
            // Confined to this thread. This thread waits for the workers below and so cannot close the
            // arena under them: an unscoped view of the same memory is safe for that long.
            shared = MemorySegment.ofAddress(mem.address()).reinterpret(mem.byteSize());
        } else {
            return writeBlocks(mem, fileOffset, crcs, 0, crcs.length, what, dataBlocks, nonZeroPages, stop);
        }
        ramWriteFailed = false;
        long[] populated = new long[threads];
        Throwable[] failures = new Throwable[threads];
        Thread[] workers = new Thread[threads];
        int per = (crcs.length + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            int from = Math.min(crcs.length, t * per), to = Math.min(crcs.length, from + per);
            int index = t;
            workers[t] = Thread.ofPlatform().name("snapshot-ram-" + t).start(() -> {
                try {
                    populated[index] = writeBlocks(shared, fileOffset, crcs, from, to, what, dataBlocks, nonZeroPages, stop);
                } catch (Throwable e) {
                    failures[index] = e;
                    ramWriteFailed = true;
                }
            });
        }
        boolean interrupted = false;
        for (Thread w : workers) {
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the workers cannot be abandoned mid-write; finish, then re-assert
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        long total = 0;
        for (int t = 0; t < threads; t++) {
            Throwable f = failures[t];
            if (f instanceof Fs.ErrnoException e) throw e;
            if (f instanceof RuntimeException e) throw e;
            if (f instanceof Error e) throw e;
            total += populated[t];
        }
        return total;
    }

    /** {@link #writeRam} for blocks {@code [fromBlock, toBlock)}. */
    private long writeBlocks(MemorySegment mem, long fileOffset, int[] crcs, int fromBlock, int toBlock, String what,
                             java.util.BitSet dataBlocks, long[] nonZeroPages, java.util.function.BooleanSupplier stop)
            throws Fs.ErrnoException {
        MemorySegment zero = Zero.BLOCK_OF_ZEROS;
        long size = mem.byteSize();
        long rangeEnd = Math.min(size, toBlock * BLOCK);
        long populated = 0;
        long runStart = -1;
        for (int b = fromBlock; b < toBlock; b++) {
            if (ramWriteFailed) return populated; // another worker failed; the snapshot is being abandoned
            if (stop != null && stop.getAsBoolean()) return populated; // the caller abandons the snapshot
            long bs = b * BLOCK;
            long be = Math.min(size, bs + BLOCK);
            long len = be - bs;
            // a block the backing file reports as a hole is zero and is not read (reading would allocate it)
            long first = dataBlocks != null && !dataBlocks.get(b) ? -1 : MemorySegment.mismatch(mem, bs, be, zero, 0, len);
            if (first < 0) { // the whole block is zero: a hole
                crcs[b] = crcOfZeros(len);
                if (runStart >= 0) {
                    writeRun(mem, runStart, bs, fileOffset, what);
                    runStart = -1;
                }
                continue;
            }
            crcs[b] = crc32c(mem.asSlice(bs, len));
            long firstPage = bs + (first & -PAGE);
            if (firstPage > bs && runStart >= 0) {
                writeRun(mem, runStart, bs, fileOffset, what);
                runStart = -1;
            }
            for (long p = firstPage; p < be; p += PAGE) {
                boolean nonZero = p == firstPage || MemorySegment.mismatch(mem, p, p + PAGE, zero, 0, PAGE) >= 0;
                if (nonZero) {
                    populated++;
                    if (nonZeroPages != null) nonZeroPages[(int) (p / PAGE >>> 6)] |= 1L << (p / PAGE & 63);
                    if (runStart < 0) {
                        runStart = p;
                    } else if (p - runStart >= MAX_RUN) {
                        writeRun(mem, runStart, p, fileOffset, what);
                        runStart = p;
                    }
                } else if (runStart >= 0) {
                    writeRun(mem, runStart, p, fileOffset, what);
                    runStart = -1;
                }
            }
        }
        if (runStart >= 0) writeRun(mem, runStart, rangeEnd, fileOffset, what);
        return populated;
    }

    private void writeRun(MemorySegment mem, long from, long to, long fileOffset, String what) throws Fs.ErrnoException {
        Fs.pwriteFully(fd, mem.asSlice(from, to - from), fileOffset + from,
                what + " at file offset 0x" + Long.toHexString(fileOffset + from));
    }

    // ---- commit / abort ----

    /**
     * Finishes the snapshot: writes {@code ram.crc}, the manifest and the header, fsyncs the file, renames
     * it onto the final name and fsyncs the directory. Returns the manifest written.
     *
     * @throws IllegalStateException if the RAM regions do not add up to the config's {@code memory.size}
     *                               (the snapshot is abandoned)
     */
    public Manifest commit() throws IOException {
        ensureOpen();
        if (!liveRegions.isEmpty()) {
            String unfinished = liveRegions.getFirst().placement().name();
            abortQuietly();
            throw new IllegalStateException("cannot write snapshot " + displayPath + ": live RAM region '" + unfinished
                    + "' was never finished; the snapshot was abandoned");
        }
        long total = 0;
        for (RamRegion r : regions) total += r.size();
        if (total != memorySize) {
            abortQuietly();
            throw new IllegalStateException("cannot write snapshot " + displayPath + ": its RAM regions add up to "
                    + total + " bytes but memory.size ('" + meta.config().getOrDefault("memory.size", MemorySizes.DEFAULT)
                    + "') is " + memorySize + " bytes; the snapshot was abandoned");
        }
        String what = "finishing";
        try {
            if (!regions.isEmpty()) {
                List<StateRecord> perRegion = new ArrayList<>();
                for (int i = 0; i < regions.size(); i++) {
                    int[] crcs = regionCrcs.get(i);
                    byte[] packed = new byte[crcs.length * 4];
                    for (int b = 0; b < crcs.length; b++) {
                        int c = crcs[b];
                        packed[4 * b] = (byte) c;
                        packed[4 * b + 1] = (byte) (c >>> 8);
                        packed[4 * b + 2] = (byte) (c >>> 16);
                        packed[4 * b + 3] = (byte) (c >>> 24);
                    }
                    perRegion.add(StateRecord.builder().putU32("region", i).putBytes("crc32c", packed).build());
                }
                StateRecord ramCrc = StateRecord.builder().putU32("block_size", BLOCK).putRecords("regions", perRegion).build();
                what = "writing the ram.crc chunk";
                writeChunk(SnapshotFormat.RAM_CRC_CHUNK, "", SnapshotFormat.RAM_CRC_VERSION, false, null, ramCrc.encode());
            }
            Manifest manifest = Manifest.create(id, meta, memorySize, regions, chunks);
            byte[] json = manifest.encode();
            long manifestOffset = align(cursor, SnapshotFormat.CHUNK_ALIGNMENT);
            what = "writing the manifest at file offset 0x" + Long.toHexString(manifestOffset);
            Fs.pwriteFully(fd, json, manifestOffset, what);
            Fs.ftruncate(fd, manifestOffset + json.length, what);
            CRC32C crc = new CRC32C();
            crc.update(json);
            byte[] header = SnapshotHeader.of(manifestOffset, json.length, (int) crc.getValue(), id).encode();
            what = "writing the header";
            Fs.pwriteFully(fd, header, 0, what);
            what = "syncing the file to disk";
            Fs.fsync(fd, what);
            // Checked again: something else may have taken the name while the snapshot was written.
            String refused = targetProblem();
            if (refused != null) {
                abortQuietly();
                throw new SnapshotWriteException(displayPath, refused, null, null);
            }
            what = "renaming " + tmpName + " to " + name;
            Fs.renameat(dirFd, tmpName, name);
            state = State.COMMITTED;
            Fs.closeQuietly(fd);
            fd = -1;
            try {
                Fs.fsync(dirFd, "syncing the directory");
            } catch (Fs.ErrnoException e) {
                throw new SnapshotWriteException(displayPath, "snapshot " + displayPath + " was written, but syncing its"
                        + " directory failed: " + Fs.describe(e.errno) + "; it may not survive a power failure",
                        Errno.name(e.errno), e);
            } finally {
                closeDir();
            }
            return manifest;
        } catch (Fs.ErrnoException e) {
            throw fail(e, what);
        } catch (RuntimeException | Error e) {
            abortQuietly();
            throw e;
        }
    }

    /** Abandons the snapshot: closes and removes the temporary file. Idempotent; no effect after commit. */
    public void abort() {
        abortQuietly();
    }

    /** Same as {@link #abort()} unless committed: a writer closed without a commit leaves nothing behind. */
    @Override
    public void close() {
        abortQuietly();
    }

    private void abortQuietly() {
        if (state != State.OPEN) return;
        state = State.ABORTED;
        Fs.closeQuietly(fd);
        fd = -1;
        try {
            Fs.unlinkat(dirFd, tmpName);
        } catch (Fs.ErrnoException e) {
            // Nothing more to do here; a later writer to this name removes it (its lock went with our descriptor).
            tempNotRemoved = Fs.describe(e.errno);
        }
        closeDir();
    }

    private void closeDir() {
        if (ownsDirFd) Fs.closeQuietly(dirFd);
    }

    private void ensureOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("snapshot writer for " + displayPath + " is "
                    + (state == State.COMMITTED ? "already committed" : "aborted"));
        }
    }

    private String leftBehind() {
        String temp = tempNotRemoved == null ? "the temporary file was removed"
                : "the temporary file " + tmpName + " could not be removed (" + tempNotRemoved
                        + "; the next checkpoint to this name removes it)";
        return temp + " and " + displayPath + " was not touched";
    }

    /** Abandons the snapshot after a failed call; the message says what failed, the errno, and what is left. */
    private SnapshotWriteException fail(Fs.ErrnoException e, String what) {
        abortQuietly();
        String detail = e.what != null && e.what.startsWith("writing") ? e.what : what;
        return new SnapshotWriteException(displayPath, "cannot write snapshot " + displayPath + ": "
                + Fs.describe(e.errno) + " while " + detail + "; " + leftBehind(), Errno.name(e.errno), e);
    }

    static long align(long v, long alignment) {
        return (v + alignment - 1) / alignment * alignment;
    }
}
