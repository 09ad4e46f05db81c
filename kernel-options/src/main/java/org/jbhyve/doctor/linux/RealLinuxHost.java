package org.jbhyve.doctor.linux;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.linux.kvm.kvm_h;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.kvm.KvmHypervisor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/** This Linux machine: files under /proc and /sys, /dev/kvm through the bindings and vmmapi-java. */
public final class RealLinuxHost implements LinuxHost {
    /** Files read are small (/proc/cpuinfo of a big machine is the largest); refuse anything huge. */
    private static final long MAX_FILE = 4 << 20;
    private KvmFacts kvm;

    @Override
    public Optional<String> readFile(String path) {
        try {
            Path p = Path.of(path);
            if (!Files.isReadable(p)) return Optional.empty();
            // /proc and /sys files report size 0 or 4096 whatever their content: read, then check.
            String s = Files.readString(p);
            return s.length() > MAX_FILE ? Optional.empty() : Optional.of(s);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public Optional<String> describe(String path) {
        try {
            PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            String type = a.isOther() ? "c" : a.isDirectory() ? "d" : "-";
            return Optional.of(type + PosixFilePermissions.toString(a.permissions()) + " " + a.owner().getName() + ":"
                    + a.group().getName());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> group(String path) {
        try {
            return Optional.of(Files.readAttributes(Path.of(path), PosixFileAttributes.class).group().getName());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String user() {
        return System.getProperty("user.name", "?");
    }

    @Override
    public synchronized KvmFacts kvm() {
        if (kvm == null) kvm = probeKvm();
        return kvm;
    }

    /**
     * Opens /dev/kvm itself first, for the exact errno and the API version (KvmHypervisor refuses a wrong
     * version without saying which), then through KvmHypervisor for the capabilities and limits.
     */
    private static KvmFacts probeKvm() {
        int apiVersion;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(errno, a.allocateFrom(KvmHypervisor.DEVICE), libc_h.O_RDWR | libc_h.O_CLOEXEC, 0);
            if (fd < 0) {
                int e = libc_h.errno(errno);
                return KvmFacts.unopenable(e, Errno.name(e) + " (" + Errno.describe(e) + ")");
            }
            try {
                apiVersion = libc_h.ioctl(errno, fd, kvm_h.KVM_GET_API_VERSION, 0L);
            } finally {
                libc_h.close(errno, fd);
            }
        }
        try (KvmHypervisor kvm = KvmHypervisor.open()) {
            return new KvmFacts(0, null, apiVersion, null, kvm.missingCapabilities(), kvm.maxVcpus(),
                    kvm.supportedCpuid().size(), KvmFacts.guestVirtualization(kvm.supportedCpuid()));
        } catch (VmmException e) {
            return new KvmFacts(0, null, apiVersion, e.getMessage(), List.of(), -1, -1, null);
        }
    }

    @Override
    public GuestSpeed measureGuestSpeed() {
        return GuestSpeedProbe.measure();
    }
}
