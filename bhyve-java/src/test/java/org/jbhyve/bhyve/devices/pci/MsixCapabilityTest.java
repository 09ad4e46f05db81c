package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import org.jbhyve.bhyve.devices.pci.PciTestPlatform.Msi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MsixCapabilityTest {
    private static final int CAP = 0x40, CONTROL = CAP + 2;
    private static final int ENABLE = 0x8000, FUNCTION_MASK = 0x4000;

    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
    private final PciAddress at = PciAddress.of(0, 3, 0);
    private TestPciDevice dev;
    private long table;
    private long pba;

    @BeforeEach
    void setUp() {
        dev = new TestPciDevice(at, platform, d -> {
            d.addIoBar(0, 64, d.handler);
            d.addMsixCapability(3, 1);
        });
        bus.add(dev);
        bus.realize();
        table = dev.bar(1).address();
        pba = table + dev.msix().pbaOffset();
    }

    @AfterEach
    void close() {
        platform.close();
    }

    private void programEntry(int vector, long address, int data) {
        platform.mmio().write(table + 16L * vector, 8, address);
        platform.mmio().write(table + 16L * vector + 8, 4, data);
    }

    private void unmask(int vector) {
        platform.mmio().write(table + 16L * vector + 12, 4, 0);
    }

    @Test
    void capabilityPointsAtTableAndPbaInItsOwnBar() {
        assertThat(platform.cfgRead(at, CAP, 1)).isEqualTo(CAP_ID_MSIX);
        assertThat(platform.cfgRead(at, CONTROL, 2)).isEqualTo(2); // table size N-1
        assertThat(platform.cfgRead(at, CAP + 4, 4)).isEqualTo(1); // offset 0, BIR 1
        assertThat(platform.cfgRead(at, CAP + 8, 4)).isEqualTo(0x1000 | 1);
        assertThat(dev.bar(1).kind()).isEqualTo(PciBar.Kind.MEM32);
        assertThat(dev.bar(1).size()).isEqualTo(8192);

        platform.cfgWrite(at, CAP + 4, 4, 0xffffffff);
        platform.cfgWrite(at, CAP + 8, 4, 0);
        platform.cfgWrite(at, CONTROL, 2, 0xffff);
        assertThat(platform.cfgRead(at, CAP + 4, 4)).isEqualTo(1);
        assertThat(platform.cfgRead(at, CAP + 8, 4)).isEqualTo(0x1001);
        assertThat(platform.cfgRead(at, CONTROL, 2)).isEqualTo(ENABLE | FUNCTION_MASK | 2);
    }

    @Test
    void tableStartsWithEveryVectorMaskedAndOnlyImplementedBitsAreWritable() {
        for (int v = 0; v < 3; v++) assertThat(platform.mmio().read(table + 16L * v + 12, 4)).isEqualTo(1L);
        platform.mmio().write(table, 4, 0xfee00003L);
        platform.mmio().write(table + 12, 4, 0xffffffffL);
        assertThat(platform.mmio().read(table, 4)).isEqualTo(0xfee00000L);
        assertThat(platform.mmio().read(table + 12, 4)).isEqualTo(1L);
        programEntry(2, 0x1_fee0_1000L, 0xabcd);
        assertThat(platform.mmio().read(table + 32, 8)).isEqualTo(0x1_fee0_1000L);
        assertThat(platform.mmio().read(table + 36, 4)).isEqualTo(1L);
        assertThat(platform.mmio().read(table + 40, 2)).isEqualTo(0xabcdL);
    }

    @Test
    void deliversTheEntryOfAnUnmaskedVectorOnlyWhileEnabled() {
        programEntry(2, 0xfee00000L, 0x31);
        unmask(2);
        assertThat(dev.sendMsi(2)).isFalse();
        platform.cfgWrite(at, CONTROL, 2, ENABLE);
        assertThat(dev.sendMsi(2)).isTrue();
        assertThat(platform.msis).containsExactly(new Msi(0xfee00000L, 0x31));
    }

    @Test
    void aMaskedVectorSetsItsPendingBitAndIsSentWhenUnmasked() {
        programEntry(0, 0xfee00000L, 0x40);
        platform.cfgWrite(at, CONTROL, 2, ENABLE);
        dev.sendMsi(0);
        assertThat(platform.msis).isEmpty();
        assertThat(platform.mmio().read(pba, 8)).isEqualTo(1L);
        assertThat(dev.msix().pending(0)).isTrue();

        unmask(0);
        assertThat(platform.msis).containsExactly(new Msi(0xfee00000L, 0x40));
        assertThat(platform.mmio().read(pba, 4)).isZero();
    }

    @Test
    void theFunctionMaskHoldsEveryVectorUntilCleared() {
        programEntry(1, 0xfee00000L, 0x41);
        programEntry(2, 0xfee00000L, 0x42);
        unmask(1);
        unmask(2);
        platform.cfgWrite(at, CONTROL, 2, ENABLE | FUNCTION_MASK);
        dev.sendMsi(2);
        dev.sendMsi(1);
        assertThat(platform.msis).isEmpty();
        assertThat(platform.mmio().read(pba, 1)).isEqualTo(0b110L);

        platform.cfgWrite(at, CONTROL, 2, ENABLE);
        assertThat(platform.msis).containsExactly(new Msi(0xfee00000L, 0x41), new Msi(0xfee00000L, 0x42));
        assertThat(platform.mmio().read(pba, 8)).isZero();
    }

    @Test
    void msiXSuppressesIntx() {
        PciTestPlatform p = new PciTestPlatform();
        try (p) {
            PciBus b = new PciBus(p, PciBus.Options.directBoot(p.memory()));
            TestPciDevice d = new TestPciDevice(at, p, x -> {
                x.addMsixCapability(1, 0);
                x.requestIntx();
            });
            b.add(d);
            b.realize();
            d.assertIntx();
            assertThat(p.highLines()).containsExactly(3, 16);
            p.cfgWrite(at, CONTROL, 2, ENABLE);
            assertThat(p.highLines()).isEmpty();
            d.deassertIntx();
            p.cfgWrite(at, CONTROL, 2, 0);
            assertThat(p.highLines()).isEmpty();
        }
    }

    @Test
    void badTableAccessesAreIgnoredLoggedOnceAndNeverThrow() {
        programEntry(0, 0xfee00000L, 0x40);
        platform.mmio().write(table, 2, 0xffff);            // too narrow
        platform.mmio().write(table + 2, 4, 0xffffffffL);   // unaligned
        platform.mmio().write(table + 4, 8, -1L);           // unaligned qword
        platform.mmio().write(table + 1, 1, 0xff);
        assertThat(platform.mmio().read(table, 8)).isEqualTo(0xfee00000L);
        assertThat(platform.logs).hasSize(1).first().asString().contains("MSI-X table write");

        platform.mmio().write(table + 48, 4, 0);           // past the 3-entry table
        platform.mmio().write(table + 4092, 4, 0);
        platform.mmio().write(pba, 8, -1L);                  // the PBA is read-only
        assertThat(platform.mmio().read(pba, 8)).isZero();
        assertThat(platform.mmio().read(table + 48, 4)).isEqualTo(0xffffffffL);
        assertThat(platform.mmio().read(table + 4, 8)).isEqualTo(-1L);
        assertThat(platform.logs).hasSize(2);

        platform.cfgWrite(at, CONTROL, 2, ENABLE);
        assertThat(dev.sendMsi(3)).isTrue();
        assertThat(dev.sendMsi(-5)).isTrue();
        assertThat(platform.msis).isEmpty();
        assertThat(platform.logs).hasSize(3);
    }

    @Test
    void resetMasksEveryVectorAndClearsPendingBits() {
        programEntry(0, 0xfee00000L, 0x40);
        unmask(0);
        programEntry(1, 0xfee00000L, 0x41);
        platform.cfgWrite(at, CONTROL, 2, ENABLE);
        dev.sendMsi(1);
        bus.reset();
        assertThat(dev.msix().enabled()).isFalse();
        assertThat(platform.mmio().read(table, 8)).isZero();
        assertThat(platform.mmio().read(table + 12, 4)).isEqualTo(1L);
        assertThat(platform.mmio().read(pba, 8)).isZero();
    }
}
