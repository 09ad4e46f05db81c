package org.jbhyve.bhyve.devices.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The Root System Description Pointer (ACPI 6.5, 5.2.5.3): 36 bytes, revision 2, pointing at both
 * the RSDT (for ACPI 1.0 readers) and the XSDT. Two checksums: the first over the ACPI 1.0 part
 * (bytes 0-19), the extended one over all 36 bytes.
 */
final class Rsdp {
    static final String SIGNATURE = "RSD PTR ";
    static final int LENGTH = 36, V1_LENGTH = 20;
    static final int REVISION = 2;
    static final int CHECKSUM_OFFSET = 8, EXTENDED_CHECKSUM_OFFSET = 32;

    private Rsdp() {}

    static byte[] build(long rsdtAddress, long xsdtAddress) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE.getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 0); // checksum, below
        b.put(SdtBuilder.OEM_ID.getBytes(StandardCharsets.US_ASCII));
        b.put((byte) REVISION);
        b.putInt((int) rsdtAddress);
        b.putInt(LENGTH);
        b.putLong(xsdtAddress);
        b.put((byte) 0); // extended checksum, below
        // 3 reserved bytes stay zero
        byte[] r = b.array();
        r[CHECKSUM_OFFSET] = SdtBuilder.checksum(r, 0, V1_LENGTH);
        r[EXTENDED_CHECKSUM_OFFSET] = SdtBuilder.checksum(r, 0, LENGTH);
        return r;
    }
}
