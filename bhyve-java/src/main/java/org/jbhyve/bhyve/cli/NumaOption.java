package org.jbhyve.bhyve.cli;

import org.jbhyve.bhyve.config.CNumbers;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;

/**
 * {@code -n id=N[,size=SIZE][,cpus=LIST][,domain_policy=POLICY]}, following bhyverun.c
 * bhyve_numa_parse: the items go to {@code domains.N.size}, {@code .domain_policy} and {@code .cpus},
 * in that order whatever order they were written in. The values are checked once all options are
 * read ({@link org.jbhyve.bhyve.config.MemoryDomain}). bhyve ignores items it does not know; here
 * they are an error, since a misspelt {@code size} would otherwise silently split memory evenly.
 */
final class NumaOption {
    private NumaOption() {}

    /** bhyve reads the domain ID with parse_int_value(.., 0, UINT8_MAX). */
    static final int MAX_ID = 255;

    static void parse(ConfigTree config, String arg) {
        if (arg.isEmpty()) throw usage("the specification is empty");
        String id = null, size = null, policy = null, cpus = null;
        for (String item : arg.split(",", -1)) {
            if (item.startsWith("id=")) id = item.substring("id=".length());
            else if (item.startsWith("size=")) size = item.substring("size=".length());
            else if (item.startsWith("domain_policy=")) policy = item.substring("domain_policy=".length());
            else if (item.startsWith("cpus=")) cpus = item.substring("cpus=".length());
            else throw usage("unknown item '" + item + "'");
        }
        if (id == null) throw usage("the domain id is missing");
        String idText = id;
        long domain = CNumbers.parseInRange(id, 0, MAX_ID).orElseThrow(() -> new ConfigException(
                "invalid value for id: '" + idText + "' (NUMA domain IDs run from 0 to " + MAX_ID + ")"));
        ConfigNode node = new ConfigNode(config, "domains." + domain);
        if (size != null) node.set("size", size);
        if (policy != null) node.set("domain_policy", policy);
        if (cpus != null) node.set("cpus", cpus);
    }

    private static ConfigException usage(String problem) {
        return new ConfigException("invalid NUMA configuration: " + problem
                + " (write id=N[,size=SIZE][,cpus=LIST][,domain_policy=POLICY], such as -n id=0,size=4G,cpus=0-3)");
    }
}
