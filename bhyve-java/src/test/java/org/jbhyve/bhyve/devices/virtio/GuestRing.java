package org.jbhyve.bhyve.devices.virtio;

import org.jbhyve.vmm.GuestMemory;

/** The driver's side of a split virtqueue in test guest memory: writes descriptors, offers chains, reads the used ring. */
final class GuestRing {
    final GuestMemory m;
    final int size;
    final long desc, avail, used;
    private int availIdx;

    GuestRing(GuestMemory m, int size, long desc, long avail, long used) {
        this.m = m;
        this.size = size;
        this.desc = desc;
        this.avail = avail;
        this.used = used;
        m.fill(desc, 16L * size, (byte) 0);
        m.fill(avail, 6 + 2L * size, (byte) 0);
        m.fill(used, 6 + 8L * size, (byte) 0);
    }

    /** The legacy layout at page frame {@code pfn}. */
    static GuestRing legacy(GuestMemory m, long pfn, int size) {
        long[] l = VirtQueue.legacyLayout(pfn, size);
        return new GuestRing(m, size, l[0], l[1], l[2]);
    }

    /** Descriptors at {@code base}, avail right after, used at the next 4 KiB. */
    static GuestRing modern(GuestMemory m, long base, int size) {
        long avail = base + 16L * size;
        long used = (avail + 6 + 2L * size + 4095) & ~4095L;
        return new GuestRing(m, size, base, avail, used);
    }

    void desc(int i, long addr, long len, int flags, int next) {
        long d = desc + 16L * i;
        m.writeLong(d, addr);
        m.writeInt(d + 8, (int) len);
        m.writeShort(d + 12, (short) flags);
        m.writeShort(d + 14, (short) next);
    }

    /** Writes an indirect table entry at {@code table}. */
    void indirect(long table, int i, long addr, long len, int flags, int next) {
        long d = table + 16L * i;
        m.writeLong(d, addr);
        m.writeInt(d + 8, (int) len);
        m.writeShort(d + 12, (short) flags);
        m.writeShort(d + 14, (short) next);
    }

    /** Makes chain {@code head} available and publishes the index. */
    void offer(int head) {
        m.writeShort(avail + 4 + 2L * (availIdx % size), (short) head);
        availIdx = (availIdx + 1) & 0xffff;
        m.writeShort(avail + 2, (short) availIdx);
    }

    /** Sets the avail index to anything (hostile drivers). */
    void setAvailIdx(int idx) {
        availIdx = idx & 0xffff;
        m.writeShort(avail + 2, (short) availIdx);
    }

    void setAvailEntry(int slot, int head) {
        m.writeShort(avail + 4 + 2L * slot, (short) head);
    }

    int availIdx() { return availIdx; }

    void availFlags(int flags) { m.writeShort(avail, (short) flags); }

    void usedEvent(int v) { m.writeShort(avail + 4 + 2L * size, (short) v); }

    int usedIdx() { return m.readShort(used + 2) & 0xffff; }

    int usedFlags() { return m.readShort(used) & 0xffff; }

    int availEvent() { return m.readShort(used + 4 + 8L * size) & 0xffff; }

    int usedId(int i) { return m.readInt(used + 4 + 8L * (i % size)); }

    int usedLength(int i) { return m.readInt(used + 8 + 8L * (i % size)); }
}
