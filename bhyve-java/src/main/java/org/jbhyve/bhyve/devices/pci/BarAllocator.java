package org.jbhyve.bhyve.devices.pci;

import java.util.ArrayList;
import java.util.List;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.device.MemoryMap;

/**
 * Places BARs at VM creation, bus by bus, the way bhyve's init_pci does, so guests find devices
 * where they would under bhyve:
 *
 * <ol>
 * <li>The BARs of a bus are taken in bus/slot/function order and, within a function, in the order
 *     the model declared them; then sorted by size, largest first (a stable sort: equal sizes keep
 *     that order). Largest first keeps naturally aligned placement from leaving holes.</li>
 * <li>Each goes at the next naturally aligned address of its window: I/O BARs in
 *     [{@code PCI_IO_BASE}, {@code PCI_IO_LIMIT}); 32-bit memory BARs in [{@code PCI_MEM32_BASE},
 *     {@code PCI_MEM32_LIMIT}); 64-bit memory BARs of at most 128 MiB there too (bhyve's concession to
 *     drivers that mishandle BARs above 4 GiB), larger ones in [mem64Base, mem64Base + 32 GiB).</li>
 * <li>After each bus the cursors move on by 32 ports / 1 MiB / 512 MiB (rounded to that), which is
 *     the bus's window.</li>
 * </ol>
 * A BAR that does not fit is a configuration error naming the device and the window. Ports a fixed
 * device already owns inside the I/O window (pc-testdev's 0x2000-0x2017) are passed over, so an I/O BAR
 * never lands on them (its decode would be refused, and the device's legacy transport lost).
 */
final class BarAllocator {
    /** 64-bit BARs up to this size are placed below 4 GiB. */
    static final long MEM64_BELOW_4G_MAX = 128L << 20;
    private static final long IO_BUS_SLACK = 32;
    private static final long MEM32_BUS_SLACK = 1L << 20;
    private static final long MEM64_BUS_SLACK = 512L << 20;

    /** One address window and its cursor. */
    private static final class Window {
        final String what;
        final long base;
        final long limit;
        /** Ranges [start, end) in the window that are taken already, in no particular order. */
        final List<long[]> taken;
        long next;

        Window(String what, long base, long limit, List<long[]> taken) {
            this.what = what;
            this.base = base;
            this.limit = limit;
            this.taken = taken;
            this.next = skipTaken(base, 1);
        }

        /** The first address at or after {@code from}, aligned to {@code alignment}, not inside a taken range. */
        private long skipTaken(long from, long size) {
            long at = alignUp(from, size);
            for (boolean moved = true; moved && at >= from; ) {
                moved = false;
                for (long[] t : taken) {
                    if (at < t[1] && t[0] < at + size) {
                        at = alignUp(t[1], size);
                        moved = true;
                    }
                }
            }
            return at;
        }

        long allocate(long size, PciDevice device, PciBar bar) {
            long at = skipTaken(next, size);
            if (at < next || at + size > limit || at + size < at) {
                throw new ConfigException(String.format(
                        "%s: no room for BAR%d (0x%x bytes): the %s window [0x%x, 0x%x) has 0x%x bytes left; use fewer or smaller devices",
                        device.name(), bar.index(), size, what, base, limit, Math.max(0, limit - next)));
            }
            next = at + size;
            return at;
        }

        /** Ends a bus: moves the cursor on by {@code slack}, rounded up, and returns the new cursor. */
        long closeBus(long slack) {
            next = Math.min(limit, skipTaken(alignUp(next + slack, slack), 1));
            return next;
        }
    }

    private final Window io;
    private final Window mem32 = new Window("32-bit PCI memory", MemoryMap.PCI_MEM32_BASE, MemoryMap.PCI_MEM32_LIMIT,
            List.of());
    private final Window mem64;

    BarAllocator(long mem64Base) {
        this(mem64Base, List.of());
    }

    /** {@code takenPorts}: I/O port ranges [start, end) that fixed devices own already. */
    BarAllocator(long mem64Base, List<long[]> takenPorts) {
        io = new Window("PCI I/O", MemoryMap.PCI_IO_BASE, MemoryMap.PCI_IO_LIMIT, List.copyOf(takenPorts));
        if (mem64Base < MemoryMap.HIGHMEM_BASE || Long.lowestOneBit(mem64Base) < (1L << 30)) {
            throw new IllegalArgumentException("64-bit PCI window base 0x" + Long.toHexString(mem64Base) + " must be GiB aligned and above 4 GiB");
        }
        mem64 = new Window("64-bit PCI memory", mem64Base, mem64Base + MemoryMap.PCI_MEM64_SIZE, List.of());
    }

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Places every BAR of one bus's devices (given in address order) and returns the bus's windows. */
    PciBusWindow allocateBus(int bus, List<PciDevice> devices) {
        record Request(PciDevice device, PciBar bar) {}
        List<Request> requests = new ArrayList<>();
        for (PciDevice d : devices) for (PciBar b : d.bars()) requests.add(new Request(d, b));
        requests.sort((a, b) -> Long.compare(b.bar().size(), a.bar().size())); // largest first; stable

        long ioStart = io.next, mem32Start = mem32.next, mem64Start = mem64.next;
        for (Request r : requests) {
            PciBar bar = r.bar();
            Window w = switch (bar.kind()) {
                case IO -> io;
                case MEM32 -> mem32;
                case MEM64 -> bar.size() > MEM64_BELOW_4G_MAX ? mem64 : mem32;
            };
            r.device().placeBar(bar, w.allocate(bar.size(), r.device(), bar));
        }
        long ioEnd = io.closeBus(IO_BUS_SLACK);
        long mem32End = mem32.closeBus(MEM32_BUS_SLACK);
        long mem64End = mem64.closeBus(MEM64_BUS_SLACK);
        return new PciBusWindow(bus, (int) ioStart, (int) ioEnd, mem32Start, mem32End, mem64Start, mem64End);
    }
}
