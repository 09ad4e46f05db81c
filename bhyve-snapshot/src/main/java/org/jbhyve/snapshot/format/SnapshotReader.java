package org.jbhyve.snapshot.format;

import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.libc_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Opens a snapshot file and checks it (docs/snapshot-format.md, "Reading"): the header and its CRC, the
 * format version, the manifest and its CRC, the layout (bounds, alignment, overlaps, memory size), and
 * every chunk's CRC; chunks are small, so they are read and decoded now, through the {@link ChunkRegistry}
 * when restoring. Guest RAM is not read: {@link #mapRam} maps it copy-on-write, and pages come from the
 * file as the guest touches them. {@link #verify()} reads everything, RAM included, and checks the RAM
 * block CRCs.
 *
 * <pre>{@code
 * try (Arena ram = Arena.ofShared();                          // lives as long as the VM
 *      SnapshotReader r = SnapshotReader.open(path, ReadOptions.restore(registry))) {
 *     SequencedMap<String, String> config = r.config();      // bhyve -r needs nothing else
 *     for (int i = 0; i < r.ramRegions().size(); i++) {
 *         RamRegion region = r.ramRegions().get(i);
 *         vm.mapGuestMemory(region.gpa(), r.mapRam(i, ram)); // MAP_PRIVATE: lazy, copy-on-write
 *     }
 *     vm.restore(r.record("vm", ""));
 *     for (int id = 0; id < r.vcpuCount(); id++) vcpu(id).restore(r.record("vcpu", Integer.toString(id)));
 * }
 * }</pre>
 *
 * <p>Every problem with the file is one {@link SnapshotFormatException} naming the file and the first
 * problem; a file that cannot be opened or read is an {@link IOException}.
 */
public final class SnapshotReader implements AutoCloseable {
    /**
     * Where warnings go without a sink. A holder, so that only a warning pays for System.getLogger, which
     * starts the logging service (about 12 ms of every {@code bhyve -r} and {@code bhyvectl --inspect} when
     * it ran in this class's initializer).
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(SnapshotReader.class.getName());
    }
    private static final long BLOCK = SnapshotFormat.BLOCK_SIZE;

    private final String file;
    private int fd;
    /** The file as it was opened: restore checks that a later open by name finds it unchanged. */
    private final FileStat identity;
    private final long fileSize;
    private final SnapshotHeader header;
    private final Manifest manifest;
    private final List<Chunk> chunks;
    private final Map<String, Chunk> byKey = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    /** What is wrong with chunks delivered as damaged (only with {@link ReadOptions#showDamage}). */
    private final List<String> damage = new ArrayList<>();
    private final Consumer<String> warningSink;
    /** Per region, the stored block CRCs; null when ram.crc is of a version this build cannot read. */
    private int[][] ramCrcs;
    private String ramCrcProblem;

    private SnapshotReader(String file, int fd, FileStat identity, ReadOptions options) throws IOException {
        this.file = file;
        this.fd = fd;
        this.identity = identity;
        this.warningSink = options.warnings();
        this.fileSize = size();
        this.header = readHeader();
        this.manifest = readManifest();
        checkLayout();
        this.chunks = readChunks(options.registry(), options.showDamage());
        if (options.verifyRam()) verify();
    }

    /** Opens {@code file} to inspect it: every chunk as stored, no compatibility decisions. */
    public static SnapshotReader open(Path file) throws IOException {
        return open(file, ReadOptions.inspect());
    }

    public static SnapshotReader open(Path file, ReadOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        String display = file.toAbsolutePath().toString();
        int fd;
        try {
            fd = Fs.openForReading(display);
        } catch (Fs.ErrnoException e) {
            throw new IOException("cannot open snapshot " + display + ": " + Fs.describe(e.errno), e);
        }
        return openFd(display, fd, options);
    }

    /** Opens snapshot {@code name} in the directory open as {@code dirFd} (which stays the caller's). */
    public static SnapshotReader open(int dirFd, String name, ReadOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        String display = Fs.describeDirectory(dirFd) + "/" + name;
        int fd;
        try {
            fd = Fs.openatForReading(dirFd, name);
        } catch (Fs.ErrnoException e) {
            throw new IOException("cannot open snapshot " + display + ": " + Fs.describe(e.errno), e);
        }
        return openFd(display, fd, options);
    }

    /**
     * Opened O_NONBLOCK, so that a FIFO in the snapshot's place does not wait for a writer (forever): only a
     * regular file is read on. The flag changes nothing for a regular file.
     */
    private static SnapshotReader openFd(String display, int fd, ReadOptions options) throws IOException {
        try {
            FileStat st;
            try {
                st = Fs.stat(fd);
            } catch (Fs.ErrnoException e) {
                throw new IOException("cannot open snapshot " + display + ": " + Fs.describe(e.errno), e);
            }
            if (!st.isRegularFile()) {
                throw new IOException("cannot open snapshot " + display + ": it is " + st.kind()
                        + ", not a regular file; name the snapshot file itself");
            }
            return new SnapshotReader(display, fd, st, options);
        } catch (IOException | RuntimeException | Error e) {
            Fs.closeQuietly(fd);
            throw e;
        }
    }

    /** Opens {@code file}, checks everything including RAM, and closes it; throws on the first problem. */
    public static void verify(Path file) throws IOException {
        try (SnapshotReader r = open(file, ReadOptions.inspect())) {
            r.verify();
        }
    }

    // ---- accessors ----

    /** The path used in messages. */
    public String file() {
        return file;
    }

    /** Why each chunk delivered as {@link Chunk.Status#DAMAGED} is; empty for a sound file. */
    public List<String> damage() {
        return Collections.unmodifiableList(damage);
    }

    /**
     * The file as the kernel described it when it was opened (inode, length, modification and change
     * times): whoever opens it again by name can check it is still this file, unchanged
     * ({@link FileStat#sameFileUnchanged}).
     */
    public FileStat identity() {
        return identity;
    }

    public long fileSize() {
        return fileSize;
    }

    public SnapshotHeader header() {
        return header;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The full bhyve config the VM ran with, {@code path -> value} in tree order. */
    public SequencedMap<String, String> config() {
        return manifest.config();
    }

    public String vmName() {
        return manifest.vmName();
    }

    public int vcpuCount() {
        return manifest.vcpus();
    }

    public long memorySize() {
        return manifest.memorySize();
    }

    public List<RamRegion> ramRegions() {
        return manifest.regions();
    }

    /** Every chunk in manifest order, the container's {@code ram.crc} included. */
    public List<Chunk> chunks() {
        return chunks;
    }

    /** Warnings about chunks that were skipped (optional and unreadable by this build). */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** The chunks of a kind: named {@code kind}, or {@code kind@...} (e.g. every {@code dev.virtio-blk@pci.*}). */
    public List<Chunk> chunksOfKind(String kind) {
        List<Chunk> out = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.entry().kind().equals(kind) || c.name().equals(kind)) out.add(c);
        }
        return out;
    }

    /** Chunk {@code name}/{@code instance} if the file has it, read or skipped ({@link Chunk#status()}). */
    public Optional<Chunk> chunk(String name, String instance) {
        return Optional.ofNullable(byKey.get(key(name, instance)));
    }

    /** The state of chunk {@code name}/{@code instance} if present and read (not skipped). */
    public Optional<StateRecord> find(String name, String instance) {
        return chunk(name, instance).map(Chunk::record);
    }

    /** The state of chunk {@code name}/{@code instance}; its absence is a format error naming it. */
    public StateRecord record(String name, String instance) throws SnapshotFormatException {
        Chunk c = byKey.get(key(name, instance));
        if (c == null) throw new SnapshotFormatException(file, "has no " + ChunkNames.label(name, instance));
        if (c.record() == null) {
            throw new SnapshotFormatException(file, ChunkNames.label(name, instance) + " was skipped: " + c.note());
        }
        return c.record();
    }

    private static String key(String name, String instance) {
        return name + "\0" + instance;
    }

    // ---- header and manifest ----

    private long size() throws IOException {
        try {
            return Fs.size(fd);
        } catch (Fs.ErrnoException e) {
            throw new IOException("cannot read snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    private byte[] read(long offset, int length, String what) throws IOException {
        try {
            return Fs.preadBytes(fd, offset, length, what);
        } catch (Fs.ErrnoException e) {
            throw new IOException("cannot read snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    private SnapshotFormatException bad(String problem) {
        return new SnapshotFormatException(file, problem);
    }

    private SnapshotHeader readHeader() throws IOException {
        if (fileSize < SnapshotFormat.MAGIC.length) {
            throw bad("is truncated or not a snapshot: it has " + fileSize + " bytes, less than a "
                    + SnapshotFormat.HEADER_LENGTH + "-byte header");
        }
        byte[] start = read(0, (int) Math.min(16, fileSize), "reading the header");
        if (!Arrays.equals(start, 0, 8, SnapshotFormat.MAGIC, 0, 8)) {
            String hint = "";
            if (Files.exists(Path.of(file + ".meta")) && Files.exists(Path.of(file + ".kern"))) {
                hint = " (" + file + ".meta and .kern exist: this looks like a bhyve(8) checkpoint, which jbhyve does"
                        + " not restore)";
            }
            throw bad("is not a jbhyve snapshot: it starts with " + printable(start) + ", not the magic \"JBHYVSNP\"" + hint);
        }
        if (fileSize < 16) {
            throw bad("is truncated: it has " + fileSize + " bytes, less than a " + SnapshotFormat.HEADER_LENGTH
                    + "-byte header");
        }
        long headerLength = (start[12] & 0xffL) | (start[13] & 0xffL) << 8 | (start[14] & 0xffL) << 16
                | (start[15] & 0xffL) << 24;
        if (headerLength < SnapshotFormat.MIN_HEADER_LENGTH || headerLength > SnapshotFormat.MAX_HEADER_LENGTH
                || headerLength % 8 != 0) {
            throw bad("header is corrupt: its length field says " + headerLength + " bytes, not a multiple of 8 from "
                    + SnapshotFormat.MIN_HEADER_LENGTH + " to " + SnapshotFormat.MAX_HEADER_LENGTH);
        }
        if (fileSize < headerLength) {
            throw bad("is truncated: it has " + fileSize + " bytes, less than its " + headerLength + "-byte header");
        }
        byte[] h = read(0, (int) headerLength, "reading the header");
        int stored = (h[h.length - 4] & 0xff) | (h[h.length - 3] & 0xff) << 8 | (h[h.length - 2] & 0xff) << 16
                | (h[h.length - 1] & 0xff) << 24;
        int computed = SnapshotHeader.crc(h, h.length - 4);
        if (stored != computed) {
            throw bad("header fails its checksum (stored " + SnapshotHeader.hex32(stored) + ", computed "
                    + SnapshotHeader.hex32(computed) + ")");
        }
        SnapshotHeader hdr = SnapshotHeader.decode(h);
        if (hdr.major() > SnapshotFormat.MAJOR) {
            throw new SnapshotIncompatibleException(file, "is in snapshot format " + hdr.major() + "." + hdr.minor()
                    + "; this jbhyve reads format " + SnapshotFormat.MAJOR + ".x: use a newer jbhyve to read it");
        }
        if (hdr.major() < 1) {
            throw new SnapshotIncompatibleException(file, "is in snapshot format " + hdr.major() + "." + hdr.minor()
                    + ", which no released jbhyve wrote; this jbhyve reads format " + SnapshotFormat.MAJOR + ".x");
        }
        return hdr;
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(8, b.length); i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.append('"').toString();
    }

    private Manifest readManifest() throws IOException {
        long off = header.manifestOffset();
        long len = header.manifestLength();
        if (off < header.headerLength() || off % SnapshotFormat.CHUNK_ALIGNMENT != 0) {
            throw bad("header is corrupt: manifest offset 0x" + Long.toHexString(off) + " is inside the header or not "
                    + SnapshotFormat.CHUNK_ALIGNMENT + "-byte aligned");
        }
        if (len <= 0 || len > SnapshotFormat.MAX_MANIFEST_LENGTH) {
            throw bad("header is corrupt: manifest length " + len + " is not between 1 and "
                    + SnapshotFormat.MAX_MANIFEST_LENGTH);
        }
        long end = off + len; // no overflow: off < 2^63, len < 2^26, and off was checked against nothing yet
        if (end < 0 || end > fileSize) {
            throw bad("is truncated: it has " + fileSize + " bytes, but its manifest ends at " + Long.toUnsignedString(end));
        }
        if (end < fileSize) {
            throw bad("has " + (fileSize - end) + " bytes after its manifest, which must end the file (was it appended"
                    + " to?)");
        }
        byte[] json = read(off, (int) len, "reading the manifest");
        CRC32C crc = new CRC32C();
        crc.update(json);
        int computed = (int) crc.getValue();
        if (computed != header.manifestCrc32c()) {
            throw bad("manifest fails its checksum (stored " + SnapshotHeader.hex32(header.manifestCrc32c()) + ", computed "
                    + SnapshotHeader.hex32(computed) + ")");
        }
        Manifest m;
        try {
            m = Manifest.parse(json);
        } catch (SnapshotFormatException e) {
            throw bad(e.getMessage());
        }
        if (m.formatMajor() != header.major() || m.formatMinor() != header.minor()) {
            throw bad("manifest says format " + m.formatMajor() + "." + m.formatMinor() + " but the header says "
                    + header.major() + "." + header.minor());
        }
        if (m.snapshotId() != null && !m.snapshotId().equals(header.snapshotId())) {
            throw bad("manifest's snapshot_id " + m.snapshotId() + " differs from the header's " + header.snapshotId());
        }
        return m;
    }

    // ---- layout ----

    /** A file range; {@code container} for the header and manifest, which sort first among equal starts. */
    private record Extent(long start, long end, String what, boolean container) implements Comparable<Extent> {
        /**
         * By start, a container before what it contains, then by end. Written out rather than composed from
         * Comparator's lambdas, whose first linking costs a cold {@code bhyve -r} several milliseconds.
         */
        @Override
        public int compareTo(Extent o) {
            if (start != o.start) return Long.compare(start, o.start);
            if (container != o.container) return container ? -1 : 1;
            return Long.compare(end, o.end);
        }
    }

    private void checkLayout() throws SnapshotFormatException {
        Manifest m = manifest;
        if (m.pageSize() != SnapshotFormat.PAGE_SIZE) {
            throw bad("manifest memory.page_size is " + m.pageSize() + "; format 1 uses " + SnapshotFormat.PAGE_SIZE);
        }
        if (m.blockSize() != SnapshotFormat.BLOCK_SIZE) {
            throw bad("manifest memory.block_size is " + m.blockSize() + "; format 1 uses " + SnapshotFormat.BLOCK_SIZE);
        }
        long manifestStart = header.manifestOffset();
        List<Extent> extents = new ArrayList<>();
        extents.add(new Extent(0, header.headerLength(), "the header", true));
        extents.add(new Extent(manifestStart, fileSize, "the manifest", true));

        Set<String> keys = new HashSet<>();
        long chunkBytes = 0;
        for (ChunkEntry c : m.chunks()) {
            chunkBytes += Math.max(0, c.length()); // at most 2^31 each, and a manifest lists fewer than 2^31 of them
            String label = c.label();
            if (!keys.add(key(c.name(), c.instance()))) throw bad("manifest lists " + label + " twice");
            if (c.offset() % SnapshotFormat.CHUNK_ALIGNMENT != 0) {
                throw bad(label + " starts at file offset 0x" + Long.toHexString(c.offset()) + ", which is not "
                        + SnapshotFormat.CHUNK_ALIGNMENT + "-byte aligned");
            }
            if (c.length() < 4 || c.length() > SnapshotFormat.MAX_CHUNK_LENGTH) {
                throw bad(label + " has length " + c.length() + " (a chunk is 4 to " + SnapshotFormat.MAX_CHUNK_LENGTH
                        + " bytes)");
            }
            if (c.offset() > manifestStart || c.length() > manifestStart - c.offset()) {
                long end = c.offset() + c.length();
                throw bad(label + " (file offset 0x" + Long.toHexString(c.offset()) + ", " + c.length()
                        + " bytes) extends past the start of the manifest at 0x" + Long.toHexString(manifestStart)
                        + (end < 0 || end > fileSize ? " and the end of the file" : ""));
            }
            extents.add(new Extent(c.offset(), c.offset() + c.length(), label, false));
        }
        if (chunkBytes > SnapshotFormat.MAX_CHUNKS_TOTAL) {
            throw bad("its " + m.chunks().size() + " chunks hold " + chunkBytes + " bytes together, more than the "
                    + (SnapshotFormat.MAX_CHUNKS_TOTAL >> 20) + " MiB a reader loads into memory (RAM is not a chunk)");
        }

        List<RamRegion> regions = m.regions();
        long total = 0;
        for (int i = 0; i < regions.size(); i++) {
            RamRegion r = regions.get(i);
            String label = "RAM region " + i + " ('" + r.name() + "')";
            if (r.gpa() % SnapshotFormat.PAGE_SIZE != 0 || r.size() % SnapshotFormat.PAGE_SIZE != 0) {
                throw bad(label + " gpa 0x" + Long.toHexString(r.gpa()) + " or size " + r.size()
                        + " is not a multiple of 4 KiB");
            }
            if (r.fileOffset() % BLOCK != 0) {
                throw bad(label + " starts at file offset 0x" + Long.toHexString(r.fileOffset())
                        + ", which is not 2 MiB aligned");
            }
            if (r.gpa() > Long.MAX_VALUE - r.size() || r.fileOffset() > Long.MAX_VALUE - r.size()) {
                throw bad(label + " wraps around the address space");
            }
            if (r.populatedPages() > r.pageCount()) {
                throw bad(label + " claims " + r.populatedPages() + " populated pages but has only " + r.pageCount());
            }
            long end = r.fileOffset() + r.size();
            if (end > manifestStart) {
                throw bad(label + " (file offset 0x" + Long.toHexString(r.fileOffset()) + ", " + r.size()
                        + " bytes) extends past the start of the manifest at 0x" + Long.toHexString(manifestStart)
                        + (end > fileSize ? " and the end of the file" : ""));
            }
            for (int j = 0; j < i; j++) {
                RamRegion o = regions.get(j);
                if (r.gpa() < o.gpa() + o.size() && o.gpa() < r.gpa() + r.size()) {
                    throw bad(label + " overlaps RAM region " + j + " ('" + o.name() + "') in guest physical memory");
                }
            }
            extents.add(new Extent(r.fileOffset(), end, label, false));
            total += r.size();
            if (total < 0) throw bad("RAM regions add up to more than 2^63 bytes");
        }

        extents.sort(null);
        for (int i = 1; i < extents.size(); i++) {
            Extent a = extents.get(i - 1), b = extents.get(i);
            if (b.start() < a.end()) {
                throw bad(b.what() + " (file offset 0x" + Long.toHexString(b.start()) + ") overlaps " + a.what()
                        + " (file offset 0x" + Long.toHexString(a.start()) + " to 0x" + Long.toHexString(a.end()) + ")");
            }
        }

        if (total != m.memorySize()) {
            throw bad("RAM regions add up to " + total + " bytes but the manifest's memory.size is " + m.memorySize());
        }
        String configured = m.config().getOrDefault("memory.size", MemorySizes.DEFAULT);
        long parsed = MemorySizes.parse(configured);
        if (parsed < 0) throw bad("config memory.size '" + configured + "' is not a memory size");
        if (MemorySizes.pageRounded(parsed) != total) {
            throw bad("RAM regions add up to " + total + " bytes but the config's memory.size '" + configured + "' is "
                    + MemorySizes.pageRounded(parsed) + " bytes");
        }
        String cpus = m.config().get("cpus");
        if (cpus != null && cpus.matches("[0-9]{1,6}") && Integer.parseInt(cpus) != m.vcpus()) {
            throw bad("manifest says " + m.vcpus() + " vCPUs but the config's cpus is " + cpus);
        }
    }

    // ---- chunks ----

    private List<Chunk> readChunks(ChunkRegistry registry, boolean showDamage) throws IOException {
        List<ChunkEntry> entries = manifest.chunks();
        List<byte[]> payloads = new ArrayList<>(entries.size());
        for (ChunkEntry c : entries) {
            byte[] p = read(c.offset(), (int) c.length(), "reading " + c.label());
            CRC32C crc = new CRC32C();
            crc.update(p);
            int computed = (int) crc.getValue();
            if (computed != c.crc32c()) {
                String problem = c.label() + " fails its checksum (stored " + SnapshotHeader.hex32(c.crc32c())
                        + ", computed " + SnapshotHeader.hex32(computed) + ")";
                if (!showDamage) throw bad(problem);
                damage.add(problem);
                p = null; // shown as damaged below, never decoded
            }
            payloads.add(p);
        }
        List<Chunk> out = new ArrayList<>(entries.size());
        boolean sawRamCrc = false;
        for (int i = 0; i < entries.size(); i++) {
            ChunkEntry c = entries.get(i);
            byte[] p = payloads.get(i);
            payloads.set(i, null);
            Chunk chunk;
            if (c.name().equals(SnapshotFormat.RAM_CRC_CHUNK)) {
                // The container's own chunk: one, with the empty instance (§6.1), or RAM would be checked
                // against whichever of several came last.
                if (!c.instance().isEmpty()) throw bad(c.label() + ": the ram.crc chunk's instance must be empty");
                sawRamCrc = true;
            }
            if (p == null) {
                chunk = new Chunk(c, null, c.version(), Chunk.Status.DAMAGED, "fails its checksum");
                if (c.name().equals(SnapshotFormat.RAM_CRC_CHUNK)) ramCrcProblem = "the ram.crc chunk fails its checksum";
            } else if (c.name().equals(SnapshotFormat.RAM_CRC_CHUNK)) {
                chunk = readRamCrc(c, p);
            } else if (registry == null) {
                try {
                    chunk = new Chunk(c, decode(c, p), c.version(), Chunk.Status.READ, null);
                } catch (SnapshotFormatException e) {
                    if (!showDamage) throw e;
                    damage.add(e.getMessage());
                    chunk = new Chunk(c, null, c.version(), Chunk.Status.DAMAGED, "cannot be decoded");
                }
            } else {
                chunk = resolve(registry, c, p);
            }
            out.add(chunk);
            byKey.put(key(c.name(), c.instance()), chunk);
        }
        if (!sawRamCrc && !manifest.regions().isEmpty()) {
            throw bad("has RAM regions but no '" + SnapshotFormat.RAM_CRC_CHUNK + "' chunk");
        }
        return Collections.unmodifiableList(out);
    }

    private StateRecord decode(ChunkEntry c, byte[] payload) throws SnapshotFormatException {
        try {
            String origin = "snapshot " + file + ": " + c.label();
            return StateCodec.decode(payload, 0, payload.length, origin);
        } catch (SnapshotFormatException e) {
            throw bad(c.label() + " is not a valid state record: " + e.getMessage());
        }
    }

    private Chunk resolve(ChunkRegistry registry, ChunkEntry c, byte[] payload) throws SnapshotFormatException {
        String label = c.label();
        Optional<ChunkRegistry.Kind> found = registry.lookup(c.name());
        if (found.isEmpty()) {
            if (c.required()) {
                throw new SnapshotIncompatibleException(file, label + " (version " + c.version() + producedBy(c)
                        + ") is of a kind this jbhyve does not know: use a newer jbhyve (or the one that wrote it, "
                        + manifest.producerName() + " " + manifest.producerVersion() + ") to restore it");
            }
            return skip(c, "skipping optional " + label + " (version " + c.version() + producedBy(c)
                    + "): this jbhyve does not know its kind");
        }
        ChunkRegistry.Kind kind = found.get();
        if (!kind.taken()) return new Chunk(c, decode(c, payload), c.version(), Chunk.Status.READ, null);
        if (c.version() > kind.current()) {
            if (c.required()) {
                throw new SnapshotIncompatibleException(file, label + " is version " + c.version()
                        + "; this jbhyve reads up to version " + kind.current() + ": use a newer jbhyve to restore it");
            }
            return skip(c, "skipping optional " + label + ": it is version " + c.version()
                    + " and this jbhyve reads up to version " + kind.current());
        }
        if (c.version() < kind.oldest()) {
            String range = kind.oldest() == kind.current() ? "version " + kind.current()
                    : "versions " + kind.oldest() + " to " + kind.current();
            if (c.required()) {
                throw new SnapshotIncompatibleException(file, label + " is version " + c.version() + "; this jbhyve reads "
                        + range + " only: use an older jbhyve (one that reads version " + c.version() + ") to restore it");
            }
            return skip(c, "skipping optional " + label + ": it is version " + c.version() + " and this jbhyve reads "
                    + range + " only");
        }
        StateRecord r = decode(c, payload);
        if (c.version() == kind.current()) return new Chunk(c, r, c.version(), Chunk.Status.READ, null);
        StateRecord upgraded;
        try {
            upgraded = kind.upgrade(r, c.version(), label);
        } catch (SnapshotFormatException e) {
            throw bad(e.getMessage());
        }
        return new Chunk(c, upgraded.withOrigin(r.origin()), kind.current(), Chunk.Status.UPGRADED,
                "upgraded from version " + c.version() + " to " + kind.current());
    }

    private static String producedBy(ChunkEntry c) {
        return c.producer() == null ? "" : ", produced by " + c.producer();
    }

    private Chunk skip(ChunkEntry c, String warning) {
        String w = "snapshot " + file + ": " + warning;
        warnings.add(w);
        if (warningSink != null) warningSink.accept(w);
        else Log.LOG.log(System.Logger.Level.WARNING, w);
        return new Chunk(c, null, c.version(), Chunk.Status.SKIPPED, warning);
    }

    /** Checks the container's ram.crc chunk against the regions: one CRC per 2 MiB block of each. */
    private Chunk readRamCrc(ChunkEntry c, byte[] payload) throws SnapshotFormatException {
        if (c.version() != SnapshotFormat.RAM_CRC_VERSION) {
            if (c.version() > SnapshotFormat.RAM_CRC_VERSION && !c.required()) {
                ramCrcProblem = c.label() + " is version " + c.version() + "; this jbhyve verifies RAM with version "
                        + SnapshotFormat.RAM_CRC_VERSION + " only: use a newer jbhyve to verify it";
                return skip(c, "cannot verify RAM: " + ramCrcProblem);
            }
            throw new SnapshotIncompatibleException(file, c.label() + " is version " + c.version()
                    + "; this jbhyve reads version " + SnapshotFormat.RAM_CRC_VERSION + ": use a newer jbhyve");
        }
        StateRecord r = decode(c, payload);
        List<RamRegion> regions = manifest.regions();
        int[][] crcs = new int[regions.size()][];
        try {
            long blockSize = r.u32("block_size");
            if (blockSize != BLOCK) throw bad(c.label() + " has block_size " + blockSize + ", not " + BLOCK);
            List<StateRecord> list = r.records("regions");
            if (list.size() != regions.size()) {
                throw bad(c.label() + " has checksums for " + list.size() + " RAM regions; the manifest lists "
                        + regions.size());
            }
            for (int i = 0; i < list.size(); i++) {
                StateRecord e = list.get(i);
                if (e.u32("region") != i) throw bad(c.label() + " entry " + i + " is for region " + e.u32("region"));
                byte[] packed = e.bytes("crc32c");
                int blocks = regions.get(i).blockCount();
                if (packed.length != 4L * blocks) {
                    throw bad(c.label() + " has " + packed.length + " bytes of checksums for RAM region " + i + ", which has "
                            + blocks + " blocks (" + 4L * blocks + " bytes expected)");
                }
                int[] a = new int[blocks];
                for (int b = 0; b < blocks; b++) {
                    a[b] = (packed[4 * b] & 0xff) | (packed[4 * b + 1] & 0xff) << 8 | (packed[4 * b + 2] & 0xff) << 16
                            | (packed[4 * b + 3] & 0xff) << 24;
                }
                crcs[i] = a;
            }
        } catch (SnapshotFormatException e) {
            if (e.file() != null) throw e;
            throw bad(c.label() + " is malformed: " + e.getMessage());
        }
        ramCrcs = crcs;
        return new Chunk(c, r, c.version(), Chunk.Status.READ, null);
    }

    // ---- RAM ----

    /**
     * The stored CRC32C of each 2 MiB block of RAM region {@code index} ({@code ram.crc}, §7.3); empty when
     * this build cannot read the file's {@code ram.crc} (then {@link #ramCrcProblem} says why).
     */
    Optional<int[]> blockCrcs(int index) {
        Objects.checkIndex(index, manifest.regions().size());
        return ramCrcs == null ? Optional.empty() : Optional.of(ramCrcs[index].clone());
    }

    /** Why {@link #blockCrcs} is empty; null when it is not. */
    String ramCrcProblem() {
        return ramCrcs == null ? (ramCrcProblem != null ? ramCrcProblem : "it has no readable ram.crc chunk") : null;
    }

    /**
     * Maps RAM region {@code index} copy-on-write ({@code mmap(MAP_PRIVATE|MAP_NORESERVE, PROT_READ|PROT_WRITE)}
     * of its extent of this file). Nothing is read now: each page comes from the page cache when first
     * touched (holes read as zeros), and writes go to private anonymous memory, never to the file. The
     * mapping lives until {@code arena} closes, independent of this reader; the file must not be
     * modified meanwhile (jbhyve's writer never modifies a snapshot, it replaces it by rename).
     */
    public MemorySegment mapRam(int index, Arena arena) throws IOException {
        Objects.requireNonNull(arena, "arena");
        List<RamRegion> regions = manifest.regions();
        Objects.checkIndex(index, regions.size());
        ensureOpen();
        RamRegion r = regions.get(index);
        MemorySegment err = Fs.errnoState();
        MemorySegment addr = libc_h.mmap(err, MemorySegment.NULL, r.size(), libc_h.PROT_READ | libc_h.PROT_WRITE,
                libc_h.MAP_PRIVATE | libc_h.MAP_NORESERVE, fd, r.fileOffset());
        if (addr.address() == libc_h.MAP_FAILED) {
            throw new IOException("cannot map RAM region " + index + " of snapshot " + file + ": "
                    + Fs.describe(libc_h.errno(err)));
        }
        long address = addr.address();
        long size = r.size();
        return addr.reinterpret(size, arena, ignored -> libc_h.munmap(Fs.errnoState(), MemorySegment.ofAddress(address), size));
    }

    /**
     * Reads all of RAM and checks every 2 MiB block against {@code ram.crc}; throws at the first bad block,
     * naming the region, block, guest and file addresses. Blocks that are holes in the file are not read
     * (SEEK_DATA says so); they sum as zeros. Header, manifest and chunks were checked by open.
     */
    public void verify() throws IOException {
        ensureOpen();
        if (!damage.isEmpty()) throw bad(damage.getFirst()); // opened to show damage: not a good file
        List<RamRegion> regions = manifest.regions();
        if (regions.isEmpty()) return;
        if (ramCrcs == null) throw bad("RAM cannot be verified: " + ramCrcProblem);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(BLOCK, 4096);
            CRC32C crc = new CRC32C();
            for (int i = 0; i < regions.size(); i++) {
                RamRegion r = regions.get(i);
                int[] stored = ramCrcs[i];
                for (int b = 0; b < stored.length; b++) {
                    long start = r.fileOffset() + b * BLOCK;
                    long len = Math.min(BLOCK, r.size() - b * BLOCK);
                    int computed;
                    if (isHole(start, len)) {
                        computed = SnapshotWriter.crcOfZeros(len);
                    } else {
                        MemorySegment slice = buf.asSlice(0, len);
                        long n;
                        try {
                            n = Fs.pread(fd, slice, start, "reading RAM region " + i);
                        } catch (Fs.ErrnoException e) {
                            throw new IOException("cannot read snapshot " + file + ": " + e.getMessage(), e);
                        }
                        if (n != len) throw bad("is truncated inside RAM region " + i);
                        crc.reset();
                        crc.update(slice.asByteBuffer());
                        computed = (int) crc.getValue();
                    }
                    if (computed != stored[b]) {
                        long gpa = r.gpa() + b * BLOCK;
                        throw bad("RAM region " + i + " ('" + r.name() + "') block " + b + " (guest 0x"
                                + Long.toHexString(gpa) + "-0x" + Long.toHexString(gpa + len - 1) + ", file offset 0x"
                                + Long.toHexString(start) + ") fails its checksum (stored " + SnapshotHeader.hex32(stored[b])
                                + ", computed " + SnapshotHeader.hex32(computed) + ")");
                    }
                }
            }
        }
    }

    /**
     * Refuses, without reading RAM, a file that lost RAM: a 2 MiB block that {@code ram.crc} says held more
     * than zeros but that is all hole in the file (punched out, or dropped by a copy that thought it was
     * sparse). The guest would find zeros where its memory was, and crash or worse; {@link #verify} finds
     * every bad block but reads all of RAM, which a lazy restore must not do. A block that lost only some
     * of its pages still has data and passes here; {@code bhyvectl --verify} finds it. Where the file system
     * cannot report holes, or {@code ram.crc} cannot be read, nothing is checked.
     */
    public void checkRamPresent() throws SnapshotFormatException {
        ensureOpen();
        if (ramCrcs == null) return;
        List<RamRegion> regions = manifest.regions();
        for (int i = 0; i < regions.size(); i++) {
            RamRegion r = regions.get(i);
            java.util.BitSet withData = blocksWithData(r);
            if (withData == null) return; // no hole reporting here
            int[] stored = ramCrcs[i];
            for (int b = withData.nextClearBit(0); b < stored.length; b = withData.nextClearBit(b + 1)) {
                long len = Math.min(BLOCK, r.size() - b * BLOCK);
                if (stored[b] == SnapshotWriter.crcOfZeros(len)) continue; // never written: a hole by design
                long gpa = r.gpa() + b * BLOCK;
                throw bad("RAM region " + i + " ('" + r.name() + "') block " + b + " (guest 0x" + Long.toHexString(gpa)
                        + "-0x" + Long.toHexString(gpa + len - 1) + ", file offset 0x"
                        + Long.toHexString(r.fileOffset() + b * BLOCK) + ") is missing from the file: ram.crc says it"
                        + " held data, but the file has none there (was it punched out, or copied by a tool that"
                        + " dropped it?); bhyvectl --verify checks all of RAM");
            }
        }
    }

    /** The blocks of region {@code r} with any data in the file (SEEK_DATA/SEEK_HOLE); null if unknown. */
    private java.util.BitSet blocksWithData(RamRegion r) {
        java.util.BitSet blocks = new java.util.BitSet(r.blockCount());
        long from = r.fileOffset(), to = from + r.size();
        try {
            long pos = from;
            while (pos < to) {
                long data = Fs.seekData(fd, pos);
                if (data < 0 || data >= to) break;
                long hole = Math.min(Fs.seekHole(fd, data), to);
                blocks.set((int) ((data - from) / BLOCK), (int) ((hole - 1 - from) / BLOCK) + 1);
                pos = hole;
            }
        } catch (Fs.ErrnoException e) {
            return null;
        }
        return blocks;
    }

    private boolean isHole(long start, long len) {
        try {
            long data = Fs.seekData(fd, start);
            return data < 0 || data >= start + len;
        } catch (Fs.ErrnoException e) {
            return false; // no hole reporting here: read it
        }
    }

    /** Bytes the file occupies on disk (its data extents, as SEEK_DATA/SEEK_HOLE report them); -1 if unknown. */
    public long allocatedBytes() {
        ensureOpen();
        return Fs.dataBytes(fd, 0, fileSize);
    }

    /** Bytes of RAM region {@code index} that occupy disk (not holes); -1 if unknown. */
    public long allocatedBytes(int index) {
        ensureOpen();
        RamRegion r = manifest.regions().get(index);
        return Fs.dataBytes(fd, r.fileOffset(), r.fileOffset() + r.size());
    }

    private void ensureOpen() {
        if (fd < 0) throw new IllegalStateException("snapshot reader for " + file + " is closed");
    }

    /** Closes the file; RAM mappings stay valid until their arenas close. */
    @Override
    public void close() {
        if (fd >= 0) {
            Fs.closeQuietly(fd);
            fd = -1;
        }
    }
}
