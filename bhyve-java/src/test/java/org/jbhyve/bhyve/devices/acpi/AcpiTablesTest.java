package org.jbhyve.bhyve.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.vmm.GuestMemory;
import org.junit.jupiter.api.Test;

class AcpiTablesTest {

    /** Follows RSDP -> XSDT -> tables in guest memory the way an OS does; returns signature -> address. */
    private static Map<String, Long> walk(TableReader r) {
        long rsdp = MemoryMap.ACPI_BASE;
        assertThat(rsdp % 16).as("RSDP 16-byte aligned").isZero();
        assertThat(r.ascii(rsdp, 8)).isEqualTo("RSD PTR ");
        assertThat(r.sum(rsdp, 20)).as("RSDP checksum over the ACPI 1.0 part").isZero();
        assertThat(r.u8(rsdp + 15)).as("RSDP revision").isEqualTo(2);
        assertThat(r.u32(rsdp + 20)).as("RSDP length").isEqualTo(36);
        assertThat(r.sum(rsdp, 36)).as("RSDP extended checksum").isZero();
        assertThat(r.ascii(rsdp + 9, 6)).isEqualTo("BHYVE ");

        long rsdt = r.u32(rsdp + 16);
        long xsdt = r.u64(rsdp + 24);
        int rsdtLen = r.sdt(rsdt, "RSDT");
        int xsdtLen = r.sdt(xsdt, "XSDT");
        assertThat((rsdtLen - 36) / 4).as("RSDT and XSDT list the same tables").isEqualTo((xsdtLen - 36) / 8);

        Map<String, Long> found = new LinkedHashMap<>();
        for (int i = 0; i < (xsdtLen - 36) / 8; i++) {
            long a = r.u64(xsdt + 36 + 8L * i);
            assertThat(r.u32(rsdt + 36 + 4L * i)).as("RSDT entry %d", i).isEqualTo(a);
            String sig = r.ascii(a, 4);
            r.sdt(a, sig);
            assertThat(found.put(sig, a)).as("%s listed once", sig).isNull();
        }
        long fadt = found.get("FACP");
        long dsdt = r.u64(fadt + 140);
        assertThat(r.u32(fadt + 40)).as("DSDT and X_DSDT agree").isEqualTo(dsdt);
        r.sdt(dsdt, "DSDT");
        found.put("DSDT", dsdt);
        long facs = r.u64(fadt + 132);
        assertThat(r.u32(fadt + 36)).as("FIRMWARE_CTRL and X_FIRMWARE_CTRL agree").isEqualTo(facs);
        found.put("FACS", facs);
        return found;
    }

