package org.jbhyve.doctor.linux;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Is this Linux itself a virtual machine? Then jbhyve's guests are nested (a guest of a guest), and unless the
 * outer hypervisor accelerates nested virtualization in hardware their code can run about a thousand times
 * slower than on bare metal. Read from the CPUID "hypervisor" bit as {@code /proc/cpuinfo} shows it; the outer
 * hypervisor is named from {@code /sys/hypervisor/type} and the DMI vendor and product where readable, else
 * from the paravirtual clock sources it offers.
 */
public record NestedVirtualizationCheck(LinuxHost host) implements Check {
    static final String CLOCKSOURCES = "/sys/devices/system/clocksource/clocksource0/available_clocksource";

    @Override
    public String id() { return "nested-virt"; }

    @Override
    public Result run() {
        Optional<String> cpuinfo = host.readFile("/proc/cpuinfo");
        if (cpuinfo.isEmpty()) {
            return Result.warn(id(), "cannot read /proc/cpuinfo, so cannot tell whether this host is itself a VM",
                    "mount /proc; guest-speed below shows what guests get here");
        }
        CpuInfo cpu = CpuInfo.parse(cpuinfo.get());
        String outer = outerHypervisor();
        if (!cpu.hypervisor()) {
            return Result.ok(id(), "bare metal (CPUID hypervisor bit clear): jbhyve's guests run directly on VT-x/AMD-V")
                    .with("hypervisorBit", false);
        }
        return Result.warn(id(), "this host is itself a virtual machine (CPUID.1:ECX bit 31, \"hypervisor\", is set"
                        + (outer.isEmpty() ? "" : "; outer hypervisor: " + outer)
                        + "): jbhyve's guests run nested, and their code may run ~1000x slower than on bare metal"
                        + " unless the outer hypervisor accelerates nested virtualization",
                "for native speed run jbhyve on bare metal, or in a VM whose hypervisor has hardware-assisted nested"
                        + " virtualization (outer KVM with kvm_intel nested=1 and ept=1, or kvm_amd nested=1 and"
                        + " npt=1); guest-speed below shows what guests get here")
                .with("hypervisorBit", true).with("outerHypervisor", outer.isEmpty() ? null : outer)
                .with("vmxVisible", cpu.vmx()).with("svmVisible", cpu.svm());
    }

    /** E.g. {@code QEMU Standard PC (Q35 + ICH9, 2009)}, {@code xen}, or empty when nothing is readable. */
    String outerHypervisor() {
        List<String> parts = new ArrayList<>();
        host.readFile("/sys/hypervisor/type").map(String::strip).filter(s -> !s.isEmpty()).ifPresent(parts::add);
        for (String f : List.of("/sys/class/dmi/id/sys_vendor", "/sys/class/dmi/id/product_name")) {
            host.readFile(f).map(String::strip).filter(s -> !s.isEmpty() && !parts.contains(s)).ifPresent(parts::add);
        }
        if (parts.isEmpty()) {
            // No DMI (e.g. Firecracker): the paravirtual clock the outer hypervisor offers still names it.
            String clocks = host.readFile(CLOCKSOURCES).orElse("");
            if (clocks.contains("kvm-clock")) parts.add("KVM (kvm-clock)");
            else if (clocks.contains("hyperv")) parts.add("Hyper-V (hyperv clocksource)");
            else if (clocks.contains("xen")) parts.add("Xen (xen clocksource)");
        }
        return String.join(" ", parts);
    }
}
