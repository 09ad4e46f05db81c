package org.jbhyve.doctor.freebsd;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

import java.util.Optional;

/**
 * VT-x with unrestricted guest, or AMD-V with nested paging, as vmm.ko found them. Unrestricted guest lets
 * the CPU run a guest's real-mode and unpaged protected-mode code directly; bhyve needs it for UEFI boot
 * and for secondary vCPUs, and jbhyve's test guests start in real mode. On AMD, SVM with nested paging
 * always runs such code, and vmm.ko refuses to load without nested paging.
 *
 * <p>Sysctls (sys/amd64/vmm/intel/vmx.c, amd/svm.c): {@code hw.vmm.vmx.initialized},
 * {@code hw.vmm.vmx.cap.unrestricted_guest}; {@code hw.vmm.svm.features} (CPUID 0x8000000A EDX: bit 0
 * nested paging, bit 3 NRIP save).
 */
public record VirtualizationCheck(FreeBsdHost host) implements Check {
    static final long SVM_NP = 1L, SVM_NRIP_SAVE = 1L << 3;

    @Override
    public String id() { return "virtualization"; }

    @Override
    public Result run() {
        if (!VmmModuleCheck.loaded(host)) return Result.skip(id(), "not checked: vmm.ko is not loaded (see vmm-module)");
        Optional<String> vmxInit = host.sysctl("hw.vmm.vmx.initialized");
        if (vmxInit.isPresent()) {
            String ug = host.sysctl("hw.vmm.vmx.cap.unrestricted_guest").orElse("?");
            Result r;
            if (!vmxInit.get().equals("1")) {
                r = Result.fail(id(), "Intel VT-x is not initialized (hw.vmm.vmx.initialized=" + vmxInit.get() + ")",
                        "look for vmx errors in dmesg; enable VT-x in the firmware setup and reload vmm");
            } else if (ug.equals("1")) {
                r = Result.ok(id(), "Intel VT-x, initialized, with unrestricted guest"
                        + " (hw.vmm.vmx.cap.unrestricted_guest=1)");
            } else {
                r = Result.fail(id(), "Intel VT-x without unrestricted guest (hw.vmm.vmx.cap.unrestricted_guest=" + ug
                                + "): guest real-mode code cannot run, so jbhyve's guests, UEFI boot and secondary"
                                + " vCPUs cannot start",
                        "no software fix: use a CPU with unrestricted guest (Intel Westmere, 2010, or later); in a"
                                + " virtual machine, have the outer hypervisor expose it (QEMU/KVM: -cpu host, with"
                                + " kvm_intel unrestricted_guest=1)");
            }
            return r.with("vendor", "intel").with("unrestrictedGuest", ug);
        }
        Optional<String> svm = host.sysctl("hw.vmm.svm.features");
        if (svm.isPresent()) {
            long f = parse(svm.get());
            Result r = (f & SVM_NP) != 0
                    ? Result.ok(id(), "AMD-V (SVM) with nested paging (hw.vmm.svm.features=0x" + Long.toHexString(f)
                            + "): guest real-mode code runs in hardware, as unrestricted guest does on Intel")
                    : Result.fail(id(), "AMD-V without nested paging (hw.vmm.svm.features=0x" + Long.toHexString(f) + ")",
                            "use a CPU with AMD-V nested paging (RVI); in a virtual machine, expose npt from the outer"
                                    + " hypervisor (kvm_amd npt=1)");
            return r.with("vendor", "amd").with("svmFeatures", f);
        }
        return Result.fail(id(), "vmm.ko is loaded but neither hw.vmm.vmx nor hw.vmm.svm exists",
                "look for vmm errors in dmesg; kldunload vmm && kldload vmm");
    }

    private static long parse(String s) {
        try {
            String t = s.strip();
            return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
