package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.linux.kvm.kvm_cpuid2;
import org.jbhyve.bindings.linux.kvm.kvm_cpuid_entry2;
import org.jbhyve.bindings.linux.kvm.kvm_msr_list;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.state.CpuidEntry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.jbhyve.bindings.linux.kvm.kvm_h.*;

/** The Linux backend: {@code /dev/kvm}. */
public final class KvmHypervisor implements Hypervisor {
    public static final String DEVICE = "/dev/kvm";

    /** Capabilities jbhyve cannot work without, with what each is for. */
    static final int[] REQUIRED_CAPS = {
            KVM_CAP_USER_MEMORY, KVM_CAP_IRQCHIP, KVM_CAP_PIT2, KVM_CAP_SIGNAL_MSI,
            KVM_CAP_IMMEDIATE_EXIT, KVM_CAP_SET_TSS_ADDR, KVM_CAP_SET_IDENTITY_MAP_ADDR,
            KVM_CAP_EXT_CPUID, KVM_CAP_MP_STATE, KVM_CAP_VCPU_EVENTS, KVM_CAP_XSAVE, KVM_CAP_XCRS,
            KVM_CAP_ADJUST_CLOCK};

    private final KvmFd kvm;
    private final int vcpuMmapSize;
    private final List<CpuidEntry> supportedCpuid;
    private final int maxVcpus;
    private final Set<Integer> msrIndexList;

    private KvmHypervisor(KvmFd kvm) {
        this.kvm = kvm;
        int version = kvm.ioctl("KVM_GET_API_VERSION", KVM_GET_API_VERSION, 0L);
        if (version != KVM_API_VERSION) {
            throw new VmmException(DEVICE + " speaks KVM API version " + version + ", jbhyve needs " + KVM_API_VERSION);
        }
        for (int cap : REQUIRED_CAPS) {
            if (checkExtension(cap) <= 0) {
                throw new VmmException("the KVM of this kernel lacks capability " + capName(cap)
                        + ", which jbhyve needs; use a newer kernel");
            }
        }
        this.vcpuMmapSize = kvm.ioctl("KVM_GET_VCPU_MMAP_SIZE", KVM_GET_VCPU_MMAP_SIZE, 0L);
        int max = checkExtension(KVM_CAP_MAX_VCPUS);
        this.maxVcpus = max > 0 ? max : checkExtension(KVM_CAP_NR_VCPUS);
        this.supportedCpuid = readSupportedCpuid();
        this.msrIndexList = readMsrIndexList();
    }

