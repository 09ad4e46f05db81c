package org.jbhyve.bhyve.devices.pci;

import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.MmioHandler;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.vmm.GuestMemory;

/**
 * One base address register: its type and size (fixed by the model), the address the guest (or the
 * allocator) put it at, and whether it is currently decoded, i.e. registered on the I/O or MMIO bus.
 *
 * <p>The register itself answers the sizing protocol: the address bits below the size are
 * hardwired to zero, so writing all ones reads back the size mask with the type bits. A BAR is only
 * registered while its decode bit in COMMAND is on; a guest-programmed address that collides with
 * another range, points at RAM or runs off the end of the address space is logged once and left
 * undecoded. All state changes happen under the owning device's lock.
 */
public final class PciBar {
    /** The three BAR kinds a model can ask for. */
    public enum Kind {
        IO, MEM32, MEM64;

        public boolean isMemory() {
            return this != IO;
        }
    }

    /** No I/O BAR may reach past the 64 KiB port space. */
    private static final long IO_SPACE_END = 0x10000;

    private final PciDevice device;
    private final int index;
    private final Kind kind;
    private final long size;
    private final boolean prefetchable;
    private final PciBarHandler handler;

    private long address;
    /** Where the BAR is registered on its bus, or -1 when it is not decoded. */
    private long mappedBase = -1;

    PciBar(PciDevice device, int index, Kind kind, long size, boolean prefetchable, PciBarHandler handler) {
        this.device = device;
        this.index = index;
        this.kind = kind;
        this.size = size;
        this.prefetchable = prefetchable;
        this.handler = handler;
    }

    public int index() { return index; }

    public Kind kind() { return kind; }

    /** Size in bytes, a power of two. */
    public long size() { return size; }

    public boolean prefetchable() { return prefetchable; }

    /** The address in the BAR register now (bits below the size are always zero). */
    public long address() {
        synchronized (device.lock()) {
            return address;
        }
    }

    /** True while the BAR is registered on its bus and accesses reach the handler. */
    public boolean isDecoded() {
        synchronized (device.lock()) {
            return mappedBase >= 0;
        }
    }

    /** The mask of address bits the register implements. */
    long addressMask() {
        long mask = ~(size - 1);
        return switch (kind) {
            case IO -> mask & 0xfffcL;
            case MEM32 -> mask & 0xfffffff0L;
            case MEM64 -> mask & ~0xfL;
        };
    }

    /** The read-only type bits in the low dword. */
    int typeBits() {
        return switch (kind) {
            case IO -> PciRegisters.BAR_IO_SPACE;
            case MEM32 -> prefetchable ? PciRegisters.BAR_MEM_PREFETCHABLE : 0;
            case MEM64 -> PciRegisters.BAR_MEM_TYPE_64 | (prefetchable ? PciRegisters.BAR_MEM_PREFETCHABLE : 0);
        };
    }

    /** The register value: {@code upper} selects the high dword of a 64-bit BAR. */
    int registerValue(boolean upper) {
        if (upper) return (int) (address >>> 32);
        return (int) address | typeBits();
    }

    /** Sets the address (allocator or reset); caller maps/unmaps. */
    void setAddress(long newAddress) {
        address = newAddress & addressMask();
    }

    /**
     * Applies a guest write of the low or high dword of the register and returns the resulting
     * address. Bits below the size and the type bits cannot change, which is what makes sizing work.
     */
    long addressAfterWrite(boolean upper, int value) {
        long v = value & 0xffffffffL;
        long next;
        if (upper) {
            next = (address & 0xffffffffL) | (v << 32);
        } else if (kind == Kind.MEM64) {
            next = (address & 0xffffffff00000000L) | v;
        } else {
            next = v;
        }
        return next & addressMask();
    }

    boolean decodeEnabled(int command) {
        return (command & (kind == Kind.IO ? PciRegisters.COMMAND_IO : PciRegisters.COMMAND_MEMORY)) != 0;
    }

    /** Registers the BAR at its current address, unless it is already there. */
    void map(Platform platform) {
        if (mappedBase == address) return;
        unmap(platform);
        String owner = device.name() + " BAR" + index;
        String problem = placementProblem(platform.memory());
        if (problem != null) {
            device.deviceError("bar" + index + "-placement", "BAR" + index + " left undecoded: " + problem);
            return;
        }
        long base = address;
        try {
            if (kind == Kind.IO) {
                platform.io().register((int) base, (int) size, owner, new IoWindow(base));
            } else {
                platform.mmio().register(base, size, owner, new MemoryWindow(base));
            }
            mappedBase = base;
        } catch (IllegalStateException | IllegalArgumentException e) {
            device.deviceError("bar" + index + "-placement", "BAR" + index + " at 0x" + Long.toHexString(base)
                    + " left undecoded: " + e.getMessage());
        }
    }

    /** Why the current address cannot be decoded, or null when it can be tried. */
    private String placementProblem(GuestMemory memory) {
        return placementProblem(address, memory);
    }

