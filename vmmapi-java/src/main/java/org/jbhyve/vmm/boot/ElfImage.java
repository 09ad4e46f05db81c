package org.jbhyve.vmm.boot;

import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.GuestMemoryException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A statically linked ELF64 x86-64 executable, checked completely before anything is copied into the
 * guest: a truncated or hostile image fails here with a message naming the file and the problem.
 */
public final class ElfImage {
    /** One PT_LOAD segment. */
    public record Segment(long paddr, long vaddr, long fileOffset, long fileSize, long memSize) {}

    private static final int PT_LOAD = 1;
    private static final int EM_X86_64 = 62;

    private final String name;
    private final byte[] bytes;
    private final long entry;
    private final List<Segment> segments;

    private ElfImage(String name, byte[] bytes, long entry, List<Segment> segments) {
        this.name = name;
        this.bytes = bytes;
        this.entry = entry;
        this.segments = segments;
    }

    public static ElfImage read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /** Parses and validates; throws {@link IllegalArgumentException} describing the first problem. */
    public static ElfImage parse(String name, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64) throw bad(name, "file is " + bytes.length + " bytes, shorter than an ELF64 header");
        if (b.getInt(0) != 0x464c457f) throw bad(name, "not an ELF file (bad magic)");
        if (bytes[4] != 2) throw bad(name, "not a 64-bit ELF (class " + bytes[4] + ")");
        if (bytes[5] != 1) throw bad(name, "not little-endian");
        int type = b.getShort(16) & 0xffff;
        if (type != 2) throw bad(name, "not an executable (ELF type " + type + ", need ET_EXEC)");
        int machine = b.getShort(18) & 0xffff;
        if (machine != EM_X86_64) throw bad(name, "not an x86-64 image (machine " + machine + ")");
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phnum == 0) throw bad(name, "no program headers");
        if (phentsize < 56) throw bad(name, "program header entries are " + phentsize + " bytes, need 56");
        // Written so that nothing overflows: a phoff near 2^63 once wrapped the sum negative and passed.
        if (phoff < 0 || phoff > bytes.length || (long) phentsize * phnum > bytes.length - phoff) {
            throw bad(name, "program headers run past the end of the file (truncated?)");
        }
        List<Segment> segs = new ArrayList<>();
        boolean entryLoaded = false;
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            if (b.getInt(o) != PT_LOAD) continue;
            long offset = b.getLong(o + 8), vaddr = b.getLong(o + 16), paddr = b.getLong(o + 24);
            long filesz = b.getLong(o + 32), memsz = b.getLong(o + 40);
            if (filesz < 0 || memsz < 0 || filesz > memsz) {
                throw bad(name, "segment " + i + " has file size " + filesz + " > memory size " + memsz);
            }
            if (offset < 0 || offset + filesz > bytes.length || offset + filesz < offset) {
                throw bad(name, "segment " + i + " data runs past the end of the file (truncated?)");
            }
            if (paddr < 0 || paddr + memsz < paddr) throw bad(name, "segment " + i + " address overflows");
            segs.add(new Segment(paddr, vaddr, offset, filesz, memsz));
            if (entry >= vaddr && entry < vaddr + memsz) entryLoaded = true;
        }
        if (segs.isEmpty()) throw bad(name, "no PT_LOAD segments");
        if (!entryLoaded) throw bad(name, "entry point 0x" + Long.toHexString(entry) + " is outside every segment");
        return new ElfImage(name, bytes, entry, List.copyOf(segs));
    }

    private static IllegalArgumentException bad(String name, String why) {
        return new IllegalArgumentException("bad ELF image " + name + ": " + why);
    }

    public long entry() { return entry; }

    public List<Segment> segments() { return segments; }

    /** Lowest and highest physical address the image occupies. */
    public long lowestAddress() { return segments.stream().mapToLong(Segment::paddr).min().orElseThrow(); }

    public long highestAddress() {
        return segments.stream().mapToLong(s -> s.paddr() + s.memSize()).max().orElseThrow();
    }

    /**
     * Copies every segment to its physical address and zeroes the rest of its memory size.
     * Fails before copying anything if a segment does not fit in guest RAM.
     */
    public void load(GuestMemory memory) {
        for (Segment s : segments) {
            if (!memory.isRam(s.paddr(), s.memSize())) {
                throw new IllegalArgumentException("ELF image " + name + " does not fit in guest RAM: segment at 0x"
                        + Long.toHexString(s.paddr()) + " of " + s.memSize() + " bytes (RAM is "
                        + (memory.size() >> 20) + " MiB)", new GuestMemoryException(s.paddr(), s.memSize()));
            }
        }
        for (Segment s : segments) {
            memory.write(s.paddr(), bytes, (int) s.fileOffset(), (int) s.fileSize());
            if (s.memSize() > s.fileSize()) memory.fill(s.paddr() + s.fileSize(), s.memSize() - s.fileSize(), (byte) 0);
        }
    }
}
