package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.vmm.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BarAllocatorTest {
    private static final long MEM64_BASE = 32L << 30;
    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));

    @AfterEach
    void close() {
        platform.close();
    }

    private TestPciDevice device(int bus, int slot, java.util.function.Consumer<TestPciDevice> bars) {
        return new TestPciDevice(PciAddress.of(bus, slot, 0), platform, bars);
    }

    /**
     * pc-testdev owns ports 0x2000-0x2017, where the PCI I/O window begins: I/O BARs go past them, and the
     * bus's window (what the DSDT describes) starts after them too. An I/O BAR placed on them was left
     * undecoded, and a virtio device's legacy transport with it.
     */
    @Test
    void ioBarsPassOverPortsAFixedDeviceOwns() {
        platform.io().register(0x2000, 0x18, "pc-testdev irq-line", new org.jbhyve.bhyve.device.IoHandler() {
            @Override
            public int in(int port, int size) { return 0; }

            @Override
            public void out(int port, int size, int value) { }
        });
        TestPciDevice a = device(0, 3, d -> d.addIoBar(0, 0x40, d.handler));
        TestPciDevice b = device(0, 4, d -> d.addIoBar(0, 0x20, d.handler));
        bus.add(a);
        bus.add(b);
        bus.realize();

        assertThat(a.bar(0).address()).isEqualTo(0x2040);
        assertThat(b.bar(0).address()).as("a cursor, as bhyve's: the next after a").isEqualTo(0x2080);
        assertThat(a.bar(0).isDecoded()).isTrue();
        assertThat(b.bar(0).isDecoded()).isTrue();
        assertThat(bus.windows().getFirst().ioBase()).as("the window leaves the fixed ports out").isEqualTo(0x2018);
        assertThat(platform.io().find(0x2017).owner()).isEqualTo("pc-testdev irq-line");
    }

    @Test
    void placesLargestFirstNaturallyAlignedPerWindow() {
        TestPciDevice a = device(0, 3, d -> {
            d.addIoBar(0, 0x20, d.handler);
            d.addMemBar32(1, 4096, d.handler);
            d.addMemBar32(2, 1 << 20, d.handler);
        });
        TestPciDevice b = device(0, 4, d -> {
            d.addIoBar(0, 0x100, d.handler);
            d.addMemBar32(1, 0x10000, d.handler);
        });
        TestPciDevice c = device(0, 5, d -> {
            d.addMemBar64(0, 256L << 20, d.handler);   // > 128 MiB: above 4 GiB
            d.addMemBar64(2, 16L << 20, d.handler);    // <= 128 MiB: bhyve keeps it below 4 GiB
        });
        bus.add(c);
        bus.add(a);
        bus.add(b);
        bus.realize();

        assertThat(b.bar(0).address()).isEqualTo(0x2000);
        assertThat(a.bar(0).address()).isEqualTo(0x2100);
        assertThat(c.bar(2).address()).isEqualTo(0xc0000000L);
        assertThat(a.bar(2).address()).isEqualTo(0xc1000000L);
        assertThat(b.bar(1).address()).isEqualTo(0xc1100000L);
        assertThat(a.bar(1).address()).isEqualTo(0xc1110000L);
        assertThat(c.bar(0).address()).isEqualTo(MEM64_BASE);
        for (TestPciDevice d : new TestPciDevice[] {a, b, c}) {
            for (PciBar bar : d.bars()) {
                assertThat(bar.address() % bar.size()).as("%s %s", d, bar).isZero();
                assertThat(bar.isDecoded()).isTrue();
            }
        }
        assertThat(platform.cfgRead(0, 5, 0, PciRegisters.BAR0 + 8, 4)).isEqualTo(0xc0000004);
        assertThat(platform.cfgRead(0, 5, 0, PciRegisters.BAR0 + 12, 4)).isZero();

        assertThat(bus.windows()).containsExactly(new PciBusWindow(0, 0x2000, 0x2140,
                0xc0000000L, 0xc1300000L, MEM64_BASE, MEM64_BASE + (1024L << 20)));
    }

    @Test
    void equalSizesGoInAddressOrderWhateverTheOrderDevicesWereAdded() {
        TestPciDevice late = device(0, 9, d -> d.addMemBar32(0, 4096, d.handler));
        TestPciDevice early = device(0, 2, d -> {
            d.addMemBar32(3, 4096, d.handler);
            d.addMemBar32(1, 4096, d.handler);
        });
        bus.add(late);
        bus.add(early);
        bus.realize();
        assertThat(early.bar(3).address()).isEqualTo(0xc0000000L);
        assertThat(early.bar(1).address()).isEqualTo(0xc0001000L);
        assertThat(late.bar(0).address()).isEqualTo(0xc0002000L);
    }

    @Test
    void eachBusGetsItsOwnWindowsWithBhyvesSlack() {
        TestPciDevice zero = device(0, 3, d -> d.addIoBar(0, 8, d.handler));
        TestPciDevice one = device(1, 0, d -> {
            d.addIoBar(0, 8, d.handler);
            d.addMemBar32(1, 4096, d.handler);
        });
        bus.add(one);
        bus.add(zero);
        bus.realize();
        assertThat(zero.bar(0).address()).isEqualTo(0x2000);
        assertThat(one.bar(0).address()).isEqualTo(0x2040);
        assertThat(one.bar(1).address()).isEqualTo(0xc0100000L);
        // After a bus: cursor + slack, rounded up to the slack (0x2008 + 32 -> 0x2040).
        assertThat(bus.windows()).containsExactly(
                new PciBusWindow(0, 0x2000, 0x2040, 0xc0000000L, 0xc0100000L, MEM64_BASE, MEM64_BASE + (512L << 20)),
                new PciBusWindow(1, 0x2040, 0x2080, 0xc0100000L, 0xc0300000L, MEM64_BASE + (512L << 20), MEM64_BASE + (1024L << 20)));
    }

    @Test
    void sizesAreRoundedUpToPowersOfTwoWithTheSpecMinimums() {
        TestPciDevice d = device(0, 3, x -> {
            x.addIoBar(0, 1, x.handler);
            x.addMemBar32(1, 3, x.handler);
            x.addMemBar32(2, 5000, x.handler);
        });
        assertThat(d.bar(0).size()).isEqualTo(4);
        assertThat(d.bar(1).size()).isEqualTo(16);
        assertThat(d.bar(2).size()).isEqualTo(8192);
    }

    @Test
    void aBarThatDoesNotFitIsAConfigErrorNamingTheDeviceAndWindow() {
        bus.add(device(0, 3, d -> d.addMemBar32(0, 1L << 30, d.handler)));
        assertThatThrownBy(bus::realize).isInstanceOf(ConfigException.class)
                .hasMessageContaining("test@pci.0.3.0")
                .hasMessageContaining("BAR0")
                .hasMessageContaining("32-bit PCI memory");
    }

    @Test
    void the64BitWindowIsExhaustibleToo() {
        bus.add(device(0, 3, d -> d.addMemBar64(0, 16L << 30, d.handler)));
        bus.add(device(0, 4, d -> d.addMemBar64(0, 32L << 30, d.handler)));
        // Largest first: the 32 GiB BAR of 0.4.0 takes the whole window, so 0.3.0's does not fit.
        assertThatThrownBy(bus::realize).isInstanceOf(ConfigException.class)
                .hasMessageContaining("test@pci.0.3.0")
                .hasMessageContaining("0x400000000 bytes")
                .hasMessageContaining("64-bit PCI memory");
    }

    @Test
    void theIoWindowRunsOutAfter224SmallestFullSizeBars() {
        for (int slot = 0; slot < 32; slot++) {
            for (int f = 0; f < 2; f++) {
                bus.add(new TestPciDevice(PciAddress.of(0, slot, f), platform, d -> {
                    for (int i = 0; i < 4; i++) d.addIoBar(i, 256, d.handler);
                }));
            }
        }
        assertThatThrownBy(bus::realize).isInstanceOf(ConfigException.class).hasMessageContaining("PCI I/O");
    }

    @Test
    void badBarDeclarationsAreProgrammingErrors() {
        assertThatThrownBy(() -> device(0, 3, d -> d.addMemBar64(5, 4096, d.handler))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> device(0, 3, d -> {
            d.addMemBar64(0, 4096, d.handler);
            d.addMemBar32(1, 4096, d.handler);
        })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> device(0, 3, d -> d.addIoBar(6, 4, d.handler))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> device(0, 3, d -> d.addIoBar(0, 0x20000, d.handler))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> device(0, 3, d -> d.addMemBar32(0, 0, d.handler))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> device(0, 3, d -> d.addMemBar64(0, -4096, d.handler))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the64BitWindowStartsAtTheEndOfHighmemRoundedTo32GiB() {
        assertThat(PciBus.Options.mem64Base(platform.memory())).isEqualTo(32L << 30);
        assertThat(PciBus.Options.mem64Base(withHighmem(28L << 30))).isEqualTo(32L << 30);
        assertThat(PciBus.Options.mem64Base(withHighmem((28L << 30) + 4096))).isEqualTo(64L << 30);
    }

    @Test
    void optionsFollowBhyvesBootromDefaults() {
        ConfigTree cfg = new ConfigTree();
        PciBus.Options plain = PciBus.Options.fromConfig(cfg, platform.memory());
        assertThat(plain.enableBars()).isTrue();
        assertThat(plain.fixedIntxRouting()).isFalse();
        cfg.set("lpc.bootrom", "/usr/local/share/uefi-firmware/BHYVE_UEFI.fd");
        PciBus.Options rom = PciBus.Options.fromConfig(cfg, platform.memory());
        assertThat(rom.enableBars()).isFalse();
        assertThat(rom.fixedIntxRouting()).isTrue();
        cfg.set("pci.enable_bars", "true");
        assertThat(PciBus.Options.fromConfig(cfg, platform.memory()).enableBars()).isTrue();
    }

    /** A GuestMemory whose highmem is never touched: only its size matters here. */
    @SuppressWarnings("restricted") // a zero-address segment that is only ever asked for its size
    private static GuestMemory withHighmem(long size) {
        MemorySegment low = MemorySegment.ofArray(new byte[4096]);
        MemorySegment high = MemorySegment.NULL.reinterpret(size);
        return new GuestMemory(new GuestMemory.Region(0, 4096, low), new GuestMemory.Region(GuestMemory.HIGHMEM_BASE, size, high));
    }
}
