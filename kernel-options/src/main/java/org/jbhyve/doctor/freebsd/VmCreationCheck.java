package org.jbhyve.doctor.freebsd;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

/**
 * How this kernel creates VMs: {@code /dev/vmmctl} ({@code VMMCTL_VM_CREATE}, FreeBSD 15 and later; root:wheel
 * 0600) or the legacy {@code hw.vmm.create} sysctl (FreeBSD 14, still present in 15), and whether this user
 * may use it.
 */
public record VmCreationCheck(FreeBsdHost host) implements Check {
    static final String VMMCTL = "/dev/vmmctl";

    @Override
    public String id() { return "vm-create"; }

    @Override
    public Result run() {
        if (!VmmModuleCheck.loaded(host)) return Result.skip(id(), "not checked: vmm.ko is not loaded (see vmm-module)");
        if (host.exists(VMMCTL)) {
            Result r = host.canReadWrite(VMMCTL)
                    ? Result.ok(id(), VMMCTL + " (FreeBSD 15 and later) is read-write for user " + host.user())
                    : Result.fail(id(), VMMCTL + " exists but user " + host.user() + " cannot open it read-write"
                            + " (it is root:wheel 0600)", "run jbhyve as root");
            return r.with("interface", VMMCTL);
        }
        if (host.sysctl("hw.vmm.create").isPresent()) {
            Result r = host.isRoot()
                    ? Result.ok(id(), "hw.vmm.create (the legacy interface: this kernel has no " + VMMCTL
                            + ", as on FreeBSD 14)")
                    : Result.fail(id(), "this kernel creates VMs only through the hw.vmm.create sysctl (no " + VMMCTL
                            + "), which only root may write", "run jbhyve as root");
            return r.with("interface", "hw.vmm.create");
        }
        return Result.fail(id(), "vmm.ko is loaded but neither " + VMMCTL + " nor hw.vmm.create exists",
                "look for vmm errors in dmesg; kldunload vmm && kldload vmm");
    }
}
