package org.jbhyve.vmm.boot;

import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ELF images are checked completely before anything reaches the guest. */
class ElfImageTest {

    private static byte[] serial() throws Exception {
        return Files.readAllBytes(TestGuests.path("serial"));
    }

    @Test
    void aTestGuestParses() throws Exception {
        ElfImage img = ElfImage.parse("serial", serial());
        assertThat(img.entry()).isEqualTo(0x100000);
        assertThat(img.lowestAddress()).isEqualTo(0x100000);
        assertThat(img.segments()).isNotEmpty();
    }

    @Test
    void truncatedImagesAreRefusedWithTheReason() throws Exception {
        byte[] full = serial();
        assertThatThrownBy(() -> ElfImage.parse("t", Arrays.copyOf(full, 20)))
                .hasMessageContaining("shorter than an ELF64 header");
        assertThatThrownBy(() -> ElfImage.parse("t", Arrays.copyOf(full, 100)))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> ElfImage.parse("t", Arrays.copyOf(full, full.length / 2 + 200)))
                .hasMessageContaining("truncated");
    }

    @Test
    void wrongKindsOfFileAreRefused() throws Exception {
        byte[] bad = serial();
        bad[0] = 'X';
        assertThatThrownBy(() -> ElfImage.parse("x", bad)).hasMessageContaining("bad magic");
        byte[] elf32 = serial();
        elf32[4] = 1;
        assertThatThrownBy(() -> ElfImage.parse("x", elf32)).hasMessageContaining("not a 64-bit");
        byte[] arm = serial();
        ByteBuffer.wrap(arm).order(ByteOrder.LITTLE_ENDIAN).putShort(18, (short) 183);
        assertThatThrownBy(() -> ElfImage.parse("x", arm)).hasMessageContaining("not an x86-64");
        byte[] entry = serial();
        ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 0x10);
        assertThatThrownBy(() -> ElfImage.parse("x", entry)).hasMessageContaining("outside every segment");
    }

    @Test
    void aSegmentWhoseFileSizeExceedsItsMemorySizeIsRefused() throws Exception {
        byte[] b = serial();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = bb.getLong(32);
        int ph = (int) phoff;
        bb.putLong(ph + 40, 1); // p_memsz of the first header
        assertThatThrownBy(() -> ElfImage.parse("x", b)).hasMessageContaining("file size");
    }

    /**
     * A program header offset so large that offset + table size wraps past 2^63 is refused like any other
     * table past the end of the file; it passed the check and failed with an IndexOutOfBoundsException.
     */
    @Test
    void aProgramHeaderOffsetThatWrapsAroundIsRefused() throws Exception {
        for (long phoff : new long[] {0x7ffffffffffffff5L, Long.MAX_VALUE, 0x7fffffffL}) {
            byte[] b = serial();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(32, phoff);
            assertThatThrownBy(() -> ElfImage.parse("x", b)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad ELF image x: program headers run past the end of the file (truncated?)");
        }
    }
}
