package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.x86.CpuMode;
import org.jbhyve.vmm.x86.EmulationResult;
import org.jbhyve.vmm.x86.FreeBsdInstEmul;
import org.jbhyve.vmm.x86.GuestMemoryAccess;
import org.jbhyve.vmm.x86.InstructionEmulator;
import org.jbhyve.vmm.x86.InstructionFetch;
import org.jbhyve.vmm.x86.MmioAccess;
import org.jbhyve.vmm.x86.PagingMode;
import org.jbhyve.vmm.x86.PagingState;

import static org.jbhyve.bindings.freebsd.vmm.vmm_h.*;

/**
 * What the backend needs from the MMIO instruction emulator ({@code org.jbhyve.vmm.x86}): fetch the
 * faulting instruction once, then emulate it as often as the exit-driven MMIO protocol replays it (see
 * {@link MmioInstruction}). {@link #x86()} is the real emulator; tests can put a fake in its place.
 */
interface InstructionEmulation {

    /** Reads up to 15 instruction bytes at CS:RIP through the guest's paging. */
    InstructionFetch.Result fetch(FreeBsdInstEmul.Exit exit, FreeBsdInstEmul.VmRegisters regs, GuestMemoryAccess memory);

    /** Emulates {@code instruction} against the vCPU, guest RAM and {@code mmio}. Never throws. */
    EmulationResult emulate(FreeBsdInstEmul.Exit exit, FreeBsdInstEmul.VmRegisters regs, GuestMemoryAccess memory,
                            MmioAccess mmio, byte[] instruction);

    /** The emulator of {@code org.jbhyve.vmm.x86}, with its default batch of repeated string iterations. */
    static InstructionEmulation x86() {
        return x86(new InstructionEmulator());
    }

    static InstructionEmulation x86(InstructionEmulator emulator) {
        return new InstructionEmulation() {
            @Override
            public InstructionFetch.Result fetch(FreeBsdInstEmul.Exit exit, FreeBsdInstEmul.VmRegisters regs,
                                                 GuestMemoryAccess memory) {
                CpuMode mode = CpuMode.fromFreeBsd(exit.cpuMode(), exit.csD());
                PagingMode pm = PagingMode.fromFreeBsd(exit.pagingMode());
                if (mode == null || pm == null || exit.cpl() < 0 || exit.cpl() > 3) {
                    return new EmulationResult.EmulationFailure("INST_EMUL exit with an invalid cpu_mode "
                            + exit.cpuMode() + ", paging_mode " + exit.pagingMode() + " or cpl " + exit.cpl(), new byte[0]);
                }
                try {
                    long rflags = regs.get(VM_REG_GUEST_RFLAGS);
                    PagingState paging = pm == PagingMode.FLAT ? PagingState.flat()
                            : PagingState.fromRegisters(pm, exit.cr3(), exit.cpl(), regs.get(VM_REG_GUEST_CR0),
                            regs.get(VM_REG_GUEST_CR4), regs.get(VM_REG_GUEST_EFER), rflags);
                    return InstructionFetch.fetch(memory, paging, mode, exit.csBase(), regs.get(VM_REG_GUEST_RIP));
                } catch (RuntimeException e) {
                    return new EmulationResult.EmulationFailure("reading the vCPU state to fetch the instruction failed: "
                            + e, new byte[0]);
                }
            }

            @Override
            public EmulationResult emulate(FreeBsdInstEmul.Exit exit, FreeBsdInstEmul.VmRegisters regs,
                                           GuestMemoryAccess memory, MmioAccess mmio, byte[] instruction) {
                return FreeBsdInstEmul.emulate(emulator, exit, regs, memory, mmio, instruction);
            }
        };
    }
}
