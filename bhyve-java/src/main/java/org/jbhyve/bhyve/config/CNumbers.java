package org.jbhyve.bhyve.config;

import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * C's {@code strtol}/{@code strtoul} with base 0, which is how bhyve reads every number in options and
 * config values: leading white space, an optional sign, then {@code 0x} for hex, a leading {@code 0}
 * for octal, or decimal. Reproduced so that {@code -c 0x4} or {@code memory.size=010} mean here what
 * they mean to bhyve.
 */
public final class CNumbers {
    private CNumbers() {}

    private static final BigInteger UNSIGNED_64_LIMIT = BigInteger.ONE.shiftLeft(64);

    /**
     * What one {@code strtoul(s + from, &end, 0)} call saw.
     *
     * @param matched    whether any digit was read; when false, {@code end == from} as in C
     * @param negative   a leading '-' was present (C would negate modulo 2^64; callers decide)
     * @param magnitude  the digits' value, meaningful when {@code !overflow}
     * @param overflow   the digits do not fit in 64 unsigned bits (C: ERANGE)
     * @param end        index of the first character not consumed
     */
    public record Scan(boolean matched, boolean negative, long magnitude, boolean overflow, int end) {}

    /** Scans the longest number prefix of {@code s} starting at {@code from}, as strtoul with base 0. */
    public static Scan scan(String s, int from) {
        int i = from;
        while (i < s.length() && isCSpace(s.charAt(i))) i++;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i < s.length() && s.charAt(i) == '0') {
            // "0x" only switches to hex when a hex digit follows; otherwise the "0" alone is the number.
            if (i + 2 < s.length() && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                    && Character.digit(s.charAt(i + 2), 16) >= 0 && s.charAt(i + 2) < 128) {
                radix = 16;
                i += 2;
            } else {
                radix = 8;
            }
        }
        int start = i;
        BigInteger value = BigInteger.ZERO;
        boolean overflow = false;
        BigInteger bigRadix = BigInteger.valueOf(radix);
        while (i < s.length()) {
            char c = s.charAt(i);
            int d = c < 128 ? Character.digit(c, radix) : -1;
            if (d < 0) break;
            if (!overflow) {
                value = value.multiply(bigRadix).add(BigInteger.valueOf(d));
                if (value.compareTo(UNSIGNED_64_LIMIT) >= 0) overflow = true;
            }
            i++;
        }
        if (i == start) return new Scan(false, false, 0, false, from);
        return new Scan(true, negative, overflow ? -1L : value.longValue(), overflow, i);
    }

    /**
     * The whole of {@code s} as a C {@code long} (strtol base 0 that must consume every character and
     * read at least one digit), or empty when it is not one or does not fit.
     */
    public static OptionalLong parseLong(String s) {
        Scan scan = scan(s, 0);
        if (!scan.matched() || scan.end() != s.length() || scan.overflow()) return OptionalLong.empty();
        long magnitude = scan.magnitude();
        if (scan.negative()) {
            if (Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) return OptionalLong.empty();
            return OptionalLong.of(-magnitude);
        }
        if (magnitude < 0) return OptionalLong.empty(); // above Long.MAX_VALUE
        return OptionalLong.of(magnitude);
    }

    /** bhyve's parse_int_value: the whole string as a base-0 integer within [min, max], else empty. */
    public static OptionalLong parseInRange(String s, long min, long max) {
        OptionalLong v = parseLong(s);
        if (v.isEmpty() || v.getAsLong() < min || v.getAsLong() > max) return OptionalLong.empty();
        return v;
    }

    /** isspace() in the C locale. */
    static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }
}
