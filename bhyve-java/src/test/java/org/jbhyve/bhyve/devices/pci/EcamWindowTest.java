package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;
import static org.jbhyve.bhyve.devices.pci.PciTestPlatform.ecam;

import org.jbhyve.bhyve.device.MemoryMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EcamWindowTest {
    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));

    @BeforeEach
    void setUp() {
        bus.add(new TestPciDevice(PciAddress.of(0, 3, 0), platform));
        bus.add(new TestPciDevice(PciAddress.of(2, 1, 5), platform));
        bus.realize();
    }

    @AfterEach
    void close() {
        platform.close();
    }

    @Test
    void decodesBusDeviceFunctionAndRegisterFromTheOffset() {
        assertThat(platform.mmio().find(MemoryMap.PCI_ECAM_BASE).owner()).isEqualTo("pci ecam");
        assertThat(platform.mmio().read(ecam(0, 3, 0, VENDOR), 4)).isEqualTo(0x10ff1af4L);
        assertThat(platform.mmio().read(ecam(0, 3, 0, DEVICE), 2)).isEqualTo(0x10ffL);
        assertThat(platform.mmio().read(ecam(0, 3, 0, CLASS), 1)).isEqualTo(0xffL);
        assertThat(platform.mmio().read(ecam(2, 1, 5, VENDOR), 2)).isEqualTo(0x1af4L);
    }

    @Test
    void writesAreTheSameRegistersMechanismOneSees() {
        platform.mmio().write(ecam(0, 3, 0, CACHE_LINE_SIZE), 1, 0x10);
        assertThat(platform.cfgRead(0, 3, 0, CACHE_LINE_SIZE, 1)).isEqualTo(0x10);
        platform.cfgWrite(0, 3, 0, LATENCY_TIMER, 1, 0x20);
        assertThat(platform.mmio().read(ecam(0, 3, 0, LATENCY_TIMER), 1)).isEqualTo(0x20L);
    }

    @Test
    void extendedSpaceReadsZeroAndIsNotWritable() {
        assertThat(platform.mmio().read(ecam(0, 3, 0, 0x100), 4)).isZero();
        platform.mmio().write(ecam(0, 3, 0, 0x100), 4, 0xffffffffL);
        platform.mmio().write(ecam(0, 3, 0, 0xffc), 4, 0xffffffffL);
        assertThat(platform.mmio().read(ecam(0, 3, 0, 0x100), 4)).isZero();
        assertThat(platform.mmio().read(ecam(0, 3, 0, 0xffc), 4)).isZero();
    }

    @Test
    void absentFunctionsBadSizesAndUnalignedAccessesReadOnes() {
        assertThat(platform.mmio().read(ecam(0, 4, 0, VENDOR), 4)).isEqualTo(0xffffffffL);
        assertThat(platform.mmio().read(ecam(255, 31, 7, 0xffc), 4)).isEqualTo(0xffffffffL);
        assertThat(platform.mmio().read(ecam(0, 3, 0, VENDOR), 8)).isEqualTo(-1L);
        assertThat(platform.mmio().read(ecam(0, 3, 0, 1), 2)).isEqualTo(0xffffL);
        assertThat(platform.mmio().read(ecam(0, 3, 0, 2), 4)).isEqualTo(0xffffffffL);
        platform.mmio().write(ecam(0, 3, 0, CACHE_LINE_SIZE), 8, -1L);
        assertThat(platform.cfgRead(0, 3, 0, CACHE_LINE_SIZE, 1)).isZero();
    }
}
