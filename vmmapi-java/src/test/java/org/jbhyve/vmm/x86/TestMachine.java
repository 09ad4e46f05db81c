package org.jbhyve.vmm.x86;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongBinaryOperator;

/** Test doubles: registers over an array, a recording MMIO device, sparse RAM and a page-table builder. */
final class TestMachine {
    private TestMachine() {}

    /** Registers in {@link Gpr} order plus RFLAGS, RIP, segment bases and SS.B. */
    static final class Regs implements RegisterAccess {
        final long[] gpr = new long[16];
        long rflags = 0x2;
        long rip;
        final long[] segBase = new long[6];
        boolean ss32 = true;

        @Override public long gpr(int reg) { return gpr[reg]; }
        @Override public void setGpr(int reg, long value) { gpr[reg] = value; }
        @Override public long rflags() { return rflags; }
        @Override public void setRflags(long value) { rflags = value; }
        @Override public long rip() { return rip; }
        @Override public long segmentBase(SegmentRegister seg) { return segBase[seg.ordinal()]; }
        @Override public boolean stackSegment32() { return ss32; }

        Regs copy() {
            Regs r = new Regs();
            System.arraycopy(gpr, 0, r.gpr, 0, 16);
            r.rflags = rflags;
            r.rip = rip;
            System.arraycopy(segBase, 0, r.segBase, 0, 6);
            r.ss32 = ss32;
            return r;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Regs r && Arrays.equals(gpr, r.gpr) && rflags == r.rflags && rip == r.rip;
        }

