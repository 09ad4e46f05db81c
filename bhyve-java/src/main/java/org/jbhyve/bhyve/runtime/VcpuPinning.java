package org.jbhyve.bhyve.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.config.CpuSet;
import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;

/**
 * bhyve's {@code -p vcpu:hostcpu} ({@code vcpu.N.cpuset}): the host CPUs a vCPU's thread may run on. On
 * Linux the vCPU thread sets its own affinity ({@code sched_setaffinity}) before it first enters the
 * guest. Lists are checked when the VM is built against the CPUs this process may use, so that a list
 * naming none of them stops bhyve with one line instead of a vCPU failing later.
 */
final class VcpuPinning {
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT)
            .contains("linux");

    private VcpuPinning() {}

    /** The cpuset of every vCPU below {@code vcpus} that has one. */
    static Map<Integer, BitSet> fromConfig(ConfigTree config, int vcpus) {
        Map<Integer, BitSet> sets = new HashMap<>();
        for (int v = 0; v < vcpus; v++) {
            String key = "vcpu." + v + ".cpuset";
            int id = v;
            config.get(key).ifPresent(list -> sets.put(id, CpuSet.parse(key, list)));
        }
        return sets;
    }

    /**
     * Checks every set against the CPUs this process may run on; on a host where pinning is not done here
     * (FreeBSD, where bhyve pins through cpuset_setaffinity), says so through {@code warn} and returns false.
     */
    static boolean check(Map<Integer, BitSet> sets, java.util.function.Consumer<String> warn) {
        if (sets.isEmpty()) return false;
        if (!LINUX) {
            warn.accept("bhyve: vcpu.N.cpuset (-p) is not applied on this host yet: the vCPU threads are not pinned");
            return false;
        }
        BitSet allowed = allowedCpus();
        for (var e : sets.entrySet()) {
            if (!e.getValue().intersects(allowed)) {
                throw new ConfigException("vcpu." + e.getKey() + ".cpuset names host CPUs " + text(e.getValue())
                        + ", none of which this bhyve may run on (" + text(allowed) + "): give -p " + e.getKey()
                        + ":CPU with one of those");
            }
        }
        return true;
    }

    /** Pins the calling thread (a vCPU's) to {@code cpus}. */
    static void pinCurrentThread(int vcpu, BitSet cpus) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment mask = a.allocate(libc_h.CPU_SET_T_SIZE, 8);
            byte[] bytes = cpus.toByteArray();
            MemorySegment.copy(bytes, 0, mask, ValueLayout.JAVA_BYTE, 0, Math.min(bytes.length, (int) mask.byteSize()));
            if (libc_h.sched_setaffinity(err, 0, libc_h.CPU_SET_T_SIZE, mask) != 0) {
                int e = libc_h.errno(err);
                throw new ConfigException("cannot pin vCPU " + vcpu + " to host CPUs " + text(cpus) + " (vcpu." + vcpu
                        + ".cpuset): " + Errno.name(e) + " (" + Errno.describe(e) + ")");
            }
        }
    }

    static BitSet allowedCpus() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment mask = a.allocate(libc_h.CPU_SET_T_SIZE, 8);
            if (libc_h.sched_getaffinity(err, 0, libc_h.CPU_SET_T_SIZE, mask) != 0) {
                BitSet any = new BitSet();
                any.set(0, CpuSet.SETSIZE);
                return any;
            }
            return BitSet.valueOf(mask.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** "0-3,8": the list form -p and bhyve take. */
    static String text(BitSet cpus) {
        StringBuilder sb = new StringBuilder();
        for (int start = cpus.nextSetBit(0); start >= 0; ) {
            int end = cpus.nextClearBit(start) - 1;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(start);
            if (end > start) sb.append('-').append(end);
            start = cpus.nextSetBit(end + 1);
        }
        return sb.toString();
    }
}
