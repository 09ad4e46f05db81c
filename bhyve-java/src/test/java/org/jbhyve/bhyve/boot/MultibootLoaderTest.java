package org.jbhyve.bhyve.boot;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Multiboot header checks and the boot information the loader plans, without a VM. */
class MultibootLoaderTest {
    private static final long LOAD = 0x100000;
    private static final RamLayout RAM_64M = RamLayout.of(64L << 20);
    private static final byte[] CODE = {(byte) 0xf4, (byte) 0xeb, (byte) 0xfd}; // hlt; jmp $-1

    private static byte[] aout() {
        return TestImages.multibootAout(0, LOAD, CODE, 0x1000);
    }

    private static MultibootLoader prepare(byte[] kernel, RamLayout ram) {
        return MultibootLoader.prepare("/boot/kernel", kernel, null, null, "", ram);
    }

    @Test
    void bootInformationDescribesMemoryCommandLineModuleAndMap() {
        RamLayout ram = RamLayout.of(5L << 30); // lowmem 3 GiB + highmem 2 GiB
        byte[] initrd = "module-bytes".getBytes(StandardCharsets.US_ASCII);
        MultibootLoader l = MultibootLoader.prepare("/boot/kernel", aout(), "/boot/initrd.img", initrd,
                "console=com1 -v", ram);
        Planned p = new Planned(l.plan());
        long info = l.infoAddress();

        assertThat(info).isBetween(MultibootLoader.SCRATCH_BASE, MultibootLoader.SCRATCH_LIMIT - 120);
        assertThat(info % 4).isZero();
        assertThat(l.entryPoint()).isEqualTo(TestImages.aoutEntry(LOAD));
        assertThat(p.u32(info)).isEqualTo(1 | 4 | 8 | 64 | 512);
        assertThat(p.u32(info + 4)).as("mem_lower KiB").isEqualTo(640);
        assertThat(p.u32(info + 8)).as("mem_upper KiB").isEqualTo((int) (((3L << 30) - (1 << 20)) >> 10));
        assertThat(p.u32(info + 12)).as("no boot device").isZero();
        assertThat(p.cString(p.u32(info + 16))).isEqualTo("/boot/kernel console=com1 -v");
        assertThat(l.commandLine()).isEqualTo("/boot/kernel console=com1 -v");
        assertThat(p.cString(p.u32(info + 64))).isEqualTo("jbhyve");

        assertThat(p.u32(info + 20)).as("mods_count").isEqualTo(1);
        long mod = Integer.toUnsignedLong(p.u32(info + 24));
        long start = Integer.toUnsignedLong(p.u32(mod));
        assertThat(start).isEqualTo(l.moduleAddress());
        assertThat(start % 4096).as("page aligned").isZero();
        assertThat(start).as("after the kernel and its bss")
                .isGreaterThanOrEqualTo(TestImages.aoutEntry(LOAD) + CODE.length + 0x1000);
        assertThat(Integer.toUnsignedLong(p.u32(mod + 4))).as("mod_end").isEqualTo(start + initrd.length);
        assertThat(p.cString(p.u32(mod + 8))).isEqualTo("/boot/initrd.img");
        assertThat(p.bytes(start, initrd.length)).isEqualTo(initrd);

        List<E820Map.Entry> expected = E820Map.of(ram);
        assertThat(expected).hasSize(5);
        assertThat(p.u32(info + 44)).as("mmap_length").isEqualTo(expected.size() * 24);
        long mmap = Integer.toUnsignedLong(p.u32(info + 48));
        for (int i = 0; i < expected.size(); i++) {
            long e = mmap + i * 24L;
            assertThat(p.u32(e)).as("size field").isEqualTo(20);
            assertThat(new E820Map.Entry(p.u64(e + 4), p.u64(e + 12), p.u32(e + 20))).isEqualTo(expected.get(i));
        }
        assertThat(expected.getLast()).isEqualTo(new E820Map.Entry(4L << 30, 2L << 30, E820Map.TYPE_RAM));
    }

