package org.jbhyve.doctor.freebsd;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

import java.util.regex.Pattern;

/**
 * The kernel's vmm was built with {@code options BHYVE_SNAPSHOT}, without which jbhyve cannot save or restore
 * the in-kernel devices and vCPU state ({@code VM_SNAPSHOT_REQ}, {@code VM_RESTORE_TIME} fail with ENOTTY).
 * Probed on a throwaway VM, see {@link SnapshotProbe}. {@code kern.conftxt} (the kernel's configuration,
 * there because GENERIC has {@code options INCLUDE_CONFIG_FILE}) is reported alongside, but not trusted
 * alone: vmm.ko may come from another build than the kernel.
 */
public record SnapshotSupportCheck(FreeBsdHost host) implements Check {
    static final String FIX = "build and install a kernel (or only vmm.ko) with options BHYVE_SNAPSHOT:"
            + " see kernel-options/README.md in the jbhyve sources, then reboot (or kldunload vmm && kldload vmm)";
    static final Pattern CONFTXT_OPTION = Pattern.compile("(?m)^\\s*options\\s+.*\\bBHYVE_SNAPSHOT\\b");

    @Override
    public String id() { return "snapshot"; }

    @Override
    public Result run() {
        if (!VmmModuleCheck.loaded(host)) return Result.skip(id(), "not probed: vmm.ko is not loaded (see vmm-module)");
        boolean conftxt = host.sysctl("kern.conftxt").map(t -> CONFTXT_OPTION.matcher(t).find()).orElse(false);
        String note = conftxt ? "; kern.conftxt lists options BHYVE_SNAPSHOT" : "";
        Result r = switch (host.probeSnapshot()) {
            case SnapshotProbe.Outcome.Answered a when a.snapshotSupported() -> Result.ok(id(),
                    "the kernel's vmm has snapshot support (options BHYVE_SNAPSHOT): VM_SNAPSHOT_REQ with an invalid"
                            + " request on a throwaway VM failed with EINVAL, not ENOTTY" + note)
                    .with("errno", "EINVAL").with("how", a.how());
            case SnapshotProbe.Outcome.Answered a when a.snapshotMissing() -> Result.fail(id(),
                    "the kernel's vmm has no snapshot support (built without options BHYVE_SNAPSHOT):"
                            + " VM_SNAPSHOT_REQ on a throwaway VM failed with ENOTTY, so jbhyve cannot checkpoint,"
                            + " suspend or restore VMs here (everything else works)" + note, FIX)
                    .with("errno", "ENOTTY").with("how", a.how());
            case SnapshotProbe.Outcome.Answered a when a.errno() == 0 -> Result.warn(id(),
                    "VM_SNAPSHOT_REQ with an invalid request succeeded on a throwaway VM, which no known kernel"
                            + " does: cannot tell whether snapshots work" + note,
                    "report this with the output of uname -a and bhyve-doctor --json");
            case SnapshotProbe.Outcome.Answered a -> Result.warn(id(),
                    "cannot tell: VM_SNAPSHOT_REQ on a throwaway VM failed with " + Errno.name(a.errno())
                            + " (expected EINVAL with snapshot support, ENOTTY without)" + note,
                    "look at dmesg; if snapshots are needed, " + FIX)
                    .with("errno", Errno.name(a.errno())).with("how", a.how());
            case SnapshotProbe.Outcome.NotProbed n -> Result.warn(id(), "not probed: " + n.reason() + note, n.fix());
        };
        return r.with("kernConftxtOption", conftxt);
    }
}
