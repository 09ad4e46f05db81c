package org.jbhyve.bhyve.boot;

import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks ElfKernelLoader adds in front of vmmapi's LongModeSetup, made before a VM exists. */
class ElfKernelLoaderTest {
    private static final byte[] CODE = {(byte) 0xf4};

    @Test
    void testGuestIsAcceptedWithItsEntry() throws IOException {
        byte[] elf = Files.readAllBytes(TestGuests.path("serial"));
        ElfKernelLoader l = ElfKernelLoader.prepare("serial", elf, RamLayout.of(16L << 20));
        assertThat(l.entryPoint()).isBetween(TestGuests.LOAD_ADDRESS, 0x400000L);
        assertThat(l.describe()).contains("serial");
    }

    @Test
    void imagesTheLongModeSetupCannotStartAreRefused() {
        RamLayout ram = RamLayout.of(16L << 20);
        assertThatThrownBy(() -> ElfKernelLoader.prepare("low", TestImages.multibootElf64(0x10000, 0x10000, CODE, 0), ram))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low")
                .hasMessageContaining("below 0x80000");
        assertThatThrownBy(() -> ElfKernelLoader.prepare("big", TestImages.multibootElf64(0x100000, 0x100000, CODE,
                32L << 20), ram))
                .hasMessageContaining("not inside guest RAM");
        assertThatThrownBy(() -> ElfKernelLoader.prepare("high", TestImages.multibootElf64(0xffffffff80100000L,
                0x100000, CODE, 0), ram))
                .hasMessageContaining("linked at 0xffffffff80100000 but loaded at 0x100000");
        assertThatThrownBy(() -> ElfKernelLoader.prepare("elf32", TestImages.multibootElf32(0x100000, 0x100000, CODE, 0),
                ram))
                .hasMessageContaining("not a 64-bit ELF");
    }
}