    @Test
    void withoutInitrdOrArgumentsTheCommandLineIsTheKernelPathAndThereAreNoModules() {
        MultibootLoader l = prepare(aout(), RAM_64M);
        Planned p = new Planned(l.plan());
        assertThat(l.moduleAddress()).isEqualTo(-1);
        assertThat(p.u32(l.infoAddress() + 20)).isZero();
        assertThat(p.cString(p.u32(l.infoAddress() + 16))).isEqualTo("/boot/kernel");
    }

    @Test
    void aoutKernelIsCopiedFromTheHeaderOffsetAndItsBssZeroed() {
        byte[] padding = new byte[0x40];
        byte[] header = TestImages.multibootHeader(0x10003, LOAD + 0x40, LOAD, 0, LOAD + 0x40 + 32 + 0x1000 + 3,
                LOAD + 0x60);
        byte[] image = TestImages.concat(TestImages.concat(padding, header), CODE);
        MultibootLoader l = prepare(image, RAM_64M);
        MemoryPlan.Piece k = new Planned(l.plan()).piece("kernel image");
        assertThat(k.gpa()).isEqualTo(LOAD);
        assertThat(k.offset()).isZero();
        assertThat(k.length()).isEqualTo(image.length);
        assertThat(k.zeroFill()).isEqualTo(0x1000);
        assertThat(l.entryPoint()).isEqualTo(LOAD + 0x60);
    }

    @Test
    void elf32SegmentsGoToTheirPhysicalAddressesAndTheEntryIsTranslated() {
        byte[] elf = TestImages.multibootElf32(0xc0100000L, LOAD, CODE, 0x2000);
        MultibootLoader l = prepare(elf, RAM_64M);
        MemoryPlan.Piece seg = new Planned(l.plan()).piece("kernel segment 0");
        assertThat(seg.gpa()).isEqualTo(LOAD);
        assertThat(seg.zeroFill()).isEqualTo(0x2000);
        assertThat(l.entryPoint()).isEqualTo(TestImages.elfEntry(LOAD));
    }

    @Test
    void elf64MultibootKernelIsLoadedThroughVmmapisElfImage() {
        byte[] elf = TestImages.multibootElf64(0xffffffff80100000L, LOAD, CODE, 0);
        MultibootLoader l = prepare(elf, RAM_64M);
        assertThat(l.entryPoint()).isEqualTo(TestImages.elfEntry(LOAD));
        assertThat(new Planned(l.plan()).piece("kernel segment 0").gpa()).isEqualTo(LOAD);
    }

    @Test
    void videoModeRequestIsIgnoredButUnknownRequiredFlagsAreRefused() {
        assertThat(prepare(TestImages.multibootAout(TestImages.MB_VIDEO, LOAD, CODE, 0), RAM_64M).entryPoint())
                .isEqualTo(TestImages.aoutEntry(LOAD));
        assertThat(prepare(TestImages.multibootAout(1 << 20, LOAD, CODE, 0), RAM_64M).entryPoint())
                .as("optional bits 17-31 are ignored").isEqualTo(TestImages.aoutEntry(LOAD));
        assertThatThrownBy(() -> prepare(TestImages.multibootAout((1 << 3) | (1 << 7), LOAD, CODE, 0), RAM_64M))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/boot/kernel")
                .hasMessageContaining("flag bits 3, 7");
    }

    @Test
    void headerMustBeWithinTheFirst8KiBWithAValidChecksum() {
        byte[] late = TestImages.concat(new byte[8192], aout());
        assertThatThrownBy(() -> prepare(late, RAM_64M)).hasMessageContaining("no multiboot header in the first 8192");

        byte[] bad = aout();
        bad[8]++;
        assertThatThrownBy(() -> prepare(bad, RAM_64M)).hasMessageContaining("wrong checksum");

        byte[] last = TestImages.concat(new byte[8192 - 12], TestImages.concat(TestImages.multibootMagicOnly(3), CODE));
        assertThatThrownBy(() -> prepare(last, RAM_64M)).as("found at 8180, then not ELF")
                .hasMessageContaining("not ELF");
    }

