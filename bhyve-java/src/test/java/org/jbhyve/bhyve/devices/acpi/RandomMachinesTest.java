package org.jbhyve.bhyve.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.vmm.GuestMemory;
import org.junit.jupiter.api.Test;

/**
 * Seeded random machines: whatever the mix of vCPUs, routes, windows and legacy devices, every
 * table checksums, the DSDT reads back strictly (so every PkgLength is right across the one/two
 * byte boundaries), and _PRT and the COM devices say exactly what the machine has.
 */
class RandomMachinesTest {
    @Test
    void randomMachinesProduceConsistentTables() {
        Random rnd = new Random(0x6a6268L);
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory mem = Machines.lowMemory(arena);
            for (int round = 0; round < 200; round++) {
                AcpiMachine m = randomMachine(rnd);
                mem.fill(MemoryMap.MPTABLE_BASE, MemoryMap.ACPI_LIMIT - MemoryMap.MPTABLE_BASE, (byte) 0x5a);
                AcpiLayout layout = AcpiTables.write(m, mem);
                MpTable.write(m, mem);
                TableReader r = new TableReader(mem);
                for (AcpiLayout.Placed t : layout.tables()) {
                    if (t.signature().equals("FACS")) continue; // no checksum
                    assertThat(r.sum(t.address(), t.length())).as("round %d %s checksum", round, t.signature()).isZero();
                }
                long mp = MemoryMap.MPTABLE_BASE + 16;
                assertThat(r.sum(mp, r.u16(mp + 4))).as("round %d MP table checksum", round).isZero();

                AmlReader aml = AmlReader.read(layout.table("DSDT").orElseThrow().bytes());
                aml.call("\\_PIC", 1L);
                List<List<Long>> expected = new ArrayList<>();
                m.bus0().routes().stream()
                        .sorted(Comparator.comparingInt(PciIntxRoute::slot).thenComparingInt(PciIntxRoute::pin))
                        .forEach(x -> expected.add(List.of(((long) x.slot() << 16) | 0xffff, (long) x.pin() - 1, 0L,
                                (long) x.ioapicPin())));
                if (expected.isEmpty()) {
                    assertThat(aml.namespace).doesNotContainKey("\\_SB_.PC00._PRT");
                } else {
                    assertThat(aml.call("\\_SB_.PC00._PRT")).as("round %d _PRT", round).isEqualTo(expected);
                }
                String isa = m.lpcBridge().isPresent() ? "\\_SB_.PC00.ISA_." : "\\_SB_.PC00.";
                for (int unit = 1; unit <= 4; unit++) {
                    final int u = unit;
                    boolean present = m.uarts().stream().anyMatch(x -> x.unit() == u);
                    assertThat(aml.namespace.containsKey(isa + "COM" + unit + "._UID")).as("round %d COM%d", round, unit)
                            .isEqualTo(present);
                }
            }
        }
    }

    private static AcpiMachine randomMachine(Random rnd) {
        AcpiMachine.Builder b = AcpiMachine.builder(1 + rnd.nextInt(AcpiMachine.MAX_VCPUS));
        List<PciIntxRoute> routes = new ArrayList<>();
        for (int slot = 0; slot < 32; slot++) {
            for (int pin = 1; pin <= 4; pin++) {
                if (rnd.nextInt(6) == 0) routes.add(new PciIntxRoute(slot, pin, 16 + rnd.nextInt(8)));
            }
        }
        long io = MemoryMap.PCI_IO_BASE + 0x1000L * rnd.nextInt(8);
        long mem32 = MemoryMap.PCI_MEM32_BASE + (1L << 20) * rnd.nextInt(256);
        b.bus(new PciRootBus(0,
                rnd.nextBoolean() ? new AddressWindow(MemoryMap.PCI_IO_BASE, io) : AddressWindow.EMPTY,
                new AddressWindow(MemoryMap.PCI_MEM32_BASE, mem32),
                rnd.nextBoolean() ? new AddressWindow(MemoryMap.PCI_MEM64_MIN_BASE,
                        MemoryMap.PCI_MEM64_MIN_BASE + MemoryMap.PCI_MEM64_SIZE) : AddressWindow.EMPTY,
                routes));
        if (rnd.nextBoolean()) b.lpcBridge(rnd.nextInt(32), 0);
        for (int unit = 1; unit <= 4; unit++) if (rnd.nextBoolean()) b.isa(IsaDevice.Uart.com(unit));
        if (rnd.nextBoolean()) b.isa(new IsaDevice.Ps2Controller());
        if (rnd.nextBoolean()) b.hpet(new HpetBlock(MemoryMap.HPET_BASE, rnd.nextInt()));
        if (rnd.nextBoolean()) b.pm(PmRegisters.bhyve().withGpe0(0x40c));
        return b.build();
    }
}
