package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import org.jbhyve.bhyve.devices.pci.TestPciDevice.Access;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PciBarTest {
    private static final long MEM64_BASE = 32L << 30;

    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
    private final PciAddress at = PciAddress.of(0, 3, 0);
    private TestPciDevice dev;

    @BeforeEach
    void setUp() {
        dev = new TestPciDevice(at, platform, d -> {
            d.addIoBar(0, 0x20, d.handler);
            d.addMemBar32(1, 4096, d.handler);
            d.addMemBar64(2, 1 << 20, true, d.handler);
            d.addMemBar64(4, 256L << 20, d.handler);
        });
        bus.add(dev);
        bus.realize();
    }

    @AfterEach
    void close() {
        platform.close();
    }

    private int bar(int index) {
        return platform.cfgRead(at, BAR0 + 4 * index, 4);
    }

    private void setBar(int index, int value) {
        platform.cfgWrite(at, BAR0 + 4 * index, 4, value);
    }

    @Test
    void allocatorPlacesBarsAndTheRegistersShowAddressAndType() {
        assertThat(bar(0)).isEqualTo(0x2000 | BAR_IO_SPACE);
        assertThat(bar(1)).isEqualTo(0xc0100000);
        assertThat(bar(2)).isEqualTo(0xc0000000 | BAR_MEM_TYPE_64 | BAR_MEM_PREFETCHABLE);
        assertThat(bar(3)).isZero();
        assertThat(bar(4)).isEqualTo(BAR_MEM_TYPE_64);
        assertThat(bar(5)).isEqualTo((int) (MEM64_BASE >>> 32));
        assertThat(dev.bar(4).address()).isEqualTo(MEM64_BASE);
        assertThat(platform.cfgRead(at, COMMAND, 2)).isEqualTo(COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER);
    }

    @Test
    void sizingReadsBackTheSizeMaskWithTheTypeBits() {
        platform.cfgWrite(at, COMMAND, 2, 0); // guests turn decoding off while sizing
        for (int i = 0; i < 6; i++) setBar(i, 0xffffffff);
        assertThat(bar(0)).isEqualTo(0x0000ffe0 | BAR_IO_SPACE);
        assertThat(bar(1)).isEqualTo(0xfffff000);
        assertThat(bar(2)).isEqualTo(0xfff00000 | BAR_MEM_TYPE_64 | BAR_MEM_PREFETCHABLE);
        assertThat(bar(3)).isEqualTo(0xffffffff);
        assertThat(bar(4)).isEqualTo(0xf0000000 | BAR_MEM_TYPE_64);
        assertThat(bar(5)).isEqualTo(0xffffffff);

        // Type bits are read-only: writing zeros leaves them.
        for (int i = 0; i < 6; i++) setBar(i, 0);
        assertThat(bar(0)).isEqualTo(BAR_IO_SPACE);
        assertThat(bar(2)).isEqualTo(BAR_MEM_TYPE_64 | BAR_MEM_PREFETCHABLE);
        assertThat(platform.logs).isEmpty();
    }

    @Test
    void unimplementedBarsReadZeroWhateverIsWritten() {
        PciTestPlatform p = new PciTestPlatform();
        try (p) {
            PciBus b = new PciBus(p, PciBus.Options.directBoot(p.memory()));
            TestPciDevice d = new TestPciDevice(at, p, x -> x.addMemBar32(2, 4096, x.handler));
            b.add(d);
            b.realize();
            for (int i : new int[] {0, 1, 3, 4, 5}) {
                p.cfgWrite(at, BAR0 + 4 * i, 4, 0xffffffff);
                assertThat(p.cfgRead(at, BAR0 + 4 * i, 4)).as("BAR%d", i).isZero();
            }
        }
    }

    @Test
    void ioBarIsDecodedOnlyWhileIoSpaceIsEnabled() {
        assertThat(platform.io().in(0x2004, 4)).isEqualTo(0xB0000004);
        assertThat(dev.handler.accesses).containsExactly(new Access(false, 0, 4, 4, 0));

        platform.cfgWrite(at, COMMAND, 2, COMMAND_MEMORY);
        assertThat(platform.io().in(0x2004, 4)).isEqualTo(-1);
        platform.io().out(0x2004, 1, 0x55);
        assertThat(dev.handler.accesses).hasSize(1);
        assertThat(platform.io().find(0x2000)).isNull();
        assertThat(platform.mmio().find(0xc0100000L)).isNotNull();

        platform.cfgWrite(at, COMMAND, 2, COMMAND_MEMORY | COMMAND_IO);
        platform.io().out(0x2010, 2, 0x1234);
        assertThat(dev.handler.accesses).last().isEqualTo(new Access(true, 0, 0x10, 2, 0x1234));
    }

    @Test
    void memoryBarsAreDecodedOnlyWhileMemorySpaceIsEnabled() {
        assertThat(platform.mmio().read(0xc0100008L, 4)).isEqualTo(0xB1000008L);
        platform.cfgWrite(at, COMMAND, 2, COMMAND_IO);
        assertThat(platform.mmio().read(0xc0100008L, 4)).isEqualTo(0xffffffffL);
        assertThat(platform.mmio().find(MEM64_BASE)).isNull();
        assertThat(platform.io().find(0x2000)).isNotNull();
        platform.cfgWrite(at, COMMAND, 2, COMMAND_IO | COMMAND_MEMORY);
        assertThat(platform.mmio().read(MEM64_BASE + 0x100, 2)).isEqualTo(0x0100L);
    }

    @Test
    void movingABarWhileDecodingReRegistersItAtTheNewAddress() {
        setBar(0, 0x3001);
        assertThat(platform.io().find(0x2000)).isNull();
        assertThat(platform.io().in(0x3008, 1)).isEqualTo(0x08);
        assertThat(dev.handler.accesses).last().isEqualTo(new Access(false, 0, 8, 1, 0));

        setBar(1, 0xd0000000);
        assertThat(platform.mmio().find(0xc0100000L)).isNull();
        platform.mmio().write(0xd0000010L, 4, 0xcafe);
        assertThat(dev.handler.accesses).last().isEqualTo(new Access(true, 1, 0x10, 4, 0xcafe));

        // A 64-bit BAR moves when either half changes.
        setBar(5, 0x10);
        assertThat(dev.bar(4).address()).isEqualTo(0x10L << 32);
        assertThat(platform.mmio().find(MEM64_BASE)).isNull();
        assertThat(platform.mmio().find(0x10L << 32).owner()).isEqualTo("test@pci.0.3.0 BAR4");
    }

    @Test
    void partialWritesChangeOnlyTheirBytesOfTheBar() {
        platform.cfgWrite(at, BAR0 + 4 + 2, 2, 0xd000);
        assertThat(bar(1)).isEqualTo(0xd0000000);
        assertThat(platform.mmio().find(0xd0000000L)).isNotNull();
        platform.cfgWrite(at, BAR0 + 4 + 1, 1, 0x50);
        assertThat(bar(1)).isEqualTo(0xd0005000);
    }

    @Test
    void aBarProgrammedOntoRamIsLeftUndecodedAndLoggedOnce() {
        setBar(1, 0x1000);
        assertThat(bar(1)).isEqualTo(0x1000);
        assertThat(dev.bar(1).isDecoded()).isFalse();
        assertThat(platform.mmio().find(0x1000)).isNull();
        setBar(1, 0x2000);
        platform.cfgWrite(at, COMMAND, 2, 0);
        platform.cfgWrite(at, COMMAND, 2, COMMAND_MEMORY);
        assertThat(platform.logs).hasSize(1);
        assertThat(platform.logs.getFirst()).contains("test@pci.0.3.0", "BAR1", "RAM");

        setBar(1, 0xd0000000);
        assertThat(dev.bar(1).isDecoded()).isTrue();
        assertThat(platform.mmio().read(0xd0000000L, 4)).isEqualTo(0xB1000000L);
    }

    @Test
    void aBarOverlappingAnotherDeviceStaysUndecodedAndNeverStealsTheOtherRange() {
        PciTestPlatform p = new PciTestPlatform();
        try (p) {
            PciBus b = new PciBus(p, PciBus.Options.directBoot(p.memory()));
            PciAddress aAt = PciAddress.of(0, 3, 0), bAt = PciAddress.of(0, 4, 0);
            TestPciDevice a = new TestPciDevice(aAt, p, x -> x.addMemBar32(0, 4096, x.handler));
            TestPciDevice c = new TestPciDevice(bAt, p, x -> x.addMemBar32(0, 4096, x.handler));
            b.add(a);
            b.add(c);
            b.realize();
            long aBase = a.bar(0).address();
            p.cfgWrite(bAt, BAR0, 4, (int) aBase);
            assertThat(c.bar(0).isDecoded()).isFalse();
            assertThat(p.logs).hasSize(1).first().asString().contains("test@pci.0.4.0", "overlaps");

            // Turning the loser's decode off and on must not unregister the winner.
            p.cfgWrite(bAt, COMMAND, 2, 0);
            p.cfgWrite(bAt, COMMAND, 2, COMMAND_MEMORY);
            assertThat(p.mmio().find(aBase).owner()).isEqualTo("test@pci.0.3.0 BAR0");
            assertThat(p.mmio().read(aBase + 4, 4)).isEqualTo(0xB0000004L);
            assertThat(a.handler.accesses).hasSize(1);
            assertThat(c.handler.accesses).isEmpty();

            p.cfgWrite(bAt, BAR0, 4, 0xd0000000);
            assertThat(c.bar(0).isDecoded()).isTrue();
            assertThat(p.mmio().find(aBase).owner()).isEqualTo("test@pci.0.3.0 BAR0");
        }
    }

    @Test
    void aBarRunningOffTheAddressSpaceIsRefused() {
        setBar(5, 0xffffffff);  // BAR4 is 256 MiB: 0xffffffff_f0000000 + 256 MiB wraps past 2^64
        assertThat(dev.bar(4).isDecoded()).isFalse();
        assertThat(platform.logs).hasSize(1);
        setBar(5, 0);
        setBar(4, 0xe0000000 | BAR_MEM_TYPE_64); // onto the ECAM window
        assertThat(dev.bar(4).isDecoded()).isFalse();
        assertThat(platform.mmio().find(0xe0000000L).owner()).isEqualTo("pci ecam");
    }

    @Test
    void accessesThatDoNotFitInsideTheBarNeverReachTheHandler() {
        long end = 0xc0100000L + 4096;
        assertThat(platform.mmio().read(end - 4, 8)).isEqualTo(-1L);
        platform.mmio().write(end - 2, 4, 0);
        assertThat(platform.io().in(0x201f, 4)).isEqualTo(-1);
        assertThat(platform.mmio().read(0xc0100000L, 16)).isEqualTo(-1L);
        assertThat(platform.mmio().read(0xc0100000L, 3)).isEqualTo(0xffffffL);
        platform.mmio().write(0xc0100000L, 0, 0);
        assertThat(dev.handler.accesses).isEmpty();
    }

    @Test
    void eightByteAccessesAreSplitLowHalfFirst() {
        platform.mmio().write(0xc0100008L, 8, 0x1122334455667788L);
        assertThat(dev.handler.accesses).containsExactly(
                new Access(true, 1, 8, 4, 0x55667788L), new Access(true, 1, 12, 4, 0x11223344L));
        assertThat(platform.mmio().read(0xc0100008L, 8)).isEqualTo(0xB100000CB1000008L);
    }

    @Test
    void aFailingHandlerReadsOnesAndIsLoggedOnce() {
        dev.handler.fail = true;
        assertThat(platform.mmio().read(0xc0100000L, 4)).isEqualTo(0xffffffffL);
        assertThat(platform.io().in(0x2000, 2)).isEqualTo(0xffff);
        platform.mmio().write(0xc0100000L, 4, 1);
        platform.mmio().write(0xc0100000L, 4, 1);
        assertThat(platform.logs).hasSize(2); // one per BAR
    }

    @Test
    void resetPutsBarsCommandAndDecodingBackToPowerOn() {
        setBar(1, 0xd0000000);
        setBar(0, 0x3000);
        platform.cfgWrite(at, COMMAND, 2, COMMAND_MEMORY | COMMAND_INTX_DISABLE);
        platform.cfgWrite(at, CACHE_LINE_SIZE, 1, 0x10);

        bus.reset();

        assertThat(dev.resets).isEqualTo(1);
        assertThat(bar(0)).isEqualTo(0x2000 | BAR_IO_SPACE);
        assertThat(bar(1)).isEqualTo(0xc0100000);
        assertThat(platform.cfgRead(at, COMMAND, 2)).isEqualTo(COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER);
        assertThat(platform.cfgRead(at, CACHE_LINE_SIZE, 1)).isZero();
        assertThat(platform.mmio().find(0xd0000000L)).isNull();
        assertThat(platform.io().find(0x3000)).isNull();
        assertThat(platform.mmio().read(0xc0100000L, 4)).isEqualTo(0xB1000000L);
        assertThat(platform.io().in(0x2000, 1)).isEqualTo(0x00);
        assertThat(platform.io().find(0x2000).owner()).isEqualTo("test@pci.0.3.0 BAR0");
    }

    @Test
    void resetGivesEveryFunctionItsBarsBackEvenWhenTheGuestSwappedThem() {
        PciTestPlatform p = new PciTestPlatform();
        try (p) {
            PciBus b = new PciBus(p, PciBus.Options.directBoot(p.memory()));
            PciAddress aAt = PciAddress.of(0, 3, 0), bAt = PciAddress.of(0, 4, 0);
            TestPciDevice a = new TestPciDevice(aAt, p, x -> x.addMemBar32(0, 4096, x.handler));
            TestPciDevice c = new TestPciDevice(bAt, p, x -> x.addMemBar32(0, 4096, x.handler));
            b.add(a);
            b.add(c);
            b.realize();
            long aHome = a.bar(0).address(), cHome = c.bar(0).address();
            p.cfgWrite(aAt, BAR0, 4, 0xd0000000);
            p.cfgWrite(bAt, BAR0, 4, (int) aHome); // the later function squats on the earlier one's home

            b.reset();

            assertThat(p.mmio().find(aHome).owner()).isEqualTo("test@pci.0.3.0 BAR0");
            assertThat(p.mmio().find(cHome).owner()).isEqualTo("test@pci.0.4.0 BAR0");
            assertThat(p.mmio().find(0xd0000000L)).isNull();
            assertThat(p.logs).isEmpty();
        }
    }

    @Test
    void withABootRomBarsArePlacedButNotDecoded() {
        PciTestPlatform p = new PciTestPlatform();
        try (p) {
            PciBus b = new PciBus(p, new PciBus.Options(MEM64_BASE, false, true));
            TestPciDevice d = new TestPciDevice(at, p, x -> x.addIoBar(0, 16, x.handler));
            b.add(d);
            b.realize();
            assertThat(p.cfgRead(at, BAR0, 4)).isEqualTo(0x2000 | BAR_IO_SPACE);
            assertThat(p.cfgRead(at, COMMAND, 2)).isZero();
            assertThat(p.io().find(0x2000)).isNull();
            p.cfgWrite(at, COMMAND, 2, COMMAND_IO);
            assertThat(p.io().find(0x2000)).isNotNull();
        }
    }
}
