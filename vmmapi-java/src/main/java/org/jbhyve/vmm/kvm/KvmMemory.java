package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.ReadOnlyFiles;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.vmm.MemorySource;
import org.jbhyve.vmm.VmmException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;

/**
 * Host memory for guest RAM: mmap of anonymous memory, of a memfd, or private of a file, unmapped when
 * its arena closes.
 */
final class KvmMemory {
    private KvmMemory() {}

    static int memfd(String name, long size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            int fd = libc_h.memfd_create(errno, a.allocateFrom(name), libc_h.MFD_CLOEXEC);
            if (fd < 0) throw VmmException.failed("memfd_create", "'" + name + "'", libc_h.errno(errno));
            if (libc_h.ftruncate(errno, fd, size) < 0) {
                int e = libc_h.errno(errno);
                libc_h.close(errno, fd);
                throw VmmException.failed("ftruncate(" + size + ")", "memfd '" + name + "'", e);
            }
            return fd;
        }
    }

    static MemorySegment mapShared(int fd, long offset, long size, Arena owner) {
        return map(size, libc_h.MAP_SHARED | libc_h.MAP_NORESERVE, fd, offset, owner);
    }

    /**
     * Maps lowmem ({@code low} bytes) and highmem ({@code high} bytes, may be 0) of {@code source}'s file
     * {@code MAP_PRIVATE}: nothing is read now, each page comes from the page cache on first touch, and
     * writes are copied into anonymous memory. The file is opened read-only and closed again (the
     * mappings keep it). Returns {lowmem, highmem or null}.
     */
    static MemorySegment[] mapFilePrivate(int fd, MemorySource.FilePrivate source, long low, long high, Arena owner) {
        // PROT_WRITE on a read-only fd is allowed for MAP_PRIVATE: writes never reach the file.
        int flags = libc_h.MAP_PRIVATE | libc_h.MAP_NORESERVE;
        MemorySegment lowSeg = map(low, flags, fd, source.lowmemOffset(), owner);
        MemorySegment highSeg = high > 0 ? map(high, flags, fd, source.highmemOffset(), owner) : null;
        return new MemorySegment[] {lowSeg, highSeg};
    }

    /**
     * Maps {@code source}'s file (open as {@code fd}) {@code MAP_PRIVATE} over existing guest RAM, at the
     * same host addresses ({@code MAP_FIXED} replaces the old pages atomically), so KVM's memory slots,
     * which name those addresses, now show the file. {@code high} may be null.
     */
    static void remapFilePrivate(int fd, MemorySource.FilePrivate source, MemorySegment low, MemorySegment high) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            int flags = libc_h.MAP_PRIVATE | libc_h.MAP_NORESERVE | libc_h.MAP_FIXED;
            for (MemorySegment region : high == null ? new MemorySegment[] {low} : new MemorySegment[] {low, high}) {
                long offset = region == low ? source.lowmemOffset() : source.highmemOffset();
                MemorySegment p = libc_h.mmap(errno, region, region.byteSize(), libc_h.PROT_READ | libc_h.PROT_WRITE,
                        flags, fd, offset);
                if (p.address() != region.address()) {
                    throw VmmException.failed("mmap(MAP_FIXED, " + region.byteSize() + " bytes)", source.file().toString(),
                            libc_h.errno(errno));
                }
            }
        }
    }

    /**
     * The {@code block}-sized pieces of {@code fd}'s bytes {@code offset .. offset + size} that hold data
     * (SEEK_DATA/SEEK_HOLE; a hole reads as zeros), region-relative; empty if the file system cannot say.
     */
    static Optional<BitSet> blocksWithData(int fd, long offset, long size, long block) {
        BitSet blocks = new BitSet();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            long pos = offset, end = offset + size;
            while (pos < end) {
                long data = libc_h.lseek(errno, fd, pos, libc_h.SEEK_DATA);
                if (data < 0) {
                    if (libc_h.errno(errno) == Errno.ENXIO) break; // no data after pos
                    return Optional.empty();
                }
                if (data >= end) break;
                long hole = libc_h.lseek(errno, fd, data, libc_h.SEEK_HOLE);
                if (hole < 0) return Optional.empty();
                hole = Math.min(hole, end);
                blocks.set((int) ((data - offset) / block), (int) ((hole - offset + block - 1) / block));
                pos = hole;
            }
        }
        return Optional.of(blocks);
    }

    /** /proc/self/pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst). */
    private static final long PAGEMAP_PRESENT = 1L << 63, PAGEMAP_SWAPPED = 1L << 62, PAGEMAP_FILE_OR_SHARED = 1L << 61;
    private static final long PAGE = 4096;

    /**
     * Adds to {@code blocks} every {@code block}-sized piece of {@code region} (a private file mapping)
     * that holds a private page: one the guest or the VMM wrote since the file was mapped (copy-on-write,
     * so anonymous: present without the file bit, or swapped). Pages never written still show the file.
     * Reads this process's pagemap, 8 bytes per page, without touching the memory.
     *
     * @return false if the pagemap cannot be read (then nothing is known)
     */
    static boolean addPrivatePages(MemorySegment region, long block, BitSet blocks) {
        long pages = region.byteSize() / PAGE, perBlock = block / PAGE;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(errno, a.allocateFrom("/proc/self/pagemap"), libc_h.O_RDONLY | libc_h.O_CLOEXEC, 0);
            if (fd < 0) return false;
            try {
                int chunk = 8192; // entries per read: 64 KiB
                MemorySegment buf = a.allocate(chunk * 8L, 8);
                long first = region.address() / PAGE;
                for (long page = 0; page < pages; page += chunk) {
                    long want = Math.min(chunk, pages - page);
                    long got = libc_h.pread(errno, fd, buf, want * 8, (first + page) * 8);
                    if (got != want * 8) return false;
                    for (long i = 0; i < want; i++) {
                        long e = buf.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, i);
                        boolean privatePage = (e & PAGEMAP_SWAPPED) != 0
                                || (e & PAGEMAP_PRESENT) != 0 && (e & PAGEMAP_FILE_OR_SHARED) == 0;
                        if (privatePage) blocks.set((int) ((page + i) / perBlock));
                    }
                }
                return true;
            } finally {
                libc_h.close(errno, fd);
            }
        }
    }

    /**
     * Opens {@code source}'s file read-only and checks, on the open descriptor, that it is a regular file,
     * the file {@code source} expects (when it says), and long enough for lowmem and highmem. O_NONBLOCK:
     * a FIFO put in the file's place must not wait for a writer; it changes nothing for a regular file.
     */
    static int openRamFile(MemorySource.FilePrivate source, long low, long high) {
        var file = source.file();
        int fd;
        FileStat st;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            fd = ReadOnlyFiles.open(errno, file.toString());
            if (fd < 0) {
                int e = libc_h.errno(errno);
                if (e == Errno.ENOENT) throw new VmmException("cannot map guest RAM from " + file + ": no such file");
                throw VmmException.failed("open(O_RDONLY)", file.toString(), e);
            }
            st = FileStat.ofDescriptor(errno, fd);
            if (st == null) {
                int e = libc_h.errno(errno);
                libc_h.close(errno, fd);
                throw VmmException.failed("fstat", file.toString(), e);
            }
        }
        try {
            if (!st.isRegularFile()) {
                throw new VmmException("cannot map guest RAM from " + file + ": not a regular file (it is " + st.kind() + ")");
            }
            if (source.expected() != null && !source.expected().sameFileUnchanged(st)) {
                throw new VmmException("cannot map guest RAM from " + file + ": it is no longer the file that was"
                        + " checked (it was replaced or changed since it was opened); try again once nothing writes it");
            }
            checkCovers(file, st.size(), "lowmem", source.lowmemOffset(), low);
            if (high > 0) checkCovers(file, st.size(), "highmem", source.highmemOffset(), high);
            return fd;
        } catch (RuntimeException e) {
            closeFd(fd);
            throw e;
        }
    }

    /** {@link org.jbhyve.vmm.VirtualMachine#checkRamReadable()} for RAM mapped from {@code fd}, {@code source}'s file. */
    static void checkStillCovers(int fd, MemorySource.FilePrivate source, long low, long high) {
        long size;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            FileStat st = FileStat.ofDescriptor(errno, fd);
            if (st == null) throw VmmException.failed("fstat", source.file().toString(), libc_h.errno(errno));
            size = st.size();
        }
        long needed = Math.max(source.lowmemOffset() + low, high > 0 ? source.highmemOffset() + high : 0);
        if (size < needed) {
            throw new VmmException("guest RAM is mapped from " + source.file() + ", which is now " + size + " bytes"
                    + " long but holds RAM up to byte " + needed + ": it was truncated after the restore, and the"
                    + " guest's RAM past its end is gone (what the guest wrote there too); this VM's RAM can no longer"
                    + " be read whole");
        }
    }

    private static void checkCovers(Path file, long fileSize, String what, long offset, long size) {
        if (offset > fileSize || fileSize - offset < size) {
            throw new VmmException("cannot map guest " + what + " from " + file + ": it needs bytes " + offset + ".."
                    + (offset + size) + " (" + (size >> 20) + " MiB at offset " + offset + ") but the file is only "
                    + fileSize + " bytes long");
        }
    }

    /**
     * Maps {@code fd} (a memfd holding lowmem at offset 0 and highmem right after it) {@code MAP_SHARED} over
     * existing guest RAM at the same host addresses, as {@link #remapFilePrivate} does for a file.
     */
    static void remapShared(int fd, MemorySegment low, MemorySegment high) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            int flags = libc_h.MAP_SHARED | libc_h.MAP_NORESERVE | libc_h.MAP_FIXED;
            long offset = 0;
            for (MemorySegment region : high == null ? new MemorySegment[] {low} : new MemorySegment[] {low, high}) {
                MemorySegment p = libc_h.mmap(errno, region, region.byteSize(), libc_h.PROT_READ | libc_h.PROT_WRITE,
                        flags, fd, offset);
                if (p.address() != region.address()) {
                    throw VmmException.failed("mmap(MAP_FIXED|MAP_SHARED, " + region.byteSize() + " bytes)", "memfd",
                            libc_h.errno(errno));
                }
                offset += region.byteSize();
            }
        }
    }

    /** Writes the {@code block}-sized pieces of {@code src} that {@code blocks} names (all when null) to {@code fd}. */
    static void copyBlocks(MemorySegment src, BitSet blocks, long block, int fd, long fileOffset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            long count = (src.byteSize() + block - 1) / block;
            for (long b = 0; b < count; b++) {
                if (blocks != null && !blocks.get((int) b)) continue;
                long start = b * block, len = Math.min(block, src.byteSize() - start);
                for (long done = 0; done < len; ) {
                    long n = libc_h.pwrite(errno, fd, src.asSlice(start + done, len - done), len - done,
                            fileOffset + start + done);
                    if (n < 0 && libc_h.errno(errno) == Errno.EINTR) continue;
                    if (n <= 0) throw VmmException.failed("pwrite(guest RAM)", "memfd", n < 0 ? libc_h.errno(errno) : Errno.EIO);
                    done += n;
                }
            }
        }
    }

    static MemorySegment mapAnonymous(long size, Arena owner) {
        return map(size, libc_h.MAP_PRIVATE | libc_h.MAP_ANONYMOUS | libc_h.MAP_NORESERVE, -1, 0, owner);
    }

    /** mmap, with munmap tied to {@code owner}'s close: no access after close can reach the unmapped range. */
    static MemorySegment map(long size, int flags, int fd, long offset, Arena owner) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            MemorySegment p = libc_h.mmap(errno, MemorySegment.NULL, size,
                    libc_h.PROT_READ | libc_h.PROT_WRITE, flags, fd, offset);
            if (p.address() == libc_h.MAP_FAILED) {
                throw VmmException.failed("mmap(" + size + " bytes)", fd < 0 ? "anonymous memory" : "fd " + fd,
                        libc_h.errno(errno));
            }
            long address = p.address();
            return p.reinterpret(size, owner, s -> unmap(address, size));
        }
    }

    private static void unmap(long address, long size) {
        try (Arena a = Arena.ofConfined()) {
            libc_h.munmap(libc_h.allocateErrnoState(a), MemorySegment.ofAddress(address), size);
        }
    }

    static void closeFd(int fd) {
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(libc_h.allocateErrnoState(a), fd);
        }
    }
}
