package org.jbhyve.bhyve.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CFI subset bhyve emulates for the UEFI variable store, driven through its MMIO handler. */
class FlashVarsTest {
    private static final long GPA = 0xffc00000L;

    @TempDir
    Path dir;

    private Path vars() throws IOException {
        byte[] b = new byte[8192];
        for (int i = 0; i < b.length; i++) b[i] = (byte) i;
        return Files.write(dir.resolve("vars.fd"), b);
    }

    @Test
    void readsReturnTheFileUntilACommandChangesThat() throws IOException {
        try (FlashVars f = FlashVars.open(vars(), 8192, GPA)) {
            assertThat(f.read(GPA + 0x10, 1)).isEqualTo(0x10);
            assertThat(f.read(GPA + 0x10, 4)).isEqualTo(0x13121110L);
            assertThat(f.read(GPA + 0x10, 8)).isEqualTo(0x1716151413121110L);

            f.write(GPA, 1, FlashVars.CMD_READ_STATUS);
            assertThat(f.read(GPA + 0x10, 1)).as("status: ready").isZero();
            assertThat(f.read(GPA + 0x10, 1)).as("back to read-array").isEqualTo(0x10);

            f.write(GPA, 1, FlashVars.CMD_CLEAR_STATUS);
            assertThat(f.read(GPA, 4)).isZero();

            f.write(GPA + 0x20, 1, 0x20); // block erase: remembered, not emulated (as in bhyve)
            f.write(GPA + 0x20, 1, 0xd0);
            assertThat(f.read(GPA + 0x20, 1)).isEqualTo(0x20);
        }
    }

    @Test
    void writeByteStoresTheNextWriteInTheFile() throws IOException {
        Path file = vars();
        FlashVars f = FlashVars.open(file, 8192, GPA);
        f.write(GPA + 0x100, 1, FlashVars.CMD_WRITE_BYTE);
        f.write(GPA + 0x100, 1, 0xab);
        f.write(GPA + 0x200, 1, 0x55); // no Write Byte first: just a command, the data stays
        f.write(GPA + 0x300, 1, FlashVars.CMD_WRITE_BYTE);
        f.write(GPA + 0x300, 4, 0xdeadbeefL);
        assertThat(f.read(GPA + 0x100, 1)).isEqualTo(0xab);
        f.close();

        byte[] saved = Files.readAllBytes(file);
        assertThat(saved[0x100]).isEqualTo((byte) 0xab);
        assertThat(saved[0x200]).isEqualTo((byte) 0x00);
        assertThat(new byte[] {saved[0x300], saved[0x301], saved[0x302], saved[0x303]})
                .containsExactly(0xef, 0xbe, 0xad, 0xde);
        assertThat(saved[0x304]).isEqualTo((byte) 0x04);
        assertThat(f.read(GPA, 1)).as("closed: all ones, no access to the unmapped file").isEqualTo(0xff);
    }

    @Test
    void accessesOutsideTheStoreAreIgnored() throws IOException {
        Path file = vars();
        try (FlashVars f = FlashVars.open(file, 8192, GPA)) {
            assertThat(f.read(GPA + 8190, 4)).as("straddles the end").isEqualTo(0xffffffffL);
            assertThat(f.read(GPA - 1, 1)).isEqualTo(0xff);
            assertThat(f.read(GPA + 8192, 8)).isEqualTo(-1L);
            f.write(GPA + 8190, 1, FlashVars.CMD_WRITE_BYTE);
            f.write(GPA + 8190, 4, 0x11223344);
        }
        byte[] saved = Files.readAllBytes(file);
        assertThat(saved).hasSize(8192);
        assertThat(saved[8190]).as("the straddling write changed nothing").isEqualTo((byte) 8190);
    }
}
