package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Choosing the loader from bhyve_config keys, and the one clear error for every wrong combination. */
class BootLoadersTest {
    private static final long MEM = 256L << 20;

    @TempDir
    Path dir;

    private ConfigTree cfg(String... keyValues) {
        ConfigTree t = new ConfigTree();
        for (int i = 0; i < keyValues.length; i += 2) t.set(keyValues[i], keyValues[i + 1]);
        return t;
    }

    private String write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes).toString();
    }

    private String rom() throws IOException {
        return write("code.fd", new byte[8192]);
    }

    private String multiboot() throws IOException {
        return write("mb.kernel", TestImages.multibootAout(0, 0x100000, new byte[] {(byte) 0xf4}, 0));
    }

    @Test
    void nothingToBootExplainsThatBhyveloadCannotBeRunAndWhatToPassInstead() {
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg(), MEM))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bhyveload")
                .hasMessageContaining("-o boot.kernel=PATH")
                .hasMessageContaining("-l bootrom,ROM[,VARS]");
    }

    @Test
    void kernelFormatIsFoundFromTheContent() throws IOException {
        try (BootLoader l = BootLoaders.fromConfig(cfg("boot.kernel", multiboot(), "boot.cmdline", "-v"), MEM)) {
            assertThat(l).isInstanceOf(MultibootLoader.class);
            assertThat(((MultibootLoader) l).commandLine()).endsWith("mb.kernel -v");
        }
        String bz = write("bzImage", new TestImages.BzImage().build());
        try (BootLoader l = BootLoaders.fromConfig(cfg("boot.kernel", bz), MEM)) {
            assertThat(l).isInstanceOf(LinuxLoader.class);
        }
        try (BootLoader l = BootLoaders.fromConfig(cfg("boot.kernel", TestGuests.path("serial").toString()), MEM)) {
            assertThat(l).isInstanceOf(ElfKernelLoader.class);
        }
        try (BootLoader l = BootLoaders.fromConfig(cfg("bootrom", rom()), MEM)) {
            assertThat(l).isInstanceOf(BootRom.class);
        }
    }

    @Test
    void multibootHeaderWinsOverElf() throws IOException {
        // An ELF32 with a multiboot header is a multiboot kernel, as with QEMU's -kernel.
        String k = write("elf-mb", TestImages.multibootElf32(0x100000, 0x100000, new byte[] {(byte) 0xf4}, 0));
        assertThat(KernelFormat.detect(k, Files.readAllBytes(Path.of(k)))).isEqualTo(KernelFormat.MULTIBOOT);
        try (BootLoader l = BootLoaders.fromConfig(cfg("boot.kernel", k), MEM)) {
            assertThat(l).isInstanceOf(MultibootLoader.class);
        }
    }

    @Test
    void initrdAndCommandLineReachTheLinuxKernelAndAcpiTablesDecideTheRsdp() throws IOException {
        String bz = write("bzImage", new TestImages.BzImage().build());
        String initrd = write("initrd", new byte[5000]);
        try (BootLoader l = BootLoaders.fromConfig(cfg("boot.kernel", bz, "boot.initrd", initrd,
                "boot.cmdline", "quiet"), MEM)) {
            LinuxLoader linux = (LinuxLoader) l;
            ByteBuffer zp = ByteBuffer.wrap(linux.zeroPage()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(zp.getInt(0x21c)).isEqualTo(5000);
            assertThat(zp.getLong(0x70)).isEqualTo(MemoryMap.ACPI_BASE);
            assertThat(new Planned(linux.plan()).cString(LinuxLoader.CMDLINE_ADDR)).isEqualTo("quiet");
        }
        try (BootLoader l = BootLoaders.fromConfig(cfg("boot.kernel", bz, "acpi_tables", "false"), MEM)) {
            assertThat(ByteBuffer.wrap(((LinuxLoader) l).zeroPage()).order(ByteOrder.LITTLE_ENDIAN).getLong(0x70))
                    .isZero();
        }
    }

    @Test
    void lpcAndTopLevelBootromKeysAreBothAcceptedButMustAgree() throws IOException {
        String rom = rom();
        String vars = write("vars.fd", new byte[4096]);
        try (BootLoader l = BootLoaders.fromConfig(cfg("lpc.bootrom", rom, "lpc.bootvars", vars), MEM)) {
            assertThat(((BootRom) l).varsAddress()).isEqualTo((1L << 32) - 8192 - 4096);
        }
        try (BootLoader l = BootLoaders.fromConfig(cfg("bootrom", rom, "lpc.bootrom", rom, "bootvars", vars), MEM)) {
            assertThat(((BootRom) l).varsSize()).isEqualTo(4096);
        }
        String other = write("other.fd", new byte[4096]);
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("bootrom", rom, "lpc.bootrom", other), MEM))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("disagree");
    }

    @Test
    void contradictoryOrIncompleteSettingsAreRefused() throws IOException {
        String kernel = multiboot();
        String rom = rom();
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", kernel, "bootrom", rom), MEM))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("both a kernel");
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("bootvars", rom), MEM))
                .hasMessageContaining("without a boot ROM");
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.initrd", rom), MEM))
                .hasMessageContaining("boot.initrd is set but boot.kernel is not");
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.cmdline", "x"), MEM))
                .hasMessageContaining("boot.cmdline is set but boot.kernel is not");
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", ""), MEM))
                .hasMessageContaining("boot.kernel is set to an empty path");
    }

    @Test
    void plainElfKernelsTakeNoCommandLineOrInitrd() {
        String elf = TestGuests.path("serial").toString();
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", elf, "boot.cmdline", "single"), MEM))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(elf)
                .hasMessageContaining("plain ELF64 kernel");
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", elf, "boot.initrd", elf), MEM))
                .hasMessageContaining("boot.initrd");
    }

    @Test
    void badFilesGiveOneErrorNamingTheFile() throws IOException {
        String missing = dir.resolve("vmlinuz").toString();
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", missing), MEM))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cannot use kernel " + missing + ": no such file");

        String junk = write("junk", new byte[4096]);
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", junk), MEM))
                .hasMessageContaining(junk)
                .hasMessageContaining("neither a multiboot kernel");

        byte[] badSum = TestImages.multibootAout(0, 0x100000, new byte[] {(byte) 0xf4}, 0);
        badSum[8] ^= 1;
        String broken = write("broken", badSum);
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", broken), MEM))
                .hasMessageContaining("wrong checksum");

        Path huge = dir.resolve("huge");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(MEM + 1);
        }
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", huge.toString()), MEM))
                .hasMessageContaining("larger than the guest's 256 MiB of RAM");

        String kernel = multiboot();
        String bigInitrd = dir.resolve("initrd").toString();
        long small = 16L << 20;
        try (RandomAccessFile f = new RandomAccessFile(bigInitrd, "rw")) {
            f.setLength(small - (1 << 20)); // fits in RAM, but not above the kernel at 1 MiB
        }
        assertThatThrownBy(() -> BootLoaders.fromConfig(cfg("boot.kernel", kernel, "boot.initrd", bigInitrd), small))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("initrd " + bigInitrd)
                .hasMessageContaining("not inside guest RAM")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
