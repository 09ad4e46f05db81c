package org.jbhyve.vmm.x86;

import org.jbhyve.bindings.freebsd.vmm.vmm_h;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FreeBSD glue, from a raw byte image of {@code struct vm_exit} laid out at the offsets in
 * shared/reference/freebsd-bhyve.md section 2 (exitcode @0, rip @8, u @16; inst_emul: gpa @0, gla @8,
 * cs_base @16, cs_d @24, paging @32 = {cr3 @0, cpl @8, cpu_mode @12, paging_mode @16}).
 */
class FreeBsdInstEmulTest {
    private static final long MMIO = 0xc000_1000L;

    /** A 136-byte INST_EMUL exit image. */
    private static byte[] exitImage(long rip, long gpa, long gla, long csBase, int csD, long cr3, int cpl, int cpuMode,
                                    int pagingMode) {
        ByteBuffer b = ByteBuffer.allocate(136).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 9);            // VM_EXITCODE_INST_EMUL
        b.putInt(4, 0);            // inst_length
        b.putLong(8, rip);
        b.putLong(16, gpa);
        b.putLong(24, gla);
        b.putLong(32, csBase);
        b.putInt(40, csD);
        b.putLong(48, cr3);
        b.putInt(56, cpl);
        b.putInt(60, cpuMode);
        b.putInt(64, pagingMode);
        for (int i = 72; i < 136; i++) b.put(i, (byte) 0xee); // struct vie: opaque, ignored
        return b.array();
    }

    /** vCPU registers by vm_reg_name, with segment descriptors. */
    static final class VmRegs implements FreeBsdInstEmul.VmRegisters {
        final long[] r = new long[49];
        final long[] base = new long[49];
        final int[] access = new int[49];

        @Override public long get(int vmReg) { return r[vmReg]; }
        @Override public void set(int vmReg, long value) { r[vmReg] = value; }
        @Override public long segmentBase(int vmReg) { return base[vmReg]; }
        @Override public int segmentAccess(int vmReg) { return access[vmReg]; }
    }

    @Test
    void readsTheExitAtTheReferenceOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(136, 8);
            seg.copyFrom(MemorySegment.ofArray(exitImage(0x1234, MMIO, 0xffff_8000_0000_1000L, 0x10, 1, 0x5000, 3, 3, 4)));
            FreeBsdInstEmul.Exit e = FreeBsdInstEmul.Exit.fromVmExit(seg);
            assertThat(e).isEqualTo(new FreeBsdInstEmul.Exit(MMIO, 0xffff_8000_0000_1000L, 0x10, true, 0x5000, 3, 3, 4));
            seg.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 5);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FreeBsdInstEmul.Exit.fromVmExit(seg))
                    .hasMessageContaining("not VM_EXITCODE_INST_EMUL");
        }
    }

    @Test
    void registerNumbersFollowVmRegName() {
        VmRegs v = new VmRegs();
        RegisterAccess ra = FreeBsdInstEmul.registers(v);
        ra.setGpr(Gpr.RBX, 11);
        ra.setGpr(Gpr.RSP, 22);
        ra.setGpr(Gpr.R15, 33);
        ra.setGpr(Gpr.RCX, 44);
        assertThat(v.r[vmm_h.VM_REG_GUEST_RBX]).isEqualTo(11);
        assertThat(v.r[vmm_h.VM_REG_GUEST_RSP]).isEqualTo(22);
        assertThat(v.r[vmm_h.VM_REG_GUEST_R15]).isEqualTo(33);
        assertThat(v.r[vmm_h.VM_REG_GUEST_RCX]).isEqualTo(44);
        for (int i = 0; i < 16; i++) assertThat(Gpr.freeBsdRegister(i)).isBetween(0, 19);
        v.base[vmm_h.VM_REG_GUEST_GS] = 0x777;
        assertThat(ra.segmentBase(SegmentRegister.GS)).isEqualTo(0x777);
        v.access[vmm_h.VM_REG_GUEST_SS] = 0xc093;
        assertThat(ra.stackSegment32()).isTrue();
        v.access[vmm_h.VM_REG_GUEST_SS] = 0x0093;
        assertThat(ra.stackSegment32()).isFalse();
        assertThat(SegmentRegister.DS.freeBsdRegister()).isEqualTo(vmm_h.VM_REG_GUEST_DS);
    }

    @Test
    void fetchesThroughGuestPagingAndEmulates64BitMmio() {
        TestMachine.Ram ram = new TestMachine.Ram(0x4000_0000L);
        TestMachine.PageTables pt = new TestMachine.PageTables(ram, PagingMode.LEVEL4, 0x100000);
        long rip = 0xffff_ffff_8000_0ffcL;                 // the instruction straddles two code pages
        pt.map4k(0xffff_ffff_8000_0000L, 0x7000, TestMachine.P);
        pt.map4k(0xffff_ffff_8000_1000L, 0x3000, TestMachine.P);
        pt.map4k(0xffff_ffff_c000_1000L, MMIO, TestMachine.P | TestMachine.RW);
        byte[] insn = TestMachine.hex("48 89 43 08"); // mov [rbx+8], rax
        ram.writeBytes(0x7ffc, insn);                  // first 4 bytes on one page ...
        ram.writeBytes(0x3000, TestMachine.hex("90 90"));  // ... the next page follows
        VmRegs v = new VmRegs();
        v.r[vmm_h.VM_REG_GUEST_RIP] = rip;
        v.r[vmm_h.VM_REG_GUEST_RBX] = 0xffff_ffff_c000_0ff8L;
        v.r[vmm_h.VM_REG_GUEST_RAX] = 0x0102_0304_0506_0708L;
        v.r[vmm_h.VM_REG_GUEST_RFLAGS] = 2;
        v.r[vmm_h.VM_REG_GUEST_CR0] = PagingState.CR0_PG | PagingState.CR0_WP | 1;
        v.r[vmm_h.VM_REG_GUEST_CR4] = PagingState.CR4_PAE;
        v.r[vmm_h.VM_REG_GUEST_EFER] = PagingState.EFER_LMA | PagingState.EFER_NXE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(136, 8);
            seg.copyFrom(MemorySegment.ofArray(exitImage(rip, MMIO, 0xffff_ffff_c000_1000L, 0, 0, pt.cr3(), 0, 3, 3)));
            TestMachine.Mmio dev = new TestMachine.Mmio();
            EmulationResult r = FreeBsdInstEmul.emulate(new InstructionEmulator(), FreeBsdInstEmul.Exit.fromVmExit(seg), v,
                    ram, dev);
            assertThat(r).isEqualTo(new EmulationResult.Completed(4));
            assertThat(dev.log).containsExactly(TestMachine.Access.w(MMIO, 8, 0x0102_0304_0506_0708L));
            // an instruction fetch from an unmapped page is a #PF with the I/D bit
            v.r[vmm_h.VM_REG_GUEST_RIP] = 0xffff_ffff_9000_0000L;
            r = FreeBsdInstEmul.emulate(new InstructionEmulator(), FreeBsdInstEmul.Exit.fromVmExit(seg), v, ram, dev);
            assertThat(r).isEqualTo(new EmulationResult.Fault(14, true, Translation.PageFault.FETCH, 0xffff_ffff_9000_0000L));
            // a gla the instruction does not touch is refused
            v.r[vmm_h.VM_REG_GUEST_RIP] = rip;
            seg.copyFrom(MemorySegment.ofArray(exitImage(rip, MMIO, 0xffff_ffff_c000_2000L, 0, 0, pt.cr3(), 0, 3, 3)));
            r = FreeBsdInstEmul.emulate(new InstructionEmulator(), FreeBsdInstEmul.Exit.fromVmExit(seg), v, ram, dev);
            assertThat(r).isInstanceOf(EmulationResult.EmulationFailure.class);
        }
    }

    @Test
    void protectedModeWithSegmentsAndFlatPaging() {
        TestMachine.Ram ram = new TestMachine.Ram(0x4000_0000L);
        ram.writeBytes(0x11000 + 0x20, TestMachine.hex("66 89 01")); // mov [ecx], ax at CS base 0x11000 + eip 0x20
        VmRegs v = new VmRegs();
        v.r[vmm_h.VM_REG_GUEST_RIP] = 0x20;
        v.r[vmm_h.VM_REG_GUEST_RCX] = 0x1000;
        v.r[vmm_h.VM_REG_GUEST_RAX] = 0xbeef;
        v.base[vmm_h.VM_REG_GUEST_DS] = 0xc000_0000L;
        FreeBsdInstEmul.Exit e = new FreeBsdInstEmul.Exit(MMIO, MMIO, 0x11000, true, 0, 0,
                CpuMode.FREEBSD_PROTECTED, 0);
        TestMachine.Mmio dev = new TestMachine.Mmio();
        assertThat(FreeBsdInstEmul.emulate(new InstructionEmulator(), e, v, ram, dev)).isEqualTo(new EmulationResult.Completed(3));
        assertThat(dev.log).containsExactly(TestMachine.Access.w(MMIO, 2, 0xbeef));
        // the same bytes with CS.D = 0 decode as mov [bx+di], eax
        v.r[vmm_h.VM_REG_GUEST_RBX] = 0x800;
        v.r[vmm_h.VM_REG_GUEST_RDI] = 0x800;
        e = new FreeBsdInstEmul.Exit(MMIO, MMIO, 0x11000, false, 0, 0, CpuMode.FREEBSD_PROTECTED, 0);
        dev.log.clear();
        assertThat(FreeBsdInstEmul.emulate(new InstructionEmulator(), e, v, ram, dev)).isEqualTo(new EmulationResult.Completed(3));
        assertThat(dev.log).containsExactly(TestMachine.Access.w(MMIO, 4, 0xbeef));
        // a decode assist's bytes are used as given
        dev.log.clear();
        assertThat(FreeBsdInstEmul.emulate(new InstructionEmulator(), e, v, ram, dev, TestMachine.hex("88 01")))
                .isEqualTo(new EmulationResult.Completed(2));
        assertThat(dev.log).containsExactly(TestMachine.Access.w(MMIO, 1, 0xef));
    }

    @Test
    void nonsenseExitsAreFailuresNotExceptions() {
        VmRegs v = new VmRegs();
        TestMachine.Ram ram = new TestMachine.Ram(0x10000);
        TestMachine.Mmio dev = new TestMachine.Mmio();
        assertThat(FreeBsdInstEmul.emulate(new InstructionEmulator(), new FreeBsdInstEmul.Exit(MMIO, 0, 0, true, 0, 0, 7, 0),
                v, ram, dev)).isInstanceOf(EmulationResult.EmulationFailure.class);
        assertThat(FreeBsdInstEmul.emulate(new InstructionEmulator(), new FreeBsdInstEmul.Exit(MMIO, 0, 0, true, 0, 9, 1, 0),
                v, ram, dev)).isInstanceOf(EmulationResult.EmulationFailure.class);
        // RIP outside RAM
        v.r[vmm_h.VM_REG_GUEST_RIP] = 0x20000;
        EmulationResult r = FreeBsdInstEmul.emulate(new InstructionEmulator(),
                new FreeBsdInstEmul.Exit(MMIO, 0, 0, true, 0, 0, 1, 0), v, ram, dev);
        assertThat(r).isInstanceOf(EmulationResult.EmulationFailure.class);
        assertThat(((EmulationResult.EmulationFailure) r).reason()).contains("not in guest RAM");
        // paging structures outside RAM
        r = FreeBsdInstEmul.emulate(new InstructionEmulator(),
                new FreeBsdInstEmul.Exit(MMIO, 0, 0, false, 0x8000_0000L, 0, 3, 3), v, ram, dev);
        assertThat(r).isInstanceOf(EmulationResult.EmulationFailure.class);
        assertThat(dev.log).isEmpty();
    }
}
