package org.jbhyve.bhyve.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * A 32-bit i386 ELF executable as multiboot loaders (GRUB, QEMU) take it: PT_LOAD segments go to
 * their physical addresses. Every header value is checked against the file before use. The 64-bit
 * counterpart is vmmapi's {@link org.jbhyve.vmm.boot.ElfImage}.
 */
record Elf32Image(long entry, List<Segment> segments) {
    /** One PT_LOAD segment; all values unsigned 32-bit. */
    record Segment(long paddr, long vaddr, long fileOffset, long fileSize, long memSize) {}

    private static final int PT_LOAD = 1, ET_EXEC = 2, EM_386 = 3;
    private static final int EHDR_SIZE = 52, PHDR_SIZE = 32;

    static Elf32Image parse(String name, byte[] bytes) {
        if (bytes.length < EHDR_SIZE) {
            throw bad(name, "file is " + bytes.length + " bytes, shorter than an ELF32 header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x464c457f) throw bad(name, "not an ELF file (bad magic)");
        if (bytes[4] != 1) throw bad(name, "not a 32-bit ELF (class " + bytes[4] + ")");
        if (bytes[5] != 1) throw bad(name, "not little-endian");
        int type = b.getShort(16) & 0xffff;
        if (type != ET_EXEC) throw bad(name, "not an executable (ELF type " + type + ", need ET_EXEC)");
        int machine = b.getShort(18) & 0xffff;
        if (machine != EM_386) throw bad(name, "not an i386 image (machine " + machine + ")");
        long entry = u32(b, 24);
        long phoff = u32(b, 28);
        int phentsize = b.getShort(42) & 0xffff;
        int phnum = b.getShort(44) & 0xffff;
        if (phnum == 0) throw bad(name, "no program headers");
        if (phentsize < PHDR_SIZE) throw bad(name, "program header entries are " + phentsize + " bytes, need 32");
        if (phoff + (long) phentsize * phnum > bytes.length) {
            throw bad(name, "program headers run past the end of the file (truncated?)");
        }
        List<Segment> segs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            if (b.getInt(o) != PT_LOAD) continue;
            long offset = u32(b, o + 4), vaddr = u32(b, o + 8), paddr = u32(b, o + 12);
            long filesz = u32(b, o + 16), memsz = u32(b, o + 20);
            if (filesz > memsz) {
                throw bad(name, "segment " + i + " has file size " + filesz + " > memory size " + memsz);
            }
            if (offset + filesz > bytes.length) {
                throw bad(name, "segment " + i + " data runs past the end of the file (truncated?)");
            }
            if (paddr + memsz > 1L << 32) {
                throw bad(name, "segment " + i + " at " + hex(paddr) + " + " + memsz + " bytes runs past 4 GiB");
            }
            if (memsz > 0) segs.add(new Segment(paddr, vaddr, offset, filesz, memsz));
        }
        if (segs.isEmpty()) throw bad(name, "no PT_LOAD segments");
        return new Elf32Image(entry, List.copyOf(segs));
    }

    private static long u32(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(b.getInt(off));
    }

    private static IllegalArgumentException bad(String name, String why) {
        return new IllegalArgumentException("bad ELF32 image " + name + ": " + why);
    }
}
