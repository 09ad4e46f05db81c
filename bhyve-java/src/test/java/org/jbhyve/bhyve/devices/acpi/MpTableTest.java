package org.jbhyve.bhyve.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.vmm.GuestMemory;
import org.junit.jupiter.api.Test;

class MpTableTest {
    /** An entry of the configuration table: its type and raw bytes. */
    record Entry(int type, byte[] b) {
        int u8(int off) {
            return b[off] & 0xff;
        }
    }

    private static List<Entry> entries(TableReader r, long table, int count) {
        List<Entry> out = new ArrayList<>();
        long p = table + 44;
        for (int i = 0; i < count; i++) {
            int type = r.u8(p);
            int len = type == 0 ? 20 : 8;
            out.add(new Entry(type, r.bytes(p, len)));
            p += len;
        }
        assertThat(p).as("entries end where the base table length says").isEqualTo(table + r.u16(table + 4));
        return out;
    }

    @Test
    void floatingPointerAndConfigurationTableChecksumAndCount() {
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory mem = Machines.lowMemory(arena);
            AcpiMachine m = Machines.typical();
            int written = MpTable.write(m, mem);
            TableReader r = new TableReader(mem);
            long fp = MemoryMap.MPTABLE_BASE;
            assertThat(r.ascii(fp, 4)).isEqualTo("_MP_");
            assertThat(r.u8(fp + 8)).as("length in paragraphs").isEqualTo(1);
            assertThat(r.u8(fp + 9)).as("spec revision 1.4").isEqualTo(4);
            assertThat(r.sum(fp, 16)).isZero();
            assertThat(r.bytes(fp + 11, 5)).as("feature bytes: table present, virtual wire").containsOnly(0);

            long table = r.u32(fp + 4);
            assertThat(table).isEqualTo(fp + 16);
            assertThat(r.ascii(table, 4)).isEqualTo("PCMP");
            int length = r.u16(table + 4);
            assertThat(written).isEqualTo(16 + length);
            assertThat(r.u8(table + 6)).isEqualTo(4);
            assertThat(r.sum(table, length)).isZero();
            assertThat(r.ascii(table + 8, 8)).isEqualTo("BHyVe   ");
            assertThat(r.ascii(table + 16, 12)).isEqualTo("Hypervisor  ");
            assertThat(r.u32(table + 36)).isEqualTo(MemoryMap.LAPIC_BASE);
            assertThat(r.u16(table + 40)).as("no extended table").isZero();

            int count = r.u16(table + 34);
            // vCPUs + 2 buses + 1 IOAPIC + 16 ISA + 3 PCI INTx + 2 local interrupts.
            assertThat(count).isEqualTo(4 + 2 + 1 + 16 + 3 + 2);
            List<Entry> es = entries(r, table, count);

            List<Entry> cpus = es.stream().filter(e -> e.type() == 0).toList();
            assertThat(cpus).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(cpus.get(i).u8(1)).as("APIC ID").isEqualTo(i);
                assertThat(cpus.get(i).u8(3)).as("flags").isEqualTo(i == 0 ? 3 : 1); // enabled, BSP on CPU 0
            }
            List<Entry> buses = es.stream().filter(e -> e.type() == 1).toList();
            assertThat(buses).extracting(e -> e.u8(1) + new String(e.b(), 2, 6))
                    .containsExactly("0PCI   ", "1ISA   ");
            List<Entry> ioapic = es.stream().filter(e -> e.type() == 2).toList();
            assertThat(ioapic).hasSize(1);
            assertThat(ioapic.get(0).u8(3)).as("enabled").isEqualTo(1);
            assertThat(AcpiTablesTest.le(ioapic.get(0).b(), 4, 4)).isEqualTo(MemoryMap.IOAPIC_BASE);

            List<Entry> ints = es.stream().filter(e -> e.type() == 3).toList();
            assertThat(ints).hasSize(19);
            // pin 0: ExtINT; ISA IRQ 0 -> pin 2; SCI level/active-low; the rest identity.
            assertThat(ints.get(0).b()).containsExactly(3, 3, 0, 0, 1, 0, 0, 0);
            assertThat(ints.get(2).b()).containsExactly(3, 0, 0, 0, 1, 0, 0, 2);
            assertThat(ints.get(9).b()).containsExactly(3, 0, 0x0f, 0, 1, 9, 0, 9);
            assertThat(ints.get(4).b()).containsExactly(3, 0, 0, 0, 1, 4, 0, 4);
            // PCI: bus 0, source IRQ = slot << 2 | pin, sorted by slot then pin.
            assertThat(ints.get(16).b()).containsExactly(3, 0, 0, 0, 0, 3 << 2, 0, 17);
            assertThat(ints.get(17).b()).containsExactly(3, 0, 0, 0, 0, 4 << 2, 0, 16);
            assertThat(ints.get(18).b()).containsExactly(3, 0, 0, 0, 0, (4 << 2) | 1, 0, 18);

            List<Entry> local = es.stream().filter(e -> e.type() == 4).toList();
            assertThat(local).hasSize(2);
            assertThat(local.get(0).b()).as("ExtINT on LINT0").containsExactly(4, 3, 0, 0, 0, 0, 0xff, 0);
            assertThat(local.get(1).b()).as("NMI on LINT1").containsExactly(4, 1, 0, 0, 0, 0, 0xff, 1);
        }
    }

    @Test
    void theLargestMachineFitsBeforeTheAcpiTables() {
        AcpiMachine big = AcpiMachine.builder(AcpiMachine.MAX_VCPUS).bus(Machines.bus0(AcpiTablesTest.allRoutes())).build();
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory mem = Machines.lowMemory(arena);
            int n = MpTable.write(big, mem);
            assertThat(MemoryMap.MPTABLE_BASE + n).isLessThanOrEqualTo(MemoryMap.ACPI_BASE);
            TableReader r = new TableReader(mem);
            long table = MemoryMap.MPTABLE_BASE + 16;
            assertThat(r.sum(table, r.u16(table + 4))).isZero();
            assertThat(r.u16(table + 34)).isEqualTo(255 + 2 + 1 + 16 + 128 + 2);
            // Writing the ACPI tables afterwards leaves the MP table intact.
            AcpiTables.write(big, mem);
            assertThat(r.sum(table, r.u16(table + 4))).isZero();
            assertThat(r.sum(MemoryMap.MPTABLE_BASE, 16)).isZero();
        }
    }

    @Test
    void refusesMoreThanOnePciHierarchyLikeBhyve() {
        AcpiMachine m = AcpiMachine.builder(1)
                .bus(new PciRootBus(1, AddressWindow.EMPTY, AddressWindow.EMPTY, AddressWindow.EMPTY, List.of()))
                .build();
        assertThatThrownBy(() -> MpTable.build(m, MemoryMap.MPTABLE_BASE))
                .isInstanceOf(AcpiBuildException.class).hasMessageContaining("-Y");
    }
}
