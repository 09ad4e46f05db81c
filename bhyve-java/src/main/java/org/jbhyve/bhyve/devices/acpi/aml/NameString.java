package org.jbhyve.bhyve.devices.acpi.aml;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * ACPI namespace paths in AML form (ACPI 6.5, 20.2.2 "Name Objects Encoding").
 *
 * <p>A path is written the ASL way: an optional root {@code \} or any number of parent prefixes
 * {@code ^}, then dot-separated segments, e.g. {@code \_SB.PC00.ISA}. Segments shorter than four
 * characters are padded with {@code _}, as iasl does ({@code _S5} is the NameSeg {@code _S5_}).
 */
public final class NameString {
    private static final int ROOT_CHAR = '\\';
    private static final int PARENT_PREFIX = '^';
    private static final int DUAL_NAME_PREFIX = 0x2e;
    private static final int MULTI_NAME_PREFIX = 0x2f;
    private static final int NULL_NAME = 0x00;

    private NameString() {}

    /** The AML encoding of {@code path}. */
    public static byte[] encode(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        if (path.startsWith("\\")) {
            out.write(ROOT_CHAR);
            i = 1;
        } else {
            while (i < path.length() && path.charAt(i) == '^') {
                out.write(PARENT_PREFIX);
                i++;
            }
        }
        String rest = path.substring(i);
        List<byte[]> segs = new ArrayList<>();
        if (!rest.isEmpty()) {
            for (String s : rest.split("\\.", -1)) segs.add(nameSeg(s, path));
        }
        switch (segs.size()) {
            case 0 -> out.write(NULL_NAME);
            case 1 -> { }
            case 2 -> out.write(DUAL_NAME_PREFIX);
            default -> {
                if (segs.size() > 255) throw new IllegalArgumentException("too many segments in " + path);
                out.write(MULTI_NAME_PREFIX);
                out.write(segs.size());
            }
        }
        segs.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** One NameSeg: a lead character A-Z or _, then up to three of A-Z, 0-9, _, padded with _. */
    static byte[] nameSeg(String seg, String path) {
        if (seg.isEmpty() || seg.length() > 4) {
            throw new IllegalArgumentException("bad name segment '" + seg + "' in ACPI path '" + path + "'");
        }
        byte[] b = {'_', '_', '_', '_'};
        for (int k = 0; k < seg.length(); k++) {
            char c = seg.charAt(k);
            boolean ok = (c >= 'A' && c <= 'Z') || c == '_' || (k > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw new IllegalArgumentException("bad character '" + c + "' in ACPI path '" + path + "'");
            }
            b[k] = (byte) c;
        }
        return b;
    }
}
