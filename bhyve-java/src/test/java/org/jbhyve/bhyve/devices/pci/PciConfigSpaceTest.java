package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PciConfigSpaceTest {
    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
    private final PciAddress at = PciAddress.of(0, 3, 0);

    @AfterEach
    void close() {
        platform.close();
    }

    private TestPciDevice realizeWithCapabilities() {
        TestPciDevice d = new TestPciDevice(at, platform, dev -> {
            dev.addMsiCapability(4, true);
            dev.addMsixCapability(2, 1);
            dev.requestIntx();
        });
        bus.add(d);
        bus.realize();
        return d;
    }

    @Test
    void identityFieldsIgnoreGuestWrites() {
        realizeWithCapabilities();
        int ids = platform.cfgRead(at, VENDOR, 4);
        int classRev = platform.cfgRead(at, REVISION, 4);
        assertThat(ids).isEqualTo(TestPciDevice.DEVICE << 16 | TestPciDevice.VENDOR);
        assertThat(classRev).isEqualTo(0xff000001);

        platform.cfgWrite(at, VENDOR, 4, 0);
        platform.cfgWrite(at, DEVICE, 2, 0xbeef);
        platform.cfgWrite(at, REVISION, 4, 0x12345678);
        platform.cfgWrite(at, HEADER_TYPE, 1, 0xff);
        platform.cfgWrite(at, CAPABILITIES_POINTER, 1, 0x80);
        platform.cfgWrite(at, INTERRUPT_PIN, 1, 3);
        platform.cfgWrite(at, SUBSYSTEM_VENDOR, 4, -1);
        platform.cfgWrite(at, EXPANSION_ROM, 4, -1);

        assertThat(platform.cfgRead(at, VENDOR, 4)).isEqualTo(ids);
        assertThat(platform.cfgRead(at, REVISION, 4)).isEqualTo(classRev);
        assertThat(platform.cfgRead(at, HEADER_TYPE, 1)).isZero();
        assertThat(platform.cfgRead(at, CAPABILITIES_POINTER, 1)).isEqualTo(0x40);
        assertThat(platform.cfgRead(at, INTERRUPT_PIN, 1)).isEqualTo(1);
        assertThat(platform.cfgRead(at, SUBSYSTEM_VENDOR, 4)).isZero();
        assertThat(platform.cfgRead(at, EXPANSION_ROM, 4)).isZero();
    }

    @Test
    void scratchRegistersAreWritable() {
        realizeWithCapabilities();
        platform.cfgWrite(at, CACHE_LINE_SIZE, 1, 0x10);
        platform.cfgWrite(at, LATENCY_TIMER, 1, 0x40);
        platform.cfgWrite(at, INTERRUPT_LINE, 1, 0x0b);
        assertThat(platform.cfgRead(at, CACHE_LINE_SIZE, 1)).isEqualTo(0x10);
        assertThat(platform.cfgRead(at, LATENCY_TIMER, 1)).isEqualTo(0x40);
        assertThat(platform.cfgRead(at, INTERRUPT_LINE, 1)).isEqualTo(0x0b);
    }

    @Test
    void commandKeepsOnlyImplementedBits() {
        realizeWithCapabilities();
        platform.cfgWrite(at, COMMAND, 2, 0xffff);
        assertThat(platform.cfgRead(at, COMMAND, 2)).isEqualTo(COMMAND_WRITABLE);
        platform.cfgWrite(at, COMMAND, 2, 0);
        assertThat(platform.cfgRead(at, COMMAND, 2)).isZero();
    }

    @Test
    void statusErrorBitsAreWriteOneToClearAndTheRestReadOnly() {
        TestPciDevice d = realizeWithCapabilities();
        synchronized (d.lock()) {
            d.config().set16(STATUS, d.config().read16(STATUS) | 0x8000 | 0x2000);
        }
        platform.cfgWrite(at, STATUS, 2, 0);
        assertThat(platform.cfgRead(at, STATUS, 2)).isEqualTo(0xa000 | STATUS_CAPABILITIES);

        platform.cfgWrite(at, STATUS, 2, 0x8000 | STATUS_CAPABILITIES | STATUS_INTERRUPT);
        assertThat(platform.cfgRead(at, STATUS, 2)).isEqualTo(0x2000 | STATUS_CAPABILITIES);

        // A dword write to COMMAND/STATUS writes COMMAND and clears the STATUS bits it has ones for.
        platform.cfgWrite(at, COMMAND, 4, 0x2000 << 16 | COMMAND_MEMORY);
        assertThat(platform.cfgRead(at, COMMAND, 4)).isEqualTo(STATUS_CAPABILITIES << 16 | COMMAND_MEMORY);
    }

    @Test
    void capabilityListIsLinkedFrom0x40AndItsHeadersAreReadOnly() {
        realizeWithCapabilities();
        assertThat(platform.cfgRead(at, STATUS, 2) & STATUS_CAPABILITIES).isNotZero();
        int msi = platform.cfgRead(at, CAPABILITIES_POINTER, 1);
        assertThat(msi).isEqualTo(0x40);
        assertThat(platform.cfgRead(at, msi, 1)).isEqualTo(CAP_ID_MSI);
        int msix = platform.cfgRead(at, msi + 1, 1);
        assertThat(msix).isEqualTo(0x40 + 24);
        assertThat(platform.cfgRead(at, msix, 1)).isEqualTo(CAP_ID_MSIX);
        assertThat(platform.cfgRead(at, msix + 1, 1)).isZero();

        // Some guests write a whole dword at the capability start: ID and next pointer must survive.
        platform.cfgWrite(at, msi, 4, 0x00ff_ffff);
        assertThat(platform.cfgRead(at, msi, 2)).isEqualTo(0x5805);
        platform.cfgWrite(at, msix, 2, 0);
        assertThat(platform.cfgRead(at, msix, 2)).isEqualTo(CAP_ID_MSIX);
    }

    @Test
    void bytesOutsideAnyRegisterAreReadOnlyByDefault() {
        realizeWithCapabilities();
        platform.cfgWrite(at, 0xf0, 4, 0xdeadbeef);
        assertThat(platform.cfgRead(at, 0xf0, 4)).isZero();
    }

    @Test
    void configSpaceMasksApplyPerByte() {
        ConfigSpace cs = new ConfigSpace();
        cs.set32(0x40, 0x11223344);
        cs.setWritable(0x40, 4, 0x00ff00f0);
        cs.setWriteOneToClear(0x40, 4, 0x0f000000);
        cs.guestWrite(0x40, 4, 0xffffffff);
        assertThat(cs.read32(0x40)).isEqualTo(0x10ff33f4);
        cs.guestWrite(0x42, 2, 0);
        assertThat(cs.read32(0x40)).isEqualTo(0x100033f4);
    }
}