    @Test
    void everyTableIsReachableFromTheRsdpAndChecksums() {
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory mem = Machines.lowMemory(arena);
            AcpiLayout layout = AcpiTables.write(Machines.typical(), mem);
            TableReader r = new TableReader(mem);
            Map<String, Long> found = walk(r);

            // bhyve's set, FADT listed first; no HPET when the machine has none.
            assertThat(new ArrayList<>(found.keySet()))
                    .containsExactly("FACP", "APIC", "MCFG", "SPCR", "DSDT", "FACS");
            assertThat(layout.rsdp()).isEqualTo(MemoryMap.ACPI_BASE);
            assertThat(layout.end()).isLessThanOrEqualTo(MemoryMap.ACPI_LIMIT);
            for (AcpiLayout.Placed t : layout.tables()) {
                assertThat(t.address() % (t.signature().equals("FACS") ? 64 : 16)).as("%s aligned", t.signature()).isZero();
                assertThat(r.bytes(t.address(), t.length())).as("%s in guest memory", t.signature()).isEqualTo(t.bytes());
            }
            // Everything placed is reachable from the RSDP, and nothing else is there.
            assertThat(layout.tables().stream().map(AcpiLayout.Placed::signature))
                    .containsExactlyInAnyOrder("RSD PTR ", "RSDT", "XSDT", "FACP", "APIC", "MCFG", "FACS", "SPCR", "DSDT");
            for (String sig : found.keySet()) {
                assertThat(layout.table(sig).orElseThrow().address()).isEqualTo(found.get(sig));
            }
            // Tables do not overlap.
            List<AcpiLayout.Placed> ts = layout.tables();
            for (int i = 1; i < ts.size(); i++) {
                assertThat(ts.get(i).address()).isGreaterThanOrEqualTo(ts.get(i - 1).address() + ts.get(i - 1).length());
            }
        }
    }

    @Test
    void facsIsTheSpecsFixedStructure() {
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory mem = Machines.lowMemory(arena);
            AcpiTables.write(Machines.typical(), mem);
            TableReader r = new TableReader(mem);
            long facs = walk(r).get("FACS");
            assertThat(r.ascii(facs, 4)).isEqualTo("FACS");
            assertThat(r.u32(facs + 4)).isEqualTo(64);
            assertThat(r.u8(facs + 32)).as("version").isEqualTo(2);
            assertThat(r.u32(facs + 12)).as("waking vector").isZero();
        }
    }

    @Test
    void fadtFieldsSitAtTheirSpecOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory mem = Machines.lowMemory(arena);
            AcpiTables.write(Machines.typical(), mem);
            TableReader r = new TableReader(mem);
            long f = walk(r).get("FACP");
            assertThat(r.u32(f + 4)).as("length of a revision 5 FADT").isEqualTo(268);
            assertThat(r.u8(f + 8)).as("revision").isEqualTo(5);
            assertThat(r.u8(f + 131)).as("minor revision").isEqualTo(1);
            assertThat(r.u16(f + 46)).as("SCI_INT").isEqualTo(MemoryMap.SCI_IRQ);
            assertThat(r.u32(f + 48)).as("SMI_CMD").isEqualTo(MemoryMap.SMI_CMD_PORT);
            assertThat(r.u8(f + 52)).as("ACPI_ENABLE").isEqualTo(MemoryMap.ACPI_ENABLE_VALUE);
            assertThat(r.u8(f + 53)).as("ACPI_DISABLE").isEqualTo(MemoryMap.ACPI_DISABLE_VALUE);
            assertThat(r.u32(f + 56)).as("PM1a_EVT_BLK").isEqualTo(MemoryMap.PM1A_EVT_PORT);
            assertThat(r.u32(f + 60)).as("PM1b_EVT_BLK").isZero();
            assertThat(r.u32(f + 64)).as("PM1a_CNT_BLK").isEqualTo(MemoryMap.PM1A_CNT_PORT);
            assertThat(r.u32(f + 76)).as("PM_TMR_BLK").isEqualTo(MemoryMap.PM_TIMER_PORT);
            assertThat(r.u32(f + 80)).as("GPE0_BLK absent").isZero();
            assertThat(r.u8(f + 88)).as("PM1_EVT_LEN").isEqualTo(4);
            assertThat(r.u8(f + 89)).as("PM1_CNT_LEN").isEqualTo(2);
            assertThat(r.u8(f + 91)).as("PM_TMR_LEN").isEqualTo(4);
            assertThat(r.u8(f + 92)).as("GPE0_BLK_LEN").isZero();
            assertThat(r.u8(f + 108)).as("CENTURY").isEqualTo(0x32);
            // IAPC_BOOT_ARCH: legacy devices (COM ports), 8042, no VGA, no ASPM.
            assertThat(r.u16(f + 109)).isEqualTo(0x01 | 0x02 | 0x04 | 0x10);
            int flags = (int) r.u32(f + 112);
            assertThat(flags & (1 << 10)).as("RESET_REG_SUP").isNotZero();
            assertThat(flags & (1 << 8)).as("TMR_VAL_EXT: 32-bit PM timer").isNotZero();
            assertThat(flags & (1 << 4)).as("PWR_BUTTON clear: the power button is fixed hardware").isZero();
            assertThat(flags & (1 << 20)).as("not HW_REDUCED_ACPI").isZero();
            assertThat(flags).isEqualTo(0x0008_1525);
            assertThat(r.gas(f + 116)).as("RESET_REG").containsExactly(1, 8, 0, 1, MemoryMap.RESET_PORT);
            assertThat(r.u8(f + 128)).as("RESET_VALUE").isEqualTo(6);
            assertThat(r.gas(f + 148)).as("X_PM1a_EVT_BLK").containsExactly(1, 32, 0, 2, MemoryMap.PM1A_EVT_PORT);
            assertThat(r.gas(f + 160)).as("X_PM1b_EVT_BLK").containsExactly(0, 0, 0, 0, 0);
            assertThat(r.gas(f + 172)).as("X_PM1a_CNT_BLK").containsExactly(1, 16, 0, 2, MemoryMap.PM1A_CNT_PORT);
            assertThat(r.gas(f + 208)).as("X_PM_TMR_BLK").containsExactly(1, 32, 0, 3, MemoryMap.PM_TIMER_PORT);
            assertThat(r.gas(f + 220)).as("X_GPE0_BLK absent").containsExactly(0, 0, 0, 0, 0);
        }
    }

    @Test
    void fadtDeclaresGpe0WhenTheVmmHasOneAndBootFlagsFollowTheMachine() {
        AcpiMachine m = AcpiMachine.builder(1).pm(PmRegisters.bhyve().withGpe0(0x40c)).build();
        byte[] f = AcpiTables.build(m).table("FACP").orElseThrow().bytes();
        assertThat(le(f, 80, 4)).isEqualTo(0x40c);
        assertThat(f[92]).isEqualTo((byte) 2);
        assertThat(f[220]).as("X_GPE0 space").isEqualTo((byte) 1);
        assertThat(f[221]).as("X_GPE0 bit width").isEqualTo((byte) 16);
        assertThat(f[223]).as("X_GPE0 byte access").isEqualTo((byte) 1);
        assertThat(le(f, 224, 8)).isEqualTo(0x40c);
        assertThat(le(f, 109, 2)).as("no COM ports, no 8042").isEqualTo(0x04 | 0x10);
    }

    @Test
    void madtHasOneEnabledLocalApicPerVcpuAndBhyvesOverrides() {
        for (int vcpus : new int[] {1, 4, 255}) {
            byte[] t = AcpiTables.build(Machines.minimal(vcpus)).table("APIC").orElseThrow().bytes();
            assertThat(le(t, 36, 4)).as("local APIC address").isEqualTo(MemoryMap.LAPIC_BASE);
            assertThat(le(t, 40, 4)).as("PCAT_COMPAT").isEqualTo(1);
            List<byte[]> entries = new ArrayList<>();
            for (int p = 44; p < t.length; p += t[p + 1] & 0xff) {
                entries.add(java.util.Arrays.copyOfRange(t, p, p + (t[p + 1] & 0xff)));
            }
            List<byte[]> lapics = entries.stream().filter(e -> e[0] == 0).toList();
            assertThat(lapics).hasSize(vcpus);
            for (int i = 0; i < vcpus; i++) {
                byte[] e = lapics.get(i);
                assertThat(e[1]).isEqualTo((byte) 8);
                assertThat(e[2] & 0xff).as("processor UID").isEqualTo(i);
                assertThat(e[3] & 0xff).as("APIC ID").isEqualTo(i);
                assertThat(le(e, 4, 4)).as("enabled").isEqualTo(1);
            }
            List<byte[]> ioapics = entries.stream().filter(e -> e[0] == 1).toList();
            assertThat(ioapics).hasSize(1);
            assertThat(le(ioapics.get(0), 4, 4)).isEqualTo(MemoryMap.IOAPIC_BASE);
            assertThat(le(ioapics.get(0), 8, 4)).as("GSI base").isZero();
            List<byte[]> isos = entries.stream().filter(e -> e[0] == 2).toList();
            assertThat(isos).hasSize(2);
            // IRQ 0 -> GSI 2, active high, edge.
            assertThat(isos.get(0)).containsExactly(2, 10, 0, 0, 2, 0, 0, 0, 0x05, 0);
            // SCI: IRQ 9 -> GSI 9, active low, level, as bhyve declares it.
            assertThat(isos.get(1)).containsExactly(2, 10, 0, 9, 9, 0, 0, 0, 0x0f, 0);
            List<byte[]> nmis = entries.stream().filter(e -> e[0] == 4).toList();
            assertThat(nmis).hasSize(1);
            assertThat(nmis.get(0)).as("NMI on LINT1 of all CPUs").containsExactly(4, 6, 0xff, 0x05, 0, 1);
            assertThat(entries).hasSize(vcpus + 4);
        }
    }

    @Test
    void mcfgDescribesOneEcamWindow() {
        AcpiMachine m = AcpiMachine.builder(1).ecam(0xb000_0000L, 64).build();
        byte[] t = AcpiTables.build(m).table("MCFG").orElseThrow().bytes();
        assertThat(t).hasSize(60);
        assertThat(le(t, 36, 8)).as("reserved").isZero();
        assertThat(le(t, 44, 8)).as("base").isEqualTo(0xb000_0000L);
        assertThat(le(t, 52, 2)).as("segment").isZero();
        assertThat(t[54]).as("start bus").isEqualTo((byte) 0);
        assertThat(t[55]).as("end bus").isEqualTo((byte) 63);
        byte[] bhyve = AcpiTables.build(Machines.minimal(1)).table("MCFG").orElseThrow().bytes();
        assertThat(le(bhyve, 44, 8)).isEqualTo(MemoryMap.PCI_ECAM_BASE);
        assertThat(bhyve[55]).isEqualTo((byte) 0xff);
    }

    @Test
    void hpetTableOnlyWhenTheMachineHasAnHpet() {
        assertThat(AcpiTables.build(Machines.typical()).table("HPET")).isEmpty();
        AcpiMachine m = AcpiMachine.builder(2).hpet(new HpetBlock(MemoryMap.HPET_BASE, 0x8086a201)).build();
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory mem = Machines.lowMemory(arena);
            AcpiTables.write(m, mem);
            TableReader r = new TableReader(mem);
            long h = walk(r).get("HPET");
            assertThat(r.u32(h + 4)).isEqualTo(56);
            assertThat(r.u32(h + 36)).as("event timer block id").isEqualTo(0x8086a201L);
            assertThat(r.gas(h + 40)).containsExactly(0, 0, 0, 0, MemoryMap.HPET_BASE);
            assertThat(r.u8(h + 55)).as("4K page protection").isEqualTo(1);
        }
    }

    @Test
    void spcrPointsAtCom1AndIsLeftOutWithoutIt() {
        byte[] t = AcpiTables.build(Machines.typical()).table("SPCR").orElseThrow().bytes();
        assertThat(t).hasSize(80);
        assertThat(t[36]).as("16550").isEqualTo((byte) 0);
        assertThat(t[40]).as("system I/O").isEqualTo((byte) 1);
        assertThat(le(t, 44, 8)).isEqualTo(MemoryMap.COM1_PORT);
        assertThat(t[52]).as("8259 interrupt").isEqualTo((byte) 1);
        assertThat(t[53]).isEqualTo((byte) MemoryMap.COM1_IRQ);
        assertThat(t[58]).as("115200 baud").isEqualTo((byte) 7);
        AcpiMachine noCom1 = AcpiMachine.builder(1).isa(IsaDevice.Uart.com(2)).build();
        assertThat(AcpiTables.build(noCom1).table("SPCR")).isEmpty();
    }

    @Test
    void theLargestMachineStillFitsAndAnOversizedOneFailsClearly() {
        AcpiMachine big = AcpiMachine.builder(AcpiMachine.MAX_VCPUS).bus(Machines.bus0(allRoutes()))
                .lpcBridge(31, 0).isa(IsaDevice.Uart.com(1)).isa(IsaDevice.Uart.com(2))
                .isa(IsaDevice.Uart.com(3)).isa(IsaDevice.Uart.com(4)).isa(new IsaDevice.Ps2Controller())
                .hpet(new HpetBlock(MemoryMap.HPET_BASE, 1)).build();
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory mem = Machines.lowMemory(arena);
            AcpiLayout layout = AcpiTables.write(big, mem);
            assertThat(layout.end()).isLessThanOrEqualTo(MemoryMap.ACPI_LIMIT);
            walk(new TableReader(mem));
        }
        assertThatThrownBy(() -> AcpiTables.build(Machines.huge()))
                .isInstanceOf(AcpiBuildException.class)
                .hasMessageContaining("ACPI tables need")
                .hasMessageContaining("0xf2400")
                .hasMessageContaining("0x100000");
        assertThatThrownBy(() -> AcpiMachine.builder(256).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
    }

    @Test
    void tooLittleGuestMemoryFailsClearly() {
        try (Arena arena = Arena.ofConfined()) {
            GuestMemory small = new GuestMemory(new GuestMemory.Region(0, 0x80000, arena.allocate(0x80000)), null);
            assertThatThrownBy(() -> AcpiTables.write(Machines.typical(), small))
                    .isInstanceOf(AcpiBuildException.class).hasMessageContaining("not RAM");
        }
    }

    static List<PciIntxRoute> allRoutes() {
        List<PciIntxRoute> routes = new ArrayList<>();
        for (int slot = 0; slot < 32; slot++) {
            for (int pin = 1; pin <= 4; pin++) routes.add(new PciIntxRoute(slot, pin, 16 + (slot + pin) % 8));
        }
        return routes;
    }

    static long le(byte[] b, int at, int size) {
        long v = 0;
        for (int k = 0; k < size; k++) v |= (long) (b[at + k] & 0xff) << (8 * k);
        return v;
    }
}
