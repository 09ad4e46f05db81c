package org.jbhyve.doctor.linux;

import org.jbhyve.vmm.state.CpuidEntry;

import java.util.List;

/**
 * What {@code /dev/kvm} said.
 *
 * @param openErrno           0 when {@code open("/dev/kvm", O_RDWR)} succeeded, else its errno
 * @param openError           the failure in words (e.g. {@code EACCES (permission denied)}), or null
 * @param apiVersion          {@code KVM_GET_API_VERSION}, or -1 when not asked
 * @param hypervisorError     why {@code KvmHypervisor.open()} failed (it refuses a KVM that lacks a needed
 *                            capability), or null when it opened
 * @param missingCapabilities {@code KvmHypervisor.missingCapabilities()}: needed capabilities this KVM lacks
 * @param maxVcpus            {@code KvmHypervisor.maxVcpus()}, or -1
 * @param cpuidEntries        how many CPUID entries KVM can offer a guest, or -1
 * @param guestVirtualization what KVM_GET_SUPPORTED_CPUID offers guests for running hypervisors themselves
 *                            (nested virtualization): {@code "VMX"} (CPUID.1:ECX bit 5), {@code "SVM"}
 *                            (CPUID.80000001h:ECX bit 2), {@code "none"}, or null when not known
 */
public record KvmFacts(int openErrno, String openError, int apiVersion, String hypervisorError,
                       List<String> missingCapabilities, int maxVcpus, int cpuidEntries, String guestVirtualization) {

    public KvmFacts {
        missingCapabilities = List.copyOf(missingCapabilities);
    }

    /** /dev/kvm could not be opened read-write. */
    public static KvmFacts unopenable(int errno, String error) {
        return new KvmFacts(errno, error, -1, null, List.of(), -1, -1, null);
    }

    /** Which of VMX and SVM the supported CPUID offers guests: "VMX", "SVM" or "none". */
    public static String guestVirtualization(List<CpuidEntry> supported) {
        for (CpuidEntry e : supported) {
            if (e.function() == 1 && (e.ecx() & (1 << 5)) != 0) return "VMX";
            if (e.function() == 0x80000001 && (e.ecx() & (1 << 2)) != 0) return "SVM";
        }
        return "none";
    }

    public boolean deviceOpened() {
        return openErrno == 0;
    }

    public boolean hypervisorOpened() {
        return deviceOpened() && hypervisorError == null;
    }
}
