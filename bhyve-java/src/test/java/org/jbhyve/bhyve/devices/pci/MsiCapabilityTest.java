package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import org.jbhyve.bhyve.devices.pci.PciTestPlatform.Msi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MsiCapabilityTest {
    private static final int CAP = 0x40;
    private static final int CONTROL = CAP + 2, ADDR_LO = CAP + 4, ADDR_HI = CAP + 8, DATA = CAP + 12, MASK = CAP + 16, PENDING = CAP + 20;

    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
    private final PciAddress at = PciAddress.of(0, 3, 0);
    private TestPciDevice dev;

    @BeforeEach
    void setUp() {
        dev = new TestPciDevice(at, platform, d -> {
            d.addMsiCapability(4, true);
            d.requestIntx();
        });
        bus.add(dev);
        bus.realize();
    }

    @AfterEach
    void close() {
        platform.close();
    }

    /** Programs address and data and enables {@code 1 << mme} vectors, as a guest driver does. */
    private void program(int addressLow, int data, int mme) {
        platform.cfgWrite(at, ADDR_LO, 4, addressLow);
        platform.cfgWrite(at, ADDR_HI, 4, 0);
        platform.cfgWrite(at, DATA, 2, data);
        platform.cfgWrite(at, CONTROL, 2, mme << 4 | 1);
    }

    @Test
    void advertisesA64BitMaskableCapabilityWhoseCapableBitsAreReadOnly() {
        assertThat(platform.cfgRead(at, CAP, 1)).isEqualTo(CAP_ID_MSI);
        int control = platform.cfgRead(at, CONTROL, 2);
        assertThat(control).isEqualTo(0x100 | 0x80 | 2 << 1);
        platform.cfgWrite(at, CONTROL, 2, 0xffff);
        assertThat(platform.cfgRead(at, CONTROL, 2)).isEqualTo(0x100 | 0x80 | 0x70 | 2 << 1 | 1);
        platform.cfgWrite(at, ADDR_LO, 4, 0xffffffff);
        assertThat(platform.cfgRead(at, ADDR_LO, 4)).isEqualTo(0xfffffffc);
        platform.cfgWrite(at, MASK, 4, 0xffffffff);
        assertThat(platform.cfgRead(at, MASK, 4)).isEqualTo(0xf);
        platform.cfgWrite(at, PENDING, 4, 0xffffffff);
        assertThat(platform.cfgRead(at, PENDING, 4)).isZero();
    }

    @Test
    void nothingIsSentWhileDisabled() {
        assertThat(dev.sendMsi(0)).isFalse();
        assertThat(platform.msis).isEmpty();
    }

    @Test
    void sendsTheVectorInTheLowBitsOfTheProgrammedData() {
        program(0xfee01000, 0x4020, 2);
        assertThat(dev.sendMsi(0)).isTrue();
        assertThat(dev.sendMsi(3)).isTrue();
        assertThat(platform.msis).containsExactly(new Msi(0xfee01000L, 0x4020), new Msi(0xfee01000L, 0x4023));
    }

    @Test
    void vectorsBeyondWhatTheGuestEnabledAreDropped() {
        program(0xfee00000, 0x41, 1); // two vectors
        dev.sendMsi(1);
        dev.sendMsi(0);
        dev.sendMsi(2);
        dev.sendMsi(-1);
        assertThat(platform.msis).containsExactly(new Msi(0xfee00000L, 0x41), new Msi(0xfee00000L, 0x40));
        assertThat(platform.logs).hasSize(1).first().asString().contains("MSI vector 2");
    }

    @Test
    void multipleMessageEnableIsClampedToWhatTheDeviceOffers() {
        program(0xfee00000, 0x40, 7);
        assertThat(dev.msi().enabledVectors()).isEqualTo(4);
        dev.sendMsi(3);
        assertThat(platform.msis).containsExactly(new Msi(0xfee00000L, 0x43));
    }

    @Test
    void aMaskedVectorGoesPendingAndIsSentWhenUnmasked() {
        program(0xfee00000, 0x50, 2);
        platform.cfgWrite(at, MASK, 4, 0b0010);
        dev.sendMsi(1);
        dev.sendMsi(0);
        assertThat(platform.msis).containsExactly(new Msi(0xfee00000L, 0x50));
        assertThat(platform.cfgRead(at, PENDING, 4)).isEqualTo(0b0010);

        platform.cfgWrite(at, MASK, 4, 0);
        assertThat(platform.msis).containsExactly(new Msi(0xfee00000L, 0x50), new Msi(0xfee00000L, 0x51));
        assertThat(platform.cfgRead(at, PENDING, 4)).isZero();
    }

    @Test
    void aMessageOutsideTheInterruptWindowIsDroppedAndLoggedOnce() {
        program(0x00001000, 0x40, 0);
        dev.sendMsi(0);
        dev.sendMsi(0);
        assertThat(platform.msis).isEmpty();
        assertThat(platform.logs).hasSize(1).first().asString().contains("0x1000");
    }

    @Test
    void intxIsHeldWhileMsiIsEnabled() {
        program(0xfee00000, 0x40, 0);
        dev.assertIntx();
        assertThat(platform.highLines()).isEmpty();
        assertThat(platform.cfgRead(at, STATUS, 2) & STATUS_INTERRUPT).isNotZero();
        platform.cfgWrite(at, CONTROL, 2, 0);
        assertThat(platform.highLines()).contains(16);
        platform.cfgWrite(at, CONTROL, 2, 1);
        assertThat(platform.highLines()).isEmpty();
    }

    @Test
    void resetDisablesMsiAndClearsItsRegisters() {
        program(0xfee00000, 0x40, 2);
        platform.cfgWrite(at, MASK, 4, 1);
        dev.sendMsi(0);
        dev.reset();
        assertThat(dev.msi().enabled()).isFalse();
        assertThat(platform.cfgRead(at, ADDR_LO, 4)).isZero();
        assertThat(platform.cfgRead(at, PENDING, 4)).isZero();
        assertThat(dev.sendMsi(0)).isFalse();
    }
}
