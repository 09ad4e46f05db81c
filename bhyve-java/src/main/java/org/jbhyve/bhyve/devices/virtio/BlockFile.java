package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.libc_h;

/**
 * A raw disk image as bhyve's block_if opens it: {@code ro} (and a read-only file, which bhyve also
 * falls back to), {@code nocache} (O_DIRECT), {@code sync}/{@code direct} (O_SYNC), {@code nodelete}
 * (no discard), {@code sectorsize=logical[/physical]} (powers of two, logical at least 512 and at most
 * physical; by default 512 and the file system's block size, or the block size for both under
 * {@code nocache}, whose O_DIRECT I/O must be block aligned).
 *
 * <p>Reads and writes go straight between the file and guest memory, except under O_DIRECT, which
 * needs aligned buffers: then through an aligned bounce buffer, and a request not aligned to the file
 * system block fails as it would in bhyve. Buffered reads and writes (neither {@code nocache} nor
 * {@code sync}, the usual case) are pread/pwrite on a descriptor of their own, opened by path right
 * after the channel, with the guest memory segment as the buffer: the channel's positional I/O costs
 * about 0.1 us more per call in bookkeeping (thread registration, interruptibility, a ByteBuffer view
 * of the segment), a tenth of a 4 KiB read from the page cache. The downcall keeps the guest memory
 * alive while the kernel copies, as the channel does for its buffers. Discard is fallocate(PUNCH_HOLE)
 * where the file system has it (probed at open), write zeroes fallocate(ZERO_RANGE) or PUNCH_HOLE,
 * else written zeros. Used by one I/O thread at a time, and closed only when that thread has stopped.
 */
final class BlockFile implements AutoCloseable {
    /** Options from the config node (bhyve's block_if keys). */
    record Options(Path path, boolean readOnly, boolean noCache, boolean sync, boolean noDelete, int logicalSector,
            int physicalSector) {}

    private static final int BOUNCE_SIZE = 1 << 20;
    private static final int ZERO_CHUNK = 64 << 10;

    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final boolean direct;
    private final long size;
    private final int logicalSector;
    private final int physicalSector;
    private final int directAlignment;
    private final Fallocate fallocate;
    /** Descriptor for buffered pread/pwrite, or -1 under {@code nocache} or {@code sync} (the channel does those). */
    private final int fd;
    /** errno of the I/O thread's pread/pwrite calls; freed on close. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = libc_h.allocateErrnoState(arena);
    private final boolean canPunchHole;
    private boolean canZeroRange;
    private ByteBuffer bounce;
    /**
     * The image's modification time just before and just after the fallocate probes at open, where they had
     * to be made on the image itself ({@link Fallocate#probeBeside} could not): probing moves it (file
     * systems stamp even a hole punched beyond the end), and a restore must not take that for a write since
     * the snapshot. -1 when not known.
     */
    private long modifiedBeforeProbe = -1, modifiedAfterProbe = -1;

    private BlockFile(Path path, FileChannel channel, boolean readOnly, boolean direct, int directAlignment, long size,
            int logical, int physical, Fallocate fallocate, boolean canPunchHole, boolean canZeroRange, int fd) {
        this.path = path;
        this.channel = channel;
        this.fd = fd;
        this.readOnly = readOnly;
        this.direct = direct;
        this.directAlignment = directAlignment;
        this.size = size;
        this.logicalSector = logical;
        this.physicalSector = physical;
        this.fallocate = fallocate;
        this.canPunchHole = canPunchHole;
        this.canZeroRange = canZeroRange;
    }

