package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.GuestMemory;

/** 4-level page tables in guest RAM, built from a bump allocator (Intel SDM vol. 3, 4.5). */
final class PageTables {
    static final long P = 1, RW = 2, US = 4, PS = 0x80;

    private final GuestMemory memory;
    private final long cr3;
    private long next;

    PageTables(GuestMemory memory, long at) {
        this.memory = memory;
        this.cr3 = at;
        this.next = at + 0x1000;
        memory.fill(at, 0x1000, (byte) 0);
    }

    long cr3() { return cr3; }

    private long table(long entryAddress) {
        long e = memory.readLong(entryAddress);
        if ((e & P) != 0) return e & 0x000f_ffff_ffff_f000L;
        long t = next;
        next += 0x1000;
        memory.fill(t, 0x1000, (byte) 0);
        memory.writeLong(entryAddress, t | P | RW | US);
        return t;
    }

    /** Maps the 4 KiB page at {@code linear} to {@code phys}. */
    void map4k(long linear, long phys, long flags) {
        long pdpt = table(cr3 + ((linear >>> 39) & 511) * 8);
        long pd = table(pdpt + ((linear >>> 30) & 511) * 8);
        long pt = table(pd + ((linear >>> 21) & 511) * 8);
        memory.writeLong(pt + ((linear >>> 12) & 511) * 8, phys | flags);
    }

    /** Maps the 2 MiB page at {@code linear} to {@code phys}. */
    void map2m(long linear, long phys, long flags) {
        long pdpt = table(cr3 + ((linear >>> 39) & 511) * 8);
        long pd = table(pdpt + ((linear >>> 30) & 511) * 8);
        memory.writeLong(pd + ((linear >>> 21) & 511) * 8, phys | flags | PS);
    }
}
