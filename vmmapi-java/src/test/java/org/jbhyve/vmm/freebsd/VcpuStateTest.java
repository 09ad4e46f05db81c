package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.boot.LongModeSetup;
import org.jbhyve.vmm.state.*;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.FreeBsdRegs.*;

/** vCPU state through {@code vm_get/set_register(_set)}, {@code vm_get/set_desc} and {@code vm_get/set_intinfo}. */
class VcpuStateTest {

    @Test
    void longModeSetupGoesThroughRegistersAndDescriptorsInVmxAccessRightsFormat() {
        try (Fixture f = new Fixture(1)) {
            GuestMemory m = f.vm.memory();
            LongModeSetup.writeTables(m);
            LongModeSetup.enterLongMode(f.vcpu(0), 0x100000);
            FakeVmmapi.Cpu c = f.cpu(0);
            assertThat(c.regs[RIP]).isEqualTo(0x100000);
            assertThat(c.regs[RSP]).isEqualTo(0x80000);
            assertThat(c.regs[CR3]).isEqualTo(LongModeSetup.PML4_ADDR);
            assertThat(c.regs[EFER]).isEqualTo(SpecialRegisters.EFER_LME | SpecialRegisters.EFER_LMA);
            assertThat(c.regs[CS]).isEqualTo(0x08);
            // 64-bit code: type 0xb, S, P, L, G = 0xa09b; data: type 3, S, P, D/B, G = 0xc093; busy TSS 0x8b; unusable LDT
            assertThat(c.descAccess[CS]).isEqualTo(0xa09b);
            assertThat(c.descAccess[DS]).isEqualTo(0xc093);
            assertThat(c.descAccess[TR]).isEqualTo(0x8b);
            assertThat(c.descAccess[LDTR] & 1 << 16).isNotZero();
            assertThat(c.descBase[GDTR]).isEqualTo(LongModeSetup.GDT_ADDR);
            assertThat(c.descLimit[GDTR]).isEqualTo(6 * 8 - 1);
            SpecialRegisters s = f.vcpu(0).getSpecialRegisters();
            assertThat(s.cs()).isEqualTo(Segment.code64(0x08));
            assertThat(s.ds()).isEqualTo(Segment.data(0x10));
            assertThat(s.tr()).isEqualTo(Segment.tss(0, 0x67, 0x20));
            assertThat(s.apicBase()).isEqualTo(0xfee0_0900L);
        }
    }

    @Test
    void aSavedStateRestoresIntoAFreshVmAndReadsBackTheSame() {
        FakeVmmapi api = new FakeVmmapi();
        VcpuState saved;
        try (Fixture f = new Fixture(api, 2, InstructionEmulation.x86())) {
            LongModeSetup.writeTables(f.vm.memory());
            LongModeSetup.enterLongMode(f.vcpu(0), 0x123456);
            f.vcpu(0).setRegisters(f.vcpu(0).getRegisters().withRbx(0xb0b).withR12(0x1212));
            f.cpu(0).regs[FS_BASE] = 0x7000_0000_1000L;
            f.cpu(0).regs[KGS_BASE] = 0xffff_8000_0000_2000L;
            f.cpu(0).regs[DR0] = 0x4000;
            f.cpu(0).regs[INTR_SHADOW] = 1;
            f.cpu(0).info1 = (1L << 31) | 0x30; // an external interrupt 0x30 was being delivered
            saved = f.vcpu(0).saveState();
            assertThat(saved.xsave()).isEmpty();
            assertThat(saved.lapic()).isNull();
            assertThat(saved.cpuid()).isEmpty();
            assertThat(saved.msrs()).containsOnlyKeys(Msr.FS_BASE, Msr.GS_BASE, Msr.KERNEL_GS_BASE);
            assertThat(saved.msr(Msr.KERNEL_GS_BASE)).isEqualTo(0xffff_8000_0000_2000L);
            assertThat(saved.events().interruptInjected()).isTrue();
            assertThat(saved.events().interruptNr()).isEqualTo(0x30);
            assertThat(saved.events().interruptShadow()).isEqualTo(1);
            assertThat(saved.tscKhz()).isEqualTo(2_400_000);
            assertThat(f.vcpu(1).saveState().mpState()).isEqualTo(MpState.UNINITIALIZED);
        }
        try (Fixture g = new Fixture(new FakeVmmapi(), 2, InstructionEmulation.x86())) {
            g.vcpu(0).restoreState(saved);
            VcpuState back = g.vcpu(0).saveState();
            assertThat(back).isEqualTo(saved);
            assertThat(g.cpu(0).info1).isEqualTo((1L << 31) | 0x30);
            assertThat(g.cpu(0).nextrip).as("RIP also sets the kernel's next RIP").isEqualTo(0x123456);
        }
    }

    @Test
    void anApRestoredWaitingForSipiStaysHeldAndOneRestoredRunningIsReleased() {
        try (Fixture f = new Fixture(2)) {
            VcpuState ap = f.vcpu(1).saveState();
            f.vcpu(1).restoreState(ap.withRegisters(ap.registers()));
            assertThat(f.model.debug).contains(1);
            VcpuState running = new VcpuState(1, MpState.RUNNABLE, ap.registers(), ap.specialRegisters(), new byte[0],
                    Map.of(), ap.debugRegisters(), ap.msrs(), null, ap.events(), List.of(), ap.tscKhz());
            f.vcpu(1).restoreState(running);
            assertThat(f.model.debug).doesNotContain(1);
            assertThat(f.vcpu(1).getMpState()).isEqualTo(MpState.RUNNABLE);
        }
    }

