package org.jbhyve.bhyve.device;

import java.util.Arrays;
import java.util.List;

/**
 * The memory-mapped I/O space: guest physical ranges that are not RAM and belong to a device.
 * Ranges are kept sorted in a copy-on-write array and found by binary search.
 */
public final class MmioBus {
    /** One registered range. */
    public record Range(long base, long length, String owner, MmioHandler handler) {
        public long end() { return base + length; }

        @Override
        public String toString() {
            return String.format("0x%x-0x%x %s", base, end() - 1, owner);
        }
    }

    private volatile Range[] ranges = new Range[0];

    public synchronized void register(long base, long length, String owner, MmioHandler handler) {
        if (length <= 0 || base < 0 || base + length < base) {
            throw new IllegalArgumentException(owner + ": bad MMIO range 0x" + Long.toHexString(base) + "+" + length);
        }
        for (Range r : ranges) {
            if (base < r.end() && r.base() < base + length) {
                throw new IllegalStateException(owner + ": MMIO range 0x" + Long.toHexString(base) + "+0x"
                        + Long.toHexString(length) + " overlaps " + r);
            }
        }
        Range[] next = Arrays.copyOf(ranges, ranges.length + 1);
        next[ranges.length] = new Range(base, length, owner, handler);
        Arrays.sort(next, (a, b) -> Long.compareUnsigned(a.base(), b.base()));
        ranges = next;
    }

    public synchronized void unregister(long base) {
        ranges = Arrays.stream(ranges).filter(r -> r.base() != base).toArray(Range[]::new);
    }

    /** The range containing {@code address}, or null. */
    public Range find(long address) {
        Range[] rs = ranges;
        int lo = 0, hi = rs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Range r = rs[mid];
            if (Long.compareUnsigned(address, r.base()) < 0) hi = mid - 1;
            else if (Long.compareUnsigned(address, r.end()) >= 0) lo = mid + 1;
            else return r;
        }
        return null;
    }

    /** Dispatches a read; unowned addresses read as all ones. */
    public long read(long address, int size) {
        Range r = find(address);
        if (r == null) return size == 8 ? -1L : (1L << (size * 8)) - 1;
        return r.handler().read(address, size);
    }

    /** Dispatches a write; returns false when nobody owns the address. */
    public boolean write(long address, int size, long value) {
        Range r = find(address);
        if (r == null) return false;
        r.handler().write(address, size, value);
        return true;
    }

    public List<Range> ranges() { return List.of(ranges); }
}
