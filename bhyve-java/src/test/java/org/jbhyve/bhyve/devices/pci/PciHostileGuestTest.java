package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import java.util.List;
import java.util.Random;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.MmioBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest that writes garbage everywhere: random config accesses through both mechanisms, random
 * BAR values, random MSI-X table accesses, interrupts fired at random. Nothing may throw out of the
 * buses, and the platform must stay consistent: the config mechanisms stay where they are, no two
 * ranges overlap, identity registers keep their values, and a reset brings everything back.
 */
class PciHostileGuestTest {
    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
    private final PciAddress devAt = PciAddress.of(0, 3, 0);
    private TestPciDevice dev;
    private TestPciDevice other;

    @BeforeEach
    void setUp() {
        ConfigTree cfg = new ConfigTree();
        bus.add(HostBridge.create(cfg, "pci.0.0.0", PciAddress.of(0, 0, 0), platform));
        bus.add(new LpcBridge(cfg, "pci.0.31.0", PciAddress.of(0, 31, 0), platform));
        dev = new TestPciDevice(devAt, platform, d -> {
            d.addIoBar(0, 32, d.handler);
            d.addMsixCapability(5, 1);
            d.addMemBar64(2, 1 << 20, true, d.handler);
            d.addMemBar32(4, 4096, d.handler);
            d.addMsiCapability(8, true);
            d.requestIntx();
        });
        other = new TestPciDevice(PciAddress.of(0, 3, 1), platform, d -> {
            d.addMemBar32(0, 4096, d.handler);
            d.requestIntx();
        });
        bus.add(dev);
        bus.add(other);
        bus.realize();
    }

    @AfterEach
    void close() {
        platform.close();
    }

    private static final int[] SIZES = {1, 2, 4};
    private static final int[] INTERESTING = {0, -1, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfee00000, 0xe0000000, 0x1000, 0xcf8, 0x2000};

    private int value(Random r) {
        return r.nextInt(3) == 0 ? INTERESTING[r.nextInt(INTERESTING.length)] : r.nextInt();
    }

    private void step(Random r) {
        IoBus io = platform.io();
        MmioBus mmio = platform.mmio();
        int size = SIZES[r.nextInt(3)];
        switch (r.nextInt(10)) {
            case 0 -> io.out(0xcf8, r.nextBoolean() ? 4 : size, r.nextBoolean()
                    ? 0x80000000 | r.nextInt(2) << 16 | 3 << 11 | r.nextInt(2) << 8 | r.nextInt(256)
                    : value(r));
            case 1 -> io.out(0xcfc + r.nextInt(4), size, value(r));
            case 2 -> io.in(0xcfc + r.nextInt(4), size);
            case 3 -> {
                // BAR and capability registers of the interesting functions, at any width.
                int reg = r.nextBoolean() ? BAR0 + r.nextInt(24) : 0x40 + r.nextInt(64);
                platform.cfgWrite(0, 3, r.nextInt(2), reg & ~(size - 1), size, value(r));
            }
            case 4 -> {
                if (r.nextBoolean()) platform.cfgWrite(0, r.nextBoolean() ? 3 : 31, 0, COMMAND, 2, r.nextInt(0x10000));
                else platform.cfgWrite(0, 31, 0, (0x60 + r.nextInt(16)) & ~(size - 1), size, value(r)); // PIRQ links
            }
            case 5 -> mmio.write(PciTestPlatform.ecam(r.nextInt(3), r.nextInt(32), r.nextInt(8), r.nextInt(4096)),
                    new int[] {1, 2, 4, 8}[r.nextInt(4)], r.nextLong());
            case 6 -> mmio.read(PciTestPlatform.ecam(0, 3, r.nextInt(8), r.nextInt(4096)), new int[] {1, 2, 4, 8}[r.nextInt(4)]);
            case 7 -> {
                // The MSI-X BAR wherever the guest left it, at any offset and width.
                long base = dev.bar(1).address();
                long off = r.nextInt(3) == 0 ? r.nextInt(8192) : r.nextInt(96);
                int w = new int[] {1, 2, 4, 8}[r.nextInt(4)];
                if (r.nextBoolean()) mmio.write(base + off, w, r.nextLong());
                else mmio.read(base + off, w);
            }
            case 8 -> {
                if (r.nextBoolean()) dev.sendMsi(r.nextInt(12) - 2);
                else other.sendMsi(r.nextInt(3));
            }
            default -> {
                TestPciDevice d = r.nextBoolean() ? dev : other;
                if (r.nextBoolean()) d.assertIntx();
                else d.deassertIntx();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 0x5eed, 20260101})
    void garbageNeverEscapesAndThePlatformStaysConsistent(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) step(r);

        assertThat(platform.io().find(0xcf8).owner()).isEqualTo("pci config address");
        assertThat(platform.io().find(0xcfc).owner()).isEqualTo("pci config data");
        assertThat(platform.mmio().find(MemoryMap.PCI_ECAM_BASE).owner()).isEqualTo("pci ecam");
        assertNoOverlaps(platform.mmio().ranges());
        for (PciDevice d : bus.devices()) {
            for (PciBar bar : d.bars()) {
                if (!bar.isDecoded()) continue;
                String owner = d.name() + " BAR" + bar.index();
                if (bar.kind() == PciBar.Kind.IO) assertThat(platform.io().find((int) bar.address()).owner()).isEqualTo(owner);
                else assertThat(platform.mmio().find(bar.address()).owner()).isEqualTo(owner);
            }
        }
        assertThat(platform.cfgRead(0, 0, 0, VENDOR, 4)).isEqualTo(0x12751275);
        assertThat(platform.cfgRead(devAt, VENDOR, 4)).isEqualTo(TestPciDevice.DEVICE << 16 | TestPciDevice.VENDOR);
        assertThat(platform.cfgRead(devAt, CAPABILITIES_POINTER, 1)).isEqualTo(0x40);
        // Each distinct problem is logged once per device, however often the guest repeats it.
        assertThat(platform.logs.size()).isLessThan(40);

        bus.reset();
        assertThat(platform.highLines()).isEmpty();
        for (PciDevice d : bus.devices()) {
            for (PciBar bar : d.bars()) assertThat(bar.isDecoded()).as("%s after reset", bar).isTrue();
        }
        assertThat(platform.cfgRead(0, 31, 0, 0x60, 4)).isEqualTo(0x80800605);
        assertThat(platform.mmio().read(dev.bar(4).address(), 4)).isEqualTo(0xB4000000L);
    }

    private static void assertNoOverlaps(List<MmioBus.Range> ranges) {
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(Long.compareUnsigned(ranges.get(i - 1).end(), ranges.get(i).base())).as("%s vs %s", ranges.get(i - 1), ranges.get(i)).isLessThanOrEqualTo(0);
        }
    }
}
