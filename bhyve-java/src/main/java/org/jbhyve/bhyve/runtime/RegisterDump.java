package org.jbhyve.bhyve.runtime;

import java.lang.reflect.RecordComponent;

/**
 * A vCPU's registers as lines a person reads after a triple fault: every field of the register records in
 * hex, {@code name=value}, nested records (segments, descriptor tables) in braces, a few per line. The
 * records' own toString printed decimal numbers and array identities.
 */
final class RegisterDump {
    private static final int PER_LINE = 6;

    private RegisterDump() {}

    static String of(Record registers) {
        StringBuilder out = new StringBuilder();
        int onLine = 0;
        for (RecordComponent c : registers.getClass().getRecordComponents()) {
            if (onLine == PER_LINE || onLine > 0 && value(c, registers) instanceof Record) {
                out.append('\n');
                onLine = 0;
            }
            if (onLine > 0) out.append(' ');
            out.append(c.getName()).append('=').append(text(value(c, registers)));
            onLine = value(c, registers) instanceof Record ? PER_LINE : onLine + 1;
        }
        return out.toString();
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            return "?";
        }
    }

    private static String text(Object v) {
        return switch (v) {
            case Long l -> "0x" + Long.toHexString(l);
            case Integer i -> "0x" + Integer.toHexString(i);
            case Short s -> "0x" + Integer.toHexString(Short.toUnsignedInt(s));
            case Byte b -> "0x" + Integer.toHexString(Byte.toUnsignedInt(b));
            case Boolean b -> b ? "1" : "0";
            case long[] a -> {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : " ").append("0x").append(Long.toHexString(a[i]));
                yield sb.append(']').toString();
            }
            case Record r -> {
                StringBuilder sb = new StringBuilder("{");
                RecordComponent[] cs = r.getClass().getRecordComponents();
                for (int i = 0; i < cs.length; i++) {
                    sb.append(i == 0 ? "" : " ").append(cs[i].getName()).append('=').append(text(value(cs[i], r)));
                }
                yield sb.append('}').toString();
            }
            case null -> "-";
            default -> v.toString();
        };
    }
}
