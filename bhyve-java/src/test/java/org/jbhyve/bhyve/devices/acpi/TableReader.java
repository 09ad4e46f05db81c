package org.jbhyve.bhyve.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.jbhyve.vmm.GuestMemory;

/** Reads firmware tables back out of guest memory, checking what every table must satisfy. */
final class TableReader {
    private final GuestMemory mem;

    TableReader(GuestMemory mem) {
        this.mem = mem;
    }

    int u8(long gpa) {
        return mem.readByte(gpa) & 0xff;
    }

    int u16(long gpa) {
        return mem.readShort(gpa) & 0xffff;
    }

    long u32(long gpa) {
        return mem.readInt(gpa) & 0xffff_ffffL;
    }

    long u64(long gpa) {
        return mem.readLong(gpa);
    }

    String ascii(long gpa, int n) {
        byte[] b = new byte[n];
        mem.read(gpa, b, 0, n);
        return new String(b, StandardCharsets.US_ASCII);
    }

    byte[] bytes(long gpa, int n) {
        byte[] b = new byte[n];
        mem.read(gpa, b, 0, n);
        return b;
    }

    int sum(long gpa, int n) {
        int s = 0;
        for (byte x : bytes(gpa, n)) s += x;
        return s & 0xff;
    }

    /** Checks signature, length bounds and checksum of the SDT at {@code gpa}; returns its length. */
    int sdt(long gpa, String signature) {
        assertThat(ascii(gpa, 4)).as("signature at 0x%x", gpa).isEqualTo(signature);
        int length = (int) u32(gpa + 4);
        assertThat(length).as("%s length", signature).isGreaterThanOrEqualTo(36);
        assertThat(sum(gpa, length)).as("%s checksum", signature).isZero();
        assertThat(ascii(gpa + 10, 6)).isEqualTo("BHYVE ");
        assertThat(ascii(gpa + 16, 8)).isEqualTo(String.format("BV%-6s", signature));
        return length;
    }

    /** Reads a 12-byte Generic Address Structure as {space, bitWidth, bitOffset, accessSize, address}. */
    long[] gas(long gpa) {
        return new long[] {u8(gpa), u8(gpa + 1), u8(gpa + 2), u8(gpa + 3), u64(gpa + 4)};
    }
}
