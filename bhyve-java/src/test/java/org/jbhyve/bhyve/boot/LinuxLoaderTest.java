package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MemoryMap;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Setup header checks, kernel and initrd placement and the zero page, on synthetic bzImages, without a VM. */
class LinuxLoaderTest {
    private static final RamLayout RAM_128M = RamLayout.of(128L << 20);
    private static final long RSDP = MemoryMap.ACPI_BASE;

    private static LinuxLoader prepare(TestImages.BzImage bz, byte[] initrd, String cmdline, RamLayout ram) {
        return LinuxLoader.prepare("bzImage", bz.build(), initrd == null ? null : "initrd.gz", initrd, cmdline, RSDP, ram);
    }

    private static ByteBuffer zeroPage(LinuxLoader l) {
        return ByteBuffer.wrap(l.zeroPage()).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void zeroPageCarriesTheSetupHeaderAndWhatTheLoaderFillsIn() {
        TestImages.BzImage bz = new TestImages.BzImage();
        byte[] image = bz.build();
        byte[] initrd = new byte[10000];
        LinuxLoader l = prepare(bz, initrd, "console=ttyS0", RAM_128M);
        ByteBuffer zp = zeroPage(l);

        assertThat(Arrays.copyOfRange(l.zeroPage(), 0x1f1, 0x210))
                .as("setup header copied verbatim up to the fields the loader writes")
                .isEqualTo(Arrays.copyOfRange(image, 0x1f1, 0x210));
        assertThat(Arrays.copyOfRange(l.zeroPage(), 0x22c, bz.headerEnd))
                .isEqualTo(Arrays.copyOfRange(image, 0x22c, bz.headerEnd));
        assertThat(zp.get(0x210) & 0xff).as("type_of_loader").isEqualTo(0xff);
        assertThat(zp.get(0x211) & 0xff).as("loadflags: LOADED_HIGH | CAN_USE_HEAP").isEqualTo(0x81);
        assertThat(zp.getShort(0x224) & 0xffff).as("heap_end_ptr").isEqualTo(0xfe00);
        assertThat(zp.getInt(0x228)).as("cmd_line_ptr").isEqualTo((int) LinuxLoader.CMDLINE_ADDR);
        assertThat(zp.getInt(0x214)).as("code32_start = load address").isEqualTo(0x1000000);
        assertThat(zp.getInt(0x218)).as("ramdisk_image").isEqualTo((int) l.initrdAddress());
        assertThat(zp.getInt(0x21c)).as("ramdisk_size").isEqualTo(10000);
        assertThat(zp.getLong(0x070)).as("acpi_rsdp_addr (2.14+)").isEqualTo(RSDP);
        assertThat(zp.get(0x1ef)).as("sentinel").isZero();
        assertThat(Arrays.copyOfRange(l.zeroPage(), 0, 0x70)).as("screen_info etc. zero").containsOnly(0);

        assertThat(l.kernelAddress()).as("relocatable kernel at its pref_address").isEqualTo(0x1000000);
        assertThat(l.entryPoint()).as("64-bit entry").isEqualTo(0x1000200);
        assertThat(l.initrdAddress()).as("page aligned, as high as possible")
                .isEqualTo(((128L << 20) - 10000) & -4096);

        Planned p = new Planned(l.plan());
        assertThat(p.cString(LinuxLoader.CMDLINE_ADDR)).isEqualTo("console=ttyS0");
        assertThat(p.bytes(LinuxLoader.ZERO_PAGE_ADDR, 4096)).isEqualTo(l.zeroPage());
        MemoryPlan.Piece kernel = p.piece("protected-mode kernel");
        assertThat(kernel.offset()).isEqualTo(bz.setupBytes());
        assertThat(kernel.length()).isEqualTo(image.length - bz.setupBytes());
    }

    @Test
    void e820ListsLowmemTheLegacyHoleAndHighmem() {
        LinuxLoader l = prepare(new TestImages.BzImage(), null, "", RamLayout.of(6L << 30));
        ByteBuffer zp = zeroPage(l);
        List<E820Map.Entry> expected = List.of(
                new E820Map.Entry(0, 0xa0000, E820Map.TYPE_RAM),
                new E820Map.Entry(0xa0000, 0x60000, E820Map.TYPE_RESERVED),
                new E820Map.Entry(0x100000, (3L << 30) - 0x100000, E820Map.TYPE_RAM),
                new E820Map.Entry(MemoryMap.PCI_ECAM_BASE, MemoryMap.PCI_ECAM_SIZE, E820Map.TYPE_RESERVED),
                new E820Map.Entry(4L << 30, 3L << 30, E820Map.TYPE_RAM));
        assertThat(zp.get(0x1e8)).as("e820_entries").isEqualTo((byte) expected.size());
        for (int i = 0; i < expected.size(); i++) {
            int o = 0x2d0 + i * 20;
            assertThat(new E820Map.Entry(zp.getLong(o), zp.getLong(o + 8), zp.getInt(o + 16))).isEqualTo(expected.get(i));
        }
        assertThat(zp.getLong(0x2d0 + expected.size() * 20)).as("nothing after the last entry").isZero();
        assertThat(zp.getInt(0x218)).as("no initrd").isZero();
    }

    @Test
    void rsdpAddressOnlyForProtocol214AndNewer() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.version = 0x020d;
        assertThat(zeroPage(prepare(bz, null, "", RAM_128M)).getLong(0x70)).isZero();
        bz.version = 0x020e;
        assertThat(zeroPage(prepare(bz, null, "", RAM_128M)).getLong(0x70)).isEqualTo(RSDP);
    }

