package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.x86.EmulationResult;
import org.jbhyve.vmm.x86.FreeBsdInstEmul;
import org.jbhyve.vmm.x86.GuestMemoryAccess;
import org.jbhyve.vmm.x86.InstructionFetch;
import org.jbhyve.vmm.x86.MmioAccess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.FreeBsdRegs.*;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.exit;

/**
 * {@code VM_EXITCODE_INST_EMUL} → one {@link VmExit.Mmio} per device access, the VMM's answer fed back into
 * the instruction on the next run(), RIP set past it, exactly what KVM shows the layers above.
 */
class MmioTest {
    static final long CODE = 0x400000, CODE_PHYS = 0x300000, MMIO = 0xd000_0000L;

    /** 4-level paging: the code page, and the device page identity-mapped. */
    private static PageTables longMode(Fixture f, String hexCode) {
        GuestMemory m = f.vm.memory();
        PageTables pt = new PageTables(m, 0x10000);
        pt.map4k(CODE, CODE_PHYS, PageTables.P);
        pt.map4k(MMIO, MMIO, PageTables.P | PageTables.RW);
        m.write(CODE_PHYS, HexFormat.ofDelimiter(" ").parseHex(hexCode));
        FakeVmmapi.Cpu c = f.cpu(0);
        c.regs[CR0] = 0x8001_0011L;
        c.regs[CR4] = 0x20;
        c.regs[EFER] = 0xd00; // LME, LMA, NXE
        c.regs[RFLAGS] = 2;
        return pt;
    }

    private static byte[] emul(PageTables pt, long gpa) {
        return ExitImages.instEmul(CODE, gpa, gpa, 0, 0, pt.cr3(), 0, 3, 3);
    }

