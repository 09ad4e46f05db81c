package org.jbhyve.bhyve.boot;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.testguests.TestGuests;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** An ELF64 test guest chosen by -o boot.kernel=... and run on real /dev/kvm through the common interface. */
@RequiresKvm
class ElfKernelLoaderKvmTest {
    private static final long MEM = 16L << 20;

    @Test
    void serialGuestBootsThroughTheConfigKey() {
        ConfigTree cfg = new ConfigTree();
        cfg.set("boot.kernel", TestGuests.path("serial").toString());
        try (BootLoader loader = BootLoaders.fromConfig(cfg, MEM);
             Hypervisor hv = Hypervisor.open();
             // The serial guest's HLT must reach userspace: no in-kernel irqchip (test-guests/README.md).
             VirtualMachine vm = hv.createVm(VmConfig.of("elf", 1, MEM).withKernelIrqchip(false))) {
            assertThat(loader).isInstanceOf(ElfKernelLoader.class);
            MmioBus mmio = new MmioBus();
            loader.load(vm, mmio);
            GuestRun.Result r = GuestRun.run(vm, mmio, Duration.ofSeconds(60));
            StringBuilder out = new StringBuilder();
            r.values().forEach(v -> out.append((char) (v & 0xff)));
            assertThat(r.status()).isZero();
            assertThat(out.toString()).isEqualTo("Hello from the jbhyve serial guest\nresumed\n");
        }
    }

    @Test
    void loaderPreparedForOtherRamRefusesToLoad() {
        ConfigTree cfg = new ConfigTree();
        cfg.set("boot.kernel", TestGuests.path("serial").toString());
        try (BootLoader loader = BootLoaders.fromConfig(cfg, 32L << 20);
             Hypervisor hv = Hypervisor.open();
             VirtualMachine vm = hv.createVm(VmConfig.of("elf2", 1, MEM))) {
            MmioBus mmio = new MmioBus();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.load(vm, mmio))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("prepared for 32 MiB")
                    .hasMessageContaining("16 MiB");
            assertThat(vm.memory().readLong(TestGuests.LOAD_ADDRESS)).as("nothing written").isZero();
        }
    }
}
