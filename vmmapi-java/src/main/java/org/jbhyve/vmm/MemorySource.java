package org.jbhyve.vmm;

import org.jbhyve.bindings.libc.FileStat;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a new VM's RAM comes from: fresh zeroed memory ({@link MemoryBacking#ANONYMOUS},
 * {@link MemoryBacking#MEMFD}), or the pages of a file, as a restore from a snapshot wants
 * ({@link FilePrivate}).
 */
public sealed interface MemorySource permits MemoryBacking, MemorySource.FilePrivate {

    /**
     * Guest RAM mapped {@code MAP_PRIVATE} from a file, typically the RAM area of a snapshot: lowmem
     * (GPA 0 up to 3 GiB) from {@code lowmemOffset}, highmem (from GPA 4 GiB) from
     * {@code highmemOffset}, each region's size as {@link GuestMemory#lowmemSize(long)} and
     * {@link GuestMemory#highmemSize(long)} split {@link VmConfig#memoryBytes()}.
     *
     * <ul>
     *   <li>Lazy: creating the VM only maps the file; no page is read until the guest or the VMM touches
     *       it, and then only that page comes in, through the page cache. A hole in a sparse file reads
     *       as zeros and costs nothing until touched.</li>
     *   <li>Copy-on-write: guest and VMM writes go to private anonymous pages of this process; the file
     *       is opened read-only and never changes. Many VMs can share one file.</li>
     *   <li>The file must not be truncated or rewritten while a VM uses it: a page beyond a shrunken
     *       end would fault, and a rewritten page not yet copied would show the new bytes.</li>
     *   <li>The file must cover both regions; creating the VM fails, naming the file and the sizes,
     *       when it is shorter.</li>
     * </ul>
     *
     * @param file          the file (opened read-only)
     * @param lowmemOffset  file offset of lowmem, a multiple of 4 KiB
     * @param highmemOffset file offset of highmem, a multiple of 4 KiB; ignored when the VM has no highmem
     * @param expected      the file as whoever named it saw it (a snapshot reader that checked it), or null:
     *                      the open refuses a file that is not that one, unchanged, so that a snapshot renamed
     *                      over the name in between does not give the VM another file's RAM
     */
    record FilePrivate(Path file, long lowmemOffset, long highmemOffset, FileStat expected) implements MemorySource {
        public FilePrivate {
            Objects.requireNonNull(file, "file");
            checkOffset("lowmem", lowmemOffset);
            checkOffset("highmem", highmemOffset);
        }

        /** RAM from {@code file}, whatever file has that name when the VM maps it. */
        public FilePrivate(Path file, long lowmemOffset, long highmemOffset) {
            this(file, lowmemOffset, highmemOffset, null);
        }

        /** A VM whose RAM (all lowmem) starts at {@code offset} in {@code file}. */
        public static FilePrivate of(Path file, long offset) {
            return new FilePrivate(file, offset, 0);
        }

        private static void checkOffset(String what, long offset) {
            if (offset < 0 || offset % VmConfig.PAGE_SIZE != 0) {
                throw new IllegalArgumentException(what + " file offset must be a non-negative multiple of 4 KiB, got "
                        + offset);
            }
        }
    }
}
