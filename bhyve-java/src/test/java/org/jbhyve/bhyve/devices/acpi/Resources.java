package org.jbhyve.bhyve.devices.acpi;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a resource template buffer (ACPI 6.5, 6.4) into descriptors, for the kinds jbhyve writes.
 * Strict: every descriptor's length must be the one the spec gives, and the buffer must end with
 * exactly one End Tag.
 */
final class Resources {
    sealed interface Res {}

    record Io(boolean decode16, int min, int max, int alignment, int length) implements Res {}

    /** {@code flags} is -1 for IRQNoFlags. */
    record Irq(int mask, int flags) implements Res {}

    record Memory32Fixed(boolean readWrite, long base, long length) implements Res {}

    /** Word/DWord/QWord address space descriptor; {@code size} is 2, 4 or 8. */
    record Address(int size, int resourceType, int generalFlags, int typeFlags, long granularity,
                   long min, long max, long translation, long length) implements Res {}

    private Resources() {}

    static List<Res> decode(byte[] b) {
        List<Res> out = new ArrayList<>();
        int p = 0;
        while (true) {
            if (p >= b.length) throw new AssertionError("resource template without End Tag");
            int tag = b[p] & 0xff;
            if ((tag & 0x80) == 0) {
                int name = (tag >>> 3) & 0x0f, len = tag & 7;
                int body = p + 1;
                switch (name) {
                    case 0x0f -> { // End Tag
                        if (len != 1 || body + 1 != b.length) throw new AssertionError("End Tag is not last or malformed");
                        return out;
                    }
                    case 0x04 -> {
                        if (len != 2 && len != 3) throw new AssertionError("IRQ descriptor length " + len);
                        out.add(new Irq((int) u(b, body, 2), len == 3 ? b[body + 2] & 0xff : -1));
                    }
                    case 0x08 -> {
                        if (len != 7) throw new AssertionError("IO descriptor length " + len);
                        out.add(new Io((b[body] & 1) != 0, (int) u(b, body + 1, 2), (int) u(b, body + 3, 2),
                                b[body + 5] & 0xff, b[body + 6] & 0xff));
                    }
                    default -> throw new AssertionError("unexpected small descriptor 0x" + Integer.toHexString(tag));
                }
                p = body + len;
            } else {
                int len = (int) u(b, p + 1, 2);
                int body = p + 3;
                switch (tag) {
                    case 0x86 -> {
                        if (len != 9) throw new AssertionError("Memory32Fixed length " + len);
                        out.add(new Memory32Fixed((b[body] & 1) != 0, u(b, body + 1, 4), u(b, body + 5, 4)));
                    }
                    case 0x88, 0x87, 0x8a -> {
                        int size = tag == 0x88 ? 2 : tag == 0x87 ? 4 : 8;
                        if (len != 3 + 5 * size) throw new AssertionError("address descriptor length " + len);
                        int f = body + 3;
                        out.add(new Address(size, b[body] & 0xff, b[body + 1] & 0xff, b[body + 2] & 0xff,
                                u(b, f, size), u(b, f + size, size), u(b, f + 2 * size, size),
                                u(b, f + 3 * size, size), u(b, f + 4 * size, size)));
                    }
                    default -> throw new AssertionError("unexpected large descriptor 0x" + Integer.toHexString(tag));
                }
                p = body + len;
            }
        }
    }

    private static long u(byte[] b, int at, int size) {
        long v = 0;
        for (int k = 0; k < size; k++) v |= (long) (b[at + k] & 0xff) << (8 * k);
        return v;
    }
}
