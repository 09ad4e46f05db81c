package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.VmExit;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.FreeBsdRegs.RAX;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.exit;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.spin;

/**
 * {@link FreeBsdVcpu#kick()} as bhyve stops vCPUs: {@code vm_suspend_cpu} puts the vCPU in the debug set, its
 * {@code VM_RUN} returns {@code VM_EXITCODE_DEBUG}, and run() answers Stopped after {@code vm_resume_cpu};
 * against the model of libvmmapi, which holds a spinning guest in {@code VM_RUN} until the vCPU is suspended.
 */
class KickTest {

    @Test
    void aKickBeforeRunStopsWithoutEnteringTheGuestAndIsConsumed() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.out(0x3f8, 1, 's', 0x100, 1)));
            f.vcpu(0).kick();
            assertThat(f.model.debug).contains(0);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Stopped.class);
            assertThat(f.cpu(0).runs).as("VM_RUN not called").isZero();
            assertThat(f.model.debug).as("vm_resume_cpu").doesNotContain(0);
            VmExit next = f.vcpu(0).run();
            assertThat(((VmExit.PortIo) next).value()).isEqualTo('s');
        }
    }

    @Test
    void aSpinningGuestLeavesVmRunPromptlyWhenKickedFromAnotherThreadAndCanRunAndStopAgain() throws Exception {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(spin(), spin());
            CompletableFuture<VmExit> r = Fixture.runAsync(f.vcpu(0));
            Fixture.eventually(() -> f.cpu(0).runs == 1, "the vCPU to enter the guest");
            Thread.sleep(50);
            assertThat(r).isNotDone();
            long t0 = System.nanoTime();
            f.vcpu(0).kick();
            assertThat(Fixture.within(r, 5)).isInstanceOf(VmExit.Stopped.class);
            assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
            assertThat(f.model.debug).isEmpty();
            assertThat(f.api.calls).containsSubsequence("vm_suspend_cpu(0)", "vm_resume_cpu(0)");
            // and again, on a fresh thread
            CompletableFuture<VmExit> again = Fixture.runAsync(f.vcpu(0));
            Fixture.eventually(() -> f.cpu(0).runs >= 2, "the second entry");
            f.vcpu(0).kick();
            assertThat(Fixture.within(again, 5)).isInstanceOf(VmExit.Stopped.class);
        }
    }

    @Test
    void kicksThatArriveTogetherGiveOneStopped() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.hlt(0x100, 2)));
            f.vcpu(0).kick();
            f.vcpu(0).kick();
            f.vcpu(0).kick();
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Stopped.class);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
        }
    }

    @Test
    void pendingIoIsCompletedBeforeStopped() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).regs[RAX] = 0;
            f.cpu(0).add(exit(ExitImages.in(0x71, 1, 0, 0x200, 1)), exit(ExitImages.hlt(0x201, 2)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            f.vcpu(0).kick();
            io.setValue(0x42);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Stopped.class);
            assertThat(f.cpu(0).regs[RAX]).as("the IN completed before the vCPU stopped").isEqualTo(0x42);
            assertThat(f.vcpu(0).saveState().registers().rax()).isEqualTo(0x42);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
        }
    }

    @Test
    void anApWaitingForItsStartupIpiStopsButStaysHeldByTheKernel() throws Exception {
        try (Fixture f = new Fixture(2)) {
            f.cpu(1).add(exit(ExitImages.hlt(0x100, 2)));
            CompletableFuture<VmExit> ap = Fixture.runAsync(f.vcpu(1));
            Fixture.eventually(() -> f.cpu(1).runs > 2, "the AP to poll");
            f.vcpu(1).kick();
            assertThat(Fixture.within(ap, 5)).isInstanceOf(VmExit.Stopped.class);
            assertThat(f.model.debug).as("not resumed: it still waits for SIPI").contains(1);
            assertThat(f.api.calls).doesNotContain("vm_resume_cpu(1)");
            assertThatStateIs(f.vcpu(1), org.jbhyve.vmm.state.MpState.UNINITIALIZED);
        }
    }

    @Test
    void saveStateWhileRunningIsRefused() throws Exception {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(spin());
            CompletableFuture<VmExit> r = Fixture.runAsync(f.vcpu(0));
            Fixture.eventually(() -> f.cpu(0).runs == 1, "entry");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.vcpu(0).saveState())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("while it runs");
            f.vcpu(0).kick();
            Fixture.within(r, 5);
            assertThat(f.vcpu(0).saveState().vcpuId()).isZero();
        }
    }

    @Test
    void closingTheVmTakesVcpuThreadsOutOfRunBeforeFreeingTheirHandles() throws Exception {
        FakeVmmapi api = new FakeVmmapi();
        Fixture f = new Fixture(api, 2, InstructionEmulation.x86());
        f.cpu(0).add(spin());
        CompletableFuture<VmExit> bsp = Fixture.runAsync(f.vcpu(0));
        CompletableFuture<VmExit> ap = Fixture.runAsync(f.vcpu(1));
        Fixture.eventually(() -> f.cpu(0).runs == 1 && f.cpu(1).runs > 1, "both threads inside run()");
        f.vm.close();
        assertThat(Fixture.within(bsp, 5)).isInstanceOf(VmExit.Stopped.class);
        assertThat(Fixture.within(ap, 5)).isInstanceOf(VmExit.Stopped.class);
        assertThat(api.calls).containsSubsequence("vm_suspend_cpu(0)", "vm_vcpu_close(0)");
        f.vcpu(1).kick(); // on a closed vCPU: nothing happens
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.vcpu(0).run())
                .isInstanceOf(IllegalStateException.class).hasMessage("vcpu 0 of vm 'test' is closed");
        api.close();
    }

    private static void assertThatStateIs(FreeBsdVcpu v, org.jbhyve.vmm.state.MpState s) {
        assertThat(v.getMpState()).isEqualTo(s);
    }
}
