package org.jbhyve.doctor.linux;

import org.jbhyve.bindings.libc.Errno;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** A Linux host made of given facts. By default: bare metal, /dev/kvm usable, every capability present. */
final class FakeLinuxHost implements LinuxHost {
    final Map<String, String> files = new HashMap<>();
    final Set<String> paths = new HashSet<>(Set.of("/dev/kvm"));
    String user = "alice";
    String kvmGroup = "kvm";
    KvmFacts kvm = new KvmFacts(0, null, 12, null, List.of(), 1024, 80, "VMX");
    Supplier<GuestSpeed> speed = () -> new GuestSpeed(10_000, 0.9, 100_000_000L, 0.35);

    FakeLinuxHost() {
        files.put("/proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme de pse tsc msr vmx ept\n");
    }

    FakeLinuxHost file(String path, String text) {
        files.put(path, text);
        return this;
    }

    FakeLinuxHost noKvm() {
        paths.remove("/dev/kvm");
        kvm = KvmFacts.unopenable(Errno.ENOENT, "ENOENT (no such file or directory)");
        return this;
    }

    FakeLinuxHost kvmDenied(String group) {
        kvmGroup = group;
        kvm = KvmFacts.unopenable(Errno.EACCES, "EACCES (permission denied)");
        return this;
    }

    FakeLinuxHost insideVm() {
        files.put("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr vmx hypervisor\n");
        return this;
    }

    @Override
    public Optional<String> readFile(String path) {
        return Optional.ofNullable(files.get(path));
    }

    @Override
    public boolean exists(String path) {
        return paths.contains(path) || files.containsKey(path)
                || files.keySet().stream().anyMatch(f -> f.startsWith(path.endsWith("/") ? path : path + "/"));
    }

    @Override
    public Optional<String> describe(String path) {
        return path.equals("/dev/kvm") && paths.contains(path) ? Optional.of("crw-rw---- root:" + kvmGroup)
                : Optional.empty();
    }

    @Override
    public Optional<String> group(String path) {
        return path.equals("/dev/kvm") && paths.contains(path) ? Optional.of(kvmGroup) : Optional.empty();
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public KvmFacts kvm() {
        return kvm;
    }

    @Override
    public GuestSpeed measureGuestSpeed() {
        return speed.get();
    }
}