    @Test
    void aStateFromAnotherBackendOrVcpuIsRefusedBeforeAnythingChanges() {
        try (Fixture f = new Fixture(1)) {
            VcpuState s = f.vcpu(0).saveState();
            VcpuState kvmLike = new VcpuState(0, MpState.RUNNABLE, s.registers(), s.specialRegisters(), new byte[4096],
                    Map.of(0, 1L), s.debugRegisters(), Map.of(), new byte[1024], s.events(), List.of(), 0);
            long rip = f.cpu(0).regs[RIP];
            assertThatThrownBy(() -> f.vcpu(0).restoreState(kvmLike.withRegisters(s.registers().withRip(0x999))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot restore vCPU 0 of VM 'test': the state was saved by another backend (it has an"
                            + " XSAVE area, which bhyve's vmm does not expose)");
            assertThat(f.cpu(0).regs[RIP]).isEqualTo(rip);
            assertThatThrownBy(() -> f.vcpu(0).restoreState(s.withVcpuId(3))).hasMessageContaining("vCPU 3 into vCPU 0");
            assertThatThrownBy(() -> f.vcpu(0).restoreState(s.withMsrs(Map.of(Msr.LSTAR, 1L))))
                    .hasMessageContaining("MSR 0xc0000082 (LSTAR)");
            VcpuState otherTsc = new VcpuState(0, s.mpState(), s.registers(), s.specialRegisters(), new byte[0], Map.of(),
                    s.debugRegisters(), s.msrs(), null, s.events(), List.of(), 3_000_000);
            assertThatThrownBy(() -> f.vcpu(0).restoreState(otherTsc)).isInstanceOf(VmmException.class)
                    .hasMessageContaining("runs guests at the host's TSC rate (2400000 kHz here) and cannot scale it");
        }
    }

    @Test
    void whatVmmDoesNotExposeFailsWithASentence() {
        try (Fixture f = new Fixture(1)) {
            FreeBsdVcpu v = f.vcpu(0);
            assertThatThrownBy(v::getXsave).isInstanceOf(VmmException.class).hasMessageContaining("XSAVE area in the kernel");
            assertThatThrownBy(v::getFpu).hasMessageContaining("x87/SSE state");
            assertThatThrownBy(v::getLapic).hasMessageContaining("vlapic snapshot blob");
            assertThatThrownBy(() -> v.getMsr(Msr.IA32_PAT)).hasMessageStartingWith(
                    "bhyve's vmm has no interface for userland to read or write MSR 0x277 (IA32_PAT)");
            assertThatThrownBy(() -> v.setCpuid(List.of(new CpuidEntry(0, 0, 0, 1, 2, 3, 4)))).hasMessageContaining("CPUID");
            v.setCpuid(List.of());
            assertThat(v.getMsr(Msr.IA32_EFER)).isZero();
            v.setTscKhz(2_400_100); // within 250 ppm
        }
    }

    @Test
    void savedMsrsLeaveOutWhatTheKernelRefusesToRead() {
        FakeVmmapi api = new FakeVmmapi();
        api.unreadableRegs.add(KGS_BASE);
        try (Fixture f = new Fixture(api, 1, InstructionEmulation.x86())) {
            assertThat(f.vcpu(0).savedMsrIndices()).containsExactly(Msr.FS_BASE, Msr.GS_BASE);
        }
    }

    @Test
    void aPendingExceptionAndTheInterruptShadowRoundTrip() {
        try (Fixture f = new Fixture(1)) {
            VcpuEvents e = new VcpuEvents(false, 14, true, true, 0x6, false, 0, false, 1, false, false, false, 0, false,
                    false, false, false, false, false, 0);
            f.vcpu(0).setEvents(e);
            assertThat(f.cpu(0).excPending).isTrue();
            assertThat(f.cpu(0).excVector).isEqualTo(14);
            assertThat(f.cpu(0).regs[INTR_SHADOW]).as("set after injecting, which clears it").isEqualTo(1);
            assertThat(f.vcpu(0).getEvents()).isEqualTo(e);
        }
    }

    @Test
    void capabilitiesAndNmiGoToTheKernel() {
        FakeVmmapi api = new FakeVmmapi();
        api.missingCaps.add(org.jbhyve.bindings.freebsd.vmm.vmm_h.VM_CAP_RDPID);
        try (Fixture f = new Fixture(api, 1, InstructionEmulation.x86())) {
            f.vcpu(0).setCapability(org.jbhyve.bindings.freebsd.vmm.vmm_h.VM_CAP_PAUSE_EXIT, 1);
            assertThat(f.vcpu(0).getCapability(org.jbhyve.bindings.freebsd.vmm.vmm_h.VM_CAP_PAUSE_EXIT)).isEqualTo(1);
            assertThatThrownBy(() -> f.vcpu(0).getCapability(org.jbhyve.bindings.freebsd.vmm.vmm_h.VM_CAP_RDPID))
                    .isInstanceOf(VmmException.class)
                    .hasMessage("vm_get_capability(6) on vcpu 0 of vm 'test' failed: ENOENT (no such file or directory)");
            f.vcpu(0).injectNmi();
            assertThat(api.calls).contains("vm_inject_nmi(0)");
        }
    }
}
