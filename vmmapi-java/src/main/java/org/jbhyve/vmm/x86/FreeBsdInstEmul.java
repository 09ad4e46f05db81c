package org.jbhyve.vmm.x86;

import org.jbhyve.bindings.freebsd.vmm.vm_exit;
import org.jbhyve.bindings.freebsd.vmm.vm_guest_paging;
import org.jbhyve.bindings.freebsd.vmm.vmm_h;

import java.lang.foreign.MemorySegment;

/**
 * The glue between FreeBSD's {@code VM_EXITCODE_INST_EMUL} exit and the emulator: reads the exit's
 * {@code inst_emul} member, builds the {@link RegisterAccess} and {@link PagingState} from the vCPU's
 * registers, fetches the instruction at CS:RIP through the guest's paging, and emulates it.
 *
 * <p>How the backend uses it, in its {@code run()} on an INST_EMUL exit:
 * <pre>{@code
 * FreeBsdInstEmul.Exit e = FreeBsdInstEmul.Exit.fromVmExit(vmExitSegment);
 * EmulationResult r = FreeBsdInstEmul.emulate(emulator, e, vmRegisters, guestMemoryAccess, replayingMmio);
 * switch (r) {
 *     case EmulationResult.Completed c -> vmRegisters.set(VM_REG_GUEST_RIP, rip + c.length()); // resume
 *     case EmulationResult.Restart x   -> { }                                   // resume, RIP unchanged
 *     case EmulationResult.Deferred d  -> { }  // return replayingMmio.pending() as VmExit.Mmio (see ReplayingMmio)
 *     case EmulationResult.Fault f     -> vm_inject_exception(vcpu, f.vector(), f.hasErrorCode(), f.errorCode(), 1);
 *                                         // for #PF also set CR2 = f.address()
 *     case DecodeFailure f             -> stop the VM, report f (it carries the bytes in hex)
 *     case EmulationResult.EmulationFailure f -> stop the VM, report f
 * }
 * }</pre>
 */
public final class FreeBsdInstEmul {
    private FreeBsdInstEmul() {}

    /**
     * The fields of {@code vm_exit.u.inst_emul}: the faulting guest physical and linear addresses, CS
     * base and D bit, and {@code vm_guest_paging} (cr3, cpl, cpu_mode, paging_mode). The
     * {@code struct vie} is not read (opaque in our bindings); the instruction is fetched instead.
     */
    public record Exit(long gpa, long gla, long csBase, boolean csD, long cr3, int cpl, int cpuMode, int pagingMode) {
        /** Reads a {@code struct vm_exit} whose exit code is {@code VM_EXITCODE_INST_EMUL}. */
        public static Exit fromVmExit(MemorySegment vmExit) {
            int code = vm_exit.exitcode(vmExit);
            if (code != vmm_h.VM_EXITCODE_INST_EMUL) {
                throw new IllegalArgumentException("vm_exit has exit code " + code + ", not VM_EXITCODE_INST_EMUL ("
                        + vmm_h.VM_EXITCODE_INST_EMUL + ")");
            }
            return read(vm_exit.u.inst_emul(vm_exit.u(vmExit)));
        }

        /** Reads the 120-byte {@code inst_emul} member itself. */
        public static Exit read(MemorySegment instEmul) {
            MemorySegment p = vm_exit.u.inst_emul.paging(instEmul);
            return new Exit(vm_exit.u.inst_emul.gpa(instEmul), vm_exit.u.inst_emul.gla(instEmul),
                    vm_exit.u.inst_emul.cs_base(instEmul), vm_exit.u.inst_emul.cs_d(instEmul) != 0,
                    vm_guest_paging.cr3(p), vm_guest_paging.cpl(p), vm_guest_paging.cpu_mode(p),
                    vm_guest_paging.paging_mode(p));
        }
    }

    /**
     * A vCPU's registers by FreeBSD {@code vm_reg_name} ({@code VM_REG_GUEST_*}): the backend implements
     * it over {@code vm_get_register}/{@code vm_set_register} and {@code vm_get_desc}.
     */
    public interface VmRegisters {
        long get(int vmReg);

