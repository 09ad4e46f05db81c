package org.jbhyve.doctor.linux;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

/** Every KVM capability jbhyve needs ({@code KvmHypervisor.missingCapabilities()} is empty). */
public record KvmCapabilitiesCheck(LinuxHost host) implements Check {
    static final String FIX = "use a newer Linux kernel (jbhyve is tested on 6.x)";

    @Override
    public String id() { return "kvm-capabilities"; }

    @Override
    public Result run() {
        KvmFacts kvm = host.kvm();
        if (!kvm.deviceOpened()) return Result.skip(id(), "not checked: /dev/kvm cannot be opened (see kvm-device)");
        if (kvm.hypervisorError() != null) {
            return Result.fail(id(), "jbhyve's KVM backend refuses this KVM: " + kvm.hypervisorError(), FIX);
        }
        if (!kvm.missingCapabilities().isEmpty()) {
            return Result.fail(id(), "this KVM lacks capabilities jbhyve needs: "
                    + String.join(", ", kvm.missingCapabilities()), FIX)
                    .with("missing", kvm.missingCapabilities());
        }
        return Result.ok(id(), "every KVM capability jbhyve needs is present; KVM offers guests "
                        + kvm.cpuidEntries() + " CPUID entries")
                .with("missing", kvm.missingCapabilities()).with("cpuidEntries", kvm.cpuidEntries());
    }
}