    @Test
    void aoutAddressFieldsAreChecked() {
        byte[] loadAboveHeader = TestImages.concat(
                TestImages.multibootHeader(0x10003, LOAD, LOAD + 16, 0, 0, LOAD + 32), CODE);
        assertThatThrownBy(() -> prepare(loadAboveHeader, RAM_64M)).hasMessageContaining("above header_addr");

        byte[] beforeFile = TestImages.concat(
                TestImages.multibootHeader(0x10003, LOAD + 64, LOAD, 0, 0, LOAD + 80), CODE);
        assertThatThrownBy(() -> prepare(beforeFile, RAM_64M)).hasMessageContaining("before the start of the file");

        byte[] truncated = TestImages.concat(
                TestImages.multibootHeader(0x10003, LOAD, LOAD, LOAD + 0x1000, 0, LOAD + 32), CODE);
        assertThatThrownBy(() -> prepare(truncated, RAM_64M)).hasMessageContaining("truncated");

        byte[] bssBelowData = TestImages.concat(
                TestImages.multibootHeader(0x10003, LOAD, LOAD, LOAD + 35, LOAD + 20, LOAD + 32), CODE);
        assertThatThrownBy(() -> prepare(bssBelowData, RAM_64M)).hasMessageContaining("bss_end_addr");

        byte[] entryOutside = TestImages.concat(
                TestImages.multibootHeader(0x10003, LOAD, LOAD, 0, 0, LOAD + 0x5000), CODE);
        assertThatThrownBy(() -> prepare(entryOutside, RAM_64M)).hasMessageContaining("entry_addr 0x105000");

        byte[] headerCut = java.util.Arrays.copyOf(aout(), 20);
        assertThatThrownBy(() -> prepare(headerCut, RAM_64M)).hasMessageContaining("run past the end of the file");
    }

    @Test
    void withoutAddressFieldsTheImageMustBeElf() {
        byte[] flat = TestImages.concat(TestImages.multibootMagicOnly(3), CODE);
        assertThatThrownBy(() -> prepare(flat, RAM_64M))
                .hasMessageContaining("no address fields")
                .hasMessageContaining("not ELF");
    }

    @Test
    void brokenElf32IsRefused() {
        byte[] elf = TestImages.multibootElf32(LOAD, LOAD, CODE, 0);
        TestImages.le(elf).putInt(24, (int) (LOAD + 0x9000)); // e_entry outside the segment
        assertThatThrownBy(() -> prepare(elf, RAM_64M)).hasMessageContaining("outside every loaded segment");

        byte[] cut = TestImages.multibootElf32(LOAD, LOAD, CODE, 0);
        TestImages.le(cut).putInt(52 + 16, 0x10000); // p_filesz past the end of the file
        TestImages.le(cut).putInt(52 + 20, 0x10000);
        assertThatThrownBy(() -> prepare(cut, RAM_64M)).hasMessageContaining("truncated");
    }

    @Test
    void kernelMustFitInRamBelow4GiBAndKeepClearOfTheLoadersStructures() {
        assertThatThrownBy(() -> prepare(aout(), RamLayout.of(1L << 20)))
                .hasMessageContaining("is not inside guest RAM");

        byte[] low = TestImages.multibootAout(0, 0x8000, CODE, 0);
        assertThatThrownBy(() -> prepare(low, RAM_64M))
                .hasMessageContaining("multiboot information area")
                .hasMessageContaining("overlaps the kernel image");

        byte[] high = TestImages.multibootElf64(5L << 30, 5L << 30, CODE, 0);
        assertThatThrownBy(() -> prepare(high, RamLayout.of(8L << 30))).hasMessageContaining("above 4 GiB");
    }

    @Test
    void initrdThatDoesNotFitAfterTheKernelIsRefused() {
        byte[] initrd = new byte[3 << 20];
        assertThatThrownBy(() -> MultibootLoader.prepare("k", aout(), "big.img", initrd, "", RamLayout.of(4L << 20)))
                .hasMessageContaining("initrd big.img")
                .hasMessageContaining("not inside guest RAM");
    }

    @Test
    void commandLineLongerThanTheLowMemoryAreaIsRefused() {
        String huge = "x".repeat(700 * 1024);
        assertThatThrownBy(() -> MultibootLoader.prepare("k", aout(), null, null, huge, RAM_64M))
                .hasMessageContaining("shorten boot.cmdline");
        assertThatThrownBy(() -> MultibootLoader.prepare("k", aout(), null, null, "a\0b", RAM_64M))
                .hasMessageContaining("NUL");
    }
}
