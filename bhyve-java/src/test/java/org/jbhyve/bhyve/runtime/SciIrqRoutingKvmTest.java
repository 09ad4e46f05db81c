package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.devices.pci.IntxRouter;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machine VmRuntime wires on real /dev/kvm: eight PCI functions with INTx and an LPC bridge take
 * all eight PIRQ links, and none of them gets the SCI's IRQ 9 (on KVM a link's ISA IRQ also drives the
 * IOAPIC pin of that number, the SCI's pin in APIC mode).
 */
@RequiresKvm
class SciIrqRoutingKvmTest {
    @Test
    void noPirqLinkSharesTheSciIrq() throws Exception {
        List<String> args = new ArrayList<>(List.of("-c", "1", "-m", "16M", "-s", "0,hostbridge", "-s", "31,lpc"));
        for (int slot = 1; slot <= 8; slot++) args.addAll(List.of("-s", slot + ",virtio-rnd"));
        args.add("sci-routing");
        try (VmRuntime vm = VmRuntime.prepare(BhyveCommandLine.parse(args.toArray(String[]::new)).config(),
                new PrintStream(PrintStream.nullOutputStream()))) {
            List<Integer> irqs = new ArrayList<>();
            for (int p = 1; p <= IntxRouter.PIRQ_COUNT; p++) irqs.add(vm.pciBus().intx().pirqIrq(p));
            assertThat(irqs).containsExactly(5, 6, 7, 10, 11, 12, 14, 15);
        }
    }
}
