package org.jbhyve.snapshot.format;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code memory.size} the way bhyve does (libvmmapi's vm_parse_memsize): a bare number is bytes,
 * except that one below 1 MiB counts in MiB; otherwise a number with a K/M/G/T/P/E suffix (powers of
 * 1024) and an optional B. Numbers may be hex ({@code 0x}) or octal (leading 0), as with strtoul.
 * Absent means bhyve's default, 256M.
 */
final class MemorySizes {
    private MemorySizes() {}

    static final String DEFAULT = "256M";
    private static final long MIB = 1L << 20;
    private static final Pattern SIZE =
            Pattern.compile("[ \\t\\n\\x0B\\f\\r]*\\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([kKmMgGtTpPeE]?)([bB]?)");

    /** Bytes, or -1 when {@code value} is not a size bhyve accepts (or is zero). */
    static long parse(String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) return -1;
        String digits = m.group(1);
        BigInteger n;
        if (digits.startsWith("0x") || digits.startsWith("0X")) n = new BigInteger(digits.substring(2), 16);
        else if (digits.length() > 1 && digits.charAt(0) == '0') n = new BigInteger(digits.substring(1), 8);
        else n = new BigInteger(digits);
        String unit = m.group(2).toLowerCase();
        boolean bare = unit.isEmpty() && m.group(3).isEmpty();
        int shift = switch (unit) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            case "e" -> 60;
            default -> 0;
        };
        if (bare && n.compareTo(BigInteger.valueOf(MIB)) < 0) shift = 20;
        BigInteger bytes = n.shiftLeft(shift);
        if (bytes.signum() == 0 || bytes.bitLength() > 63) return -1;
        return bytes.longValueExact();
    }

    /** {@code bytes} rounded up to whole 4 KiB pages: what the guest's RAM regions must add up to. */
    static long pageRounded(long bytes) {
        long page = SnapshotFormat.PAGE_SIZE;
        return bytes > Long.MAX_VALUE - page ? -1 : (bytes + page - 1) / page * page;
    }
}
