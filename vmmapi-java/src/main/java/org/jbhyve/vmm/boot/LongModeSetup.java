package org.jbhyve.vmm.boot;

import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.state.DescriptorTable;
import org.jbhyve.vmm.state.Registers;
import org.jbhyve.vmm.state.Segment;
import org.jbhyve.vmm.state.SpecialRegisters;

/**
 * Puts a vCPU straight into 64-bit long mode, the way bhyveload hands a FreeBSD kernel over
 * ({@code vm_setup_freebsd_registers}): it writes a GDT and identity-mapping page tables into guest
 * memory and sets the segment, control and general registers.
 *
 * <p>Layout in guest memory (the contract test guests rely on, see test-guests/README.md):
 * GDT at 0x500 (null, 0x08 64-bit code, 0x10 data, 0x18 32-bit code, 0x20 TSS); page tables at
 * 0x20000-0x25fff mapping GPA 0..4 GiB with 2 MiB pages; RSP 0x80000; RFLAGS 0x2.
 */
public final class LongModeSetup {
    public static final long GDT_ADDR = 0x500;
    public static final long PML4_ADDR = 0x20000;
    public static final long STACK_TOP = 0x80000;
    public static final int CODE64 = 0x08, DATA = 0x10, CODE32 = 0x18, TSS = 0x20;

    private static final long PTE_P = 1, PTE_RW = 2, PTE_PS = 1 << 7;
    private static final long IDENTITY_MAPPED_GIB = 4;

    private LongModeSetup() {}

    /** Writes the GDT and page tables. Needs at least 0x80000 bytes of RAM. */
    public static void writeTables(GuestMemory mem) {
        // GDT: descriptors in the legacy 8-byte format; the TSS descriptor takes 16 bytes.
        long[] gdt = {
                0,
                0x00af9b000000ffffL, // 0x08: code, L=1, P, DPL0, type 0xb (execute/read, accessed)
                0x00cf93000000ffffL, // 0x10: data, G, D/B, P, type 0x3 (read/write, accessed)
                0x00cf9b000000ffffL, // 0x18: 32-bit code
                0x00008b0000000067L, // 0x20: 64-bit TSS (busy) at base 0, limit 0x67
                0,
        };
        for (int i = 0; i < gdt.length; i++) mem.writeLong(GDT_ADDR + i * 8L, gdt[i]);

        long pdpt = PML4_ADDR + 0x1000;
        long pd = PML4_ADDR + 0x2000;
        mem.fill(PML4_ADDR, 0x6000, (byte) 0);
        mem.writeLong(PML4_ADDR, pdpt | PTE_P | PTE_RW);
        for (int g = 0; g < IDENTITY_MAPPED_GIB; g++) {
            long dir = pd + g * 0x1000L;
            mem.writeLong(pdpt + g * 8L, dir | PTE_P | PTE_RW);
            for (int e = 0; e < 512; e++) {
                long phys = ((long) g << 30) | ((long) e << 21);
                mem.writeLong(dir + e * 8L, phys | PTE_P | PTE_RW | PTE_PS);
            }
        }
    }

    /** Sets {@code vcpu} to start at {@code rip} in long mode with the tables from {@link #writeTables}. */
    public static void enterLongMode(Vcpu vcpu, long rip) {
        SpecialRegisters s = vcpu.getSpecialRegisters();
        Segment data = Segment.data(DATA);
        s = s.withSegments(Segment.code64(CODE64), data, Segment.tss(0, 0x67, TSS), Segment.unusableLdt())
                .withTables(new DescriptorTable(GDT_ADDR, 6 * 8 - 1), new DescriptorTable(0, 0))
                .withControl(SpecialRegisters.CR0_PE | SpecialRegisters.CR0_MP | SpecialRegisters.CR0_ET
                                | SpecialRegisters.CR0_NE | SpecialRegisters.CR0_WP | SpecialRegisters.CR0_PG,
                        PML4_ADDR, SpecialRegisters.CR4_PAE, SpecialRegisters.EFER_LME | SpecialRegisters.EFER_LMA);
        vcpu.setSpecialRegisters(s);
        vcpu.setRegisters(Registers.reset().withRip(rip).withRsp(STACK_TOP));
    }

    /** Loads {@code image}, writes the tables and points {@code bsp} at the entry. */
    public static void boot(ElfImage image, GuestMemory mem, Vcpu bsp) {
        if (image.lowestAddress() < STACK_TOP) {
            throw new IllegalArgumentException("ELF image loads at 0x" + Long.toHexString(image.lowestAddress())
                    + ", below 0x" + Long.toHexString(STACK_TOP) + " where the loader keeps its tables and stack");
        }
        image.load(mem);
        writeTables(mem);
        enterLongMode(bsp, image.entry());
    }
}
