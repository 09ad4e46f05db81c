package org.jbhyve.doctor.linux;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;
import org.jbhyve.vmm.VmConfig;

/** How many vCPUs one VM may have here ({@code KVM_CAP_MAX_VCPUS}). */
public record KvmVcpusCheck(LinuxHost host) implements Check {

    @Override
    public String id() { return "kvm-vcpus"; }

    @Override
    public Result run() {
        KvmFacts kvm = host.kvm();
        if (!kvm.hypervisorOpened()) {
            return Result.skip(id(), "not checked: jbhyve's KVM backend cannot open /dev/kvm (see above)");
        }
        int max = kvm.maxVcpus();
        String limit = "up to " + Math.min(max, VmConfig.MAX_VCPUS) + " vCPUs per VM (KVM allows " + max
                + ", jbhyve " + VmConfig.MAX_VCPUS + ")";
        Result r = max >= 2 ? Result.ok(id(), limit)
                : Result.warn(id(), limit + ": multi-processor guests will not start",
                "use a kernel whose KVM allows more vCPUs (KVM_CAP_MAX_VCPUS)");
        return r.with("maxVcpus", max);
    }
}
