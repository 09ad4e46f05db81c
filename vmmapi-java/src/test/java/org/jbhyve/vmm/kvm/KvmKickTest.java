package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.jbhyve.vmm.*;
import org.jbhyve.vmm.boot.ElfImage;
import org.jbhyve.vmm.boot.LongModeSetup;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopping a vCPU from another thread: what pause and checkpoint stand on. */
@RequiresKvm
class KvmKickTest {

    @Test
    void aSpinningVcpuStopsWithin100msOfAKickFromAnotherThread() throws Exception {
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine vm = hv.createVm(VmConfig.of("spin", 1, 16L << 20))) {
            LongModeSetup.boot(ElfImage.read(TestGuests.path("spin")), vm.memory(), vm.vcpu(0));
            Vcpu cpu = vm.vcpu(0);
            CompletableFuture<Long> stoppedAt = new CompletableFuture<>();
            CompletableFuture<Void> spinning = new CompletableFuture<>();
            Thread.ofPlatform().name("vcpu-0").daemon().start(() -> {
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
            Thread.sleep(200); // let it spin in guest mode, where only a signal gets it out
            long kickedAt = System.nanoTime();
            cpu.kick();
            long latency = stoppedAt.get(5, TimeUnit.SECONDS) - kickedAt;
            assertThat(latency).as("kick-to-stop latency in ns").isLessThan(100_000_000L);

            // The RIP is inside the guest's spin loop, and the vCPU can be resumed and stopped again.
            long rip = cpu.getRegisters().rip();
            assertThat(rip).isBetween(0x100000L, 0x400000L);
            CompletableFuture<VmExit> again = CompletableFuture.supplyAsync(cpu::run,
                    r -> Thread.ofPlatform().daemon().start(r));
            Thread.sleep(100);
            cpu.kick();
            assertThat(again.get(5, TimeUnit.SECONDS)).isInstanceOf(VmExit.Stopped.class);
        }
    }

    @Test
    void aKickBeforeRunMakesTheNextRunReturnStoppedAtOnce() throws Exception {
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine vm = hv.createVm(VmConfig.of("kick-early", 1, 16L << 20))) {
            LongModeSetup.boot(ElfImage.read(TestGuests.path("spin")), vm.memory(), vm.vcpu(0));
            vm.vcpu(0).kick();
            assertThat(vm.vcpu(0).run()).isInstanceOf(VmExit.Stopped.class);
            // the kick is consumed: the guest now runs and prints
            VmExit next = vm.vcpu(0).run();
            assertThat(next).isInstanceOf(VmExit.PortIo.class);
            assertThat(((VmExit.PortIo) next).value()).isEqualTo('s');
        }
    }
}
