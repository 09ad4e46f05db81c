package org.jbhyve.doctor.freebsd;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

import java.util.Optional;

/** vmm.ko, bhyve's kernel half, is loaded ({@code kldstat -q -m vmm}). */
public record VmmModuleCheck(FreeBsdHost host) implements Check {
    static final String DMESG = "/var/run/dmesg.boot";

    @Override
    public String id() { return "vmm-module"; }

    /** kldstat knows vmm, or one of the interfaces vmm creates when it loads exists. */
    public static boolean loaded(FreeBsdHost h) {
        return h.kldLoaded("vmm") || h.exists("/dev/vmmctl") || h.sysctl("hw.vmm.create").isPresent();
    }

    @Override
    public Result run() {
        if (loaded(host)) {
            return Result.ok(id(), "vmm.ko is loaded (kldstat -q -m vmm)").with("loaded", true);
        }
        Optional<DmesgBoot> dmesg = host.readFile(DMESG).map(DmesgBoot::parse);
        Result r;
        if (dmesg.isPresent() && dmesg.get().vtxDisabledInFirmware()) {
            r = Result.fail(id(), "vmm.ko is not loaded, and VT-x is disabled in the firmware (" + DMESG
                            + ": VT-x: " + dmesg.get().vtx().orElse("") + "), so it cannot load",
                    "enable Intel Virtualization Technology (VT-x) in the firmware setup, reboot, then kldload vmm");
        } else if (dmesg.isPresent() && !dmesg.get().hasVirtualization()) {
            r = Result.fail(id(), "vmm.ko is not loaded, and this CPU shows no VT-x or AMD-V (no VT-x: or SVM: line"
                            + " in " + DMESG + "), so it cannot load",
                    "use a CPU with VT-x or AMD-V; in a virtual machine, enable nested virtualization in the outer"
                            + " hypervisor (QEMU/KVM: -cpu host, with kvm_intel nested=1 or kvm_amd nested=1)");
        } else {
            r = Result.fail(id(), "vmm.ko is not loaded",
                    "kldload vmm (as root); to load it at every boot: sysrc kld_list+=vmm");
        }
        return r.with("loaded", false);
    }
}
