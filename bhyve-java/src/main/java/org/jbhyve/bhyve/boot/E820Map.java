package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.vmm.GuestMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * The physical memory map a directly booted kernel is told about: the BIOS E820 table for Linux, the
 * multiboot mmap for multiboot kernels. Same ranges as bhyve's e820.c (lowmem minus the legacy
 * 640 KiB-1 MiB hole, then highmem), except that the hole and the PCIe ECAM window are listed as
 * reserved instead of left out: the MP and ACPI tables live in the hole, and Linux only trusts an
 * MMCONFIG window that the firmware's map reserves.
 */
public final class E820Map {
    public static final int TYPE_RAM = 1;
    public static final int TYPE_RESERVED = 2;

    /** Conventional memory ends here; [LEGACY_HOLE_BASE, 1 MiB) is VGA, option ROMs and BIOS (MP/ACPI tables). */
    public static final long LEGACY_HOLE_BASE = 0xa0000;
    public static final long ONE_MIB = 0x100000;

    /** One range: {@code type} is an E820 type (1 RAM, 2 reserved). */
    public record Entry(long base, long length, int type) {
        public long end() { return base + length; }
    }

    private E820Map() {}

    /** The map for {@code ram}, sorted by address, without overlaps. */
    public static List<Entry> of(RamLayout ram) {
        List<Entry> map = new ArrayList<>();
        long low = ram.lowmemEnd();
        map.add(new Entry(0, Math.min(low, LEGACY_HOLE_BASE), TYPE_RAM));
        map.add(new Entry(LEGACY_HOLE_BASE, ONE_MIB - LEGACY_HOLE_BASE, TYPE_RESERVED));
        if (low > ONE_MIB) map.add(new Entry(ONE_MIB, low - ONE_MIB, TYPE_RAM));
        map.add(new Entry(MemoryMap.PCI_ECAM_BASE, MemoryMap.PCI_ECAM_SIZE, TYPE_RESERVED));
        if (ram.highmemBytes() > 0) map.add(new Entry(GuestMemory.HIGHMEM_BASE, ram.highmemBytes(), TYPE_RAM));
        return List.copyOf(map);
    }

    /** Conventional memory in KiB (multiboot's mem_lower). */
    static long lowerKib(RamLayout ram) {
        return Math.min(ram.lowmemEnd(), LEGACY_HOLE_BASE) >> 10;
    }

    /** Contiguous RAM from 1 MiB up to the first hole, in KiB (multiboot's mem_upper). */
    static long upperKib(RamLayout ram) {
        return Math.max(0, ram.lowmemEnd() - ONE_MIB) >> 10;
    }
}
