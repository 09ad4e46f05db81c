package org.jbhyve.snapshot.nv;

import java.util.HexFormat;

/**
 * Prints an nvlist in the line format of shared/vectors/libnv/FORMAT.txt, the format of the
 * vectors' {@code .txt} files, so that a decoded vector can be compared with its text byte for byte.
 *
 * <pre>
 * flags 0
 * string "cmd" "checkpoint"
 * nvlist "child" 0
 *   number "x" 42
 * nvlist_array "arr" 2
 *   element 0 0
 *     number "i" 0
 * </pre>
 *
 * <p>One line per pair, {@code '\n'}-terminated; a nested list's pairs follow its line indented by
 * two more spaces; an nvlist array's elements follow as {@code element <i> <flags>} lines at +2 with
 * their pairs at +4. Names and strings are double-quoted with {@code \\}, {@code \"} and
 * {@code \xHH} (lower-case hex) for bytes outside 0x20..0x7e. A descriptor prints its value: after
 * {@link NvUnpacker#unpack} with the identity array {@code {0, 1, 2, ...}} that is the index on the
 * wire. A bool-array element other than 0 or 1 prints as {@code raw:<n>}.
 */
public final class NvFormatter {
    private NvFormatter() {}

    private static final HexFormat HEX = HexFormat.of();

    /** The whole list: a {@code flags <n>} line, then its pairs. */
    public static String format(NvList list) {
        StringBuilder sb = new StringBuilder();
        sb.append("flags ").append(list.flags()).append('\n');
        appendPairs(sb, list, 0);
        return sb.toString();
    }

    static void appendPairs(StringBuilder sb, NvList list, int indent) {
        for (NvPair p : list) appendPair(sb, p, indent);
    }

    static void appendPair(StringBuilder sb, NvPair p, int indent) {
        sb.repeat(' ', indent).append(p.type().label()).append(' ').append(quote(p.rawName()));
        Object v = p.rawValue();
        switch (p.type()) {
            case NULL -> { }
            case BOOL -> sb.append(' ').append((Boolean) v);
            case NUMBER -> sb.append(' ').append(Long.toUnsignedString((Long) v));
            case STRING -> sb.append(' ').append(quote((byte[]) v));
            case DESCRIPTOR -> sb.append(' ').append((Integer) v);
            case BINARY -> sb.append(' ').append(((byte[]) v).length).append(' ').append(HEX.formatHex((byte[]) v));
            case BOOL_ARRAY -> {
                byte[] a = (byte[]) v;
                sb.append(' ').append(a.length);
                for (byte b : a) {
                    sb.append(' ');
                    if (b == 0) sb.append("false");
                    else if (b == 1) sb.append("true");
                    else sb.append("raw:").append(b & 0xff);
                }
            }
            case NUMBER_ARRAY -> {
                long[] a = (long[]) v;
                sb.append(' ').append(a.length);
                for (long n : a) sb.append(' ').append(Long.toUnsignedString(n));
            }
            case STRING_ARRAY -> {
                byte[][] a = (byte[][]) v;
                sb.append(' ').append(a.length);
                for (byte[] s : a) sb.append(' ').append(quote(s));
            }
            case DESCRIPTOR_ARRAY -> {
                int[] a = (int[]) v;
                sb.append(' ').append(a.length);
                for (int fd : a) sb.append(' ').append(fd);
            }
            case NVLIST -> {
                NvList child = (NvList) v;
                sb.append(' ').append(child.flags()).append('\n');
                appendPairs(sb, child, indent + 2);
                return;
            }
            case NVLIST_ARRAY -> {
                NvList[] a = (NvList[]) v;
                sb.append(' ').append(a.length).append('\n');
                for (int i = 0; i < a.length; i++) {
                    sb.repeat(' ', indent + 2).append("element ").append(i).append(' ').append(a[i].flags()).append('\n');
                    appendPairs(sb, a[i], indent + 4);
                }
                return;
            }
        }
        sb.append('\n');
    }

    /** {@code bytes} double-quoted, escaped as the text format wants. */
    public static String quote(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\\') sb.append("\\\\");
            else if (c == '"') sb.append("\\\"");
            else if (c >= 0x20 && c <= 0x7e) sb.append((char) c);
            else sb.append("\\x").append(HEX.toHexDigits((byte) c));
        }
        return sb.append('"').toString();
    }
}
