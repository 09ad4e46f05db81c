package org.jbhyve.doctor.linux;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;
import org.jbhyve.vmm.VmConfig;

/** How many vCPUs one VM may have here ({@code KVM_CAP_MAX_VCPUS}). */
public record KvmVcpusCheck(LinuxHost host) implements Check {
    /**
     * What bhyve's machine takes (bhyve -c): 8-bit xAPIC IDs with 0xff the broadcast, as bhyve-java's
     * AcpiMachine.MAX_VCPUS says; below vmmapi-java's own limit (VmConfig.MAX_VCPUS).
     */
    static final int BHYVE_MAX_VCPUS = Math.min(255, VmConfig.MAX_VCPUS);

    @Override
    public String id() { return "kvm-vcpus"; }

    @Override
    public Result run() {
        KvmFacts kvm = host.kvm();
        if (!kvm.hypervisorOpened()) {
            return Result.skip(id(), "not checked: jbhyve's KVM backend cannot open /dev/kvm (see above)");
        }
        int max = kvm.maxVcpus();
        String limit = "up to " + Math.min(max, BHYVE_MAX_VCPUS) + " vCPUs per VM (KVM allows " + max
                + ", jbhyve " + BHYVE_MAX_VCPUS + ")";
        Result r = max >= 2 ? Result.ok(id(), limit)
                : Result.warn(id(), limit + ": multi-processor guests will not start",
                "use a kernel whose KVM allows more vCPUs (KVM_CAP_MAX_VCPUS)");
        return r.with("maxVcpus", max);
    }
}
