package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.kvm.KvmKernelState;
import org.jbhyve.vmm.state.KernelState;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared interrupt lines against KVM's in-kernel IOAPIC, no guest needed: its pins start masked, so
 * the IRR bit of a pin is the level KVM holds on it.
 */
@RequiresKvm
class SharedIrqLineKvmTest {
    /** struct kvm_ioapic_state: u64 base_address, u32 ioregsel, u32 id, then u32 irr. */
    private static final int IOAPIC_IRR = 16;

    @Test
    void anIoapicPinStaysAssertedWhileAnyOfItsSourcesHoldsIt() {
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine vm = hv.createVm(VmConfig.of("shared-irq", 1, 16L << 20))) {
            VmPlatform platform = new VmPlatform(vm, new PrintStream(OutputStream.nullOutputStream()));
            InterruptLine a = platform.irq(17), b = platform.irq(17);
            a.assertLine();
            b.assertLine();
            b.deassertLine();
            assertThat(irr(vm) & 1 << 17).as("pin 17 while a still asserts it").isNotZero();
            a.deassertLine();
            assertThat(irr(vm) & 1 << 17).isZero();
        }
    }

    /**
     * KVM_IRQ_LINE on an ISA IRQ (GSI 0-15) drives the 8259 input and the IOAPIC pin of the same
     * number (KVM's default GSI routing). So an ISA IRQ a PIRQ link uses reaches that IOAPIC pin too,
     * where bhyve drives only the 8259 input: the reason the INTx router keeps its links off the SCI's
     * IRQ 9, whose IOAPIC pin an APIC-mode guest has enabled.
     */
    @Test
    void anIsaIrqAlsoDrivesTheIoapicPinOfTheSameNumber() {
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine vm = hv.createVm(VmConfig.of("isa-irq", 1, 16L << 20))) {
            VmPlatform platform = new VmPlatform(vm, new PrintStream(OutputStream.nullOutputStream()));
            InterruptLine irq9 = platform.irq(9);
            irq9.assertLine();
            assertThat(irr(vm) & 1 << 9).isNotZero();
            irq9.deassertLine();
            assertThat(irr(vm) & 1 << 9).isZero();
        }
    }

    private static int irr(VirtualMachine vm) {
        for (KernelState k : vm.saveKernelState()) {
            if (k.name().equals(KvmKernelState.IOAPIC)) {
                return ByteBuffer.wrap(k.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(IOAPIC_IRR);
            }
        }
        throw new AssertionError("no IOAPIC state");
    }
}
