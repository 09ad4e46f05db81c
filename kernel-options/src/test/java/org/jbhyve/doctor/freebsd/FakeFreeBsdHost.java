package org.jbhyve.doctor.freebsd;

import org.jbhyve.bindings.libc.Errno;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A FreeBSD host made of documented facts. The default is a healthy FreeBSD 15 amd64 Intel machine run as
 * root: vmm.ko loaded, VT-x initialized with unrestricted guest, /dev/vmmctl, libvmmapi.so.7, a kernel
 * built with BHYVE_SNAPSHOT (the probe's invalid VM_SNAPSHOT_REQ answers EINVAL), bare metal.
 */
final class FakeFreeBsdHost implements FreeBsdHost {
    final Map<String, String> sysctls = new HashMap<>();
    final Set<String> modules = new HashSet<>(Set.of("vmm"));
    final Set<String> paths = new HashSet<>(Set.of("/dev/vmmctl"));
    final Set<String> readWrite = new HashSet<>(Set.of("/dev/vmmctl"));
    final Map<String, String> files = new HashMap<>();
    boolean root = true;
    Libvmmapi libvmmapi = Libvmmapi.found("libvmmapi.so.7");
    SnapshotProbe.Outcome snapshot = new SnapshotProbe.Outcome.Answered(Errno.EINVAL, "VM created through /dev/vmmctl");
    int probes;

    FakeFreeBsdHost() {
        sysctls.put("hw.vmm.create", "");
        sysctls.put("hw.vmm.destroy", "");
        sysctls.put("hw.vmm.maxcpu", "8");
        sysctls.put("hw.vmm.vmx.initialized", "1");
        sysctls.put("hw.vmm.vmx.cap.unrestricted_guest", "1");
        sysctls.put("kern.vm_guest", "none");
        files.put("/var/run/dmesg.boot", """
                CPU: Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz (3192.00-MHz K8-class CPU)
                  Origin="GenuineIntel"  Id=0x906ea  Family=0x6  Model=0x9e  Stepping=10
                  VT-x: PAT,HLT,MTF,PAUSE,EPT,UG,VPID
                """);
    }

    /** vmm.ko not loaded: no module, no /dev/vmmctl, no hw.vmm sysctls. */
    FakeFreeBsdHost vmmUnloaded() {
        modules.remove("vmm");
        paths.remove("/dev/vmmctl");
        sysctls.keySet().removeIf(k -> k.startsWith("hw.vmm."));
        return this;
    }

    /** FreeBSD 14: no /dev/vmmctl, VMs are created through hw.vmm.create. */
    FakeFreeBsdHost freebsd14() {
        paths.remove("/dev/vmmctl");
        readWrite.remove("/dev/vmmctl");
        snapshot = new SnapshotProbe.Outcome.Answered(Errno.EINVAL, "VM created through hw.vmm.create");
        return this;
    }

    /** Run as an ordinary user: /dev/vmmctl (root:wheel 0600) is out of reach, so the probe cannot run. */
    FakeFreeBsdHost notRoot() {
        root = false;
        readWrite.clear();
        snapshot = new SnapshotProbe.Outcome.NotProbed("creating the throwaway VM the probe needs takes root",
                "run bhyve-doctor as root (doas/sudo bin/bhyve-doctor)");
        return this;
    }

    @Override
    public Optional<String> sysctl(String name) {
        return Optional.ofNullable(sysctls.get(name));
    }

    @Override
    public boolean kldLoaded(String module) {
        return modules.contains(module);
    }

    @Override
    public boolean exists(String path) {
        return paths.contains(path) || files.containsKey(path);
    }

    @Override
    public boolean canReadWrite(String path) {
        return readWrite.contains(path) && exists(path);
    }

    @Override
    public Optional<String> readFile(String path) {
        return Optional.ofNullable(files.get(path));
    }

    @Override
    public boolean isRoot() {
        return root;
    }

    @Override
    public String user() {
        return root ? "root" : "alice";
    }

    @Override
    public Libvmmapi libvmmapi() {
        return libvmmapi;
    }

    @Override
    public SnapshotProbe.Outcome probeSnapshot() {
        probes++;
        return snapshot;
    }
}
