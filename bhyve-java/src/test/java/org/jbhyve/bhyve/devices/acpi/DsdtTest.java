package org.jbhyve.bhyve.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.devices.acpi.Resources.Address;
import org.jbhyve.bhyve.devices.acpi.Resources.Io;
import org.jbhyve.bhyve.devices.acpi.Resources.Irq;
import org.jbhyve.bhyve.devices.acpi.Resources.Memory32Fixed;
import org.jbhyve.bhyve.devices.acpi.aml.EisaId;
import org.junit.jupiter.api.Test;

class DsdtTest {
    private static final int PRODUCER_MIN_MAX_FIXED = 0x0c;

    private static AmlReader dsdt(AcpiMachine m) {
        byte[] t = AcpiTables.build(m).table("DSDT").orElseThrow().bytes();
        assertThat(t[8]).as("revision 2: 64-bit integers").isEqualTo((byte) 2);
        return AmlReader.read(t);
    }

    private static String hid(AmlReader r, String device) {
        return EisaId.decode((Long) r.value(device + "._HID"));
    }

    private static List<Resources.Res> crs(AmlReader r, String device) {
        return Resources.decode((byte[]) r.value(device + "._CRS"));
    }

    @Test
    void sleepStateS5MatchesWhatThePmDeviceWaitsFor() {
        AmlReader r = dsdt(Machines.minimal(1));
        assertThat(r.value("\\_S5_")).isEqualTo(List.of((long) PmRegisters.S5_SLEEP_TYPE, 0L));
        assertThat(PmRegisters.S5_SLEEP_TYPE).isEqualTo(5);
    }

    @Test
    void hostBridgeDeclaresBusRangeLegacyPortsAndWindows() {
        AmlReader r = dsdt(Machines.typical());
        String pc00 = "\\_SB_.PC00";
        assertThat(r.node(pc00)).isInstanceOf(AmlReader.Device.class);
        assertThat(hid(r, pc00)).isEqualTo("PNP0A03");
        assertThat(r.call(pc00 + "._BBN")).isEqualTo(0L);
        assertThat(crs(r, pc00)).containsExactly(
                new Address(2, 2, PRODUCER_MIN_MAX_FIXED, 0, 0, 0, 0, 0, 1),
                new Io(true, 0xcf8, 0xcf8, 1, 8),
                new Address(2, 1, PRODUCER_MIN_MAX_FIXED, 3, 0, 0x0000, 0x0cf7, 0, 0x0cf8),
                new Address(2, 1, PRODUCER_MIN_MAX_FIXED, 3, 0, 0x0d00, 0x1fff, 0, 0x1300),
                new Address(2, 1, PRODUCER_MIN_MAX_FIXED, 3, 0, 0x2000, 0x2fff, 0, 0x1000),
                new Address(4, 0, PRODUCER_MIN_MAX_FIXED, 1, 0, 0xc000_0000L, 0xc1ff_ffffL, 0, 0x200_0000),
                new Address(8, 0, PRODUCER_MIN_MAX_FIXED, 1, 0, MemoryMap.PCI_MEM64_MIN_BASE,
                        MemoryMap.PCI_MEM64_MIN_BASE + MemoryMap.PCI_MEM64_SIZE - 1, 0, MemoryMap.PCI_MEM64_SIZE));
    }

    @Test
    void emptyWindowsAreLeftOut() {
        AmlReader r = dsdt(Machines.minimal(1));
        assertThat(crs(r, "\\_SB_.PC00")).hasSize(4); // bus range, 0xcf8 and the two legacy I/O ranges
    }

    @Test
    void prtRoutesEverySlotPinToItsIoapicPinInApicMode() {
        AmlReader r = dsdt(Machines.typical());
        String prt = "\\_SB_.PC00._PRT";
        // Before the OS says APIC mode, and after it says PIC mode: no INTx routing (no PIRQ links).
        assertThat(r.call(prt)).isEqualTo(List.of());
        r.call("\\_PIC", 1L);
        assertThat(r.value("\\PICM")).isEqualTo(1L);
        assertThat(r.call(prt)).isEqualTo(List.of(
                List.of(0x3ffffL, 0L, 0L, 17L),
                List.of(0x4ffffL, 0L, 0L, 16L),
                List.of(0x4ffffL, 1L, 0L, 18L)));
        r.call("\\_PIC", 0L);
        assertThat(r.call(prt)).isEqualTo(List.of());
    }

    @Test
    void noPrtWithoutInterruptRoutes() {
        AmlReader r = dsdt(Machines.minimal(2));
        assertThat(r.namespace).doesNotContainKey("\\_SB_.PC00._PRT");
    }

