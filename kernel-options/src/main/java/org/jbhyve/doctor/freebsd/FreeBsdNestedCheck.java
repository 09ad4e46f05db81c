package org.jbhyve.doctor.freebsd;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

import java.util.Optional;

/**
 * Is this FreeBSD itself a virtual machine ({@code kern.vm_guest}: {@code none} on bare metal, else the
 * hypervisor kind, e.g. {@code kvm}, {@code bhyve}, {@code vmware}, {@code hv})? Then jbhyve's guests are nested.
 */
public record FreeBsdNestedCheck(FreeBsdHost host) implements Check {

    @Override
    public String id() { return "nested-virt"; }

    @Override
    public Result run() {
        Optional<String> guest = host.sysctl("kern.vm_guest");
        if (guest.isEmpty()) {
            return Result.warn(id(), "cannot read kern.vm_guest, so cannot tell whether this host is itself a VM",
                    "check sysctl kern.vm_guest by hand");
        }
        if (guest.get().equals("none")) {
            return Result.ok(id(), "bare metal (kern.vm_guest=none): bhyve guests run directly on VT-x/AMD-V")
                    .with("vmGuest", "none");
        }
        String origin = host.readFile(VmmModuleCheck.DMESG).map(DmesgBoot::parse)
                .flatMap(DmesgBoot::hypervisorOrigin).map(o -> ", hypervisor origin \"" + o + "\"").orElse("");
        return Result.warn(id(), "this host is itself a virtual machine (kern.vm_guest=" + guest.get() + origin
                        + "): bhyve guests run nested, and their code may run far slower than on bare metal unless"
                        + " the outer hypervisor accelerates nested virtualization",
                "for native speed run jbhyve on bare metal, or under a hypervisor with hardware-assisted nested"
                        + " virtualization")
                .with("vmGuest", guest.get());
    }
}
