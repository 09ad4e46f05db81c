package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import org.jbhyve.bhyve.device.IoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigMechanism1Test {
    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
    private final PciAddress at = PciAddress.of(0, 3, 0);

    @BeforeEach
    void setUp() {
        bus.add(new TestPciDevice(at, platform, d -> d.addMsiCapability(1, false)));
        bus.realize();
    }

    @AfterEach
    void close() {
        platform.close();
    }

    /** What the first 16 bytes of the test device's config space hold, byte by byte. */
    private static final int[] HEADER = {
        0xf4, 0x1a, 0xff, 0x10,             // vendor, device
        0x04, 0x00, 0x10, 0x00,             // command (bus master: enable_bars), status (caps)
        0x01, 0x00, 0x00, 0xff,             // revision, prog-if, subclass, class
        0x00, 0x00, 0x00, 0x00,             // cache line, latency, header type, bist
    };

    private static int expected(int offset, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | HEADER[offset + i];
        return v;
    }

    @Test
    void readsEveryAlignedWidthAtEveryOffsetOfTheDataWindow() {
        for (int size : new int[] {1, 2, 4}) {
            for (int offset = 0; offset + size <= HEADER.length; offset += size) {
                platform.io().out(0xcf8, 4, 0x80000000 | 3 << 11 | (offset & 0xfc));
                int value = platform.io().in(0xcfc + (offset & 3), size);
                assertThat(value).as("size %d offset %d", size, offset).isEqualTo(expected(offset, size));
            }
        }
    }

    @Test
    void writesReachTheRegisterTheWindowOffsetSelects() {
        platform.io().out(0xcf8, 4, 0x80000000 | 3 << 11 | CACHE_LINE_SIZE);
        platform.io().out(0xcfd, 1, 0x20);               // latency timer, 0x0d
        platform.io().out(0xcfc, 1, 0x08);               // cache line size, 0x0c
        assertThat(platform.cfgRead(at, CACHE_LINE_SIZE, 2)).isEqualTo(0x2008);

        platform.io().out(0xcf8, 4, 0x80000000 | 3 << 11 | COMMAND);
        platform.io().out(0xcfc, 2, COMMAND_INTX_DISABLE | COMMAND_IO);
        assertThat(platform.cfgRead(at, COMMAND, 2)).isEqualTo(COMMAND_INTX_DISABLE | COMMAND_IO);
        platform.io().out(0xcfc, 4, COMMAND_MEMORY);
        assertThat(platform.cfgRead(at, COMMAND, 2)).isEqualTo(COMMAND_MEMORY);
    }

    @Test
    void addressRegisterReadsBackItsImplementedBitsAndOnlyAnswersDwords() {
        platform.io().out(0xcf8, 4, 0xffffffff);
        assertThat(platform.io().in(0xcf8, 4)).isEqualTo(0x80fffffc);
        platform.io().out(0xcf8, 4, 0x80001804);
        assertThat(platform.io().in(0xcf8, 4)).isEqualTo(0x80001804);

        platform.io().out(0xcf8, 1, 0);
        platform.io().out(0xcf8, 2, 0);
        assertThat(platform.io().in(0xcf8, 4)).isEqualTo(0x80001804);
        assertThat(platform.io().in(0xcf8, 1)).isEqualTo(0xff);
        assertThat(platform.io().in(0xcf8, 2)).isEqualTo(0xffff);
    }

    @Test
    void leavesTheResetControlPortToItsOwner() {
        assertThat(platform.io().find(0xcf9)).isNull();
        IoHandler reset = new IoHandler() {
            @Override public int in(int port, int size) { return 0x42; }

            @Override public void out(int port, int size, int value) { }
        };
        platform.io().register(0xcf9, 1, "reset", reset);
        assertThat(platform.io().in(0xcf9, 1)).isEqualTo(0x42);
        assertThat(platform.cfgRead(at, VENDOR, 2)).isEqualTo(TestPciDevice.VENDOR);
    }

    @Test
    void withoutTheEnableBitTheWindowReadsOnesAndIgnoresWrites() {
        platform.io().out(0xcf8, 4, 3 << 11 | CACHE_LINE_SIZE);
        assertThat(platform.io().in(0xcfc, 4)).isEqualTo(-1);
        assertThat(platform.io().in(0xcfe, 2)).isEqualTo(0xffff);
        platform.io().out(0xcfc, 1, 0x20);
        assertThat(platform.cfgRead(at, CACHE_LINE_SIZE, 1)).isZero();
    }

    @Test
    void absentFunctionsAndBusesReadAllOnesAtEveryWidth() {
        for (int size : new int[] {1, 2, 4}) {
            int ones = size == 4 ? -1 : (1 << (8 * size)) - 1;
            assertThat(platform.cfgRead(0, 4, 0, 0, size)).isEqualTo(ones);
            assertThat(platform.cfgRead(0, 3, 1, 0, size)).isEqualTo(ones);
            assertThat(platform.cfgRead(7, 3, 0, 0, size)).isEqualTo(ones);
        }
        assertThatCode(() -> platform.cfgWrite(0, 4, 0, COMMAND, 2, 0xffff)).doesNotThrowAnyException();
    }

    @Test
    void unalignedAccessesThatWouldCrossTheDwordReadOnesAndWriteNothing() {
        platform.io().out(0xcf8, 4, 0x80000000 | 3 << 11 | COMMAND);
        assertThat(platform.io().in(0xcfd, 2)).isEqualTo(0xffff);
        assertThat(platform.io().in(0xcfe, 4)).isEqualTo(-1);
        assertThat(platform.io().in(0xcff, 4)).isEqualTo(-1);
        assertThat(platform.io().in(0xcff, 2)).isEqualTo(0xffff);
        int before = platform.cfgRead(at, COMMAND, 4);
        platform.io().out(0xcf8, 4, 0x80000000 | 3 << 11 | COMMAND);
        assertThatCode(() -> {
            platform.io().out(0xcfd, 2, 0);
            platform.io().out(0xcfe, 4, 0);
            platform.io().out(0xcff, 4, 0);
        }).doesNotThrowAnyException();
        assertThat(platform.cfgRead(at, COMMAND, 4)).isEqualTo(before);
    }

    @Test
    void addressBitsBelowTheDwordAreIgnored() {
        platform.io().out(0xcf8, 4, 0x80000000 | 3 << 11 | 0x0b);
        assertThat(platform.io().in(0xcf8, 4)).isEqualTo(0x80000000 | 3 << 11 | 0x08);
        assertThat(platform.io().in(0xcfc, 4)).isEqualTo(expected(8, 4));
    }

    @Test
    void multiFunctionBitAppearsOnlyWhenTheSlotHasSeveralFunctions() {
        PciTestPlatform p = new PciTestPlatform();
        try (p) {
            PciBus b = new PciBus(p, PciBus.Options.directBoot(p.memory()));
            b.add(new TestPciDevice(PciAddress.of(0, 4, 0), p));
            b.add(new TestPciDevice(PciAddress.of(0, 4, 2), p));
            b.add(new TestPciDevice(PciAddress.of(0, 5, 0), p));
            b.realize();
            assertThat(p.cfgRead(0, 4, 0, HEADER_TYPE, 1)).isEqualTo(HEADER_TYPE_MULTIFUNCTION);
            assertThat(p.cfgRead(0, 4, 2, HEADER_TYPE, 1)).isEqualTo(HEADER_TYPE_MULTIFUNCTION);
            assertThat(p.cfgRead(0, 4, 0, CACHE_LINE_SIZE, 4)).isEqualTo(HEADER_TYPE_MULTIFUNCTION << 16);
            assertThat(p.cfgRead(0, 4, 0, HEADER_TYPE, 2)).isEqualTo(HEADER_TYPE_MULTIFUNCTION);
            assertThat(p.cfgRead(0, 5, 0, HEADER_TYPE, 1)).isZero();
            assertThat(p.cfgRead(0, 4, 1, VENDOR, 4)).isEqualTo(-1);
        }
    }
}
