package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.Checkpoint;
import org.jbhyve.vmm.GuestHarness;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.state.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole-vCPU save and restore ({@link Vcpu#saveState()}, {@link Vcpu#restoreState}) on real KVM. */
@RequiresKvm
class KvmVcpuStateTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** LAPIC page: timer current count register (read-only, computed when the page is read). */
    private static final int LAPIC_TMCCT = 0x390;
    private static final int MTRR_DEF_TYPE = 0x2ff, MTRR_PHYSBASE0 = 0x200, MTRR_PHYSMASK0 = 0x201,
            MTRR_FIX64K_00000 = 0x250;

    @Test
    void theSavedMsrsAreTheReviewedListWithTscFirstAndTheDeadlineLast() {
        try (KvmHypervisor hv = KvmHypervisor.open(); VirtualMachine vm = hv.createVm(VmConfig.of("msrs", 1, 16L << 20))) {
            Vcpu cpu = vm.vcpu(0);
            int[] saved = cpu.savedMsrIndices();
            Set<Integer> set = new HashSet<>();
            for (int m : saved) assertThat(set.add(m)).as("no duplicates").isTrue();
            Set<Integer> mtrrs = new HashSet<>();
            for (int m : saved) if (m >= 0x200 && m <= 0x2ff && m != Msr.IA32_PAT) mtrrs.add(m);
            assertThat(mtrrs).as("the MTRRs the vCPU's CPUID announces, which KVM emulates but does not list")
                    .contains(MTRR_DEF_TYPE, MTRR_PHYSBASE0, MTRR_PHYSMASK0, MTRR_FIX64K_00000).hasSize(16 + 11 + 1);
            Set<Integer> listed = new HashSet<>(set);
            listed.removeAll(mtrrs);
            assertThat(hv.msrIndexList()).as("else only MSRs KVM_GET_MSR_INDEX_LIST reports").containsAll(listed);
            assertThat(saved[0]).isEqualTo(Msr.IA32_TSC);
            assertThat(saved[saved.length - 1]).isEqualTo(Msr.IA32_TSC_DEADLINE);
            assertThat(set).contains(Msr.IA32_SYSENTER_CS, Msr.IA32_SYSENTER_ESP, Msr.IA32_SYSENTER_EIP, Msr.STAR,
                    Msr.LSTAR, Msr.CSTAR, Msr.SFMASK, Msr.KERNEL_GS_BASE, Msr.IA32_PAT, Msr.IA32_MISC_ENABLE,
                    Msr.IA32_TSC_ADJUST);
            assertThat(set).doesNotContain(Msr.IA32_EFER, Msr.IA32_APIC_BASE, Msr.FS_BASE, Msr.GS_BASE);
            // KVM's paravirtual clock and friends: CPUID 0x40000001 announces them to the guest, so they are saved
            int pv = KvmMsrs.paravirtualFeatures(cpu.getCpuid());
            assertThat(pv & (1 << 3)).as("KVM_FEATURE_CLOCKSOURCE2 offered").isNotZero();
            assertThat(set).contains(0x4b564d00, 0x4b564d01);
            if ((pv & (1 << 5)) != 0) assertThat(set).contains(0x4b564d03);
            if ((pv & (1 << 14)) != 0) {
                List<Integer> order = Arrays.stream(saved).boxed().toList();
                assertThat(order.indexOf(0x4b564d06)).as("ASYNC_PF_INT before ASYNC_PF_EN")
                        .isLessThan(order.indexOf(0x4b564d02));
            }
            Map<Integer, Long> values = cpu.getMsrs(saved); // reading all of them never fails
            assertThat(values).hasSize(saved.length);
            System.out.println("saved MSRs: " + Arrays.stream(saved).mapToObj(KvmMsrs::describe).toList());

            // Without KVM's CPUID leaves the guest cannot have used the paravirtual MSRs: they are not saved.
            cpu.setCpuid(cpu.getCpuid().stream().filter(e -> (e.function() & 0xffff0000) != 0x40000000).toList());
            assertThat(Arrays.stream(cpu.savedMsrIndices()).filter(m -> (m & 0xffffff00) == 0x4b564d00)).isEmpty();
        }
    }

    @Test
    void debugRegistersAndTheTscFrequency() {
        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = hv.createVm(VmConfig.of("dr", 1, 16L << 20))) {
            Vcpu cpu = vm.vcpu(0);
            assertThat(cpu.getDebugRegisters()).isEqualTo(DebugRegisters.reset());
            DebugRegisters d = new DebugRegisters(0x1000, 0x2000, 0xffffffff81000000L, 0x4000,
                    DebugRegisters.DR6_INIT | 0x1, DebugRegisters.DR7_INIT | 0x3);
            cpu.setDebugRegisters(d);
            assertThat(cpu.getDebugRegisters()).isEqualTo(d);
            assertThat(cpu.getTscKhz()).as("KVM_GET_TSC_KHZ").isGreaterThan(100_000);
            cpu.setTscKhz(cpu.getTscKhz()); // the same rate needs no scaling
        }
    }

    @Test
    void aWholeVcpuGoesIntoAFreshVmAndComesBackTheSame() {
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine a = hv.createVm(VmConfig.of("whole-a", 2, 16L << 20));
             VirtualMachine b = hv.createVm(VmConfig.of("whole-b", 2, 16L << 20))) {
            Vcpu src = a.vcpu(1);
            // Give it state a fresh vCPU does not have.
            src.setRegisters(src.getRegisters().withRip(0x1234).withRbx(0xb0b0).withR12(0x1212));
            src.setSpecialRegisters(src.getSpecialRegisters().withTables(new DescriptorTable(0x500, 47),
                    new DescriptorTable(0x3000, 0xfff)));
            src.setDebugRegisters(new DebugRegisters(0x10, 0x20, 0x30, 0x40, DebugRegisters.DR6_INIT,
                    DebugRegisters.DR7_INIT | 0x2));
            Map<Integer, Long> msrs = new LinkedHashMap<>();
            msrs.put(Msr.LSTAR, 0xffffffff81a00000L);
            msrs.put(Msr.KERNEL_GS_BASE, 0xffff888000000000L);
            msrs.put(Msr.IA32_TSC_ADJUST, 0x1000L);
            msrs.put(0x4b564d01, 0x5001L); // kvmclock system time at 0x5000, enabled
            // What firmware leaves in the MTRRs (RAM below 2 GiB write-back, the rest uncached), which a guest
            // reads back (/proc/mtrr, a kexec'd kernel): KVM keeps them, not in KVM_GET_MSR_INDEX_LIST.
            msrs.put(MTRR_PHYSBASE0, 0x6L);
            msrs.put(MTRR_PHYSMASK0, 0xffff80000800L);
            msrs.put(MTRR_FIX64K_00000, 0x0606060606060606L);
            msrs.put(MTRR_DEF_TYPE, 0xc00L);
            src.setMsrs(msrs);
            byte[] xsave = src.getXsave();
            ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN).put(160, (byte) 0x77).putLong(512,
                    ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN).getLong(512) | 3);
            src.setXsave(xsave);
            src.setMpState(MpState.RUNNABLE);

            VcpuState saved = src.saveState();
            assertThat(saved.vcpuId()).isEqualTo(1);
            assertThat(saved.lapic()).hasSize(1024);
            assertThat(saved.msrs()).containsEntry(Msr.LSTAR, 0xffffffff81a00000L).containsEntry(0x4b564d01, 0x5001L)
                    .containsEntry(MTRR_DEF_TYPE, 0xc00L).containsEntry(MTRR_PHYSMASK0, 0xffff80000800L);
            assertThat(saved.tscKhz()).isPositive();

            Vcpu dst = b.vcpu(1);
            dst.restoreState(saved);
            VcpuState back = dst.saveState();
            assertThat(back.registers()).isEqualTo(saved.registers());
            assertThat(back.specialRegisters()).isEqualTo(saved.specialRegisters());
            assertThat(back.xsave()).isEqualTo(saved.xsave());
            assertThat(back.xcrs()).isEqualTo(saved.xcrs());
            assertThat(back.debugRegisters()).isEqualTo(saved.debugRegisters());
            assertThat(back.mpState()).isEqualTo(MpState.RUNNABLE);
            assertThat(back.events()).isEqualTo(saved.events());
            assertThat(back.cpuid()).isEqualTo(saved.cpuid());
            assertThat(back.tscKhz()).isEqualTo(saved.tscKhz());
            assertThat(back.lapic()).isEqualTo(saved.lapic());
            Map<Integer, Long> without = new LinkedHashMap<>(saved.msrs()), backWithout = new LinkedHashMap<>(back.msrs());
            without.remove(Msr.IA32_TSC);
            backWithout.remove(Msr.IA32_TSC);
            assertThat(backWithout).isEqualTo(without);
            assertThat(back.msr(Msr.IA32_TSC)).as("the TSC goes on from the saved value")
                    .isGreaterThanOrEqualTo(saved.msr(Msr.IA32_TSC));
        }
    }

    @Test
    void aStateThatCannotBelongToTheVcpuIsRefused() {
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine vm = hv.createVm(VmConfig.of("refuse", 2, 16L << 20));
             VirtualMachine bare = hv.createVm(VmConfig.of("refuse-bare", 2, 16L << 20).withKernelIrqchip(false))) {
            VcpuState s0 = vm.vcpu(0).saveState();
            assertThatThrownBy(() -> vm.vcpu(1).restoreState(s0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("state of vCPU 0 into vCPU 1");
            assertThatThrownBy(() -> bare.vcpu(0).restoreState(s0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has LAPIC page but the VM has no in-kernel irqchip");
            VcpuState noLapic = bare.vcpu(0).saveState();
            assertThat(noLapic.lapic()).isNull();
            assertThat(noLapic.msrs()).as("MSRs that need KVM's LAPIC").doesNotContainKeys(Msr.IA32_TSC_DEADLINE,
                    0x4b564d06, 0x4b564d02, 0x4b564d04);
            assertThatThrownBy(() -> vm.vcpu(0).restoreState(noLapic)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no LAPIC page but the VM has in-kernel irqchip");
            bare.vcpu(0).restoreState(noLapic); // where it belongs, it goes back
            VcpuState badXsave = new VcpuState(0, s0.mpState(), s0.registers(), s0.specialRegisters(), new byte[512],
                    s0.xcrs(), s0.debugRegisters(), s0.msrs(), s0.lapic(), s0.events(), s0.cpuid(), s0.tscKhz());
            assertThatThrownBy(() -> vm.vcpu(0).restoreState(badXsave)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("XSAVE area is 512 bytes");
            Map<Integer, Long> bogus = new LinkedHashMap<>(s0.msrs());
            bogus.put(0x12345678, 1L);
            assertThatThrownBy(() -> vm.vcpu(0).restoreState(s0.withMsrs(bogus)))
                    .hasMessageContaining("KVM_SET_MSRS").hasMessageContaining("0x12345678");
        }
    }

    /** Runs {@code spin} until it loops, then stops it: the vCPU is mid-loop, no exit pending. */
    private static GuestHarness spinning(String name) throws Exception {
        GuestHarness g = new GuestHarness("spin", GuestHarness.config(name, 1, true));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
            try {
                return g.run(TIMEOUT, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!g.output().equals("spinning\n") && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(100); // well inside the loop
        g.stop();
        assertThat(run.get(30, TimeUnit.SECONDS)).as("no exit status: stopped").isEqualTo(-1);
        return g;
    }

    @Test
    void savingWhileTheVcpuRunsIsRefused() throws Exception {
        try (GuestHarness g = new GuestHarness("spin", GuestHarness.config("busy", 1, true))) {
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return g.run(TIMEOUT, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!g.output().equals("spinning\n")) Thread.sleep(5);
            assertThatThrownBy(() -> g.vm.vcpu(0).saveState()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("while it runs").hasMessageContaining("kick it");
            g.stop();
            run.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSpinningGuestSavedMidLoopContinuesAtTheSameRipAndItsTscNeverGoesBack(@TempDir Path dir) throws Exception {
        Checkpoint cp;
        try (GuestHarness a = spinning("spin-a")) {
            cp = Checkpoint.save(a.vm, dir.resolve("ram"));
        }
        VcpuState saved = cp.vcpus().getFirst();
        long rip = saved.registers().rip();
        assertThat(rip).isBetween(0x100000L, 0x400000L);
        assertThat(saved.mpState()).isEqualTo(MpState.RUNNABLE);

        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = cp.restore(hv, "spin-b")) {
            // the loop is `1: jmp 1b`, EB FE, at the saved RIP in the RAM that came from the file
            assertThat(vm.memory().readShort(rip) & 0xffff).isEqualTo(0xfeeb);
            Vcpu cpu = vm.vcpu(0);
            assertThat(cpu.getRegisters().rip()).isEqualTo(rip);
            long tscAfterRestore = cpu.getMsr(Msr.IA32_TSC);
            assertThat(tscAfterRestore).as("TSC after restore vs saved").isGreaterThanOrEqualTo(saved.msr(Msr.IA32_TSC));
            VcpuState back = cpu.saveState();
            assertThat(back.registers()).isEqualTo(saved.registers());
            assertThat(back.specialRegisters()).isEqualTo(saved.specialRegisters());
            assertThat(back.events()).isEqualTo(saved.events());

            // Let it run on: it keeps spinning at the same RIP, with no exit but Stopped.
            GuestHarness b = new GuestHarness(hv, vm);
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.run(TIMEOUT, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200);
            b.stop();
            assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(-1);
            assertThat(b.output()).isEmpty();
            assertThat(cpu.getRegisters().rip()).isEqualTo(rip);
            assertThat(cpu.getMsr(Msr.IA32_TSC)).isGreaterThan(tscAfterRestore);
        }
    }
}
