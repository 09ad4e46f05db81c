package org.jbhyve.doctor.linux;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code flags} of the first processor in {@code /proc/cpuinfo} (x86: one word per CPUID feature). */
public record CpuInfo(Set<String> flags) {

    public static CpuInfo parse(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                return new CpuInfo(Arrays.stream(line.substring(colon + 1).trim().split("\\s+"))
                        .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()));
            }
        }
        return new CpuInfo(Set.of());
    }

    /** CPUID.1:ECX bit 31, which every hypervisor sets for its guests and real CPUs leave clear. */
    public boolean hypervisor() {
        return flags.contains("hypervisor");
    }

    public boolean vmx() {
        return flags.contains("vmx");
    }

    public boolean svm() {
        return flags.contains("svm");
    }
}
