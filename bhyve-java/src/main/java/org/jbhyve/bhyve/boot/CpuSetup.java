package org.jbhyve.bhyve.boot;

import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.boot.LongModeSetup;
import org.jbhyve.vmm.state.DescriptorTable;
import org.jbhyve.vmm.state.Registers;
import org.jbhyve.vmm.state.Segment;
import org.jbhyve.vmm.state.SpecialRegisters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The BSP state a directly booted kernel expects: flat segments from a GDT that really is in guest
 * memory (the hidden segment state alone would do until the kernel reloads a segment register, and
 * kernels do that early), paging off for multiboot and Linux's 32-bit entry, long mode with
 * {@link LongModeSetup}'s identity map for Linux's 64-bit entry. Interrupts are off (IF=0) and no IDT
 * is loaded, so a fault before the kernel sets up its own shows up as a triple fault, not a jump
 * through the real-mode vector table.
 *
 * <p>{@link LongModeSetup#enterLongMode} is not reused for Linux because the Linux boot protocol
 * fixes the selectors (__BOOT_CS 0x10, __BOOT_DS 0x18) and that class's GDT puts data at 0x10.
 */
final class CpuSetup {
    /** Flat 4 GiB descriptors: G=1, P=1, DPL 0; code is execute/read, data read/write; accessed bits set. */
    static final long CODE32 = 0x00cf9b000000ffffL;
    static final long CODE64 = 0x00af9b000000ffffL;
    static final long DATA = 0x00cf93000000ffffL;
    /** A busy TSS at base 0, limit 0x67: VMX needs a usable TR even though nothing switches tasks. */
    static final long TSS = 0x00008b0000000067L;
    static final int TSS_LIMIT = 0x67;

    private CpuSetup() {}

    /** The bytes of a GDT holding {@code descriptors} in order (entry i has selector i * 8). */
    static byte[] gdt(long... descriptors) {
        ByteBuffer b = ByteBuffer.allocate(descriptors.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long d : descriptors) b.putLong(d);
        return b.array();
    }

    /** General registers: everything zero except those given, IF and VM clear. */
    static Registers registers(long rip, long rsp, long rax, long rbx, long rsi) {
        return new Registers(rax, rbx, 0, 0, rsi, 0, rsp, 0, 0, 0, 0, 0, 0, 0, 0, 0, rip, Registers.RFLAGS_RESERVED);
    }

    /** 32-bit protected mode, paging off, flat segments from the GDT at {@code gdtBase}. */
    static void enterProtectedMode(Vcpu vcpu, long gdtBase, int gdtBytes, int codeSel, int dataSel, int tssSel,
                                   Registers regs) {
        SpecialRegisters s = vcpu.getSpecialRegisters()
                .withSegments(Segment.code32(codeSel), Segment.data(dataSel), Segment.tss(0, TSS_LIMIT, tssSel),
                        Segment.unusableLdt())
                .withTables(new DescriptorTable(gdtBase, gdtBytes - 1), new DescriptorTable(0, 0))
                .withControl(SpecialRegisters.CR0_PE | SpecialRegisters.CR0_ET, 0, 0, 0);
        vcpu.setSpecialRegisters(s);
        vcpu.setRegisters(regs);
    }

    /**
     * 64-bit long mode with the page tables {@link LongModeSetup#writeTables} wrote (identity map of
     * the low 4 GiB) and flat segments from the GDT at {@code gdtBase}.
     */
    static void enterLongMode(Vcpu vcpu, long gdtBase, int gdtBytes, int codeSel, int dataSel, int tssSel,
                              Registers regs) {
        SpecialRegisters s = vcpu.getSpecialRegisters()
                .withSegments(Segment.code64(codeSel), Segment.data(dataSel), Segment.tss(0, TSS_LIMIT, tssSel),
                        Segment.unusableLdt())
                .withTables(new DescriptorTable(gdtBase, gdtBytes - 1), new DescriptorTable(0, 0))
                .withControl(SpecialRegisters.CR0_PE | SpecialRegisters.CR0_MP | SpecialRegisters.CR0_ET
                                | SpecialRegisters.CR0_NE | SpecialRegisters.CR0_WP | SpecialRegisters.CR0_PG,
                        LongModeSetup.PML4_ADDR, SpecialRegisters.CR4_PAE,
                        SpecialRegisters.EFER_LME | SpecialRegisters.EFER_LMA);
        vcpu.setSpecialRegisters(s);
        vcpu.setRegisters(regs);
    }
}