    @Test
    void nonRelocatableKernelGoesTo1MiBAndEntersAt32BitCode32Start() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.relocatable = false;
        bz.xloadflags = 0;
        bz.prefAddress = 0x100000;
        LinuxLoader l = prepare(bz, null, "", RAM_128M);
        assertThat(l.kernelAddress()).isEqualTo(0x100000);
        assertThat(l.entryPoint()).isEqualTo(0x100000);
        assertThat(l.uses64BitEntry()).isFalse();
        assertThat(zeroPage(l).getInt(0x214)).isEqualTo(0x100000);
    }

    @Test
    void setupSectsZeroMeansFour() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.setupSects = 0;
        LinuxLoader l = prepare(bz, null, "", RAM_128M);
        assertThat(new Planned(l.plan()).piece("protected-mode kernel").offset()).isEqualTo(5 * 512);
    }

    @Test
    void initrdStaysBelowInitrdAddrMaxAndClearOfTheDecompressingKernel() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.initrdAddrMax = 0x2ffffff; // the highest byte it may use
        LinuxLoader l = prepare(bz, new byte[0x3000], "", RAM_128M);
        assertThat(l.initrdAddress()).isEqualTo(0x3000000 - 0x3000);

        // 32 MiB of RAM; the kernel runs from 16 MiB and needs init_size = 2 MiB: 14 MiB are left above it.
        RamLayout ram = RamLayout.of(32L << 20);
        assertThat(prepare(new TestImages.BzImage(), new byte[14 << 20], "", ram).initrdAddress()).isEqualTo(18L << 20);
        assertThatThrownBy(() -> prepare(new TestImages.BzImage(), new byte[(14 << 20) + 1], "", ram))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bzImage")
                .hasMessageContaining("initrd initrd.gz")
                .hasMessageContaining("does not fit")
                .hasMessageContaining("0x1200000"); // the end of the kernel's memory
    }

    @Test
    void kernelWithoutRoomToDecompressIsRefused() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.initSize = 0x900000; // from 16 MiB: up to 25 MiB
        assertThatThrownBy(() -> prepare(bz, null, "", RamLayout.of(24L << 20)))
                .hasMessageContaining("memory the kernel decompresses into (init_size)")
                .hasMessageContaining("not inside guest RAM");
    }

    @Test
    void commandLineIsLimitedByCmdlineSize() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.cmdlineSize = 16;
        assertThat(new Planned(prepare(bz, null, "0123456789abcdef", RAM_128M).plan()).cString(LinuxLoader.CMDLINE_ADDR))
                .isEqualTo("0123456789abcdef");
        assertThatThrownBy(() -> prepare(bz, null, "0123456789abcdefg", RAM_128M))
                .hasMessageContaining("17 bytes")
                .hasMessageContaining("at most 16 (cmdline_size)");
        assertThatThrownBy(() -> prepare(new TestImages.BzImage(), null, "a\0b", RAM_128M)).hasMessageContaining("NUL");
        String utf8 = "root=/dev/vda é";
        assertThat(new Planned(prepare(new TestImages.BzImage(), null, utf8, RAM_128M).plan())
                .bytes(LinuxLoader.CMDLINE_ADDR, utf8.getBytes(StandardCharsets.UTF_8).length))
                .isEqualTo(utf8.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oldProtocolIsRefusedWithItsVersion() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.version = 0x0204;
        assertThatThrownBy(() -> prepare(bz, null, "", RAM_128M))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bzImage")
                .hasMessageContaining("boot protocol 2.04 is too old")
                .hasMessageContaining("2.06");
    }

    @Test
    void zImageWithoutLoadedHighIsRefused() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.loadflags = 0;
        assertThatThrownBy(() -> prepare(bz, null, "", RAM_128M)).hasMessageContaining("LOADED_HIGH");
    }

    @Test
    void truncatedImagesAreRefused() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.syssize = (long) (bz.payload.length / 16 + 1);
        assertThatThrownBy(() -> prepare(bz, null, "", RAM_128M))
                .hasMessageContaining("syssize")
                .hasMessageContaining("truncated");

        byte[] image = new TestImages.BzImage().build();
        image[0x1f1] = 100; // setup sectors past the end of the file
        assertThatThrownBy(() -> LinuxLoader.prepare("bzImage", image, null, null, "", 0, RAM_128M))
                .hasMessageContaining("setup_sects says the real-mode part is 51712 bytes");

        byte[] headerOnly = Arrays.copyOf(new TestImages.BzImage().build(), 0x240);
        assertThatThrownBy(() -> LinuxLoader.prepare("bzImage", headerOnly, null, null, "", 0, RAM_128M))
                .hasMessageContaining("ends inside the setup header");

        byte[] tiny = Arrays.copyOf(new TestImages.BzImage().build(), 0x100);
        assertThatThrownBy(() -> LinuxLoader.prepare("bzImage", tiny, null, null, "", 0, RAM_128M))
                .hasMessageContaining("too short");
    }

    @Test
    void malformedHeadersAreRefused() {
        TestImages.BzImage noMagic = new TestImages.BzImage();
        byte[] image = noMagic.build();
        image[0x202] = 'X';
        assertThatThrownBy(() -> LinuxLoader.prepare("bzImage", image, null, null, "", 0, RAM_128M))
                .hasMessageContaining("HdrS");

        TestImages.BzImage bootFlag = new TestImages.BzImage();
        bootFlag.bootFlag = 0x1234;
        assertThatThrownBy(() -> prepare(bootFlag, null, "", RAM_128M)).hasMessageContaining("boot_flag");

        TestImages.BzImage longHeader = new TestImages.BzImage();
        longHeader.headerEnd = 0x2a0;
        assertThatThrownBy(() -> prepare(longHeader, null, "", RAM_128M)).hasMessageContaining("struct boot_params");

        TestImages.BzImage shortHeader = new TestImages.BzImage();
        shortHeader.headerEnd = 0x250; // protocol 2.15 has fields up to 0x264
        assertThatThrownBy(() -> prepare(shortHeader, null, "", RAM_128M)).hasMessageContaining("defines fields up to");

        TestImages.BzImage noEntry64 = new TestImages.BzImage();
        noEntry64.payload = new byte[0x200];
        assertThatThrownBy(() -> prepare(noEntry64, null, "", RAM_128M))
                .hasMessageContaining("ends before its 64-bit entry at offset 0x200");

        TestImages.BzImage alignment = new TestImages.BzImage();
        alignment.kernelAlignment = 0x300000;
        assertThatThrownBy(() -> prepare(alignment, null, "", RAM_128M)).hasMessageContaining("not a power of two");
    }
}
