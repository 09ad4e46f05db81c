package org.jbhyve.bhyve.devices.testdev;

import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bhyve.devices.FakePlatform.Edge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** isa-debug-exit and pc-testdev as kvm-unit-tests uses them. */
class TestDevicesTest {
    FakePlatform p;
    final List<Integer> exits = new ArrayList<>();
    PcTestDev testdev;

    @BeforeEach
    void setUp() {
        p = new FakePlatform();
        new DebugExit(p, exits::add);
        testdev = new PcTestDev(p);
    }

    @AfterEach
    void tearDown() {
        p.close();
    }

    @Test
    void debugExitTurnsTheWrittenValueIntoAnOddStatus() {
        p.outb(0xf4, 0);
        p.outb(0xf4, 0x1);
        p.outw(0xf4, 0x0180); // kvm-unit-tests' exit(v) writes a word or dword
        p.outl(0xf4, 0x7fffffff);
        p.outl(0xf4, 0xffffffff);
        p.io().out(0xf4, 1, 0x1ff); // masked to the access width
        assertThat(exits).containsExactly(1, 3, 0x301, -1, -1, 0x1ff);
        assertThat(p.inb(0xf4)).isEqualTo(0xff);
        assertThat(p.inl(0xf4)).isEqualTo(-1);
        p.outb(0xf7, 2);
        assertThat(exits).last().isEqualTo(5);
        assertThat(p.io().find(0xf8)).isNull();
    }

    @Test
    void scratchPortReadsAndWritesExactlyTheAddressedBytes() {
        p.outl(0xe0, 0x11223344);
        assertThat(p.inl(0xe0)).isEqualTo(0x11223344);
        assertThat(p.inb(0xe1)).isEqualTo(0x33);
        assertThat(p.inw(0xe2)).isEqualTo(0x1122);
        p.outb(0xe2, 0xaa);
        assertThat(p.inl(0xe0)).isEqualTo(0x11aa3344);
        p.outw(0xe1, 0xbeef);
        assertThat(p.inl(0xe0)).isEqualTo(0x11beef44);
        assertThat(p.inl(0xe8)).as("the byte-wise window is the same register").isEqualTo(0x11beef44);
        p.outw(0xea, 0x5566);
        assertThat(p.inl(0xe0)).isEqualTo(0x5566ef44);
        assertThat(p.inl(0xe2)).as("runs past the register").isEqualTo(-1);
        p.outl(0xe3, 0);
        assertThat(p.inl(0xe0)).isEqualTo(0x5566ef44);
        assertThat(p.logs()).hasSize(2);
    }

    @Test
    void irqPortsDriveTheTwentyFourLines() {
        p.outb(0x2000 + 4, 1);
        assertThat(p.line(4).isAsserted()).isTrue();
        p.outb(0x2000 + 4, 0);
        assertThat(p.line(4).isAsserted()).isFalse();
        p.outb(0x2000 + 23, 0x80);
        assertThat(p.line(23).isAsserted()).isTrue();
        assertThat(p.inb(0x2000 + 23)).isZero();
        p.outw(0x2000 + 10, 0x0101); // not a byte write: ignored
        assertThat(p.line(10).events()).isEmpty();
        assertThat(p.io().find(0x2018)).isNull();
        testdev.reset();
        assertThat(p.line(23).isAsserted()).isFalse();
        assertThat(p.line(4).events()).containsExactly(Edge.ASSERT, Edge.DEASSERT);
    }

    @Test
    void iomemIsSixtyFourKibOfLittleEndianDeviceMemory() {
        long base = PcTestDev.IOMEM_BASE;
        p.mmio().write(base, 8, 0x0102030405060708L);
        assertThat(p.mmio().read(base, 1)).isEqualTo(0x08);
        assertThat(p.mmio().read(base + 2, 2)).isEqualTo(0x0506);
        assertThat(p.mmio().read(base + 4, 4)).isEqualTo(0x01020304);
        p.mmio().write(base + 0xfffc, 4, 0xcafebabeL);
        assertThat(p.mmio().read(base + 0xfffc, 4)).isEqualTo(0xcafebabeL);
        assertThat(p.mmio().read(base + 0xfffc, 8)).as("crosses the end").isEqualTo(-1L);
        p.mmio().write(base + 0xfffe, 4, 0);
        assertThat(p.mmio().read(base + 0xfffc, 4)).isEqualTo(0xcafebabeL);
        assertThat(p.mmio().read(base + 1, 3)).as("odd width").isEqualTo(0xffffffL);
        assertThat(p.mmio().find(base + 0x10000)).isNull();
        testdev.reset();
        assertThat(p.mmio().read(base, 8)).isZero();
    }

    @Test
    void flushPageIsAcceptedCheckedAndLoggedAsNotDone() {
        p.outl(0xe4, 0x1234);
        p.outl(0xe4, 0x5678);
        p.outl(0xe4, 0xfee00000);
        assertThat(p.logs()).hasSize(2);
        assertThat(p.logs().get(0)).contains("flush-page requested (first: 0x1000)").contains("nothing was flushed");
        assertThat(p.logs().get(1)).contains("0xfee00000, which is not guest RAM");
        assertThat(p.inl(0xe4)).isEqualTo(-1);
    }

    @Test
    void randomAccessesNeverThrow() {
        Random rnd = new Random(0xe0e4);
        int[] sizes = {1, 2, 4};
        int[] bases = {0xe0, 0xe4, 0xe8, 0x2000, 0x2010};
        for (int i = 0; i < 100_000; i++) {
            int port = bases[rnd.nextInt(bases.length)] + rnd.nextInt(8);
            int size = sizes[rnd.nextInt(3)];
            if (rnd.nextBoolean()) p.io().out(port, size, rnd.nextInt());
            else p.io().in(port, size);
            long addr = PcTestDev.IOMEM_BASE + rnd.nextInt(0x10010) - 8;
            int msize = 1 << rnd.nextInt(4);
            if (rnd.nextBoolean()) p.mmio().write(addr, msize, rnd.nextLong());
            else p.mmio().read(addr, msize);
        }
        assertThat(exits).isEmpty();
    }
}