        @Override
        public int hashCode() { return Arrays.hashCode(gpr); }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) sb.append(Gpr.name(i)).append('=').append(Long.toHexString(gpr[i])).append(' ');
            return sb.append("rflags=").append(Long.toHexString(rflags)).toString();
        }
    }

    /** One device access. */
    record Access(long gpa, int size, boolean write, long value) {
        static Access r(long gpa, int size, long value) { return new Access(gpa, size, false, value); }

        static Access w(long gpa, int size, long value) { return new Access(gpa, size, true, value); }

        @Override
        public String toString() {
            return (write ? "W " : "R ") + Long.toHexString(gpa) + "/" + size + "=" + Long.toHexString(value);
        }
    }

    /** A device that answers reads with {@code reads.applyAsLong(gpa, size)} and records every access. */
    static final class Mmio implements MmioAccess {
        final List<Access> log = new ArrayList<>();
        LongBinaryOperator reads;

        Mmio(LongBinaryOperator reads) { this.reads = reads; }

        /** Reads return a pattern derived from the address: distinct per address, all bytes non-zero. */
        static long pattern(long gpa, long size) {
            long v = (gpa * 0x9e3779b97f4a7c15L) ^ 0xa5a5_5a5a_c3c3_3c3cL;
            v |= 0x0101_0101_0101_0101L;
            return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
        }

        Mmio() { this(Mmio::pattern); }

        @Override
        public long read(long gpa, int size) {
            long v = reads.applyAsLong(gpa, size);
            v = size >= 8 ? v : v & ((1L << (size * 8)) - 1);
            log.add(Access.r(gpa, size, v));
            return v;
        }

        @Override
        public void write(long gpa, int size, long value) {
            log.add(Access.w(gpa, size, value));
        }
    }

    /** Sparse guest RAM: [0, limit) is RAM except the listed holes. */
    static final class Ram implements GuestMemoryAccess {
        final long limit;
        final Map<Long, byte[]> pages = new HashMap<>();
        final List<long[]> holes = new ArrayList<>();
        int reads, writes;

        Ram(long limit) { this.limit = limit; }

        Ram hole(long start, long length) {
            holes.add(new long[] {start, start + length});
            return this;
        }

        @Override
        public boolean isRam(long gpa, long length) {
            if (gpa < 0 || length < 0 || gpa + length > limit || gpa + length < gpa) return false;
            for (long[] h : holes) if (gpa < h[1] && gpa + length > h[0]) return false;
            return true;
        }

        private byte[] page(long gpa) {
            return pages.computeIfAbsent(gpa >>> 12, k -> new byte[4096]);
        }

        int byteAt(long gpa) {
            if (!isRam(gpa, 1)) throw new IllegalStateException("not RAM: 0x" + Long.toHexString(gpa));
            byte[] p = pages.get(gpa >>> 12);
            return p == null ? 0 : p[(int) (gpa & 0xfff)] & 0xff;
        }

        void setByte(long gpa, int v) {
            if (!isRam(gpa, 1)) throw new IllegalStateException("not RAM: 0x" + Long.toHexString(gpa));
            page(gpa)[(int) (gpa & 0xfff)] = (byte) v;
        }

        @Override
        public long read(long gpa, int size) {
            reads++;
            long v = 0;
            for (int i = 0; i < size; i++) v |= (long) byteAt(gpa + i) << (8 * i);
            return v;
        }

        @Override
        public void write(long gpa, int size, long value) {
            writes++;
            for (int i = 0; i < size; i++) setByte(gpa + i, (int) (value >>> (8 * i)));
        }

        @Override
        public synchronized boolean compareAndSet(long gpa, int size, long expected, long update) {
            long mask = size == 8 ? -1L : (1L << (size * 8)) - 1;
            if ((read(gpa, size) & mask) != (expected & mask)) return false;
            write(gpa, size, update);
            return true;
        }

        long readLong(long gpa) { return read(gpa, 8); }

        void writeBytes(long gpa, byte[] b) {
            for (int i = 0; i < b.length; i++) setByte(gpa + i, b[i]);
        }
    }

    static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, XD = 1L << 63;

    /** Builds paging structures in {@link Ram}, allocating tables from {@code tableArea} upwards. */
    static final class PageTables {
        final Ram ram;
        final PagingMode mode;
        long next;
        final long root;
        long upperFlags = P | RW | US;

        PageTables(Ram ram, PagingMode mode, long tableArea) {
            this.ram = ram;
            this.mode = mode;
            this.next = tableArea;
            this.root = alloc();
        }

        private long alloc() {
            long t = next;
            next += 4096;
            for (int i = 0; i < 4096; i += 8) ram.write(t + i, 8, 0);
            return t;
        }

        long cr3() { return root; }

        PagingState state(int cpl) { return PagingState.of(mode, root, cpl); }

        /** Maps one page of {@code pageSize} at {@code linear} to {@code phys} with leaf flags {@code flags}. */
        void map(long linear, long phys, long pageSize, long flags) {
            int entry = mode == PagingMode.BITS32 ? 4 : 8;
            int levels = switch (mode) {
                case BITS32 -> 2;
                case PAE -> 3;
                case LEVEL4 -> 4;
                case LEVEL5 -> 5;
                default -> throw new IllegalArgumentException();
            };
            long table = root;
            for (int level = levels; level >= 1; level--) {
                int shift = mode == PagingMode.BITS32 ? (level == 2 ? 22 : 12) : 12 + 9 * (level - 1);
                int bits = mode == PagingMode.BITS32 ? 10 : (mode == PagingMode.PAE && level == 3 ? 2 : 9);
                long idx = (linear >>> shift) & ((1L << bits) - 1);
                long addr = table + idx * entry;
                if ((1L << shift) == pageSize) {
                    long e = phys | flags | (level > 1 ? PS : 0);
                    if (mode == PagingMode.BITS32 && level == 2) {
                        e = (phys & 0xffc0_0000L) | (((phys >>> 32) & 0xff) << 13) | flags | PS;
                    }
                    ram.write(addr, entry, e);
                    return;
                }
                long e = ram.read(addr, entry);
                if ((e & P) == 0) {
                    long t = alloc();
                    long up = mode == PagingMode.PAE && level == 3 ? P : upperFlags;
                    e = t | up;
                    ram.write(addr, entry, e);
                }
                table = e & (entry == 4 ? 0xffff_f000L : 0x000f_ffff_ffff_f000L);
            }
            throw new IllegalArgumentException("page size " + pageSize + " not possible in " + mode);
        }

        void map4k(long linear, long phys, long flags) {
            map(linear, phys, 4096, flags);
        }

        /** Identity-maps [start, end) with 4 KiB pages, present and writable. */
        void identity(long start, long end) {
            for (long a = start; a < end; a += 4096) map4k(a, a, P | RW | US);
        }
    }

    static byte[] hex(String s) {
        String t = s.replace(" ", "");
        byte[] b = new byte[t.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
