package org.jbhyve.bhyve.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * The Multiboot (0.6.96) header of an OS image: magic, flags and checksum, 4-byte aligned within the
 * image's first 8192 bytes, then (when flag bit 16 is set) the a.out kludge's address fields.
 * Addresses are unsigned 32-bit values held in longs.
 */
record MultibootHeader(int offset, int flags, long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr,
                       long entryAddr) {
    static final int MAGIC = 0x1BADB002;
    static final int SEARCH_LIMIT = 8192;
    /** Flags: modules page aligned; memory information wanted; video mode wanted; address fields valid. */
    static final int PAGE_ALIGN_MODULES = 1, MEMORY_INFO = 1 << 1, VIDEO_MODE = 1 << 2, ADDRESS_FIELDS = 1 << 16;
    /**
     * Bits 0-15 are requirements a loader that does not know them must refuse. Modules are always page
     * aligned and memory information is always given; a video mode is only a wish (QEMU ignores it
     * too), and the info structure then simply carries no video fields.
     */
    static final int UNDERSTOOD_REQUIREMENTS = PAGE_ALIGN_MODULES | MEMORY_INFO | VIDEO_MODE;

    boolean hasAddressFields() { return (flags & ADDRESS_FIELDS) != 0; }

    /** Offsets of every 4-byte aligned magic in the search window, valid checksum or not. */
    static List<Integer> magicOffsets(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> found = new ArrayList<>();
        int limit = Math.min(image.length, SEARCH_LIMIT) - 12;
        for (int off = 0; off <= limit; off += 4) {
            if (b.getInt(off) == MAGIC) found.add(off);
        }
        return found;
    }

    /** Offset of the first header whose checksum is right, or -1. */
    static int find(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int off : magicOffsets(image)) {
            if (MAGIC + b.getInt(off + 4) + b.getInt(off + 8) == 0) return off;
        }
        return -1;
    }

    /** Finds and checks the header; the message names {@code name} and the first problem. */
    static MultibootHeader parse(String name, byte[] image) {
        int off = find(image);
        if (off < 0) {
            List<Integer> magics = magicOffsets(image);
            if (magics.isEmpty()) throw bad(name, "no multiboot header in the first " + SEARCH_LIMIT + " bytes");
            throw bad(name, "the multiboot header at offset " + hex(magics.getFirst())
                    + " has a wrong checksum (magic + flags + checksum must be 0 mod 2^32)");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int flags = b.getInt(off + 4);
        int unknown = flags & 0xffff & ~UNDERSTOOD_REQUIREMENTS;
        if (unknown != 0) {
            throw bad(name, "the multiboot header requires features jbhyve does not provide (flag bits "
                    + bits(unknown) + "; jbhyve understands bits 0, 1 and 2)");
        }
        if ((flags & ADDRESS_FIELDS) == 0) return new MultibootHeader(off, flags, 0, 0, 0, 0, 0);
        if (off + 32 > image.length) {
            throw bad(name, "the multiboot header at offset " + hex(off)
                    + " has address fields (flag bit 16) that run past the end of the file (truncated?)");
        }
        return new MultibootHeader(off, flags, u32(b, off + 12), u32(b, off + 16), u32(b, off + 20),
                u32(b, off + 24), u32(b, off + 28));
    }

    private static long u32(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(b.getInt(off));
    }

    private static String bits(int mask) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < 32; i++) if ((mask & (1 << i)) != 0) s.add(Integer.toString(i));
        return String.join(", ", s);
    }

    static IllegalArgumentException bad(String name, String why) {
        return new IllegalArgumentException("bad multiboot kernel " + name + ": " + why);
    }
}