        void set(int vmReg, long value);

        /** The base of segment register {@code vmReg} (VM_REG_GUEST_ES..GS), from {@code vm_get_desc}. */
        long segmentBase(int vmReg);

        /** The access rights of segment register {@code vmReg}, from {@code vm_get_desc} (VMX format: D/B is bit 14). */
        int segmentAccess(int vmReg);
    }

    private static final int SEG_ACCESS_DB = 1 << 14;

    /** {@link RegisterAccess} over {@code regs}, mapping {@link Gpr} numbers to {@code VM_REG_GUEST_*}. */
    public static RegisterAccess registers(VmRegisters regs) {
        return new RegisterAccess() {
            @Override
            public long gpr(int reg) { return regs.get(Gpr.freeBsdRegister(reg)); }

            @Override
            public void setGpr(int reg, long value) { regs.set(Gpr.freeBsdRegister(reg), value); }

            @Override
            public long rflags() { return regs.get(vmm_h.VM_REG_GUEST_RFLAGS); }

            @Override
            public void setRflags(long value) { regs.set(vmm_h.VM_REG_GUEST_RFLAGS, value); }

            @Override
            public long rip() { return regs.get(vmm_h.VM_REG_GUEST_RIP); }

            @Override
            public long segmentBase(SegmentRegister seg) { return regs.segmentBase(seg.freeBsdRegister()); }

            @Override
            public boolean stackSegment32() {
                return (regs.segmentAccess(vmm_h.VM_REG_GUEST_SS) & SEG_ACCESS_DB) != 0;
            }
        };
    }

    /**
     * Fetches the instruction at CS:RIP and emulates it. The exit's {@code gla} is used only when it is
     * a possible linear address for the mode (FreeBSD reports an invalid one when the hardware gives none).
     */
    public static EmulationResult emulate(InstructionEmulator emulator, Exit exit, VmRegisters regs,
                                          GuestMemoryAccess memory, MmioAccess mmio) {
        return emulate(emulator, exit, regs, memory, mmio, null);
    }

    /** As {@link #emulate(InstructionEmulator, Exit, VmRegisters, GuestMemoryAccess, MmioAccess)}, with the
     * instruction bytes already known (e.g. from a decode assist); null fetches them. */
    public static EmulationResult emulate(InstructionEmulator emulator, Exit exit, VmRegisters regs,
                                          GuestMemoryAccess memory, MmioAccess mmio, byte[] instruction) {
        CpuMode mode = CpuMode.fromFreeBsd(exit.cpuMode(), exit.csD());
        PagingMode pm = PagingMode.fromFreeBsd(exit.pagingMode());
        if (mode == null || pm == null || exit.cpl() < 0 || exit.cpl() > 3) {
            return new EmulationResult.EmulationFailure("INST_EMUL exit with an invalid cpu_mode " + exit.cpuMode()
                    + ", paging_mode " + exit.pagingMode() + " or cpl " + exit.cpl(), new byte[0]);
        }
        try {
            RegisterAccess ra = registers(regs);
            PagingState paging = PagingState.fromRegisters(pm, exit.cr3(), exit.cpl(), regs.get(vmm_h.VM_REG_GUEST_CR0),
                    regs.get(vmm_h.VM_REG_GUEST_CR4), regs.get(vmm_h.VM_REG_GUEST_EFER), ra.rflags());
            byte[] code = instruction;
            if (code == null) {
                switch (InstructionFetch.fetch(memory, paging, mode, exit.csBase(), ra.rip())) {
                    case InstructionFetch.Fetched f -> code = f.bytes();
                    case EmulationResult.Fault f -> { return f; }
                    case EmulationResult.EmulationFailure f -> { return f; }
                }
            }
            return emulator.emulate(new EmulationContext(mode, ra, mmio, memory, paging), code, exit.gpa(), exit.gla());
        } catch (RuntimeException e) {
            return new EmulationResult.EmulationFailure("reading the vCPU state for INST_EMUL failed: " + e,
                    instruction == null ? new byte[0] : instruction);
        }
    }
}