    /**
     * Opens the image; problems are {@link ConfigException}s that say what to do.
     *
     * @param pathKey the config key that names the image ({@code pci.0.2.0.path}), for messages
     * @param warn receives non-fatal notes (fallbacks)
     */
    static BlockFile open(Options o, String who, String pathKey, Consumer<String> warn) {
        Path path = o.path();
        if (!Files.exists(path)) {
            // Not only "create it": on a restore a blank image would be taken, and the guest's disk lost.
            throw new ConfigException(who + ": backing file " + path + " does not exist (for a new disk, create it"
                    + " first, e.g. truncate -s 1G " + path + "; restoring a snapshot, give the disk's present path with"
                    + " -o " + pathKey + "=PATH)");
        }
        if (Files.isDirectory(path)) throw new ConfigException(who + ": backing file " + path + " is a directory");
        String special = specialKind(path);
        if (special != null) {
            // bhyve refuses a character device that is not a disk; on Linux disks are block devices. A FIFO or
            // /dev/null would otherwise be a disk of 0 sectors, and the guest would find no disk.
            throw new ConfigException(who + ": backing file " + path + " is " + special + ", not a disk image or block"
                    + " device (give a regular file, such as one made with truncate -s 1G, or a block device)");
        }
        boolean readOnly = o.readOnly();
        boolean direct = o.noCache();
        FileChannel ch = null;
        while (ch == null) {
            Set<OpenOption> opts = new HashSet<>();
            opts.add(StandardOpenOption.READ);
            if (!readOnly) opts.add(StandardOpenOption.WRITE);
            if (o.sync()) opts.add(StandardOpenOption.SYNC);
            if (direct) opts.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
            try {
                ch = FileChannel.open(path, opts);
            } catch (AccessDeniedException e) {
                if (readOnly) throw new ConfigException(who + ": cannot open " + path + ": permission denied");
                warn.accept("cannot open " + path + " for writing (permission denied); using it read-only as bhyve does");
                readOnly = true;
            } catch (NoSuchFileException e) {
                throw new ConfigException(who + ": backing file " + path + " does not exist");
            } catch (IOException | UnsupportedOperationException e) {
                if (direct) {
                    warn.accept("nocache: the file system of " + path + " refuses O_DIRECT (" + e.getMessage()
                            + "); using the page cache");
                    direct = false;
                } else if (!readOnly && e instanceof FileSystemException fse && fse.getReason() != null
                        && fse.getReason().contains("Read-only")) {
                    warn.accept(path + " is on a read-only file system; using it read-only as bhyve does");
                    readOnly = true;
                } else {
                    throw new ConfigException(who + ": cannot open " + path + ": " + e.getMessage());
                }
            }
        }
        try {
            long size = ch.size();
            int fsBlock = blockSize(path);
            // Under O_DIRECT the JDK wants file-system-block alignment: tell the guest so by default.
            int logical = o.logicalSector() > 0 ? o.logicalSector() : direct ? fsBlock : 512;
            if (direct && logical < fsBlock) {
                warn.accept("nocache: " + path + " needs " + fsBlock + "-byte aligned requests; with sectorsize="
                        + logical + " smaller ones fail (give sectorsize=" + fsBlock + ")");
            }
            int physical = o.physicalSector() > 0 ? o.physicalSector() : Math.max(logical, fsBlock);
            Fallocate fa = null;
            boolean punch = false, zero = false;
            long beforeProbe = modifiedNanos(path), afterProbe = beforeProbe;
            if (!readOnly) {
                Optional<Fallocate> f = Fallocate.open(path);
                if (f.isPresent()) {
                    fa = f.get();
                    Optional<boolean[]> beside = Fallocate.probeBeside(path, Fallocate.FALLOC_FL_PUNCH_HOLE,
                            Fallocate.FALLOC_FL_ZERO_RANGE);
                    if (beside.isPresent()) {
                        punch = beside.get()[0];
                        zero = beside.get()[1];
                    } else {
                        // Beyond the end of the image with KEEP_SIZE: changes no data (only the file's times),
                        // tells whether it is supported.
                        punch = fa.call(Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE, size, 1) == 0;
                        zero = fa.call(Fallocate.FALLOC_FL_ZERO_RANGE | Fallocate.FALLOC_FL_KEEP_SIZE, size, 1) == 0;
                        afterProbe = modifiedNanos(path);
                    }
                }
            }
            int fd = direct || o.sync() ? -1 : openDescriptor(path, readOnly);
            BlockFile file = new BlockFile(path, ch, readOnly, direct, direct ? fsBlock : 1, size, logical, physical, fa,
                    punch, zero, fd);
            file.modifiedBeforeProbe = beforeProbe;
            file.modifiedAfterProbe = afterProbe;
            return file;
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new ConfigException(who + ": cannot use " + path + ": " + e.getMessage());
        }
    }

    /** What {@code path} (links followed) is when it can hold no disk: "a FIFO", ...; null for a regular file or a block device. */
    private static String specialKind(Path path) {
        int mode;
        try {
            if (!(Files.getAttribute(path, "unix:mode") instanceof Integer m)) return null;
            mode = m;
        } catch (IOException | RuntimeException e) {
            return null; // not a POSIX file system, or gone: the open says what is wrong
        }
        int type = mode & libc_h.S_IFMT;
        return type == libc_h.S_IFREG || type == libc_h.S_IFBLK ? null : FileStat.kindOf(mode);
    }

