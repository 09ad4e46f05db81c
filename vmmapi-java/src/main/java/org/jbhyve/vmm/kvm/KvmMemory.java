package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.vmm.VmmException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Host memory for guest RAM: mmap of anonymous memory or of a memfd, unmapped when its arena closes. */
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
