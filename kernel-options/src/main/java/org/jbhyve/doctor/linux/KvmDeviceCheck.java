package org.jbhyve.doctor.linux;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

/** {@code /dev/kvm} exists and this user can open it read-write. */
public record KvmDeviceCheck(LinuxHost host) implements Check {
    static final String DEVICE = "/dev/kvm";

    @Override
    public String id() { return "kvm-device"; }

    @Override
    public Result run() {
        KvmFacts kvm = host.kvm();
        String mode = host.describe(DEVICE).map(d -> " (" + d + ")").orElse("");
        if (kvm.deviceOpened()) {
            return Result.ok(id(), DEVICE + mode + " opens read-write for user " + host.user())
                    .with("mode", host.describe(DEVICE).orElse(null));
        }
        int e = kvm.openErrno();
        Result r;
        if (e == Errno.ENOENT || !host.exists(DEVICE)) {
            r = Result.fail(id(), DEVICE + " does not exist: the kvm module is not loaded, or this CPU (or the"
                            + " hypervisor this Linux runs in) offers no VT-x/AMD-V",
                    "modprobe kvm_intel (Intel) or modprobe kvm_amd (AMD); if that fails, enable VT-x/AMD-V in the"
                            + " firmware setup, or nested virtualization in the outer hypervisor");
        } else if (e == Errno.EACCES || e == Errno.EPERM) {
            String group = host.group(DEVICE).orElse("kvm");
            String fix = group.equals("root")
                    ? "give " + DEVICE + " a group with read-write access (udev rule KERNEL==\"kvm\", GROUP=\"kvm\","
                            + " MODE=\"0660\"), add " + host.user() + " to that group and log in again; or run as root"
                    : "add " + host.user() + " to group " + group + " (usermod -aG " + group + " " + host.user()
                            + ") and log in again; or run as root";
            r = Result.fail(id(), DEVICE + mode + " exists but user " + host.user() + " cannot open it read-write: "
                    + kvm.openError(), fix);
        } else if (e == Errno.ENXIO || e == Errno.ENODEV) {
            r = Result.fail(id(), DEVICE + mode + " exists but the kvm module found no usable VT-x/AMD-V: "
                    + kvm.openError(),
                    "enable VT-x/AMD-V in the firmware setup (or nested virtualization in the outer hypervisor),"
                            + " then reload kvm_intel or kvm_amd");
        } else {
            r = Result.fail(id(), "cannot open " + DEVICE + mode + ": " + kvm.openError(),
                    "check dmesg for kvm errors; jbhyve needs " + DEVICE + " open read-write");
        }
        return r.with("errno", Errno.name(e));
    }
}
