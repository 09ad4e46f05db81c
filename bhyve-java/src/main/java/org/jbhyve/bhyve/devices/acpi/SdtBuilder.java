package org.jbhyve.bhyve.devices.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds one System Description Table: the 36-byte header (ACPI 6.5, 5.2.6) followed by the
 * table's fields in order, little-endian. {@link #finish()} fills in Length and Checksum.
 *
 * <p>Header identity is bhyve's: OEM ID "BHYVE ", OEM table ID "BV" + signature, OEM revision 1,
 * creator "BASL" revision 20220504, so tools that recognise bhyve guests recognise jbhyve's.
 */
final class SdtBuilder {
    static final int HEADER_LENGTH = 36;
    static final int LENGTH_OFFSET = 4, CHECKSUM_OFFSET = 9;
    static final String OEM_ID = "BHYVE ";
    static final String CREATOR_ID = "BASL";
    static final int CREATOR_REVISION = 0x20220504;

    // Generic Address Structure (ACPI 6.5, 5.2.3.2) address spaces and access sizes.
    static final int SPACE_SYSTEM_MEMORY = 0, SPACE_SYSTEM_IO = 1;
    static final int ACCESS_UNDEFINED = 0, ACCESS_BYTE = 1, ACCESS_WORD = 2, ACCESS_DWORD = 3;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    SdtBuilder(String signature, int revision) {
        ascii(signature, 4);
        u32(0); // Length, patched by finish()
        u8(revision);
        u8(0);  // Checksum, patched by finish()
        ascii(OEM_ID, 6);
        ascii("BV" + signature, 8);
        u32(1); // OEM revision
        ascii(CREATOR_ID, 4);
        u32(CREATOR_REVISION);
    }

    int position() {
        return out.size();
    }

    SdtBuilder u8(int v) {
        out.write(v);
        return this;
    }

    SdtBuilder u16(int v) {
        return le(v, 2);
    }

    SdtBuilder u32(long v) {
        return le(v, 4);
    }

    SdtBuilder u64(long v) {
        return le(v, 8);
    }

    SdtBuilder zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    SdtBuilder bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** {@code s} padded with spaces to {@code width} bytes. */
    SdtBuilder ascii(String s, int width) {
        if (s.length() > width) throw new IllegalArgumentException("'" + s + "' is longer than " + width);
        out.writeBytes(String.format("%-" + width + "s", s).getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** A 12-byte Generic Address Structure. */
    SdtBuilder gas(int space, int bitWidth, int bitOffset, int accessSize, long address) {
        return u8(space).u8(bitWidth).u8(bitOffset).u8(accessSize).u64(address);
    }

    /** An all-zero Generic Address Structure: "this register is not implemented". */
    SdtBuilder noGas() {
        return zeros(12);
    }

    /** The finished table: Length set to its size and Checksum making all bytes sum to zero. */
    byte[] finish() {
        byte[] t = out.toByteArray();
        int n = t.length;
        for (int k = 0; k < 4; k++) t[LENGTH_OFFSET + k] = (byte) (n >>> (8 * k));
        t[CHECKSUM_OFFSET] = checksum(t, 0, n);
        return t;
    }

    private SdtBuilder le(long v, int size) {
        for (int k = 0; k < size; k++) out.write((int) (v >>> (8 * k)));
        return this;
    }

    /** The byte that makes {@code b[from, from+len)} sum to zero modulo 256 (with itself counted as 0 now). */
    static byte checksum(byte[] b, int from, int len) {
        int sum = 0;
        for (int i = from; i < from + len; i++) sum += b[i];
        return (byte) -sum;
    }
}