    @Test
    void legacyDevicesSitBehindTheLpcBridge() {
        AmlReader r = dsdt(Machines.typical());
        String isa = "\\_SB_.PC00.ISA_";
        assertThat(r.value(isa + "._ADR")).isEqualTo(0x001f_0000L);

        assertThat(hid(r, isa + ".COM1")).isEqualTo("PNP0501");
        assertThat(r.value(isa + ".COM1._UID")).isEqualTo(1L);
        assertThat(crs(r, isa + ".COM1")).containsExactly(new Io(true, 0x3f8, 0x3f8, 1, 8), new Irq(1 << 4, -1));
        assertThat(hid(r, isa + ".COM2")).isEqualTo("PNP0501");
        assertThat(r.value(isa + ".COM2._UID")).isEqualTo(2L);
        assertThat(crs(r, isa + ".COM2")).containsExactly(new Io(true, 0x2f8, 0x2f8, 1, 8), new Irq(1 << 3, -1));

        assertThat(hid(r, isa + ".RTC_")).isEqualTo("PNP0B00");
        assertThat(crs(r, isa + ".RTC_")).containsExactly(new Io(true, 0x70, 0x70, 1, 2), new Irq(1 << 8, -1));
        assertThat(hid(r, isa + ".PIC_")).isEqualTo("PNP0000");
        assertThat(crs(r, isa + ".PIC_")).containsExactly(new Io(true, 0x20, 0x20, 1, 2),
                new Io(true, 0xa0, 0xa0, 1, 2), new Irq(1 << 2, -1));
        assertThat(hid(r, isa + ".TIMR")).isEqualTo("PNP0100");
        assertThat(crs(r, isa + ".TIMR")).containsExactly(new Io(true, 0x40, 0x40, 1, 4), new Irq(1, -1));
        assertThat(hid(r, isa + ".KBD_")).isEqualTo("PNP0303");
        assertThat(crs(r, isa + ".KBD_")).containsExactly(new Io(true, 0x60, 0x60, 1, 1),
                new Io(true, 0x64, 0x64, 1, 1), new Irq(1 << 1, -1));
        assertThat(hid(r, isa + ".MOU_")).isEqualTo("PNP0F13");
        assertThat(crs(r, isa + ".MOU_")).containsExactly(new Io(true, 0x60, 0x60, 1, 1),
                new Io(true, 0x64, 0x64, 1, 1), new Irq(1 << 12, -1));

        assertThat(hid(r, isa + ".SIO_")).isEqualTo("PNP0C02");
        assertThat(crs(r, isa + ".SIO_")).contains(
                new Io(true, 0xb2, 0xb2, 1, 1),         // SMI_CMD
                new Io(true, 0x400, 0x400, 1, 4),       // PM1a event
                new Io(true, 0x404, 0x404, 1, 2),       // PM1a control
                new Io(true, 0x408, 0x408, 1, 4),       // PM timer
                new Io(true, 0x4d0, 0x4d0, 1, 2));      // ELCR

        assertThat(r.namespace.keySet()).as("no COM3/COM4, no HPET")
                .doesNotContain(isa + ".COM3", isa + ".COM4", "\\_SB_.PC00.HPET");
    }

    @Test
    void withoutAnLpcBridgeTheLegacyDevicesSitUnderTheHostBridge() {
        AmlReader r = dsdt(Machines.minimal(1));
        assertThat(hid(r, "\\_SB_.PC00.COM1")).isEqualTo("PNP0501");
        assertThat(hid(r, "\\_SB_.PC00.RTC_")).isEqualTo("PNP0B00");
        assertThat(r.namespace.keySet()).noneMatch(k -> k.contains("ISA_") || k.contains("KBD_"));
    }

    @Test
    void hpetDeviceWhenTheMachineHasOne() {
        AmlReader r = dsdt(AcpiMachine.builder(1).hpet(new HpetBlock(MemoryMap.HPET_BASE, 1)).build());
        assertThat(hid(r, "\\_SB_.PC00.HPET")).isEqualTo("PNP0103");
        assertThat(r.value("\\_SB_.PC00.HPET._UID")).isEqualTo(0L);
        assertThat(crs(r, "\\_SB_.PC00.HPET")).containsExactly(new Memory32Fixed(true, MemoryMap.HPET_BASE, 0x400));
    }

    @Test
    void everyPciBusGetsItsOwnHostBridge() {
        AcpiMachine m = AcpiMachine.builder(1)
                .bus(new PciRootBus(2, new AddressWindow(0x4000, 0x5000), AddressWindow.EMPTY, AddressWindow.EMPTY,
                        List.of(new PciIntxRoute(0, 1, 20))))
                .build();
        AmlReader r = dsdt(m);
        assertThat(r.call("\\_SB_.PC02._BBN")).isEqualTo(2L);
        assertThat(crs(r, "\\_SB_.PC02")).containsExactly(
                new Address(2, 2, PRODUCER_MIN_MAX_FIXED, 0, 0, 2, 2, 0, 1),
                new Address(2, 1, PRODUCER_MIN_MAX_FIXED, 3, 0, 0x4000, 0x4fff, 0, 0x1000));
        r.call("\\_PIC", 1L);
        assertThat(r.call("\\_SB_.PC02._PRT")).isEqualTo(List.of(List.of(0xffffL, 0L, 0L, 20L)));
    }
}
