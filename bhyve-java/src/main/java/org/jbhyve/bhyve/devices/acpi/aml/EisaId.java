package org.jbhyve.bhyve.devices.acpi.aml;

/**
 * Compressed EISA identifiers (ACPI 6.5, 19.6.35 "EISAID"): {@code PNP0A03} becomes
 * {@code 0x030AD041}. Three upper-case letters of five bits each (letter - 0x40) and a 16-bit
 * product number form a big-endian 32-bit value; AML stores integers little-endian, so the value is
 * byte-swapped to keep the bytes in reading order.
 */
public final class EisaId {
    private EisaId() {}

    public static long encode(String id) {
        if (id.length() != 7) throw new IllegalArgumentException("EISA id must be 7 characters: " + id);
        int v = 0;
        for (int i = 0; i < 3; i++) {
            char c = id.charAt(i);
            if (c < 'A' || c > 'Z') throw new IllegalArgumentException("EISA id must start with 3 letters: " + id);
            v |= (c - 0x40) << (26 - 5 * i);
        }
        for (int i = 3; i < 7; i++) {
            int d = Character.digit(id.charAt(i), 16);
            if (d < 0 || Character.isLowerCase(id.charAt(i))) {
                throw new IllegalArgumentException("EISA id must end with 4 upper-case hex digits: " + id);
            }
            v |= d << (4 * (6 - i));
        }
        return Integer.reverseBytes(v) & 0xffff_ffffL;
    }

    /** The inverse of {@link #encode}, for readers and tests. */
    public static String decode(long value) {
        int v = Integer.reverseBytes((int) value);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) sb.append((char) (((v >>> (26 - 5 * i)) & 0x1f) + 0x40));
        sb.append(String.format("%04X", v & 0xffff));
        return sb.toString();
    }
}
