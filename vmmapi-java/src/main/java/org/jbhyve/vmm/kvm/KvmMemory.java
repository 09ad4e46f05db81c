package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.vmm.MemorySource;
import org.jbhyve.vmm.VmmException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

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
    static MemorySegment[] mapFilePrivate(MemorySource.FilePrivate source, long low, long high, Arena owner) {
        int fd = openCovering(source, low, high);
        try {
            // PROT_WRITE on a read-only fd is allowed for MAP_PRIVATE: writes never reach the file.
            int flags = libc_h.MAP_PRIVATE | libc_h.MAP_NORESERVE;
            MemorySegment lowSeg = map(low, flags, fd, source.lowmemOffset(), owner);
            MemorySegment highSeg = high > 0 ? map(high, flags, fd, source.highmemOffset(), owner) : null;
            return new MemorySegment[] {lowSeg, highSeg};
        } finally {
            closeFd(fd);
        }
    }

    /**
     * Maps {@code source}'s file {@code MAP_PRIVATE} over existing guest RAM, at the same host addresses
     * ({@code MAP_FIXED} replaces the old pages atomically), so KVM's memory slots, which name those
     * addresses, now show the file. {@code high} may be null.
     */
    static void remapFilePrivate(MemorySource.FilePrivate source, MemorySegment low, MemorySegment high) {
        int fd = openCovering(source, low.byteSize(), high == null ? 0 : high.byteSize());
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
        } finally {
            closeFd(fd);
        }
    }

    /** Opens {@code source}'s file read-only after checking that it covers lowmem and highmem. */
    private static int openCovering(MemorySource.FilePrivate source, long low, long high) {
        var file = source.file();
        if (!Files.isRegularFile(file)) {
            throw new VmmException("cannot map guest RAM from " + file + ": "
                    + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (IOException e) {
            throw new VmmException("cannot map guest RAM from " + file + ": " + e.getMessage());
        }
        checkCovers(file, fileSize, "lowmem", source.lowmemOffset(), low);
        if (high > 0) checkCovers(file, fileSize, "highmem", source.highmemOffset(), high);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(errno, a.allocateFrom(file.toString()), libc_h.O_RDONLY | libc_h.O_CLOEXEC, 0);
            if (fd < 0) throw VmmException.failed("open(O_RDONLY)", file.toString(), libc_h.errno(errno));
            return fd;
        }
    }

    private static void checkCovers(Path file, long fileSize, String what, long offset, long size) {
        if (offset > fileSize || fileSize - offset < size) {
            throw new VmmException("cannot map guest " + what + " from " + file + ": it needs bytes " + offset + ".."
                    + (offset + size) + " (" + (size >> 20) + " MiB at offset " + offset + ") but the file is only "
                    + fileSize + " bytes long");
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
