package org.jbhyve.doctor.linux;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which vendor module backs KVM, and its parameters that decide how guests run. kvm_intel and kvm_amd use
 * VT-x and AMD-V: there two-dimensional paging (EPT, NPT) and, on Intel, unrestricted guest (real mode in
 * hardware; without it KVM emulates jbhyve's real-mode start-up code) matter. kvm_pvm, the "pagetable-based
 * virtual machine", runs guests without VT-x/AMD-V at all, in software with shadow paging, as hosted VMs
 * without nested virtualization sometimes offer: everything works, slowly. Whether this KVM's guests can be
 * hypervisors themselves (nested virtualization: the FreeBSD VM of {@code ci/freebsd/run-tests} needs it to
 * load vmm.ko) is read from what KVM_GET_SUPPORTED_CPUID offers them, and reported alongside.
 */
public record KvmModuleParamsCheck(LinuxHost host) implements Check {
    static final String INTEL = "/sys/module/kvm_intel/parameters/";
    static final String AMD = "/sys/module/kvm_amd/parameters/";
    static final String PVM = "/sys/module/kvm_pvm/";

    @Override
    public String id() { return "kvm-module"; }

    @Override
    public Result run() {
        String module;
        String dir;
        List<String> names;
        if (host.exists(INTEL)) {
            module = "kvm_intel";
            dir = INTEL;
            names = List.of("ept", "unrestricted_guest", "nested", "enable_shadow_vmcs");
        } else if (host.exists(AMD)) {
            module = "kvm_amd";
            dir = AMD;
            names = List.of("npt", "nested");
        } else if (host.exists(PVM)) {
            return Result.warn(id(), "KVM is backed by kvm_pvm, the pagetable-based virtual machine: guests run"
                            + " without VT-x/AMD-V, by software-assisted virtualization with shadow page tables, far"
                            + " slower than native" + nesting(),
                    "for native speed use a host whose KVM runs on kvm_intel or kvm_amd: bare metal, or a VM whose"
                            + " hypervisor exposes VT-x/AMD-V (nested virtualization)")
                    .with("module", "kvm_pvm").with("guestVirtualization", host.kvm().guestVirtualization());
        } else {
            return Result.skip(id(), "no kvm_intel, kvm_amd or kvm_pvm parameters under /sys/module: not checked");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String n : names) read(dir + n).ifPresent(v -> values.put(n, v));
        List<String> shown = new ArrayList<>();
        values.forEach((k, v) -> shown.add(k + "=" + v));
        String line = module + ": " + (shown.isEmpty() ? "no parameters readable" : String.join(" ", shown));

        List<String> slow = new ArrayList<>();
        if (isOff(values.get("ept"))) slow.add("ept is off: guest page tables are shadowed in software");
        if (isOff(values.get("npt"))) slow.add("npt is off: guest page tables are shadowed in software");
        if (isOff(values.get("unrestricted_guest"))) {
            slow.add("unrestricted_guest is off: KVM emulates guest real mode instruction by instruction");
        }
        String nestedNote = nesting();
        Result r = slow.isEmpty()
                ? Result.ok(id(), line + nestedNote)
                : Result.warn(id(), line + ": " + String.join("; ", slow) + nestedNote,
                        "reload " + module + " with the feature on (modprobe -r " + module + "; modprobe " + module
                                + (module.equals("kvm_intel") ? " ept=1 unrestricted_guest=1" : " npt=1")
                                + "); in a VM, the outer hypervisor must expose it");
        Map<String, Object> data = new LinkedHashMap<>(values);
        return r.with("module", module).with("parameters", data)
                .with("guestVirtualization", host.kvm().guestVirtualization());
    }

    /** Whether guests of this KVM can run hypervisors themselves, as far as KVM_GET_SUPPORTED_CPUID tells. */
    private String nesting() {
        String v = host.kvm().guestVirtualization();
        if (v == null) return "";
        return v.equals("none")
                ? "; its guests cannot be hypervisors themselves (KVM offers them neither VMX nor SVM), so e.g."
                        + " bhyve in the FreeBSD VM of ci/freebsd/run-tests cannot run guests"
                : "; its guests can be hypervisors themselves (KVM offers them " + v + ")";
    }

    private Optional<String> read(String path) {
        return host.readFile(path).map(String::strip);
    }

    /** Module booleans read back as Y/N (kvm_intel) or 1/0 (kvm_amd). */
    static boolean isOff(String v) {
        return v != null && (v.equals("N") || v.equals("0"));
    }
}
