package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.linux.kvm.kvm_cpuid2;
import org.jbhyve.bindings.linux.kvm.kvm_cpuid_entry2;
import org.jbhyve.vmm.state.CpuidEntry;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.vmm.VmmException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.ArrayList;
import java.util.List;

/** Conversions between {@code struct kvm_cpuid2} and {@link CpuidEntry}, and the per-vCPU fix-ups. */
final class KvmCpuid {
    private KvmCpuid() {}

    /**
     * Runs a CPUID-listing ioctl (KVM_GET_SUPPORTED_CPUID, KVM_GET_CPUID2) with a buffer that grows
     * while the kernel answers E2BIG.
     */
    static List<CpuidEntry> read(KvmFd fd, String name, long request) {
        for (int n = 256; ; n *= 2) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(kvm_cpuid2.sizeof() + n * kvm_cpuid_entry2.sizeof(), 8);
                kvm_cpuid2.nent(buf, n);
                try {
                    fd.ioctl(name, request, buf);
                } catch (VmmException e) {
                    if (e.errno() == Errno.E2BIG && n < 4096) continue;
                    throw e;
                }
                return decode(buf);
            }
        }
    }

    static List<CpuidEntry> decode(MemorySegment cpuid2) {
        int n = kvm_cpuid2.nent(cpuid2);
        List<CpuidEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MemorySegment e = cpuid2.asSlice(kvm_cpuid2.sizeof() + i * kvm_cpuid_entry2.sizeof(), kvm_cpuid_entry2.sizeof());
            out.add(new CpuidEntry(kvm_cpuid_entry2.function(e), kvm_cpuid_entry2.index(e), kvm_cpuid_entry2.flags(e),
                    kvm_cpuid_entry2.eax(e), kvm_cpuid_entry2.ebx(e), kvm_cpuid_entry2.ecx(e), kvm_cpuid_entry2.edx(e)));
        }
        return out;
    }

    static MemorySegment encode(SegmentAllocator a, List<CpuidEntry> entries) {
        MemorySegment buf = a.allocate(kvm_cpuid2.sizeof() + entries.size() * kvm_cpuid_entry2.sizeof(), 8);
        kvm_cpuid2.nent(buf, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            CpuidEntry c = entries.get(i);
            MemorySegment e = buf.asSlice(kvm_cpuid2.sizeof() + i * kvm_cpuid_entry2.sizeof(), kvm_cpuid_entry2.sizeof());
            kvm_cpuid_entry2.function(e, c.function());
            kvm_cpuid_entry2.index(e, c.index());
            kvm_cpuid_entry2.flags(e, c.flags());
            kvm_cpuid_entry2.eax(e, c.eax());
            kvm_cpuid_entry2.ebx(e, c.ebx());
            kvm_cpuid_entry2.ecx(e, c.ecx());
            kvm_cpuid_entry2.edx(e, c.edx());
        }
        return buf;
    }

    /** CPUID.1:ECX bit 5, VMX. */
    static final int LEAF1_ECX_VMX = 1 << 5;
    /** CPUID.80000001H:ECX bit 2, SVM. */
    static final int EXT1_ECX_SVM = 1 << 2;
    /** The SVM feature leaf (revision, ASIDs, nested-paging and other SVM features). */
    static final int SVM_FEATURES_LEAF = 0x8000000a;

    /**
     * The host's supported leaves adjusted for one vCPU: its APIC ID in leaf 1 and the x2APIC
     * topology leaves, the logical-processor count, and the hypervisor-present bit; without the
     * features whose state a snapshot does not carry ({@link #withoutUnsavedState}).
     */
    static List<CpuidEntry> forVcpu(List<CpuidEntry> supported, int vcpuId, int vcpuCount) {
        List<CpuidEntry> offered = withoutUnsavedState(supported);
        List<CpuidEntry> out = new ArrayList<>(offered.size());
        for (CpuidEntry e : offered) {
            switch (e.function()) {
                case 1 -> {
                    int ebx = (e.ebx() & 0x0000ffff) | (vcpuId << 24) | (Math.min(vcpuCount, 255) << 16);
                    int edx = vcpuCount > 1 ? e.edx() | (1 << 28) : e.edx() & ~(1 << 28);
                    e = e.withEbx(ebx).withEcx(e.ecx() | (1 << 31)).withEdx(edx);
                }
                case 0xb, 0x1f -> e = e.withEdx(vcpuId);
                default -> { }
            }
            out.add(e);
        }
        return out;
    }

    /**
     * {@code supported} without the features KVM can offer whose state jbhyve's vCPU save
     * ({@link KvmVcpu#saveState}) does not carry, so that no guest can come to depend on state a restore
     * would lose:
     * <ul>
     *   <li>nested virtualization, VMX (leaf 1 ECX bit 5) and SVM (0x80000001 ECX bit 2, and the SVM
     *       leaf 0x8000000A zeroed). KVM_GET_SUPPORTED_CPUID offers them whenever {@code kvm_intel} or
     *       {@code kvm_amd} has {@code nested=1}, the default; a guest hypervisor's state (VMXON, the
     *       current VMCS or VMCB, and L2's registers while L2 runs) is {@code KVM_GET_NESTED_STATE}'s,
     *       which jbhyve does not save. bhyve hides both from its guests too.</li>
     * </ul>
     */
    static List<CpuidEntry> withoutUnsavedState(List<CpuidEntry> supported) {
        List<CpuidEntry> out = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            switch (e.function()) {
                case 1 -> e = e.withEcx(e.ecx() & ~LEAF1_ECX_VMX);
                case 0x80000001 -> e = e.withEcx(e.ecx() & ~EXT1_ECX_SVM);
                case SVM_FEATURES_LEAF -> e = zeroed(e);
                default -> { }
            }
            out.add(e);
        }
        return out;
    }

    private static CpuidEntry zeroed(CpuidEntry e) {
        return new CpuidEntry(e.function(), e.index(), e.flags(), 0, 0, 0, 0);
    }
}
