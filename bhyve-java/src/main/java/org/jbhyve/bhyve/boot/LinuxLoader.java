package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.boot.LongModeSetup;
import org.jbhyve.vmm.state.Registers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * Boots a Linux bzImage directly, as QEMU's {@code -kernel} and Firecracker do, without running its
 * real-mode setup code: the protected-mode kernel is copied to 1 MiB (or to {@code pref_address}
 * when the kernel is relocatable and it fits), the zero page ({@code struct boot_params}) is built
 * with the setup header, command line, initrd and an E820 map, and the BSP enters the kernel at its
 * 64-bit entry (load address + 0x200, long mode, RSI = zero page) when {@code XLF_KERNEL_64} is set,
 * else at its 32-bit entry (flat protected mode, ESI = zero page).
 *
 * <p>Low memory: GDT at {@link #GDT_ADDR}, zero page at {@link #ZERO_PAGE_ADDR}, command line at
 * {@link #CMDLINE_ADDR}; for the 64-bit entry also {@link LongModeSetup}'s page tables. The initrd
 * goes page aligned as high as it may: below {@code initrd_addr_max} and the end of lowmem, above
 * everything the kernel will occupy while it decompresses itself.
 */
public final class LinuxLoader implements BootLoader {
    public static final long GDT_ADDR = 0x1000;
    public static final long ZERO_PAGE_ADDR = 0x7000;
    public static final long CMDLINE_ADDR = 0x30000, CMDLINE_LIMIT = 0x40000;
    /** Nothing in the protocol needs a stack; RSP points at a reserved, otherwise unused 64 KiB. */
    public static final long STACK_TOP = 0x80000, STACK_SIZE = 0x10000;
    /** The protocol's selectors: __BOOT_CS and __BOOT_DS, plus a TSS for VMX. */
    public static final int BOOT_CS = 0x10, BOOT_DS = 0x18, TSS_SEL = 0x20;

    // Zero-page (struct boot_params) offsets.
    static final int ZP_ACPI_RSDP_ADDR = 0x070, ZP_E820_ENTRIES = 0x1e8, ZP_E820_TABLE = 0x2d0;
    static final int E820_MAX_ENTRIES = 128, E820_ENTRY_SIZE = 20;
    // Setup header fields the loader writes (offsets in the zero page, the same as in the image).
    static final int HDR_TYPE_OF_LOADER = 0x210, HDR_LOADFLAGS = 0x211, HDR_CODE32_START = 0x214,
            HDR_RAMDISK_IMAGE = 0x218, HDR_RAMDISK_SIZE = 0x21c, HDR_HEAP_END_PTR = 0x224, HDR_CMD_LINE_PTR = 0x228;
    /** "Undefined" boot loader: jbhyve has no assigned ID. */
    static final int TYPE_OF_LOADER = 0xff;
    /** The setup heap/stack end a loader reports for the modern layout (only real-mode setup code reads it). */
    static final int HEAP_END_PTR = 0xfe00;
    static final int ENTRY64_OFFSET = 0x200;
    private static final long PAGE = 4096;

    private final String kernelName;
    private final LinuxSetupHeader header;
    private final MemoryPlan plan;
    private final long kernelAddress;
    private final long initrdAddress;
    private final byte[] zeroPage;
    private final byte[] gdt;

    private LinuxLoader(String kernelName, LinuxSetupHeader header, MemoryPlan plan, long kernelAddress,
                        long initrdAddress, byte[] zeroPage, byte[] gdt) {
        this.kernelName = kernelName;
        this.header = header;
        this.plan = plan;
        this.kernelAddress = kernelAddress;
        this.initrdAddress = initrdAddress;
        this.zeroPage = zeroPage;
        this.gdt = gdt;
    }

    /**
     * Reads the files and plans the boot.
     *
     * @param initrd      may be null
     * @param cmdline     may be empty
     * @param rsdpAddress where the ACPI RSDP will be, passed in {@code acpi_rsdp_addr} to kernels of
     *                    protocol 2.14 and newer; 0 when there are no ACPI tables (the kernel then scans
     *                    the BIOS area itself)
     */
    public static LinuxLoader prepare(Path kernel, Path initrd, String cmdline, long rsdpAddress, RamLayout ram) {
        String limit = "larger than the guest's " + ram.describe() + " of RAM";
        byte[] k = ImageFile.read("kernel", kernel, ram.lowmemEnd(), limit);
        byte[] i = initrd == null ? null : ImageFile.read("initrd", initrd, ram.lowmemEnd(), limit);
        return prepare(kernel.toString(), k, initrd == null ? null : initrd.toString(), i, cmdline, rsdpAddress, ram);
    }

    public static LinuxLoader prepare(String kernelName, byte[] image, String initrdName, byte[] initrd,
                                      String cmdline, long rsdpAddress, RamLayout ram) {
        LinuxSetupHeader h = LinuxSetupHeader.parse(kernelName, image);
        MemoryPlan plan = new MemoryPlan(ram, "Linux kernel " + kernelName);
        byte[] line = commandLine(kernelName, h, cmdline == null ? "" : cmdline);

        // The kernel: copied to its load address, plus the memory it will claim while decompressing.
        int payloadOffset = h.setupBytes();
        int payloadLength = image.length - payloadOffset;
        if (h.kernel64() && payloadLength <= ENTRY64_OFFSET) {
            throw LinuxSetupHeader.bad(kernelName, "XLF_KERNEL_64 is set, but the protected-mode kernel is only "
                    + payloadLength + " bytes and ends before its 64-bit entry at offset " + hex(ENTRY64_OFFSET));
        }
        long load = loadAddress(h, payloadLength, ram);
        long runtime = runtimeStart(h, load);
        long footprintEnd = Math.max(load + payloadLength, runtime + h.initSize());
        plan.write("protected-mode kernel", load, image, payloadOffset, payloadLength, 0);
        plan.reserve("memory the kernel decompresses into (init_size)", load + payloadLength,
                footprintEnd - (load + payloadLength));
        if (runtime < load) plan.reserve("memory the kernel moves itself to (pref_address)", runtime, load - runtime);

        long initrdAddress = -1;
        if (initrd != null) {
            initrdAddress = initrdAddress(kernelName, h, initrdName, initrd.length, footprintEnd, ram);
            plan.write("initrd " + initrdName, initrdAddress, initrd);
        }

        byte[] zp = zeroPage(image, h, load, initrdAddress, initrd == null ? 0 : initrd.length, rsdpAddress, ram);
        plan.write("zero page (boot_params)", ZERO_PAGE_ADDR, zp);
        plan.write("kernel command line", CMDLINE_ADDR, line);
        byte[] gdt = CpuSetup.gdt(0, 0, h.kernel64() ? CpuSetup.CODE64 : CpuSetup.CODE32, CpuSetup.DATA,
                CpuSetup.TSS, 0);
        plan.write("boot GDT", GDT_ADDR, gdt);
        plan.reserve("boot stack", STACK_TOP - STACK_SIZE, STACK_SIZE);
        if (h.kernel64()) {
            // LongModeSetup.writeTables also writes its own GDT; claim both so nothing lands there.
            plan.reserve("long-mode setup GDT", LongModeSetup.GDT_ADDR, 6 * 8);
            plan.reserve("identity-map page tables", LongModeSetup.PML4_ADDR, 0x6000);
        }
        return new LinuxLoader(kernelName, h, plan, load, initrdAddress, zp, gdt);
    }

    private static byte[] commandLine(String kernelName, LinuxSetupHeader h, String cmdline) {
        if (cmdline.indexOf('\0') >= 0) throw LinuxSetupHeader.bad(kernelName, "boot.cmdline contains a NUL character");
        byte[] raw = cmdline.getBytes(StandardCharsets.UTF_8);
        if (raw.length > h.cmdlineSize()) {
            throw LinuxSetupHeader.bad(kernelName, "the command line is " + raw.length
                    + " bytes, but this kernel accepts at most " + h.cmdlineSize() + " (cmdline_size)");
        }
        if (raw.length + 1 > CMDLINE_LIMIT - CMDLINE_ADDR) {
            throw LinuxSetupHeader.bad(kernelName, "the command line is " + raw.length + " bytes; jbhyve has room for "
                    + (CMDLINE_LIMIT - CMDLINE_ADDR - 1));
        }
        byte[] out = new byte[raw.length + 1];
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    /** 1 MiB, or pref_address when the kernel may be put anywhere and the preferred place fits. */
    private static long loadAddress(LinuxSetupHeader h, long payloadLength, RamLayout ram) {
        long pref = h.prefAddress();
        long need = Math.max(payloadLength, h.initSize());
        if (h.relocatable() && pref >= LinuxSetupHeader.LEGACY_LOAD_ADDRESS && pref + need <= ram.lowmemEnd()) {
            return pref;
        }
        return LinuxSetupHeader.LEGACY_LOAD_ADDRESS;
    }

    /**
     * Where the kernel will run from, by boot.rst's rule: a relocatable kernel moves up to
     * pref_address if loaded below it, then aligns up to kernel_alignment; any other kernel moves to
     * pref_address. It needs init_size bytes from there.
     */
    static long runtimeStart(LinuxSetupHeader h, long load) {
        if (h.relocatable()) {
            long a = h.kernelAlignment();
            return MultibootLoader.alignUp(Math.max(load, h.prefAddress()), a);
        }
        return h.prefAddress() != 0 ? h.prefAddress() : load;
    }

    private static long initrdAddress(String kernelName, LinuxSetupHeader h, String initrdName, long size,
                                      long kernelEnd, RamLayout ram) {
        long top = Math.min(h.initrdAddrMax() + 1, ram.lowmemEnd());
        long start = (top - size) & -PAGE;
        if (size > top || start < kernelEnd) {
            throw LinuxSetupHeader.bad(kernelName, "the initrd " + initrdName + " (" + ImageFile.human(size)
                    + ") does not fit between the end of the kernel's memory at " + hex(kernelEnd)
                    + " and the highest address it may use, " + hex(top) + " (initrd_addr_max "
                    + hex(h.initrdAddrMax()) + ", lowmem end " + hex(ram.lowmemEnd())
                    + "); give the guest more memory (-m) or use a smaller initrd");
        }
        return start;
    }

    /** struct boot_params: zeroes, the image's setup header, and what the loader fills in. */
    private static byte[] zeroPage(byte[] image, LinuxSetupHeader h, long load, long initrdAddress, long initrdSize,
                                   long rsdpAddress, RamLayout ram) {
        ByteBuffer zp = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        zp.put(LinuxSetupHeader.SETUP_HEADER, image, LinuxSetupHeader.SETUP_HEADER,
                h.headerEnd() - LinuxSetupHeader.SETUP_HEADER);
        zp.put(HDR_TYPE_OF_LOADER, (byte) TYPE_OF_LOADER);
        zp.put(HDR_LOADFLAGS, (byte) (h.loadflags() | LinuxSetupHeader.CAN_USE_HEAP));
        // A loader that puts a kernel elsewhere than 1 MiB must say so here; the 32-bit entry jumps here.
        zp.putInt(HDR_CODE32_START, (int) load);
        zp.putShort(HDR_HEAP_END_PTR, (short) HEAP_END_PTR);
        zp.putInt(HDR_CMD_LINE_PTR, (int) CMDLINE_ADDR);
        if (initrdAddress >= 0) {
            zp.putInt(HDR_RAMDISK_IMAGE, (int) initrdAddress);
            zp.putInt(HDR_RAMDISK_SIZE, (int) initrdSize);
        }
        if (rsdpAddress != 0 && h.version() >= 0x020e) zp.putLong(ZP_ACPI_RSDP_ADDR, rsdpAddress);
        List<E820Map.Entry> map = E820Map.of(ram);
        zp.put(ZP_E820_ENTRIES, (byte) map.size());
        for (int i = 0; i < map.size(); i++) {
            int o = ZP_E820_TABLE + i * E820_ENTRY_SIZE;
            zp.putLong(o, map.get(i).base());
            zp.putLong(o + 8, map.get(i).length());
            zp.putInt(o + 16, map.get(i).type());
        }
        return zp.array();
    }

    @Override
    public String describe() {
        return "Linux kernel " + kernelName + " (boot protocol " + header.versionString() + ", "
                + (header.kernel64() ? "64-bit" : "32-bit") + " entry at " + hex(entryPoint()) + ", loaded at "
                + hex(kernelAddress) + (initrdAddress >= 0 ? ", initrd at " + hex(initrdAddress) : "") + ")";
    }

    @Override
    public void load(VirtualMachine vm, MmioBus mmio) {
        plan.apply(vm.memory(), describe());
        // The protocol wants EBX, EBP and EDI zero for the 32-bit entry; registers() zeroes all but those given.
        Registers regs = CpuSetup.registers(entryPoint(), STACK_TOP, 0, 0, ZERO_PAGE_ADDR);
        if (header.kernel64()) {
            LongModeSetup.writeTables(vm.memory());
            CpuSetup.enterLongMode(vm.vcpu(0), GDT_ADDR, gdt.length, BOOT_CS, BOOT_DS, TSS_SEL, regs);
        } else {
            CpuSetup.enterProtectedMode(vm.vcpu(0), GDT_ADDR, gdt.length, BOOT_CS, BOOT_DS, TSS_SEL, regs);
        }
    }

    /** Where the protected-mode kernel is copied. */
    public long kernelAddress() { return kernelAddress; }

    /** Where the BSP starts: the 64-bit entry (load + 0x200) or the 32-bit one (load). */
    public long entryPoint() { return header.kernel64() ? kernelAddress + ENTRY64_OFFSET : kernelAddress; }

    public boolean uses64BitEntry() { return header.kernel64(); }

    /** Where the initrd is loaded, or -1 without one. */
    public long initrdAddress() { return initrdAddress; }

    /** The boot protocol version, e.g. 0x020f. */
    public int protocolVersion() { return header.version(); }

    /** A copy of the zero page as it will be written at {@link #ZERO_PAGE_ADDR}. */
    public byte[] zeroPage() { return zeroPage.clone(); }

    MemoryPlan plan() { return plan; }
}