    /**
     * {@code path}'s last modification, in nanoseconds since 1970; -1 for what has none worth comparing (a
     * block device, whose node's time does not follow its writes) or cannot be read.
     */
    static long modifiedNanos(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.isRegularFile() ? Math.max(-1, a.lastModifiedTime().to(TimeUnit.NANOSECONDS)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The image's last modification now (see {@link #modifiedNanos(Path)}), of the file this device has open
     * where it has a descriptor: a standby's prepared machine opened it long before its restore, and if the
     * path has been given another file since, the open one is what the guest will read and write.
     */
    long modifiedNanos() {
        if (fd < 0) return modifiedNanos(path);
        try (Arena a = Arena.ofConfined()) {
            FileStat st = FileStat.ofDescriptor(libc_h.allocateErrnoState(a), fd);
            return st == null || !st.isRegularFile() ? -1 : Math.max(-1, st.mtimeNanos());
        }
    }

    /**
     * Whether an image whose modification time is {@code now} ({@link #modifiedNanos()}) is as it was at time
     * {@code then}, as far as its time tells: unchanged since, or changed only by this process's own probe at
     * open.
     */
    boolean unmodifiedSince(long then, long now) {
        return now < 0 || now == then || (now == modifiedAfterProbe && modifiedBeforeProbe == then);
    }

    /** The descriptor for buffered pread/pwrite, with the access the channel got. */
    private static int openDescriptor(Path path, boolean readOnly) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(path.toString()), (readOnly ? libc_h.O_RDONLY : libc_h.O_RDWR)
                    | HostAbi.O_CLOEXEC, 0);
            if (fd < 0) throw failure("open", err);
            return fd;
        }
    }

    private static IOException failure(String call, MemorySegment err) {
        int e = libc_h.errno(err);
        return new IOException(call + ": " + Errno.describe(e) + " (" + Errno.name(e) + ")");
    }

    private static int blockSize(Path path) {
        try {
            long b = Files.getFileStore(path).getBlockSize();
            return b >= 512 && b <= (1 << 16) && Long.bitCount(b) == 1 ? (int) b : 4096;
        } catch (IOException | UnsupportedOperationException e) {
            return 4096;
        }
    }

    Path path() { return path; }

    long size() { return size; }

    boolean readOnly() { return readOnly; }

    boolean direct() { return direct; }

    int logicalSector() { return logicalSector; }

    int physicalSector() { return physicalSector; }

    boolean canPunchHole() { return canPunchHole; }

    // ---------------------------------------------------------------- I/O

    /** Reads {@code dst.byteSize()} bytes at {@code position} into {@code dst} (buffered mode). */
    void read(long position, MemorySegment dst) throws IOException {
        if (fd < 0) {
            ByteBuffer b = dst.asByteBuffer();
            while (b.hasRemaining()) {
                int n = channel.read(b, position + b.position());
                if (n < 0) throw new IOException("unexpected end of " + path + " at " + (position + b.position()));
            }
            return;
        }
        long size = dst.byteSize();
        for (long done = 0; done < size; ) {
            // the whole segment first (no slice object); a short read (rare) continues from where it stopped
            long n = libc_h.pread(errno, fd, done == 0 ? dst : dst.asSlice(done), size - done, position + done);
            if (n > 0) done += n;
            else if (n == 0) throw new IOException("unexpected end of " + path + " at " + (position + done));
            else if (libc_h.errno(errno) != Errno.EINTR) throw ioFailure("pread", size - done, position + done);
        }
    }

    /** Writes {@code src} at {@code position} (buffered mode). */
    void write(long position, MemorySegment src) throws IOException {
        if (readOnly) throw new IOException(path + " is read-only");
        if (fd < 0) {
            ByteBuffer b = src.asByteBuffer();
            while (b.hasRemaining()) channel.write(b, position + b.position());
            return;
        }
        long size = src.byteSize();
        for (long done = 0; done < size; ) {
            long n = libc_h.pwrite(errno, fd, done == 0 ? src : src.asSlice(done), size - done, position + done);
            if (n > 0) done += n;
            else if (n == 0) throw new IOException("pwrite wrote nothing at " + (position + done) + " of " + path);
            else if (libc_h.errno(errno) != Errno.EINTR) throw ioFailure("pwrite", size - done, position + done);
        }
    }

    private IOException ioFailure(String call, long bytes, long position) {
        return failure(call + " of " + bytes + " bytes at " + position, errno);
    }

    /** Copies data between the file and a request in O_DIRECT mode, through the aligned bounce buffer. */
    interface BounceCopy {
        /** Moves {@code chunk.remaining()} bytes at request offset {@code done} into or out of {@code chunk}. */
        void copy(long done, MemorySegment chunk);
    }

    /** O_DIRECT read of {@code length} bytes at {@code position}, handing each aligned chunk to {@code out}. */
    void readDirect(long position, long length, BounceCopy out) throws IOException {
        checkAligned(position, length);
        for (long done = 0; done < length; ) {
            int chunk = (int) Math.min(BOUNCE_SIZE, length - done);
            ByteBuffer b = bounce().clear().limit(chunk);
            while (b.hasRemaining()) {
                int n = channel.read(b, position + done + b.position());
                if (n < 0) throw new IOException("unexpected end of " + path);
            }
            out.copy(done, MemorySegment.ofBuffer(b.flip()));
            done += chunk;
        }
    }

    /** O_DIRECT write of {@code length} bytes at {@code position}, filling each aligned chunk from {@code in}. */
    void writeDirect(long position, long length, BounceCopy in) throws IOException {
        if (readOnly) throw new IOException(path + " is read-only");
        checkAligned(position, length);
        for (long done = 0; done < length; ) {
            int chunk = (int) Math.min(BOUNCE_SIZE, length - done);
            ByteBuffer b = bounce().clear().limit(chunk);
            in.copy(done, MemorySegment.ofBuffer(b));
            while (b.hasRemaining()) channel.write(b, position + done + b.position());
            done += chunk;
        }
    }

    private void checkAligned(long position, long length) throws IOException {
        if (position % directAlignment != 0 || length % directAlignment != 0) {
            throw new IOException("nocache (O_DIRECT) needs requests aligned to " + directAlignment + " bytes; got "
                    + length + " bytes at " + position + " (give the disk sectorsize=" + directAlignment + ")");
        }
    }

    private ByteBuffer bounce() {
        if (bounce == null) bounce = ByteBuffer.allocateDirect(BOUNCE_SIZE + directAlignment).alignedSlice(directAlignment);
        return bounce;
    }

    /** Makes everything written so far durable (fsync). */
    void flush() throws IOException {
        if (!readOnly) channel.force(true);
    }

    /** Deallocates {@code [position, position + length)}; reads then return zeros. */
    void punchHole(long position, long length) throws IOException {
        if (readOnly) throw new IOException(path + " is read-only");
        if (!canPunchHole) throw new IOException("discard is not supported on " + path);
        fallocate.require(Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE, position, length);
    }

    /** Zeroes {@code [position, position + length)}, deallocating it if {@code mayUnmap} and possible. */
    private ByteBuffer zeros;

    void writeZeroes(long position, long length, boolean mayUnmap) throws IOException {
        if (readOnly) throw new IOException(path + " is read-only");
        if (mayUnmap && canPunchHole) {
            fallocate.require(Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE, position, length);
            return;
        }
        if (canZeroRange) {
            int e = fallocate.call(Fallocate.FALLOC_FL_ZERO_RANGE | Fallocate.FALLOC_FL_KEEP_SIZE, position, length);
            if (e == 0) return;
            canZeroRange = false; // fall back to writing zeros from now on
        }
        if (direct) {
            writeDirect(position, length, (done, chunk) -> chunk.fill((byte) 0));
            return;
        }
        // One buffer of zeros for the life of the image (requests come from the device's one I/O thread),
        // not a new direct buffer per request, which a guest sending many could pile up faster than the
        // collector frees them.
        if (zeros == null) zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(zeros.capacity(), length - done);
            ByteBuffer b = zeros.clear().limit(n);
            while (b.hasRemaining()) channel.write(b, position + done + b.position());
            done += n;
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Closes the image once. A second call does nothing: the device's teardown thread and the VM's own
     * close may both get here, and a second close(2) of the descriptor could close a file that has
     * meanwhile been given the same number.
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) return;
        try {
            channel.close();
        } finally {
            if (fallocate != null) fallocate.close();
            if (fd >= 0) libc_h.close(errno, fd);
            arena.close();
        }
    }
}