    /** Opens /dev/kvm, or fails with one sentence saying why and what to do. */
    public static KvmHypervisor open() {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            fd = libc_h.open(errno, a.allocateFrom(DEVICE), libc_h.O_RDWR | libc_h.O_CLOEXEC, 0);
            if (fd < 0) throw new VmmException(openFailure(libc_h.errno(errno)), "open", libc_h.errno(errno));
        }
        KvmFd kvm = new KvmFd(fd, DEVICE);
        try {
            return new KvmHypervisor(kvm);
        } catch (RuntimeException e) {
            kvm.close();
            throw e;
        }
    }

    static String openFailure(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "cannot open " + DEVICE + ": no such device (load the kvm_intel or kvm_amd module, "
                    + "and enable VT-x/AMD-V in the firmware or the outer hypervisor)";
            case Errno.EACCES, Errno.EPERM -> "cannot open " + DEVICE + ": permission denied (" + accessAdvice() + ")";
            case Errno.ENXIO, Errno.ENODEV -> "cannot open " + DEVICE + ": no such device (the kvm module is loaded "
                    + "but found no usable VT-x/AMD-V; check the firmware settings)";
            default -> "cannot open " + DEVICE + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")";
        };
    }

    /** Joining the device's group helps only when the group may read and write it. */
    private static String accessAdvice() {
        try {
            var perms = Files.getPosixFilePermissions(Path.of(DEVICE));
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                    && perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)) {
                return "add yourself to group " + groupOf() + ", or run as root";
            }
            return DEVICE + " is " + java.nio.file.attribute.PosixFilePermissions.toString(perms) + ", so only its owner"
                    + " may open it: run as root, or have udev give a group access (KERNEL==\"kvm\", GROUP=\"kvm\","
                    + " MODE=\"0660\") and join that group; bin/bhyve-doctor checks this";
        } catch (Exception e) {
            return "run as root, or see bin/bhyve-doctor";
        }
    }

    private static String groupOf() {
        try {
            return Files.getAttribute(Path.of(DEVICE), "unix:group").toString();
        } catch (Exception e) {
            return "kvm";
        }
    }

    /** KVM_CHECK_EXTENSION: 0 when absent, otherwise a capability-specific positive value. */
    public int checkExtension(int cap) {
        return kvm.ioctl("KVM_CHECK_EXTENSION", KVM_CHECK_EXTENSION, cap);
    }

    static String capName(int cap) {
        for (var f : org.jbhyve.bindings.linux.kvm.kvm_h.class.getFields()) {
            try {
                if (f.getName().startsWith("KVM_CAP_") && f.getInt(null) == cap) return f.getName();
            } catch (ReflectiveOperationException ignored) {
                // not an int constant
            }
        }
        return "KVM capability " + cap;
    }

    private List<CpuidEntry> readSupportedCpuid() {
        return KvmCpuid.read(kvm, "KVM_GET_SUPPORTED_CPUID", KVM_GET_SUPPORTED_CPUID);
    }

    /** KVM_GET_MSR_INDEX_LIST: MSRs whose state KVM can save and restore on this host. */
    private Set<Integer> readMsrIndexList() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment probe = kvm_msr_list.allocate(a);
            try {
                kvm.ioctl("KVM_GET_MSR_INDEX_LIST", KVM_GET_MSR_INDEX_LIST, probe);
            } catch (VmmException e) {
                if (e.errno() != Errno.E2BIG) throw e;
            }
            int n = kvm_msr_list.nmsrs(probe);
            MemorySegment list = a.allocate(kvm_msr_list.sizeof() + 4L * n, 4);
            kvm_msr_list.nmsrs(list, n);
            kvm.ioctl("KVM_GET_MSR_INDEX_LIST", KVM_GET_MSR_INDEX_LIST, list);
            int got = kvm_msr_list.nmsrs(list);
            Set<Integer> out = new LinkedHashSet<>();
            for (int i = 0; i < got; i++) out.add(list.get(ValueLayout.JAVA_INT, kvm_msr_list.sizeof() + 4L * i));
            return Collections.unmodifiableSet(out);
        }
    }

    /** The MSRs KVM reports in KVM_GET_MSR_INDEX_LIST on this host (the ones whose state it can save). */
    public Set<Integer> msrIndexList() { return msrIndexList; }

    /** The CPUID leaves KVM can offer a guest on this host. */
    public List<CpuidEntry> supportedCpuid() { return supportedCpuid; }

    int vcpuMmapSize() { return vcpuMmapSize; }

    public int maxVcpus() { return maxVcpus; }

    @Override
    public String backendName() { return "kvm"; }

    @Override
    public VirtualMachine createVm(VmConfig config) {
        if (config.vcpus() > maxVcpus) {
            throw new VmmException("this host's KVM allows at most " + maxVcpus + " vCPUs per VM, asked for "
                    + config.vcpus());
        }
        int vmfd = kvm.ioctl("KVM_CREATE_VM", KVM_CREATE_VM, 0L);
        return new KvmVm(this, new KvmFd(vmfd, "vm '" + config.name() + "'"), config);
    }

    /** Names of capabilities jbhyve needs that this host lacks (empty when all are there). */
    public List<String> missingCapabilities() {
        List<String> missing = new ArrayList<>();
        for (int cap : REQUIRED_CAPS) if (checkExtension(cap) <= 0) missing.add(capName(cap));
        return missing;
    }

    @Override
    public void close() {
        kvm.close();
    }
}
