package org.jbhyve.vmm.freebsd;

import org.jbhyve.testguests.TestGuests;
import org.jbhyve.vmm.Checkpoint;
import org.jbhyve.vmm.GuestHarness;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.boot.ElfImage;
import org.jbhyve.vmm.boot.LongModeSetup;
import org.jbhyve.vmm.state.KernelState;
import org.jbhyve.vmm.state.Registers;
import org.jbhyve.vmm.state.VcpuState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test guests, booted through the FreeBSD backend on a real vmm: what ci/freebsd/run-tests proves on a
 * FreeBSD host. The same guests and expectations as KvmGuestTest, except where vmm differs by design (HLT
 * with interrupts off on every vCPU suspends the whole VM instead of reaching userland).
 */
@RequiresVmm
class FreeBsdGuestTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static VmConfig config(String guest, int vcpus) {
        return VmConfig.of("jbhyve-" + guest + "-" + ProcessHandle.current().pid(), vcpus, 16L << 20);
    }

    @Test
    void theBackendIsFreeBsdsAndTheMemsegAbiMatchesTheKernel() {
        try (Hypervisor hv = Hypervisor.open();
             FreeBsdVm vm = (FreeBsdVm) hv.createVm(config("abi", 1))) {
            assertThat(hv).isInstanceOf(FreeBsdHypervisor.class);
            FreeBsdHypervisor fh = (FreeBsdHypervisor) hv;
            assertThat(fh.osreldate()).isPresent();
            assertThat(vm.abi()).isEqualTo(fh.osreldate().getAsLong() >= 1_500_000 ? FreeBsdAbi.FREEBSD_15
                    : FreeBsdAbi.FREEBSD_14);
            assertThat(vm.memorySegment(vm.abi().sysmemSegment()).length()).isEqualTo(16L << 20);
            assertThat(((FreeBsdVcpu) vm.vcpu(0)).unrestrictedGuest()).isTrue();
            assertThat(((FreeBsdVcpu) vm.vcpu(0)).ipiExit()).isTrue();
            assertThat(vm.irqLineCount()).isGreaterThanOrEqualTo(24);
            assertThat(vm.rtcTime().getEpochSecond()).isCloseTo(System.currentTimeMillis() / 1000,
                    org.assertj.core.data.Offset.offset(5L));
            vm.mapMemory("rom", 0xfff0_0000L, 1 << 20, true);
            assertThat(vm.memorySegment(vm.abi().bootromSegment()).name()).isEqualTo("bootrom");
        }
    }

    @Test
    void serialGuestPrintsThenItsCliHltSuspendsTheVm() throws Exception {
        AtomicInteger halts = new AtomicInteger();
        try (GuestHarness g = new GuestHarness("serial", config("serial", 1))) {
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.Halt) {
                    halts.incrementAndGet();
                    g.stop(); // vmm suspended the VM (VM_SUSPEND_HALT): it cannot resume
                    return true;
                }
                return false;
            });
            assertThat(status).isEqualTo(-1);
            assertThat(halts.get()).isEqualTo(1);
            assertThat(g.output()).isEqualTo("Hello from the jbhyve serial guest\n");
        }
    }

    @Test
    void mmioGuestSeesEveryAccessWithItsWidthAndValue() throws Exception {
        List<String> accesses = Collections.synchronizedList(new ArrayList<>());
        try (GuestHarness g = new GuestHarness("mmio", config("mmio", 1))) {
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.Mmio m && (m.address() & ~0xfffL) == 0xd0000000L) {
                    long off = m.address() - 0xd0000000L;
                    if (m.isWrite()) {
                        accesses.add("w " + Long.toHexString(m.address()) + " " + m.size() + " " + Long.toHexString(m.value()));
                    } else {
                        accesses.add("r " + Long.toHexString(m.address()) + " " + m.size());
                        m.setValue(0xc0de0000L | off);
                    }
                    return true;
                }
                return false;
            });
            assertThat(status).isZero();
            assertThat(accesses).containsExactly("w d0000000 4 12345678", "r d0000004 4", "w d0000010 1 ab",
                    "r d0000012 2", "w d0000018 8 1122334455667788", "r d0000020 8");
            assertThat(g.output()).isEqualTo("read d0000004 c0de0004\nread d0000012 12\nread d0000020 c0de0020\n");
        }
    }

    @Test
    void irqGuestCountsInterruptsDeliveredThroughTheIoapic() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (GuestHarness g = new GuestHarness("irq", config("irq", 1))) {
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.PortIo io && io.port() == 0x501 && io.isOut()) {
                    assertThat(io.value()).isEqualTo(requests.getAndIncrement());
                    Thread t = Thread.ofPlatform().start(() -> g.vm.pulseIrq(10));
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                }
                return false;
            });
            assertThat(g.output()).endsWith("irqs=8\n");
            assertThat(status).isZero();
        }
    }

    @Test
    void smpGuestStartsTheApWithInitSipiAndBothReport() throws Exception {
        try (GuestHarness g = new GuestHarness("smp", config("smp", 2))) {
            int status = g.run(TIMEOUT, null);
            assertThat(g.output().lines().toList()).as(g.output())
                    .contains("hello from cpu 0", "hello from cpu 1", "cpus=2");
            assertThat(status).isZero();
        }
    }

    @Test
    void registersSetByTheHostReachTheGuestAndBack() throws Exception {
        try (GuestHarness g = new GuestHarness("regs", config("regs", 1))) {
            var cpu = g.vm.vcpu(0);
            cpu.setRegisters(cpu.getRegisters().withRbx(0x123456789abcdef0L).withR12(0xfeedfaceL));
            List<Registers> atExit = new ArrayList<>();
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.PortIo io && io.port() == GuestHarness.EXIT_PORT) atExit.add(v.getRegisters());
                return false;
            });
            assertThat(status).isZero();
            assertThat(g.output()).isEqualTo("rbx=123456789abcdef0 r12=feedface\n");
            assertThat(atExit.getFirst().r15()).isEqualTo(0xf00dL);
        }
    }

    @Test
    void aSpinningVcpuStopsWithin100msOfAKickAndCanBeResumed() throws Exception {
        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = hv.createVm(config("spin", 1))) {
            LongModeSetup.boot(ElfImage.read(TestGuests.path("spin")), vm.memory(), vm.vcpu(0));
            var cpu = vm.vcpu(0);
            CompletableFuture<Long> stoppedAt = new CompletableFuture<>();
            CompletableFuture<Void> spinning = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                StringBuilder out = new StringBuilder();
                try {
                    while (true) {
                        VmExit exit = cpu.run();
                        if (exit instanceof VmExit.PortIo io && io.port() == 0x3f8) {
                            out.append((char) io.value());
                            if (out.toString().equals("spinning\n")) spinning.complete(null);
                        } else if (exit instanceof VmExit.Stopped) {
                            stoppedAt.complete(System.nanoTime());
                            return;
                        } else {
                            throw new IllegalStateException("unexpected " + exit);
                        }
                    }
                } catch (Throwable t) {
                    stoppedAt.completeExceptionally(t);
                }
            });
            spinning.get(60, TimeUnit.SECONDS);
            Thread.sleep(200);
            long kickedAt = System.nanoTime();
            cpu.kick();
            assertThat(stoppedAt.get(5, TimeUnit.SECONDS) - kickedAt).isLessThan(100_000_000L);
            assertThat(cpu.getRegisters().rip()).isBetween(0x100000L, 0x400000L);
            CompletableFuture<VmExit> again = CompletableFuture.supplyAsync(cpu::run, r -> Thread.ofPlatform().daemon().start(r));
            Thread.sleep(100);
            cpu.kick();
            assertThat(again.get(5, TimeUnit.SECONDS)).isInstanceOf(VmExit.Stopped.class);
        }
    }

    /**
     * With options BHYVE_SNAPSHOT: the irq guest stopped after three interrupts finishes in a second VM built
     * from the checkpoint. Without it: the sentence that says so.
     */
    @Test
    void aCheckpointedGuestFinishesInAnotherVmOrTheKernelSaysItCannot(@TempDir Path dir) throws Exception {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        Checkpoint cp;
        try (GuestHarness a = new GuestHarness("irq", config("cp-a", 1))) {
            a.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.PortIo io && io.port() == 0x501 && io.isOut()) {
                    seen.add(io.value());
                    a.vm.pulseIrq(10);
                    if (io.value() == 2) a.stop();
                    return true;
                }
                return false;
            });
            try {
                cp = Checkpoint.save(a.vm, dir.resolve("ram"));
            } catch (VmmException e) {
                assertThat(e).hasMessageEndingWith("this FreeBSD kernel was built without options BHYVE_SNAPSHOT: see"
                        + " kernel-options/README.md");
                return;
            }
        }
        assertThat(cp.kernel()).extracting(KernelState::name).containsExactlyElementsOf(FreeBsdKernelState.names());
        assertThat(cp.kernel()).allSatisfy(k -> assertThat(k.size()).isPositive());
        for (VcpuState s : cp.vcpus()) assertThat(s.xsave()).isEmpty();
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine b = cp.restore(hv, "jbhyve-cp-b-" + ProcessHandle.current().pid());
             GuestHarness g = new GuestHarness(hv, b)) {
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.PortIo io && io.port() == 0x501 && io.isOut()) {
                    seen.add(io.value());
                    g.vm.pulseIrq(10);
                    return true;
                }
                return false;
            });
            assertThat(status).isZero();
            assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(g.output()).endsWith("irqs=8\n");
        }
    }

    @Test
    void aVmNameThatExistsIsRefused() {
        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = hv.createVm(config("dup", 1))) {
            assertThatThrownBy(() -> hv.createVm(config("dup", 1))).isInstanceOf(VmmException.class)
                    .hasMessageContaining("already exists in vmm");
        }
    }
}
