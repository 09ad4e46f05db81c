package org.jbhyve.bhyve.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Synthetic kernel images built byte by byte, so every header field is under the test's control. */
final class TestImages {
    static final int MB_MAGIC = 0x1BADB002;
    static final int MB_PAGE_ALIGN = 1, MB_MEMORY_INFO = 2, MB_VIDEO = 4, MB_ADDRESS = 1 << 16;

    private TestImages() {}

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A 32-byte multiboot header with a correct checksum. */
    static byte[] multibootHeader(int flags, long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr,
                                  long entryAddr) {
        byte[] h = new byte[32];
        le(h).putInt(0, MB_MAGIC).putInt(4, flags).putInt(8, -(MB_MAGIC + flags))
                .putInt(12, (int) headerAddr).putInt(16, (int) loadAddr).putInt(20, (int) loadEndAddr)
                .putInt(24, (int) bssEndAddr).putInt(28, (int) entryAddr);
        return h;
    }

    /**
     * An a.out-kludge multiboot kernel loaded at {@code load}: the header at file offset 0 (so
     * header_addr == load_addr), the code right after it (the entry), {@code bss} zeroed bytes after
     * the file.
     */
    static byte[] multibootAout(int extraFlags, long load, byte[] code, long bss) {
        long end = load + 32 + code.length;
        byte[] header = multibootHeader(MB_PAGE_ALIGN | MB_MEMORY_INFO | MB_ADDRESS | extraFlags, load, load, 0,
                bss > 0 ? end + bss : 0, load + 32);
        return concat(header, code);
    }

    /** Where {@link #multibootAout}'s code starts when loaded at {@code load}. */
    static long aoutEntry(long load) {
        return load + 32;
    }

    /**
     * An ELF32 i386 multiboot kernel (no address fields): one PT_LOAD segment at {@code paddr},
     * linked at {@code vaddr}, holding a 12-byte multiboot header followed by {@code code}, which is
     * the entry point ({@code vaddr + 12}).
     */
    static byte[] multibootElf32(long vaddr, long paddr, byte[] code, long bss) {
        byte[] seg = concat(multibootMagicOnly(MB_PAGE_ALIGN | MB_MEMORY_INFO), code);
        byte[] f = new byte[0x100 + seg.length];
        ByteBuffer b = le(f);
        b.putInt(0, 0x464c457f).put(4, (byte) 1).put(5, (byte) 1).put(6, (byte) 1);
        b.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1).putInt(24, (int) (vaddr + 12))
                .putInt(28, 52).putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        b.putInt(52, 1).putInt(56, 0x100).putInt(60, (int) vaddr).putInt(64, (int) paddr)
                .putInt(68, seg.length).putInt(72, (int) (seg.length + bss)).putInt(76, 5).putInt(80, 0x1000);
        System.arraycopy(seg, 0, f, 0x100, seg.length);
        return f;
    }

    /** Entry point (physical) of {@link #multibootElf32}'s code. */
    static long elfEntry(long paddr) {
        return paddr + 12;
    }

    /** The same as {@link #multibootElf32}, as an ELF64 x86-64 executable. */
    static byte[] multibootElf64(long vaddr, long paddr, byte[] code, long bss) {
        byte[] seg = concat(multibootMagicOnly(MB_PAGE_ALIGN | MB_MEMORY_INFO), code);
        byte[] f = new byte[0x100 + seg.length];
        ByteBuffer b = le(f);
        b.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
        b.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1).putLong(24, vaddr + 12)
                .putLong(32, 64).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
        b.putInt(64, 1).putInt(68, 5).putLong(72, 0x100).putLong(80, vaddr).putLong(88, paddr)
                .putLong(96, seg.length).putLong(104, seg.length + bss).putLong(112, 0x1000);
        System.arraycopy(seg, 0, f, 0x100, seg.length);
        return f;
    }

    static byte[] multibootMagicOnly(int flags) {
        byte[] h = new byte[12];
        le(h).putInt(0, MB_MAGIC).putInt(4, flags).putInt(8, -(MB_MAGIC + flags));
        return h;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A synthetic bzImage: a setup header with settable fields and a protected-mode payload. */
    static final class BzImage {
        int setupSects = 1;
        int version = 0x020f;
        int loadflags = 0x01;
        boolean relocatable = true;
        long kernelAlignment = 0x200000;
        int xloadflags = 0x01;
        long cmdlineSize = 2047;
        long prefAddress = 0x1000000;
        long initSize = 0x200000;
        long initrdAddrMax = 0x7fffffff;
        long code32Start = 0x100000;
        int headerEnd = 0x268;
        int bootFlag = 0xaa55;
        Long syssize; // default: the payload's size
        byte[] payload = new byte[0x400];

        /** Puts {@code code} where the entry point is: offset 0x200 for the 64-bit entry, 0 otherwise. */
        BzImage code(byte[] code) {
            int at = (xloadflags & 1) != 0 ? 0x200 : 0;
            payload = new byte[Math.max(0x400, at + code.length)];
            System.arraycopy(code, 0, payload, at, code.length);
            return this;
        }

        int setupBytes() {
            return ((setupSects == 0 ? 4 : setupSects) + 1) * 512;
        }

        byte[] build() {
            byte[] f = new byte[setupBytes() + payload.length];
            ByteBuffer b = le(f);
            f[0x1f1] = (byte) setupSects;
            b.putInt(0x1f4, (int) (syssize != null ? syssize : (payload.length + 15) / 16));
            b.putShort(0x1fe, (short) bootFlag);
            f[0x200] = (byte) 0xeb;
            f[0x201] = (byte) (headerEnd - 0x202);
            b.putInt(0x202, 0x53726448);
            b.putShort(0x206, (short) version);
            f[0x211] = (byte) loadflags;
            b.putInt(0x214, (int) code32Start);
            b.putInt(0x22c, (int) initrdAddrMax);
            b.putInt(0x230, (int) kernelAlignment);
            f[0x234] = (byte) (relocatable ? 1 : 0);
            b.putShort(0x236, (short) xloadflags);
            b.putInt(0x238, (int) cmdlineSize);
            b.putLong(0x258, prefAddress);
            b.putInt(0x260, (int) initSize);
            System.arraycopy(payload, 0, f, setupBytes(), payload.length);
            return f;
        }
    }
}
