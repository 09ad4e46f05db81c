package org.jbhyve.bhyve.devices.pci;

import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.MmioHandler;

/**
 * PCI Express enhanced configuration access (ECAM, "MMCONFIG") at {@link MemoryMap#PCI_ECAM_BASE}:
 * byte offset {@code bus<<20 | device<<15 | function<<12 | register} reaches the full 4 KiB config
 * space of each function. Accesses are 1, 2 or 4 bytes, naturally aligned; anything else (an
 * 8-byte access, which the spec does not require a root complex to support) reads all ones and
 * writes nothing.
 */
final class EcamWindow implements MmioHandler {
    private final PciBus bus;

    EcamWindow(PciBus bus) {
        this.bus = bus;
    }

    @Override
    public long read(long address, int size) {
        long off = address - MemoryMap.PCI_ECAM_BASE;
        if (size > 4 || off < 0 || off >= MemoryMap.PCI_ECAM_SIZE) return size >= 8 ? -1L : (1L << (8 * size)) - 1;
        int o = (int) off;
        return bus.configRead(o >>> 20, (o >>> 15) & 0x1f, (o >>> 12) & 0x7, o & 0xfff, size) & 0xffffffffL;
    }

    @Override
    public void write(long address, int size, long value) {
        long off = address - MemoryMap.PCI_ECAM_BASE;
        if (size > 4 || off < 0 || off >= MemoryMap.PCI_ECAM_SIZE) return;
        int o = (int) off;
        bus.configWrite(o >>> 20, (o >>> 15) & 0x1f, (o >>> 12) & 0x7, o & 0xfff, size, (int) value);
    }
}