    /** Why the BAR could not be decoded at {@code base}, or null when it can be tried. */
    String placementProblem(long base, GuestMemory memory) {
        long end = base + size;
        if (kind == Kind.IO) {
            return end > IO_SPACE_END ? String.format("I/O range 0x%x+0x%x runs past port 0xffff", base, size) : null;
        }
        if (base < 0 || end < 0 || end < base) {
            return String.format("memory range 0x%x+0x%x runs past the end of the address space", base, size);
        }
        if (memory != null) {
            for (GuestMemory.Region r : memory.regions()) {
                if (base < r.end() && r.gpa() < end) {
                    return String.format("memory range 0x%x-0x%x overlaps guest RAM 0x%x-0x%x", base, end - 1, r.gpa(), r.end() - 1);
                }
            }
        }
        return null;
    }

    /** Where the BAR is registered now, or -1 when it is not decoded. Caller holds the device lock. */
    long mappedBase() {
        return mappedBase;
    }

    PciDevice device() {
        return device;
    }

    /**
     * The BAR whose window {@code handler} is (as found in an {@code IoBus} or {@code MmioBus}
     * range), or null when the range belongs to something else.
     */
    static PciBar ownerOf(Object handler) {
        if (handler instanceof IoWindow w) return w.bar();
        if (handler instanceof MemoryWindow w) return w.bar();
        return null;
    }

    /**
     * Takes the BAR off its bus because another function's restored BAR goes where it is; its own
     * restore puts it back where it belongs. Takes this BAR's device lock.
     */
    void evict(Platform platform, String by) {
        synchronized (device.lock()) {
            if (mappedBase < 0) return;
            unmap(platform);
        }
        device.deviceError("bar" + index + "-evicted", "BAR" + index + " taken off the bus: a snapshot restore of "
                + by + " put a BAR where it was");
    }

    /** Removes the BAR from its bus if (and only if) this BAR registered it. */
    void unmap(Platform platform) {
        if (mappedBase < 0) return;
        if (kind == Kind.IO) platform.io().unregister((int) mappedBase);
        else platform.mmio().unregister(mappedBase);
        mappedBase = -1;
    }

    // ---- access path: the bus calls the window registered at a fixed base ----

    /** Access widths a BAR answers: 1, 2, 4, and 8 for memory. */
    private boolean validWidth(int size) {
        return size == 1 || size == 2 || size == 4 || (size == 8 && kind.isMemory());
    }

    private long dispatchRead(long offset, int size) {
        long allOnes = size >= 8 || size <= 0 ? -1L : (1L << (8 * size)) - 1;
        if (!validWidth(size) || offset < 0 || offset + size > this.size) return allOnes;
        try {
            if (size == 8 && !handler.supportsWideAccess()) {
                long lo = handler.read(index, offset, 4) & 0xffffffffL;
                long hi = handler.read(index, offset + 4, 4) & 0xffffffffL;
                return lo | hi << 32;
            }
            return handler.read(index, offset, size) & allOnes;
        } catch (RuntimeException e) {
            device.deviceError("bar" + index + "-handler", "BAR" + index + " read of " + size + " bytes at offset 0x"
                    + Long.toHexString(offset) + " failed: " + e);
            return allOnes;
        }
    }

    private void dispatchWrite(long offset, int size, long value) {
        if (!validWidth(size) || offset < 0 || offset + size > this.size) return;
        try {
            if (size == 8 && !handler.supportsWideAccess()) {
                handler.write(index, offset, 4, value & 0xffffffffL);
                handler.write(index, offset + 4, 4, value >>> 32);
            } else {
                handler.write(index, offset, size, size >= 8 ? value : value & ((1L << (8 * size)) - 1));
            }
        } catch (RuntimeException e) {
            device.deviceError("bar" + index + "-handler", "BAR" + index + " write of " + size + " bytes at offset 0x"
                    + Long.toHexString(offset) + " failed: " + e);
        }
    }

    /** The I/O bus handler for one placement of the BAR. */
    private final class IoWindow implements IoHandler {
        private final long base;

        IoWindow(long base) { this.base = base; }

        PciBar bar() { return PciBar.this; }

        @Override
        public int in(int port, int size) {
            return (int) dispatchRead((port & 0xffff) - base, size);
        }

        @Override
        public void out(int port, int size, int value) {
            dispatchWrite((port & 0xffff) - base, size, value & 0xffffffffL);
        }
    }

    /** The MMIO bus handler for one placement of the BAR. */
    private final class MemoryWindow implements MmioHandler {
        private final long base;

        MemoryWindow(long base) { this.base = base; }

        PciBar bar() { return PciBar.this; }

        @Override
        public long read(long address, int size) {
            return dispatchRead(address - base, size);
        }

        @Override
        public void write(long address, int size, long value) {
            dispatchWrite(address - base, size, value);
        }
    }

    @Override
    public String toString() {
        return String.format("BAR%d %s size 0x%x at 0x%x%s", index, kind, size, address, mappedBase >= 0 ? " (decoded)" : "");
    }
}
