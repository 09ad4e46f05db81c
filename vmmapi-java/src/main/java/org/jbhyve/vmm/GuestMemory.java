package org.jbhyve.vmm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Guest RAM as the VMM sees it: bounds-checked access by guest physical address (GPA).
 *
 * <p>The layout is bhyve's: RAM up to 3 GiB sits at GPA 0 ("lowmem"); whatever is left sits at
 * GPA 4 GiB ("highmem"), leaving the 3..4 GiB hole for PCI MMIO, the APICs and the boot ROM.
 * Every access checks that the whole range lies inside one region and throws
 * {@link GuestMemoryException} otherwise, so a guest-supplied address can never reach host memory
 * outside its RAM.
 *
 * <p>For a live checkpoint it can also log which pages the VMM writes ({@link #startWriteLog()}): the
 * hypervisor's dirty log sees only what the guest writes, not what devices write through the host
 * mapping. Every method that may write logs the pages it hands out or stores to; {@link #readSlice}
 * and the {@code read} methods do not.
 */
public final class GuestMemory {
    public static final long LOWMEM_LIMIT = 3L << 30;
    public static final long HIGHMEM_BASE = 4L << 30;

    /** One contiguous piece of guest RAM and the host memory behind it. */
    public record Region(long gpa, long size, MemorySegment host) {
        public long end() { return gpa + size; }
    }

    private final Region low;
    private final Region high; // null when all RAM fits below 3 GiB
    private final List<Region> regions;
    /** The pages written while a live checkpoint runs; null when nobody asked. */
    private volatile WriteLog writeLog;

    public GuestMemory(Region low, Region high) {
        if (low.gpa() != 0 || low.size() > LOWMEM_LIMIT || low.host().byteSize() != low.size()) {
            throw new IllegalArgumentException("bad lowmem region " + low);
        }
        if (high != null && (high.gpa() != HIGHMEM_BASE || high.host().byteSize() != high.size())) {
            throw new IllegalArgumentException("bad highmem region " + high);
        }
        this.low = low;
        this.high = high;
        this.regions = high == null ? List.of(low) : List.of(low, high);
    }

    /** Splits {@code totalBytes} the way bhyve does: lowmem size. */
    public static long lowmemSize(long totalBytes) {
        return Math.min(totalBytes, LOWMEM_LIMIT);
    }

    /** Splits {@code totalBytes} the way bhyve does: highmem size (may be 0). */
    public static long highmemSize(long totalBytes) {
        return Math.max(0, totalBytes - LOWMEM_LIMIT);
    }

    public List<Region> regions() { return regions; }

    public long size() { return low.size() + (high == null ? 0 : high.size()); }

    public long lowmemSize() { return low.size(); }

    public long highmemSize() { return high == null ? 0 : high.size(); }

    /** True when {@code [gpa, gpa+length)} lies entirely inside one RAM region. */
    public boolean isRam(long gpa, long length) {
        return region(gpa, length) != null;
    }

    private Region region(long gpa, long length) {
        if (gpa < 0 || length < 0) return null;
        long end = gpa + length;
        if (end < gpa) return null; // overflow
        if (end <= low.size()) return low;
        if (high != null && gpa >= HIGHMEM_BASE && end <= high.end()) return high;
        return null;
    }

    /** The region holding all of {@code [gpa, gpa+length)}; throws for anything else. */
    private Region checked(long gpa, long length) {
        Region r = region(gpa, length);
        if (r == null) throw new GuestMemoryException(gpa, length);
        return r;
    }

    /**
     * The host memory behind {@code [gpa, gpa+length)}; no copy. The caller may write to it, so the pages
     * count as written for a live checkpoint (when one is logging), even if the caller only reads: use
     * {@link #readSlice} for that. A caller that writes through the slice calls {@link #written} once
     * the write is done: a write in flight when a checkpoint's log starts is only seen that way.
     */
    public MemorySegment slice(long gpa, long length) {
        Region r = checked(gpa, length);
        logWrite(r, gpa, length);
        return r.host().asSlice(gpa - r.gpa(), length);
    }

    /** A read-only view of the host memory behind {@code [gpa, gpa+length)}; no copy, not logged as written. */
    public MemorySegment readSlice(long gpa, long length) {
        Region r = checked(gpa, length);
        return r.host().asSlice(gpa - r.gpa(), length).asReadOnly();
    }

    public byte readByte(long gpa) {
        Region r = checked(gpa, 1);
        return r.host().get(ValueLayout.JAVA_BYTE, gpa - r.gpa());
    }

    public short readShort(long gpa) {
        Region r = checked(gpa, 2);
        return r.host().get(ValueLayout.JAVA_SHORT_UNALIGNED, gpa - r.gpa());
    }

    public int readInt(long gpa) {
        Region r = checked(gpa, 4);
        return r.host().get(ValueLayout.JAVA_INT_UNALIGNED, gpa - r.gpa());
    }

    public long readLong(long gpa) {
        Region r = checked(gpa, 8);
        return r.host().get(ValueLayout.JAVA_LONG_UNALIGNED, gpa - r.gpa());
    }

    public void writeByte(long gpa, byte v) {
        Region r = checked(gpa, 1);
        r.host().set(ValueLayout.JAVA_BYTE, gpa - r.gpa(), v);
        logWritten(r, gpa, 1);
    }

    public void writeShort(long gpa, short v) {
        Region r = checked(gpa, 2);
        r.host().set(ValueLayout.JAVA_SHORT_UNALIGNED, gpa - r.gpa(), v);
        logWritten(r, gpa, 2);
    }

    public void writeInt(long gpa, int v) {
        Region r = checked(gpa, 4);
        r.host().set(ValueLayout.JAVA_INT_UNALIGNED, gpa - r.gpa(), v);
        logWritten(r, gpa, 4);
    }

    public void writeLong(long gpa, long v) {
        Region r = checked(gpa, 8);
        r.host().set(ValueLayout.JAVA_LONG_UNALIGNED, gpa - r.gpa(), v);
        logWritten(r, gpa, 8);
    }

    /** Copies guest bytes out. */
    public void read(long gpa, byte[] dst, int offset, int length) {
        Region r = checked(gpa, length);
        MemorySegment.copy(r.host(), ValueLayout.JAVA_BYTE, gpa - r.gpa(), dst, offset, length);
    }

    /** Copies bytes into the guest. */
    public void write(long gpa, byte[] src, int offset, int length) {
        Region r = checked(gpa, length);
        MemorySegment.copy(src, offset, r.host(), ValueLayout.JAVA_BYTE, gpa - r.gpa(), length);
        logWritten(r, gpa, length);
    }

    public void write(long gpa, byte[] src) {
        write(gpa, src, 0, src.length);
    }

    /** Copies {@code length} bytes of {@code src} from {@code srcOffset} into the guest. */
    public void write(long gpa, MemorySegment src, long srcOffset, long length) {
        Region r = checked(gpa, length);
        MemorySegment.copy(src, srcOffset, r.host(), gpa - r.gpa(), length);
        logWritten(r, gpa, length);
    }

    /** Fills {@code [gpa, gpa+length)} with {@code value}. */
    public void fill(long gpa, long length, byte value) {
        Region r = checked(gpa, length);
        r.host().asSlice(gpa - r.gpa(), length).fill(value);
        logWritten(r, gpa, length);
    }

    /**
     * Says that the VMM has just written {@code [gpa, gpa+length)} through a {@link #slice} (by a copy, a
     * {@code pread}, an atomic update): logs the pages for a live checkpoint, whose log may have started
     * between the slice and the write. The methods that write themselves do this on their own.
     */
    public void written(long gpa, long length) {
        logWritten(checked(gpa, length), gpa, length);
    }

    // ---- the VMM's own writes, for a live checkpoint ----

    /**
     * Starts logging which 4 KiB pages the VMM writes: those handed out by {@link #slice} (when handed out,
     * and again at {@link #written}) and those the {@code write} methods and {@link #fill} store to (after
     * the store). The log only grows until {@link #stopWriteLog()}: a device may write through a slice long
     * after taking it, so a page once handed out stays written, and a live checkpoint copies these pages
     * again after pausing the devices (which waits for their writes in flight).
     */
    public void startWriteLog() {
        long[][] bits = new long[regions.size()][];
        for (int i = 0; i < bits.length; i++) bits[i] = new long[(int) ((regions.get(i).size() / PAGE + 63) / 64)];
        writeLog = new WriteLog(bits);
    }

    /**
     * The pages of {@code region} (one of {@link #regions()}) written since {@link #startWriteLog()}: bit
     * {@code p % 64} of word {@code p / 64} is the page at {@code region.gpa() + p * 4096}. A copy.
     */
    public long[] writtenPages(Region region) {
        WriteLog log = writeLog;
        if (log == null) throw new IllegalStateException("guest RAM writes are not being logged");
        long[] bits = log.bits[regions.indexOf(region)];
        long[] copy = new long[bits.length];
        for (int i = 0; i < bits.length; i++) copy[i] = (long) WORD.getVolatile(bits, i);
        return copy;
    }

    /** Stops logging the VMM's writes. */
    public void stopWriteLog() {
        writeLog = null;
    }

    private static final long PAGE = 4096;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private record WriteLog(long[][] bits) {}

    /**
     * After a store: the fence orders it before the read of {@link #writeLog}, so that either this thread
     * sees a log that has started, or the checkpoint that started it, which reads RAM afterwards, sees the
     * store (a store may otherwise still sit in this CPU's store buffer while the load goes ahead).
     */
    private void logWritten(Region r, long gpa, long length) {
        VarHandle.fullFence();
        logWrite(r, gpa, length);
    }

    private void logWrite(Region r, long gpa, long length) {
        WriteLog log = writeLog;
        if (log == null || length == 0) return;
        long[] bits = log.bits[r == low ? 0 : 1];
        long first = (gpa - r.gpa()) / PAGE, last = (gpa - r.gpa() + length - 1) / PAGE;
        for (long p = first; p <= last; p++) {
            int word = (int) (p >>> 6);
            long bit = 1L << (p & 63);
            if (((long) WORD.getOpaque(bits, word) & bit) == 0) WORD.getAndBitwiseOr(bits, word, bit);
        }
    }
}
