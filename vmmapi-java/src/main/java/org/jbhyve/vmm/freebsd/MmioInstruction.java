package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.x86.DecodeFailure;
import org.jbhyve.vmm.x86.EmulationResult;
import org.jbhyve.vmm.x86.FreeBsdInstEmul;
import org.jbhyve.vmm.x86.GuestMemoryAccess;
import org.jbhyve.vmm.x86.InstructionFetch;
import org.jbhyve.vmm.x86.ReplayingMmio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static org.jbhyve.bindings.freebsd.vmm.vmm_h.*;

/**
 * MMIO, which vmm reports as {@code VM_EXITCODE_INST_EMUL}: the guest touched a guest-physical address
 * that is neither RAM nor one of the kernel's own devices (LAPIC, I/O APIC, HPET), and the kernel leaves the
 * instruction to userland. The layers above must see exactly what KVM shows them: one
 * {@link VmExit.Mmio} per device access, with its address, width and (for a write) value, and for a read
 * the value they answer with {@link VmExit.Mmio#setValue} ending up in the instruction's destination.
 *
 * <p><b>The flow.</b> Every device access of the emulated instruction goes through a
 * {@link ReplayingMmio} that throws instead of answering, so the emulator stops (changing nothing) and
 * {@link #begin} returns the access as the vCPU's {@link VmExit.Mmio}: {@code run()} returns it. On the
 * next {@code run()}, before the guest is entered, {@link #resume} records the answer (the value the VMM
 * stored, or nothing for a write) and emulates the instruction again from the start; the accesses already
 * answered are replayed from the record, so the emulator goes one access further. When it completes, its
 * register results are written with {@code vm_set_register} and RIP is set past the instruction; only then
 * does the guest run again. An instruction with n device accesses is emulated n+1 times. The instruction
 * bytes are fetched once, at the first step, so every replay decodes the same instruction even if another
 * vCPU rewrites the code page meanwhile.
 *
 * <p><b>RIP.</b> The kernel tries to decode the instruction itself and, when it can, has already moved its
 * next RIP past it; when it cannot, next RIP is the instruction. The backend does not depend on either: it
 * always sets RIP explicitly ({@code vm_set_register} also sets the kernel's next RIP): past the instruction
 * on completion, back to it on a restart (a repeated string instruction with iterations left), an injected
 * fault (through {@code vm_inject_exception} with restart) or a failure.
 *
 * <p><b>Results</b> ({@link EmulationResult}): Completed → RIP + length; Restart → RIP unchanged; Fault →
 * inject it (with CR2 for #PF), restart; Deferred → the {@link VmExit.Mmio} above; DecodeFailure and
 * EmulationFailure → a {@link VmExit.InternalError} with suberror 1 ("instruction emulation failed", as KVM
 * reports it) and data {gpa, rip, instruction bytes 0-7, 8-14 as little-endian words}; the reason in words
 * is {@link #lastFailure()}.
 */
final class MmioInstruction {
    private final CpuAccess cpu;
    private final GuestMemoryAccess memory;
    private final InstructionEmulation emulation;
    private final ReplayingMmio replay = new ReplayingMmio();
    private final MemorySegment data;
    private final VmExit.Mmio mmio;
    private final VmExit.InternalError internalError;
    private final Registers regs = new Registers();
    private final long[] failure = new long[4];

    private FreeBsdInstEmul.Exit exit;
    private byte[] bytes;
    private long rip;
    private boolean pending;
    private String lastFailure;

    MmioInstruction(CpuAccess cpu, GuestMemoryAccess memory, InstructionEmulation emulation, MemorySegment data,
                    VmExit.Mmio mmio, VmExit.InternalError internalError) {
        this.cpu = cpu;
        this.memory = memory;
        this.emulation = emulation;
        this.data = data;
        this.mmio = mmio;
        this.internalError = internalError;
    }

    /** True while a device access handed out as {@link VmExit.Mmio} waits for {@link #resume}. */
    boolean pending() { return pending; }

    /** Why the last instruction could not be emulated, or null. */
    String lastFailure() { return lastFailure; }

