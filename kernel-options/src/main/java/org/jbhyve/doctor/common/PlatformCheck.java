package org.jbhyve.doctor.common;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Platform;
import org.jbhyve.doctor.Result;

/** jbhyve runs x86-64 guests on x86-64 FreeBSD (vmm.ko) or Linux (KVM) hosts, nothing else. */
public record PlatformCheck(Platform platform) implements Check {

    @Override
    public String id() { return "platform"; }

    @Override
    public Result run() {
        String what = platform.osName() + " " + platform.osVersion() + " on " + platform.osArch();
        boolean osOk = platform.os() != Platform.Os.OTHER;
        Result r;
        if (osOk && platform.isX86_64()) {
            r = Result.ok(id(), what + (platform.os() == Platform.Os.FREEBSD ? " (backend: libvmmapi and /dev/vmm)"
                    : " (backend: /dev/kvm)"));
        } else if (!osOk) {
            r = Result.fail(id(), what + ": jbhyve runs only on FreeBSD (vmm.ko) and Linux (KVM)",
                    "run jbhyve on an amd64 FreeBSD 14/15 or x86-64 Linux host");
        } else {
            r = Result.fail(id(), what + ": jbhyve runs x86-64 guests with VT-x/AMD-V and needs an amd64 (x86-64) host",
                    "run jbhyve on an amd64 (x86-64) machine");
        }
        return r.with("os", platform.osName()).with("arch", platform.osArch());
    }
}
