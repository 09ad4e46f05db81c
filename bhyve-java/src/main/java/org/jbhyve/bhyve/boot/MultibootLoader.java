package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.boot.ElfImage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * Boots a Multiboot (version 1, spec 0.6.96) kernel the way GRUB and QEMU's {@code -kernel} do: the
 * image is loaded by its header's a.out kludge address fields (flag bit 16) or else by its ELF32 or
 * ELF64 segments' physical addresses; an optional initrd becomes module 0; the boot information
 * structure, memory map, command lines and a GDT go in low memory at [{@link #SCRATCH_BASE},
 * {@link #SCRATCH_LIMIT}); the BSP starts in flat 32-bit protected mode with paging off, EAX =
 * {@link #BOOTLOADER_MAGIC} and EBX = the information structure. A20 needs no enabling: KVM and
 * bhyve have no A20 gate.
 *
 * <p>The kernel's command line is the kernel's path, a space and {@code boot.cmdline}, as GRUB and
 * QEMU pass it (kernels such as Xen skip the first word); module 0's string is the initrd's path.
 */
public final class MultibootLoader implements BootLoader {
    /** What EAX holds at entry. */
    public static final int BOOTLOADER_MAGIC = 0x2BADB002;
    /** Low memory the loader's structures use; below the EBDA/VGA hole, above the real-mode IVT and BDA. */
    public static final long SCRATCH_BASE = 0x8000, SCRATCH_LIMIT = 0xa0000;
    public static final String LOADER_NAME = "jbhyve";
    /** GDT selectors: flat 32-bit code, flat data, a TSS for VMX's sake. */
    public static final int CODE_SEL = 0x08, DATA_SEL = 0x10, TSS_SEL = 0x18;

    /** Boot information flags. */
    static final int INFO_MEMORY = 1, INFO_CMDLINE = 1 << 2, INFO_MODS = 1 << 3, INFO_MMAP = 1 << 6,
            INFO_LOADER_NAME = 1 << 9;
    /** Size of the boot information structure up to and including the framebuffer fields. */
    static final int INFO_SIZE = 120;
    static final int MMAP_ENTRY_SIZE = 24, MODULE_SIZE = 16;
    private static final long FOUR_GIB = 1L << 32;
    private static final long PAGE = 4096;

    private final String kernelName;
    private final MemoryPlan plan;
    private final long entry;
    private final long gdtAddress;
    private final int gdtBytes;
    private final long infoAddress;
    private final long moduleAddress;
    private final String commandLine;

    private MultibootLoader(String kernelName, MemoryPlan plan, long entry, long gdtAddress, int gdtBytes,
                            long infoAddress, long moduleAddress, String commandLine) {
        this.kernelName = kernelName;
        this.plan = plan;
        this.entry = entry;
        this.gdtAddress = gdtAddress;
        this.gdtBytes = gdtBytes;
        this.infoAddress = infoAddress;
        this.moduleAddress = moduleAddress;
        this.commandLine = commandLine;
    }

    /** Reads the files and plans the boot; {@code initrd} may be null, {@code cmdline} empty. */
    public static MultibootLoader prepare(Path kernel, Path initrd, String cmdline, RamLayout ram) {
        String limit = "larger than the guest's " + ram.describe() + " of RAM";
        byte[] k = ImageFile.read("kernel", kernel, ram.lowmemEnd(), limit);
        byte[] i = initrd == null ? null : ImageFile.read("initrd", initrd, ram.lowmemEnd(), limit);
        return prepare(kernel.toString(), k, initrd == null ? null : initrd.toString(), i, cmdline, ram);
    }

    /** Plans the boot of the image {@code kernel} (called {@code kernelName} in messages and the command line). */
    public static MultibootLoader prepare(String kernelName, byte[] kernel, String initrdName, byte[] initrd,
                                          String cmdline, RamLayout ram) {
        MultibootHeader header = MultibootHeader.parse(kernelName, kernel);
        MemoryPlan plan = new MemoryPlan(ram, "multiboot kernel " + kernelName);
        long entry = header.hasAddressFields()
                ? planAout(kernelName, kernel, header, plan)
                : planElf(kernelName, kernel, plan);
        long kernelEnd = plan.end();
        if (kernelEnd > FOUR_GIB) {
            throw MultibootHeader.bad(kernelName, "it loads up to " + hex(kernelEnd)
                    + ", above 4 GiB, where a kernel started with paging off cannot reach");
        }

        String line = cmdline == null || cmdline.isEmpty() ? kernelName : kernelName + " " + cmdline;
        byte[] lineBytes = cString(kernelName, "the command line", line);
        byte[] moduleName = initrd == null ? null : cString(kernelName, "the initrd's name", initrdName);

        // The initrd goes on the first page boundary after the kernel (and never below 1 MiB, so it
        // cannot collide with the structures below).
        long moduleAddress = -1;
        if (initrd != null) {
            moduleAddress = alignUp(Math.max(kernelEnd, E820Map.ONE_MIB), PAGE);
            plan.write("initrd " + initrdName, moduleAddress, initrd);
            if (moduleAddress + initrd.length > FOUR_GIB) {
                throw MultibootHeader.bad(kernelName, "the initrd " + initrdName + " would end above 4 GiB");
            }
        }

        // Low-memory structures, laid out one after the other in a single buffer.
        List<E820Map.Entry> map = E820Map.of(ram);
        Scratch s = new Scratch();
        byte[] gdt = CpuSetup.gdt(0, CpuSetup.CODE32, CpuSetup.DATA, CpuSetup.TSS);
        long gdtAddress = s.put(gdt, 8);
        long info = s.reserve(INFO_SIZE, 8);
        long mmap = s.reserve((long) map.size() * MMAP_ENTRY_SIZE, 8);
        long loaderName = s.put(cString(kernelName, "the loader name", LOADER_NAME), 1);
        long cmdlineAddr = s.put(lineBytes, 1);
        long module = -1, moduleString = -1;
        if (initrd != null) {
            moduleString = s.put(moduleName, 1);
            module = s.reserve(MODULE_SIZE, 8);
        }
        if (s.end() > SCRATCH_LIMIT) {
            throw MultibootHeader.bad(kernelName, "the command line and boot information need "
                    + (s.end() - SCRATCH_BASE) + " bytes, more than the " + (SCRATCH_LIMIT - SCRATCH_BASE)
                    + " bytes of low memory reserved for them; shorten boot.cmdline");
        }

        ByteBuffer b = s.buffer();
        int flags = INFO_MEMORY | INFO_CMDLINE | INFO_MODS | INFO_MMAP | INFO_LOADER_NAME;
        b.putInt(s.at(info), flags);
        b.putInt(s.at(info) + 4, (int) E820Map.lowerKib(ram));
        b.putInt(s.at(info) + 8, (int) E820Map.upperKib(ram));
        b.putInt(s.at(info) + 16, (int) cmdlineAddr);
        b.putInt(s.at(info) + 20, initrd == null ? 0 : 1);
        b.putInt(s.at(info) + 24, initrd == null ? 0 : (int) module);
        b.putInt(s.at(info) + 44, map.size() * MMAP_ENTRY_SIZE);
        b.putInt(s.at(info) + 48, (int) mmap);
        b.putInt(s.at(info) + 64, (int) loaderName);
        for (int i = 0; i < map.size(); i++) {
            E820Map.Entry e = map.get(i);
            int o = s.at(mmap) + i * MMAP_ENTRY_SIZE;
            b.putInt(o, MMAP_ENTRY_SIZE - 4); // "size" counts the bytes after itself
            b.putLong(o + 4, e.base());
            b.putLong(o + 12, e.length());
            b.putInt(o + 20, e.type());
        }
        if (initrd != null) {
            b.putInt(s.at(module), (int) moduleAddress);
            b.putInt(s.at(module) + 4, (int) (moduleAddress + initrd.length));
            b.putInt(s.at(module) + 8, (int) moduleString);
        }
        plan.write("multiboot information area", SCRATCH_BASE, s.bytes());
        return new MultibootLoader(kernelName, plan, entry, gdtAddress, gdt.length, info, moduleAddress, line);
    }

    /** The a.out kludge: one contiguous piece of the file plus bss, at the header's physical addresses. */
    private static long planAout(String name, byte[] image, MultibootHeader h, MemoryPlan plan) {
        if (h.loadAddr() > h.headerAddr()) {
            throw MultibootHeader.bad(name, "load_addr " + hex(h.loadAddr()) + " is above header_addr "
                    + hex(h.headerAddr()));
        }
        long fileOffset = h.offset() - (h.headerAddr() - h.loadAddr());
        if (fileOffset < 0) {
            throw MultibootHeader.bad(name, "header_addr - load_addr = " + hex(h.headerAddr() - h.loadAddr())
                    + " reaches before the start of the file (the header is at offset " + hex(h.offset()) + ")");
        }
        long length;
        if (h.loadEndAddr() == 0) {
            length = image.length - fileOffset;
        } else {
            if (h.loadEndAddr() <= h.loadAddr()) {
                throw MultibootHeader.bad(name, "load_end_addr " + hex(h.loadEndAddr()) + " is not above load_addr "
                        + hex(h.loadAddr()));
            }
            length = h.loadEndAddr() - h.loadAddr();
            if (fileOffset + length > image.length) {
                throw MultibootHeader.bad(name, "load_end_addr asks for " + length + " bytes from offset "
                        + hex(fileOffset) + " but the file has only " + (image.length - fileOffset) + " (truncated?)");
            }
        }
        long bss = 0;
        if (h.bssEndAddr() != 0) {
            if (h.bssEndAddr() < h.loadAddr() + length) {
                throw MultibootHeader.bad(name, "bss_end_addr " + hex(h.bssEndAddr())
                        + " is below the end of the loaded image " + hex(h.loadAddr() + length));
            }
            bss = h.bssEndAddr() - (h.loadAddr() + length);
        }
        if (h.entryAddr() < h.loadAddr() || h.entryAddr() >= h.loadAddr() + length) {
            throw MultibootHeader.bad(name, "entry_addr " + hex(h.entryAddr()) + " is outside the loaded image ["
                    + hex(h.loadAddr()) + ", " + hex(h.loadAddr() + length) + ")");
        }
        plan.write("kernel image", h.loadAddr(), image, (int) fileOffset, (int) length, bss);
        return h.entryAddr();
    }

    /** ELF32 or ELF64 segments at their physical addresses; the entry translated from virtual to physical. */
    private static long planElf(String name, byte[] image, MemoryPlan plan) {
        if (image.length < 5 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            throw MultibootHeader.bad(name, "the header has no address fields (flag bit 16) and the file is not ELF,"
                    + " so jbhyve cannot tell where to load it");
        }
        record Seg(long paddr, long vaddr, long offset, long fileSize, long memSize) {}
        List<Seg> segs = new ArrayList<>();
        long elfEntry;
        if (image[4] == 1) {
            Elf32Image elf = Elf32Image.parse(name, image);
            elf.segments().forEach(s -> segs.add(new Seg(s.paddr(), s.vaddr(), s.fileOffset(), s.fileSize(), s.memSize())));
            elfEntry = elf.entry();
        } else {
            ElfImage elf = ElfImage.parse(name, image);
            elf.segments().stream().filter(s -> s.memSize() > 0)
                    .forEach(s -> segs.add(new Seg(s.paddr(), s.vaddr(), s.fileOffset(), s.fileSize(), s.memSize())));
            elfEntry = elf.entry();
        }
        long entry = -1;
        for (int i = 0; i < segs.size(); i++) {
            Seg s = segs.get(i);
            plan.write("kernel segment " + i, s.paddr(), image, (int) s.offset(), (int) s.fileSize(),
                    s.memSize() - s.fileSize());
            // Paging is off at entry, so a kernel linked high is entered at the physical twin of e_entry.
            if (entry < 0 && elfEntry >= s.vaddr() && elfEntry - s.vaddr() < s.memSize()) {
                entry = elfEntry - s.vaddr() + s.paddr();
            }
        }
        if (entry < 0) {
            throw MultibootHeader.bad(name, "entry point " + hex(elfEntry) + " is outside every loaded segment");
        }
        if (entry >= FOUR_GIB) throw MultibootHeader.bad(name, "entry point " + hex(entry) + " is above 4 GiB");
        return entry;
    }

    private static byte[] cString(String kernelName, String what, String s) {
        if (s.indexOf('\0') >= 0) throw MultibootHeader.bad(kernelName, what + " contains a NUL character");
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[raw.length + 1];
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }

    /** A bump allocator over [SCRATCH_BASE, ...) that builds the bytes as it goes. */
    private static final class Scratch {
        private final ByteBuffer buf = ByteBuffer.allocate((int) (SCRATCH_LIMIT - SCRATCH_BASE))
                .order(ByteOrder.LITTLE_ENDIAN);
        private long next = SCRATCH_BASE;
        private boolean overflow;

        long reserve(long size, long align) {
            long at = alignUp(next, align);
            next = at + size;
            if (next > SCRATCH_LIMIT) overflow = true;
            return at;
        }

        long put(byte[] data, long align) {
            long at = reserve(data.length, align);
            if (!overflow) buf.put(at(at), data);
            return at;
        }

        int at(long gpa) { return (int) (gpa - SCRATCH_BASE); }

        long end() { return next; }

        ByteBuffer buffer() { return buf; }

        byte[] bytes() {
            byte[] out = new byte[at(next)];
            buf.get(0, out);
            return out;
        }
    }

    @Override
    public String describe() {
        return "multiboot kernel " + kernelName + " (entry " + hex(entry) + ", boot information at "
                + hex(infoAddress) + (moduleAddress >= 0 ? ", initrd at " + hex(moduleAddress) : "") + ")";
    }

    @Override
    public void load(VirtualMachine vm, MmioBus mmio) {
        plan.apply(vm.memory(), describe());
        CpuSetup.enterProtectedMode(vm.vcpu(0), gdtAddress, gdtBytes, CODE_SEL, DATA_SEL, TSS_SEL,
                CpuSetup.registers(entry, SCRATCH_BASE, Integer.toUnsignedLong(BOOTLOADER_MAGIC), infoAddress, 0));
    }

    /** Physical address the BSP starts at. */
    public long entryPoint() { return entry; }

    /** Where the boot information structure is (EBX at entry). */
    public long infoAddress() { return infoAddress; }

    /** Where module 0 (the initrd) is loaded, or -1 without an initrd. */
    public long moduleAddress() { return moduleAddress; }

    /** The command line the kernel receives. */
    public String commandLine() { return commandLine; }

    MemoryPlan plan() { return plan; }
}
