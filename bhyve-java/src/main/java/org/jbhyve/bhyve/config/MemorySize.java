package org.jbhyve.bhyve.config;

/**
 * Guest memory sizes as bhyve reads them ({@code -m}, {@code memory.size}, {@code domains.N.size}),
 * following libvmmapi's vm_parse_memsize and libutil's expand_number.
 *
 * <p>A bare number is bytes, except that a bare number below 1 MiB counts in MiB (vm_parse_memsize
 * keeps that for old command lines, so {@code -m 214} is 214 MiB and {@code -m 1048576} is 1 MiB).
 * Otherwise the number may carry one of the suffixes K, M, G, T, P, E (either case, powers of 1024),
 * optionally followed by B ({@code 4GB}), or a B alone for bytes. Numbers take C's base-0 forms
 * ({@code 0x100M}, {@code 010M} is octal). Unlike C, negative and zero sizes are refused here
 * instead of wrapping around or failing later when memory is allocated.
 */
public final class MemorySize {
    private MemorySize() {}

    public static final long MIB = 1L << 20;

    /** bhyve's default when neither {@code -m} nor {@code memory.size} says otherwise. */
    public static final String DEFAULT = "256M";

    /** The size in bytes; throws a ConfigException naming the value and the accepted forms. */
    public static long parseBytes(String value) {
        long bytes = parseOrNegative(value);
        if (bytes == -2) {
            throw new ConfigException("invalid memory size '" + value + "': it is negative (give a size such as 512M or 4G)");
        }
        if (bytes < 0) {
            throw new ConfigException("invalid memory size '" + value + "' (give a number with an optional K, M, G or T"
                    + " suffix, such as 512M or 4G; a bare number below 1048576 counts in MiB)");
        }
        if (bytes == 0) throw new ConfigException("invalid memory size '" + value + "': the guest needs some memory (such as 512M)");
        return bytes;
    }

    /** The page size guest RAM is made of, and the least RAM a VM can be given (the hypervisor's limits). */
    public static final long PAGE = 4096, MIN_GUEST = 64 << 10;

    /**
     * {@code memory.size} from {@code config} (expanded), or bhyve's default of 256 MiB; a size that is not
     * a whole number of 4 KiB pages, or below 64 KiB, is refused (the hypervisor cannot map it).
     */
    public static long fromConfig(ConfigTree config) {
        String value = config.get("memory.size", DEFAULT);
        long bytes = parseBytes(value);
        if (bytes % PAGE != 0) {
            throw new ConfigException("invalid memory size '" + value + "': guest memory comes in 4 KiB pages, so give"
                    + " a multiple of 4 KiB (such as 512M)");
        }
        if (bytes < MIN_GUEST) {
            throw new ConfigException("invalid memory size '" + value + "': a guest needs at least 64 KiB (such as 512M)");
        }
        return bytes;
    }

    /** Bytes, or -1 for a malformed or too large value, -2 for a negative one. */
    private static long parseOrNegative(String value) {
        if (value.isEmpty()) return -1;
        // vm_parse_memsize: first the whole string as one strtoul() number ...
        CNumbers.Scan whole = CNumbers.scan(value, 0);
        if (whole.matched() && whole.end() == value.length()) {
            if (whole.negative() && whole.magnitude() != 0) return -2;
            if (whole.overflow() || whole.magnitude() < 0) return -1;
            long n = whole.magnitude();
            if (n < MIB) return Math.multiplyExact(n, MIB); // n < 2^20, cannot overflow
            return n;
        }
        // ... and when that leaves characters over, expand_number(): digits, a unit, an optional 'b'.
        return expandNumber(value);
    }

    private static long expandNumber(String value) {
        int i = 0;
        while (i < value.length() && CNumbers.isCSpace(value.charAt(i))) i++;
        boolean negative = false;
        if (i < value.length() && (value.charAt(i) == '-' || value.charAt(i) == '+')) {
            negative = value.charAt(i) == '-';
            i++;
        }
        // expand_number insists on a digit here, so no second sign or more white space slips through.
        if (i >= value.length() || value.charAt(i) < '0' || value.charAt(i) > '9') return -1;
        CNumbers.Scan number = CNumbers.scan(value, i);
        if (number.overflow() || number.magnitude() < 0) return -1;
        int end = number.end();
        int shift = 0;
        if (end < value.length()) {
            shift = switch (Character.toLowerCase(value.charAt(end))) {
                case 'e' -> 60;
                case 'p' -> 50;
                case 't' -> 40;
                case 'g' -> 30;
                case 'm' -> 20;
                case 'k' -> 10;
                default -> 0;
            };
            if (shift != 0) end++;
        }
        if (end < value.length() && Character.toLowerCase(value.charAt(end)) == 'b') end++;
        if (end != value.length()) return -1;
        long n = number.magnitude();
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) return -1;
        if (negative && n != 0) return -2;
        return n << shift;
    }
}
