package org.jbhyve.bhyve.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bhyve's rules for ROM and VARS files (bootrom.c), checked before a VM exists. */
class BootRomTest {
    @TempDir
    Path dir;

    private Path file(String name, long size) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size); // sparse: big files cost nothing
        }
        return p;
    }

    @Test
    void romEndsAt4GiBAndVariablesSitDirectlyBelowIt() throws IOException {
        try (BootRom rom = BootRom.prepare(file("code.fd", 2L << 20), file("vars.fd", 128 << 10))) {
            assertThat(rom.romAddress()).isEqualTo((1L << 32) - (2L << 20));
            assertThat(rom.romAddress() + rom.romSize()).isEqualTo(1L << 32);
            assertThat(rom.varsAddress()).isEqualTo(rom.romAddress() - (128 << 10));
            assertThat(rom.varsSize()).isEqualTo(128 << 10);
            assertThat(rom.describe()).contains("code.fd").contains("vars.fd").contains("0xffe00000");
        }
        try (BootRom rom = BootRom.prepare(file("whole.fd", 16L << 20), null)) {
            assertThat(rom.romAddress()).as("a 16 MiB ROM fills the window").isEqualTo(0xff000000L);
            assertThat(rom.varsAddress()).isEqualTo(-1);
        }
    }

    @Test
    void romSizeMustBeAWholeNumberOfPagesUpTo16MiB() throws IOException {
        assertThatThrownBy(() -> BootRom.prepare(file("odd.fd", 4095), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("odd.fd")
                .hasMessageContaining("not a multiple of 4 KiB");
        assertThatThrownBy(() -> BootRom.prepare(file("empty.fd", 0), null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> BootRom.prepare(file("huge.fd", (16L << 20) + 4096), null))
                .hasMessageContaining("huge.fd")
                .hasMessageContaining("larger than the 16 MiB boot ROM window");
        assertThatThrownBy(() -> BootRom.prepare(dir.resolve("missing.fd"), null))
                .hasMessageContaining("missing.fd: no such file");
        assertThatThrownBy(() -> BootRom.prepare(dir, null)).hasMessageContaining("not a regular file");
    }

    @Test
    void variableStoreMustBeAtLeastAPageAndShareTheWindowWithTheRom() throws IOException {
        Path rom = file("rom.fd", 12L << 20);
        assertThatThrownBy(() -> BootRom.prepare(rom, file("small.fd", 100)))
                .hasMessageContaining("small.fd")
                .hasMessageContaining("at least 4 KiB");
        assertThatThrownBy(() -> BootRom.prepare(rom, file("big.fd", 5L << 20)))
                .hasMessageContaining("big.fd")
                .hasMessageContaining("at most 4 MiB");
        assertThatThrownBy(() -> BootRom.prepare(rom, dir.resolve("nope.fd")))
                .hasMessageContaining("nope.fd: no such file");
        try (BootRom ok = BootRom.prepare(rom, file("fits.fd", 4L << 20))) {
            assertThat(ok.varsAddress()).isEqualTo(0xff000000L);
        }
    }

    /**
     * {@code -l bootrom,CODE.fd,CODE.fd} (or a link to it) is refused: the ROM file was mapped as the variable
     * store, and the firmware's variable writes went into the firmware image that other VMs boot from.
     */
    @Test
    void theRomFileItselfIsNoVariableStore() throws IOException {
        Path rom = file("code.fd", 64 << 10);
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("link.fd"), rom.getFileName());
        for (Path vars : new Path[] {rom, link}) {
            assertThatThrownBy(() -> BootRom.prepare(rom, vars)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot use boot ROM variable store " + vars + ": it is the boot ROM file itself, which the"
                            + " firmware would then write its variables into; give a copy of the variable template (such"
                            + " as BHYVE_UEFI_VARS.fd) for this VM");
        }
    }

    @Test
    void closingWithoutAVariableStoreIsHarmlessAndIdempotent() throws IOException {
        BootRom loaded = BootRom.prepare(Files.write(dir.resolve("rom.fd"), new byte[8192]), null);
        assertThat(loaded.romSize()).isEqualTo(8192);
        loaded.close();
        loaded.close();
    }
}