    @Test
    void aReadGetsTheVmmsAnswerIntoTheRegisterAndRipMovesPastTheInstruction() {
        try (Fixture f = new Fixture(1)) {
            PageTables pt = longMode(f, "8b 03"); // mov eax, [rbx]
            f.cpu(0).regs[RBX] = MMIO + 4;
            f.cpu(0).regs[RAX] = -1;
            f.cpu(0).add(exit(emul(pt, MMIO + 4)), exit(ExitImages.hlt(CODE + 2, 2)));
            VmExit e = f.vcpu(0).run();
            assertThat(e).isInstanceOfSatisfying(VmExit.Mmio.class, m -> {
                assertThat(m.address()).isEqualTo(MMIO + 4);
                assertThat(m.size()).isEqualTo(4);
                assertThat(m.isWrite()).isFalse();
                m.setValue(0x1234_5678_9abc_def0L);
            });
            assertThat(f.cpu(0).regs[RAX]).as("nothing happens before the next run()").isEqualTo(-1);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[RAX]).as("32-bit load: zero-extended").isEqualTo(0x9abc_def0L);
            assertThat(f.cpu(0).entries).endsWith(CODE + 2);
        }
    }

    @Test
    void aWriteCarriesItsValueAndAReadModifyWriteIsTwoExits() {
        try (Fixture f = new Fixture(1)) {
            PageTables pt = longMode(f, "01 03"); // add [rbx], eax
            f.cpu(0).regs[RBX] = MMIO + 0x10;
            f.cpu(0).regs[RAX] = 0x100;
            f.cpu(0).add(exit(emul(pt, MMIO + 0x10)), exit(ExitImages.hlt(CODE + 2, 2)));
            VmExit.Mmio read = (VmExit.Mmio) f.vcpu(0).run();
            assertThat(read.isWrite()).isFalse();
            read.setValue(0x23);
            VmExit.Mmio write = (VmExit.Mmio) f.vcpu(0).run();
            assertThat(write.isWrite()).isTrue();
            assertThat(write.address()).isEqualTo(MMIO + 0x10);
            assertThat(write.size()).isEqualTo(4);
            assertThat(write.value()).isEqualTo(0x123);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[RFLAGS] & 0x8d5).as("flags of 0x23 + 0x100").isEqualTo(0x0);
            assertThat(f.cpu(0).entries).endsWith(CODE + 2);
        }
    }

    @Test
    void anInstructionFetchThatFaultsIsInjectedWithoutAnExit() {
        try (Fixture f = new Fixture(1)) {
            PageTables pt = longMode(f, "8b 03");
            long rip = 0x500000; // not mapped
            f.cpu(0).add(exit(ExitImages.instEmul(rip, MMIO, MMIO, 0, 0, pt.cr3(), 0, 3, 3)), exit(ExitImages.hlt(rip, 2)));
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[CR2]).isEqualTo(rip);
            assertThat(f.api.calls).contains("vm_inject_exception(0, 14, true, 0x10, true)"); // not present, fetch
            assertThat(f.cpu(0).delivered).containsExactly(14);
        }
    }

    @Test
    void anInstructionTheEmulatorCannotDecodeIsAnInternalErrorWithTheBytes() {
        try (Fixture f = new Fixture(1)) {
            PageTables pt = longMode(f, "0f 0b 90 90");
            f.cpu(0).add(exit(emul(pt, MMIO)));
            VmExit e = f.vcpu(0).run();
            assertThat(e).isInstanceOfSatisfying(VmExit.InternalError.class, ie -> {
                assertThat(ie.suberror()).isEqualTo(1);
                assertThat(ie.toString()).startsWith("internal error: instruction emulation failed");
                assertThat(ie.data()[0]).isEqualTo(MMIO);
                assertThat(ie.data()[1]).isEqualTo(CODE);
                assertThat(ie.data()[2] & 0xffff).isEqualTo(0x0b0f);
            });
            assertThat(f.vcpu(0).lastFailure()).contains("0f 0b").contains("rip 0x400000");
            assertThat(f.cpu(0).regs[RIP]).as("left at the instruction").isEqualTo(CODE);
        }
    }

    /** A scripted emulator, to follow the protocol step by step: reads, writes, then a result. */
    private static final class Scripted implements InstructionEmulation {
        final List<String> log = new ArrayList<>();
        EmulationResult result = new EmulationResult.Completed(3);
        int calls;

        @Override
        public InstructionFetch.Result fetch(FreeBsdInstEmul.Exit exit, FreeBsdInstEmul.VmRegisters regs,
                                             GuestMemoryAccess memory) {
            log.add("fetch at 0x" + Long.toHexString(regs.get(20)));
            return new InstructionFetch.Fetched(new byte[] {1, 2, 3});
        }

        @Override
        public EmulationResult emulate(FreeBsdInstEmul.Exit exit, FreeBsdInstEmul.VmRegisters regs,
                                       GuestMemoryAccess memory, MmioAccess mmio, byte[] instruction) {
            calls++;
            try {
                long v = mmio.read(exit.gpa(), 4);
                mmio.write(exit.gpa() + 4, 2, v + 1);
                regs.set(0, v);
                return result;
            } catch (MmioAccess.Deferred d) {
                return EmulationResult.Deferred.INSTANCE;
            }
        }
    }

    @Test
    void eachDeviceAccessIsOneExitAndTheInstructionIsReplayedUntilItCompletes() {
        Scripted s = new Scripted();
        try (Fixture f = new Fixture(new FakeVmmapi(), 1, s)) {
            f.cpu(0).add(exit(ExitImages.instEmul(0x1000, MMIO, MMIO, 0, 1, 0, 0, 1, 0)), exit(ExitImages.hlt(0x1003, 2)));
            VmExit.Mmio r = (VmExit.Mmio) f.vcpu(0).run();
            assertThat(r.toString()).isEqualTo("mmio read 0xd0000000 size 4");
            r.setValue(0x41);
            VmExit.Mmio w = (VmExit.Mmio) f.vcpu(0).run();
            assertThat(w.toString()).isEqualTo("mmio write 0xd0000004 size 2 value 0x42");
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(s.calls).isEqualTo(3);
            assertThat(s.log).as("fetched once").containsExactly("fetch at 0x1000");
            assertThat(f.cpu(0).regs[RAX]).isEqualTo(0x41);
            assertThat(f.api.calls).contains("vm_set_register(0, 20, 0x1003)");
        }
    }

    @Test
    void restartAndFaultLeaveRipAtTheInstruction() {
        Scripted s = new Scripted();
        try (Fixture f = new Fixture(new FakeVmmapi(), 1, s)) {
            s.result = new EmulationResult.Restart(3);
            f.cpu(0).add(exit(ExitImages.instEmul(0x1000, MMIO, MMIO, 0, 1, 0, 0, 1, 0)),
                    exit(ExitImages.instEmul(0x1000, MMIO, MMIO, 0, 1, 0, 0, 1, 0)), exit(ExitImages.hlt(0x1000, 2)));
            ((VmExit.Mmio) f.vcpu(0).run()).setValue(1);
            f.vcpu(0).run(); // the write
            VmExit.Mmio again = (VmExit.Mmio) f.vcpu(0).run(); // restarted: the next INST_EMUL exit
            assertThat(f.cpu(0).entries).contains(0x1000L);
            s.result = new EmulationResult.Fault(13, true, 0, 0);
            again.setValue(1);
            f.vcpu(0).run();
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.api.calls).contains("vm_inject_exception(0, 13, true, 0x0, true)");
            assertThat(f.cpu(0).delivered).containsExactly(13);
        }
    }

    @Test
    void aKickWaitsForTheInstructionToCompleteThenStops() {
        Scripted s = new Scripted();
        try (Fixture f = new Fixture(new FakeVmmapi(), 1, s)) {
            f.cpu(0).add(exit(ExitImages.instEmul(0x1000, MMIO, MMIO, 0, 1, 0, 0, 1, 0)), exit(ExitImages.hlt(0x1003, 2)));
            VmExit.Mmio r = (VmExit.Mmio) f.vcpu(0).run();
            f.vcpu(0).kick();
            r.setValue(7);
            assertThat(f.vcpu(0).run()).as("the instruction's second access still comes out").isInstanceOf(VmExit.Mmio.class);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Stopped.class);
            assertThat(f.cpu(0).regs[RAX]).isEqualTo(7);
            assertThat(f.cpu(0).regs[RIP]).isEqualTo(0x1003);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
        }
    }
}