    /**
     * Starts on the {@code VM_EXITCODE_INST_EMUL} exit in {@code exitImage}. Returns the first
     * {@link VmExit.Mmio}, an {@link VmExit.InternalError}, or null when the instruction is already done (it
     * touched no device, or faulted) and the guest can be re-entered.
     */
    VmExit begin(MemorySegment exitImage) {
        long paging = ExitLayout.EMUL_PAGING;
        exit = new FreeBsdInstEmul.Exit(exitImage.get(ValueLayout.JAVA_LONG, ExitLayout.EMUL_GPA),
                exitImage.get(ValueLayout.JAVA_LONG, ExitLayout.EMUL_GLA),
                exitImage.get(ValueLayout.JAVA_LONG, ExitLayout.EMUL_CS_BASE),
                exitImage.get(ValueLayout.JAVA_INT, ExitLayout.EMUL_CS_D) != 0,
                exitImage.get(ValueLayout.JAVA_LONG, paging + ExitLayout.PAGING_CR3),
                exitImage.get(ValueLayout.JAVA_INT, paging + ExitLayout.PAGING_CPL),
                exitImage.get(ValueLayout.JAVA_INT, paging + ExitLayout.PAGING_CPU_MODE),
                exitImage.get(ValueLayout.JAVA_INT, paging + ExitLayout.PAGING_MODE));
        rip = exitImage.get(ValueLayout.JAVA_LONG, ExitLayout.RIP);
        regs.reset(rip);
        replay.reset();
        lastFailure = null;
        bytes = null;
        switch (emulation.fetch(exit, regs, memory)) {
            case InstructionFetch.Fetched f -> bytes = f.bytes();
            case EmulationResult.Fault f -> {
                return finish(f);
            }
            case EmulationResult.EmulationFailure f -> {
                return finish(f);
            }
        }
        return step();
    }

    /** The VMM has handled the {@link VmExit.Mmio} {@link #begin} or the last {@code resume} returned: go on. */
    VmExit resume() {
        if (!pending) throw new IllegalStateException("no MMIO access is pending");
        pending = false;
        replay.complete(mmio.isWrite() ? 0 : data.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        regs.reset(rip); // nothing has changed the vCPU in between, but a handler could have read or set registers
        return step();
    }

    private VmExit step() {
        return finish(emulation.emulate(exit, regs, memory, replay, bytes));
    }

    private VmExit finish(EmulationResult r) {
        switch (r) {
            case EmulationResult.Completed c -> {
                cpu.setRegister(VM_REG_GUEST_RIP, rip + c.length());
                return null;
            }
            case EmulationResult.Restart x -> {
                cpu.setRegister(VM_REG_GUEST_RIP, rip);
                return null;
            }
            case EmulationResult.Fault f -> {
                if (f.vector() == EmulationResult.Fault.PF) cpu.setRegister(VM_REG_GUEST_CR2, f.address());
                cpu.injectException(f.vector(), f.hasErrorCode(), f.errorCode(), true);
                return null;
            }
            case EmulationResult.Deferred d -> {
                ReplayingMmio.Access a = replay.pending();
                data.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, a.write() ? a.value() : 0);
                mmio.set(a.gpa(), a.size(), a.write(), data, 0);
                pending = true;
                return mmio;
            }
            case DecodeFailure f -> {
                return fail(f.toString(), f.bytes());
            }
            case EmulationResult.EmulationFailure f -> {
                return fail(f.toString(), f.bytes());
            }
        }
    }

    private VmExit fail(String why, byte[] insn) {
        lastFailure = why + " at rip 0x" + Long.toHexString(rip) + ", guest physical 0x" + Long.toHexString(exit.gpa());
        cpu.setRegister(VM_REG_GUEST_RIP, rip);
        byte[] b = Arrays.copyOf(insn == null ? new byte[0] : insn, 16);
        failure[0] = exit.gpa();
        failure[1] = rip;
        failure[2] = java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        failure[3] = java.nio.ByteBuffer.wrap(b, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        internalError.set(1, failure, 4);
        return internalError;
    }

    /**
     * The emulator's view of the vCPU registers: reads go to the kernel once per emulation step and are
     * remembered (RIP is the exit's), writes go straight through.
     */
    private final class Registers implements FreeBsdInstEmul.VmRegisters {
        private final long[] value = new long[VM_REG_LAST];
        private final boolean[] known = new boolean[VM_REG_LAST];
        private final long[] base = new long[VM_REG_LAST];
        private final int[] access = new int[VM_REG_LAST];
        private final boolean[] descKnown = new boolean[VM_REG_LAST];

        void reset(long rip) {
            Arrays.fill(known, false);
            Arrays.fill(descKnown, false);
            value[VM_REG_GUEST_RIP] = rip;
            known[VM_REG_GUEST_RIP] = true;
        }

        @Override
        public long get(int vmReg) {
            if (!known[vmReg]) {
                value[vmReg] = cpu.register(vmReg);
                known[vmReg] = true;
            }
            return value[vmReg];
        }

        @Override
        public void set(int vmReg, long v) {
            cpu.setRegister(vmReg, v);
            value[vmReg] = v;
            known[vmReg] = true;
        }

        private void desc(int vmReg) {
            if (!descKnown[vmReg]) {
                base[vmReg] = cpu.segmentBase(vmReg);
                access[vmReg] = cpu.segmentAccess(vmReg);
                descKnown[vmReg] = true;
            }
        }

        @Override
        public long segmentBase(int vmReg) {
            desc(vmReg);
            return base[vmReg];
        }

        @Override
        public int segmentAccess(int vmReg) {
            desc(vmReg);
            return access[vmReg];
        }
    }
}
