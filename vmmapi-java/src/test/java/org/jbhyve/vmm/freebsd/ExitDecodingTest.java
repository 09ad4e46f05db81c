package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.state.MpState;
import org.jbhyve.vmm.state.Msr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.FreeBsdRegs.*;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.exit;

/**
 * Every exit code bhyve handles, from hand-made {@code struct vm_exit} images ({@link ExitImages}) handed out
 * by {@code VM_RUN} of the model, decoded into the same {@link VmExit} objects as on KVM.
 */
class ExitDecodingTest {

    @Test
    void outIsAPortIoWithTheValueAndNoRegisterWrite() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.out(0x3f8, 1, 0x41, 0x1000, 1)), exit(ExitImages.out(0xcf8, 4, 0x8000_0010, 0x1001, 1)),
                    exit(ExitImages.out(0x70, 2, 0xbeef, 0x1002, 2)));
            VmExit e = f.vcpu(0).run();
            assertThat(e).isInstanceOfSatisfying(VmExit.PortIo.class, io -> {
                assertThat(io.port()).isEqualTo(0x3f8);
                assertThat(io.size()).isEqualTo(1);
                assertThat(io.isOut()).isTrue();
                assertThat(io.count()).isEqualTo(1);
                assertThat(io.value()).isEqualTo(0x41);
            });
            VmExit e2 = f.vcpu(0).run();
            assertThat(e2).isSameAs(e); // the vCPU's one PortIo object, refilled
            assertThat(((VmExit.PortIo) e2).value()).isEqualTo(0x8000_0010);
            assertThat(((VmExit.PortIo) f.vcpu(0).run()).value()).isEqualTo(0xbeef);
            // the kernel advanced RIP: each exit was entered at the previous rip + inst_length
            assertThat(f.cpu(0).entries).containsExactly(0xfff0L, 0x1001L, 0x1002L);
            assertThat(f.api.calls).noneMatch(c -> c.startsWith("vm_set_register(0, 0,")); // RAX untouched
        }
    }

    @Test
    void inIsPrefilledWithAllOnesLikeAnUnansweredBus() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.in(0x60, 1, 0, 0x1000, 1)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(io.isIn()).isTrue();
            assertThat(io.port()).isEqualTo(0x60);
            assertThat(io.value()).isEqualTo(0xff);
        }
    }

    @Test
    void hltIsAHalt() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.hlt(0x2000, 0x2)));
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
        }
    }

    @Test
    void suspendedMapsEachWayTheVmEndsAndStaysThatWay() {
        int[] hows = {1, 2, 3, 4, 5};
        for (int how : hows) {
            try (Fixture f = new Fixture(1)) {
                f.vm.suspend(FreeBsdVm.SuspendHow.RESET); // then overwrite the how the model reports
                f.model.suspendHow = how;
                VmExit e = f.vcpu(0).run();
                switch (how) {
                    case 1 -> assertThat(e).isInstanceOfSatisfying(VmExit.SystemEvent.class,
                            s -> assertThat(s.type()).isEqualTo(VmExit.SystemEvent.Type.RESET));
                    case 2 -> assertThat(e).isInstanceOfSatisfying(VmExit.SystemEvent.class,
                            s -> assertThat(s.type()).isEqualTo(VmExit.SystemEvent.Type.SHUTDOWN));
                    case 3 -> assertThat(e).isInstanceOf(VmExit.Halt.class);
                    case 4 -> assertThat(e).isInstanceOf(VmExit.Shutdown.class);
                    default -> assertThat(e).isInstanceOfSatisfying(VmExit.SystemEvent.class, s -> {
                        assertThat(s.type()).isEqualTo(VmExit.SystemEvent.Type.OTHER);
                        assertThat(s.rawType()).isEqualTo(5); // VM_SUSPEND_DESTROY
                    });
                }
                int runs = f.cpu(0).runs;
                assertThat(f.vcpu(0).run()).as("sticky").isSameAs(e);
                assertThat(f.cpu(0).runs).as("no VM_RUN after the VM ended").isEqualTo(runs);
            }
        }
    }

    @Test
    void rdmsrAnswerGoesToEdxEaxAndWrmsrCarriesTheValue() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).regs[RAX] = 0xffff_ffff_ffff_ffffL;
            f.cpu(0).regs[RDX] = 0xffff_ffff_ffff_ffffL;
            f.cpu(0).add(exit(ExitImages.rdmsr(0x8b, 0x3000)), exit(ExitImages.wrmsr(0x277, 0x0007_0406_0007_0406L, 0x3002)),
                    exit(ExitImages.rdmsr(0x1234, 0x3004)), exit(ExitImages.hlt(0x3006, 2)));
            VmExit.MsrAccess m = (VmExit.MsrAccess) f.vcpu(0).run();
            assertThat(m.index()).isEqualTo(0x8b);
            assertThat(m.isWrite()).isFalse();
            assertThat(m.value()).as("unknown MSRs read 0 unless answered").isZero();
            m.setValue(0x1122_3344_5566_7788L);
            VmExit.MsrAccess w = (VmExit.MsrAccess) f.vcpu(0).run();
            assertThat(f.cpu(0).regs[RAX]).isEqualTo(0x5566_7788L);
            assertThat(f.cpu(0).regs[RDX]).isEqualTo(0x1122_3344L);
            assertThat(f.cpu(0).entries).contains(0x3002L); // RIP advanced by the kernel, not us
            assertThat(w.index()).isEqualTo(Msr.IA32_PAT);
            assertThat(w.isWrite()).isTrue();
            assertThat(w.value()).isEqualTo(0x0007_0406_0007_0406L);
            VmExit.MsrAccess strict = (VmExit.MsrAccess) f.vcpu(0).run();
            strict.fault(); // x86.strictmsr
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.api.calls).contains("vm_inject_exception(0, 13, true, 0x0, true)");
            assertThat(f.cpu(0).entries).as("the faulting rdmsr restarts (to take the #GP)").contains(0x3004L);
        }
    }

    @Test
    void ipiInitAndStartupBringUpTheApAsSpinupApDoes() throws Exception {
        try (Fixture f = new Fixture(2)) {
            f.cpu(0).setIpiDestinations(1);
            f.cpu(0).add(exit(ExitImages.ipi(0x500, 0, 0x4000)), exit(ExitImages.ipi(0x600, 0x9a, 0x4010)),
                    exit(ExitImages.out(0x3f8, 1, 'b', 0x4020, 1)));
            f.cpu(1).add(exit(ExitImages.out(0x3f8, 1, 'a', 0x9a000, 1)));
            var ap = Fixture.runAsync(f.vcpu(1)); // waits in the kernel (DEBUG exits) until the start-up IPI
            Thread.sleep(30);
            assertThat(ap).isNotDone();
            assertThat(f.cpu(1).runs).as("polls like bhyve's vmexit_debug").isGreaterThan(1);
            VmExit bsp = f.vcpu(0).run(); // INIT and STARTUP are handled inside, the OUT comes out
            assertThat(((VmExit.PortIo) bsp).value()).isEqualTo('b');
            VmExit apExit = Fixture.within(ap, 5);
            assertThat(((VmExit.PortIo) apExit).value()).isEqualTo('a');
            FakeVmmapi.Cpu c = f.cpu(1);
            assertThat(c.regs[CS]).isEqualTo(0x9a00);
            assertThat(c.descBase[CS]).isEqualTo(0x9a000);
            assertThat(c.entries).contains(0L); // entered at CS:IP = 9a00:0000
            assertThat(f.api.calls).containsSubsequence("vm_suspend_cpu(1)", "vcpu_reset(1)", "vm_resume_cpu(1)");
            assertThat(f.vcpu(1).getMpState()).isEqualTo(MpState.RUNNABLE);
        }
    }

    @Test
    void oldStyleSpinupApStartsTheNamedVcpu() throws Exception {
        try (Fixture f = new Fixture(2)) {
            f.cpu(0).add(exit(ExitImages.spinupAp(1, 0x8000, 0x500)), exit(ExitImages.hlt(0x510, 2)));
            f.cpu(1).add(exit(ExitImages.hlt(0x8001, 2)));
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(1).descBase[CS]).isEqualTo(0x8000);
            assertThat(f.cpu(1).regs[CS]).isEqualTo(0x800);
            assertThat(f.model.debug).doesNotContain(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {ExitImages.BOGUS, ExitImages.REQIDLE, ExitImages.PAUSE})
    void bogusReqidleAndPauseJustRunAgain(int code) {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.plain(code, 0x100)), exit(ExitImages.plain(code, 0x100)),
                    exit(ExitImages.hlt(0x100, 2)));
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).runs).isEqualTo(3);
        }
    }

    @Test
    void vmxEntryFailuresAreFailEntryAsOnKvmAndOtherVmxExitsInternalErrors() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.vmx(2, 0, 0, 1, 7, 0x100)),                 // VMRESUME failed, error 7
                    exit(ExitImages.vmx(0, 0x8000_0021, 0, 0, 0, 0x100)),          // entry failure: invalid guest state
                    exit(ExitImages.vmx(0, 48, 0x182, 0, 0, 0x100)));              // an EPT violation vmm did not handle
            assertThat(f.vcpu(0).run()).isInstanceOfSatisfying(VmExit.FailEntry.class, e -> {
                assertThat(e.hardwareReason()).isEqualTo(7);
                assertThat(e.hostCpu()).isEqualTo(-1);
            });
            assertThat(f.vcpu(0).run()).isInstanceOfSatisfying(VmExit.FailEntry.class,
                    e -> assertThat(e.hardwareReason()).isEqualTo(0x8000_0021L));
            assertThat(f.vcpu(0).run()).isInstanceOfSatisfying(VmExit.InternalError.class, e -> {
                assertThat(e.suberror()).isEqualTo(4);
                assertThat(e.data()).containsExactly(48, 0x182, 0, 0, 0);
                assertThat(e.toString()).startsWith("internal error: unexpected hardware exit data=0x30,0x182");
            });
        }
    }

    @Test
    void svmExitsToo() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.svm(-1, 0, 0, 0x100)), exit(ExitImages.svm(0x7b, 0x1234, 0x5678, 0x100)));
            assertThat(f.vcpu(0).run()).isInstanceOfSatisfying(VmExit.FailEntry.class,
                    e -> assertThat(e.hardwareReason()).isEqualTo(-1L));
            assertThat(f.vcpu(0).run()).isInstanceOfSatisfying(VmExit.InternalError.class,
                    e -> assertThat(e.data()).containsExactly(0x7b, 0x1234, 0x5678));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {ExitImages.MTRAP, ExitImages.PAGING, ExitImages.RENDEZVOUS, ExitImages.TASK_SWITCH,
            ExitImages.BPT, ExitImages.DB, 26, 99})
    void anythingElseIsUnhandledWithItsCode(int code) {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.plain(code, 0x100)));
            assertThat(f.vcpu(0).run()).isInstanceOfSatisfying(VmExit.Unhandled.class, u -> {
                assertThat(u.code()).isEqualTo(code);
                assertThat(u.toString()).isEqualTo("unhandled freebsd exit " + code);
            });
        }
    }

    @Test
    void debugWithoutAKickIsTheKernelHoldingTheVcpuSoRunWaitsAndAsksAgain() throws Exception {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.hlt(0x100, 2)));
            f.api.suspendCpu(java.lang.foreign.MemorySegment.ofAddress(f.cpu(0).handle)); // e.g. bhyvectl, not us
            var r = Fixture.runAsync(f.vcpu(0));
            Thread.sleep(20);
            assertThat(r).isNotDone();
            f.api.resumeCpu(java.lang.foreign.MemorySegment.ofAddress(f.cpu(0).handle));
            assertThat(Fixture.within(r, 5)).isInstanceOf(VmExit.Halt.class);
        }
    }
}
