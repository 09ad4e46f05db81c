package org.jbhyve.bhyve.config;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * One guest NUMA domain from {@code domains.N.*} ({@code -n id=N,size=..,cpus=..}), read the way
 * bhyve's calc_mem_affinity and set_vcpu_affinities read it: domains are numbered from 0 without
 * gaps (bhyve stops at the first missing number) and there are at most {@link #MAX_DOMAINS}; each
 * needs a vCPU list; when any size is missing, the guest's memory is split evenly instead.
 *
 * @param cpus the vCPUs in the domain (a fresh set the caller may keep)
 */
public record MemoryDomain(int id, long size, Optional<String> policy, BitSet cpus) {
    /** VM_MAXMEMDOM in sys/dev/vmm/vmm_mem.h. */
    public static final int MAX_DOMAINS = 8;

    /** The configured domains in order, or an empty list when there are none. */
    public static List<MemoryDomain> fromConfig(ConfigTree config, long memorySize) {
        int count = 0;
        while (count < MAX_DOMAINS && config.isNode("domains." + count)) count++;
        boolean anySizeMissing = false;
        for (int id = 0; id < count; id++) anySizeMissing |= config.get("domains." + id + ".size").isEmpty();
        List<MemoryDomain> domains = new ArrayList<>(count);
        for (int id = 0; id < count; id++) {
            String node = "domains." + id;
            long size;
            if (anySizeMissing) {
                size = memorySize / count;
            } else {
                String value = config.get(node + ".size").orElseThrow();
                try {
                    size = MemorySize.parseBytes(value);
                } catch (ConfigException e) {
                    throw new ConfigException("invalid memory size for NUMA domain " + id + ": " + e.getMessage());
                }
            }
            int domain = id;
            String cpus = config.get(node + ".cpus").orElseThrow(() -> new ConfigException(
                    "NUMA domain " + domain + " has no vCPU list (add cpus=LIST to its -n option, such as cpus=0-3)"));
            domains.add(new MemoryDomain(id, size, config.get(node + ".domain_policy"),
                    CpuSet.parse(node + ".cpus", cpus)));
        }
        return domains;
    }

    /** Whether {@link #fromConfig} had to split the memory evenly because a domain gave no size. */
    public static boolean sizesDistributed(ConfigTree config) {
        for (int id = 0; id < MAX_DOMAINS && config.isNode("domains." + id); id++) {
            if (config.get("domains." + id + ".size").isEmpty()) return true;
        }
        return false;
    }
}
