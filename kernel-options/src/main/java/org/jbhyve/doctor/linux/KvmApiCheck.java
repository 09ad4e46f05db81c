package org.jbhyve.doctor.linux;

import org.jbhyve.bindings.linux.kvm.kvm_h;
import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

/** {@code KVM_GET_API_VERSION} is 12, the only stable KVM API there has ever been. */
public record KvmApiCheck(LinuxHost host) implements Check {

    @Override
    public String id() { return "kvm-api"; }

    @Override
    public Result run() {
        KvmFacts kvm = host.kvm();
        if (!kvm.deviceOpened()) return Result.skip(id(), "not checked: /dev/kvm cannot be opened (see kvm-device)");
        int v = kvm.apiVersion();
        Result r = v == kvm_h.KVM_API_VERSION
                ? Result.ok(id(), "KVM API version " + v)
                : Result.fail(id(), "KVM API version " + v + ", jbhyve speaks version " + kvm_h.KVM_API_VERSION,
                        "use a Linux kernel with the standard KVM API (any kernel since 2.6.22 has version 12)");
        return r.with("apiVersion", v);
    }
}
