package org.jbhyve.bhyve.config;

import java.util.Optional;

/**
 * The guest's vCPU count and topology from {@code cpus}, {@code sockets}, {@code cores} and
 * {@code threads}, worked out the way bhyve's calc_topology does: each is a base-0 integer in
 * 1..65535; cores and threads default to 1; sockets defaults to {@code cpus}; when {@code cpus} is
 * given it must equal sockets x cores x threads, otherwise it is that product.
 */
public record CpuTopology(int cpus, int sockets, int cores, int threads) {
    /** vm_set_topology() takes 16-bit values, so that is the limit for each and for the product. */
    public static final int MAX = 0xffff;

    public static CpuTopology fromConfig(ConfigTree config) {
        Optional<String> cpusValue = config.get("cpus");
        int cpus = cpusValue.map(v -> count("cpus", v)).orElse(1);
        int cores = config.get("cores").map(v -> count("cores", v)).orElse(1);
        int threads = config.get("threads").map(v -> count("threads", v)).orElse(1);
        int sockets = config.get("sockets").map(v -> count("sockets", v)).orElse(cpus);
        long product = (long) sockets * cores * threads;
        if (product > MAX) {
            throw new ConfigException("computed number of vCPUs too high: " + sockets + " sockets x " + cores + " cores x "
                    + threads + " threads = " + product + " (at most " + MAX + ")");
        }
        if (cpusValue.isEmpty()) return new CpuTopology((int) product, sockets, cores, threads);
        if (product != cpus) {
            throw new ConfigException("topology (" + sockets + " sockets, " + cores + " cores, " + threads
                    + " threads) does not match " + cpus + " vCPUs (make cpus the product of sockets, cores and"
                    + " threads, or leave cpus out)");
        }
        return new CpuTopology(cpus, sockets, cores, threads);
    }

    private static int count(String key, String value) {
        return (int) CNumbers.parseInRange(value, 1, MAX).orElseThrow(() -> new ConfigException(
                "invalid value for " + key + ": '" + value + "' (use a whole number from 1 to " + MAX + ")"));
    }
}
