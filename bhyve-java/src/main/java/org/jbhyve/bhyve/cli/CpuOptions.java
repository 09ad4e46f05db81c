package org.jbhyve.bhyve.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.config.CpuSet;
import org.jbhyve.bhyve.config.CpuTopology;

/** {@code -c} and {@code -p}: where the vCPUs come from and which host CPUs they may run on. */
final class CpuOptions {
    private CpuOptions() {}

    /**
     * {@code -c [[cpus=]n][,sockets=n][,cores=n][,threads=n]}, following bhyverun.c
     * bhyve_topology_parse: each item sets its variable as written (the numbers are checked once all
     * options are read, by {@link CpuTopology#fromConfig}); an empty argument means one vCPU in one
     * socket. Like bhyve, an empty item ({@code 2,,cores=2}) sets cpus to the empty string, which
     * that check then refuses.
     */
    static void topology(ConfigTree config, String arg) {
        if (arg.isEmpty()) {
            config.set("sockets", "1");
            config.set("cores", "1");
            config.set("threads", "1");
            config.set("cpus", "1");
            return;
        }
        for (String item : arg.split(",", -1)) {
            String key = null;
            String value = item;
            for (String candidate : new String[] {"cpus", "sockets", "cores", "threads"}) {
                if (item.startsWith(candidate + "=")) {
                    key = candidate;
                    value = item.substring(candidate.length() + 1);
                }
            }
            if (key == null && item.indexOf('=') >= 0) {
                throw new ConfigException("invalid cpu topology: unknown setting '" + item
                        + "' (write [[cpus=]N][,sockets=N][,cores=N][,threads=N], such as -c 4 or -c cpus=4,sockets=2,cores=2)");
            }
            config.set(key == null ? "cpus" : key, value);
        }
    }

    private static final Pattern PIN = Pattern.compile("(\\d{1,9}):(\\d{1,9})");

    /**
     * {@code -p vcpu:hostcpu}, following bhyverun.c bhyve_pincpu_parse: host CPUs accumulate in
     * {@code vcpu.N.cpuset} as a comma-separated list, one {@code -p} at a time. bhyve's sscanf
     * ignores anything after the second number; here that is an error.
     */
    static void pin(ConfigTree config, String arg) {
        Matcher m = PIN.matcher(arg);
        if (!m.matches()) {
            throw new ConfigException("invalid vcpu pinning configuration (write VCPU:HOSTCPU, such as -p 0:12)");
        }
        int vcpu = Integer.parseInt(m.group(1));
        int hostCpu = Integer.parseInt(m.group(2));
        if (vcpu >= CpuTopology.MAX) {
            throw new ConfigException("invalid vcpu " + vcpu + " (vCPUs are numbered from 0 to " + (CpuTopology.MAX - 1) + ")");
        }
        if (hostCpu >= CpuSet.SETSIZE) {
            throw new ConfigException("hostcpu " + hostCpu + " outside valid range from 0 to " + (CpuSet.SETSIZE - 1));
        }
        String key = "vcpu." + vcpu + ".cpuset";
        String previous = config.get(key).orElse(null);
        config.set(key, previous == null ? Integer.toString(hostCpu) : previous + "," + hostCpu);
    }
}
