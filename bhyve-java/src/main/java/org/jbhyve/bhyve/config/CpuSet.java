package org.jbhyve.bhyve.config;

import java.util.BitSet;

/**
 * CPU lists such as {@code 0-3,8}, as bhyve's parse_cpuset reads {@code vcpu.N.cpuset} and
 * {@code domains.N.cpus}: comma-separated base-0 numbers and inclusive {@code a-b} ranges, each
 * below {@link #SETSIZE}.
 */
public final class CpuSet {
    private CpuSet() {}

    /** FreeBSD's userland CPU_SETSIZE: CPU numbers run from 0 to 1023. */
    public static final int SETSIZE = 1024;

    /**
     * The CPUs in {@code list}; {@code key} names the config variable in error messages.
     *
     * @throws ConfigException naming the key, the list and the expected form
     */
    public static BitSet parse(String key, String list) {
        BitSet set = new BitSet(SETSIZE);
        int start = -1;
        int pos = 0;
        while (true) {
            CNumbers.Scan n = CNumbers.scan(list, pos);
            if (!n.matched()) throw invalid(key, list);
            if (n.negative() || n.overflow() || Long.compareUnsigned(n.magnitude(), SETSIZE) >= 0) {
                throw new ConfigException("invalid " + key + " '" + list + "': CPU numbers run from 0 to " + (SETSIZE - 1));
            }
            int cpu = (int) n.magnitude();
            int end = n.end();
            char next = end < list.length() ? list.charAt(end) : '\0';
            if (next == ',' || end == list.length()) {
                if (start >= 0) {
                    if (start > cpu) {
                        throw new ConfigException("invalid " + key + " '" + list + "': the range " + start + "-" + cpu
                                + " runs backwards (write the lower CPU first)");
                    }
                    set.set(start, cpu);
                    start = -1;
                }
                set.set(cpu);
            } else if (next == '-') {
                if (start >= 0) throw invalid(key, list);
                start = cpu;
            } else {
                throw invalid(key, list);
            }
            if (end == list.length()) return set;
            pos = end + 1;
        }
    }

    private static ConfigException invalid(String key, String list) {
        return new ConfigException("invalid " + key + " '" + list + "' (write CPU numbers and ranges such as 0-3,8)");
    }
}
