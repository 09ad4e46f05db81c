package org.jbhyve.bhyve.devices.acpi;

/**
 * The Firmware ACPI Control Structure, "FACS" (ACPI 6.5, 5.2.10): 64 bytes, version 2, no waking
 * vector and no global lock in use. Not an SDT: it has no checksum and no OEM fields, and it must
 * be 64-byte aligned. bhyve provides one; OSPM reads it for the global lock and S4/S3 vectors.
 */
final class Facs {
    static final String SIGNATURE = "FACS";
    static final int LENGTH = 64;
    static final int ALIGNMENT = 64;
    static final int VERSION = 2;

    private Facs() {}

    static byte[] build() {
        byte[] f = new byte[LENGTH];
        for (int i = 0; i < 4; i++) f[i] = (byte) SIGNATURE.charAt(i);
        f[4] = LENGTH;    // Length (u32)
        f[32] = VERSION;  // after hardware signature, waking vectors, global lock and flags
        return f;
    }
}
