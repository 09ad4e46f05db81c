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
     *   <li>AMX, unless KVM offers it whole: its tile data (XCR0 bit 18, 8 KiB) is in the XSAVE area only
     *       when this process asked for it with {@code arch_prctl(ARCH_REQ_XCOMP_GUEST_PERM)}, which jbhyve
     *       does not. Without that, KVM_GET_SUPPORTED_CPUID drops XTILEDATA from leaf 0xD but still reports
     *       AMX-TILE, AMX-INT8 and AMX-BF16 in leaf 7 and the tile leaves 0x1D and 0x1E, and before Linux 6.4
     *       it kept XTILECFG (XCR0 bit 17) in leaf 0xD (KVM commit 55cd57b596e8), which no guest can
     *       enable: XSETBV faults unless bits 17 and 18 are set together, so a Linux guest that enables
     *       what leaf 0xD lists would fault at boot. So without XTILEDATA, XTILECFG and its sub-leaf, the
     *       AMX bits of leaves 7 and 7.1 and the AMX leaves go, and leaf 0xD.0 ECX (the XSAVE area for all
     *       of XCR0) is recomputed from the sub-leaves that stay.</li>
     *   <li>CET: shadow stacks (CET_SS, leaf 7 ECX bit 7) and indirect-branch tracking (CET_IBT, leaf 7
     *       EDX bit 20), with the supervisor XSAVE components CET_U and CET_S (IA32_XSS bits 11 and 12,
     *       leaf 0xD.1 ECX) and their sub-leaves. KVM virtualizes CET since Linux 6.18; its state is in
     *       MSRs (U_CET, S_CET, PL0_SSP..PL3_SSP, INT_SSP_TAB) and in the shadow-stack pointer, which KVM
     *       gives only through {@code KVM_GET_ONE_REG(KVM_REG_GUEST_SSP)}, none of which jbhyve saves
     *       (supervisor components are not in the XSAVE area KVM_GET_XSAVE2 returns).</li>
     * </ul>
     */
    static List<CpuidEntry> withoutUnsavedState(List<CpuidEntry> supported) {
        long xcr0 = supportedXcr0(supported);
        boolean amx = (xcr0 & XCR0_XTILEDATA) != 0;
        long dropXcr0 = amx ? 0 : XCR0_AMX & xcr0;
        List<CpuidEntry> out = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            int f = e.function(), i = e.index();
            switch (f) {
                case 1 -> e = e.withEcx(e.ecx() & ~LEAF1_ECX_VMX);
                case 7 -> {
                    if (i == 0) e = e.withEcx(e.ecx() & ~LEAF7_ECX_CET_SS).withEdx(e.edx() & ~LEAF7_EDX_CET_IBT);
                    if (!amx && i == 0) e = e.withEdx(e.edx() & ~LEAF7_EDX_AMX);
                    if (!amx && i == 1) e = e.withEax(e.eax() & ~LEAF7_1_EAX_AMX_FP16).withEdx(e.edx() & ~LEAF7_1_EDX_AMX_COMPLEX);
                }
                case 0xd -> {
                    if (i >= 2 && i < 64 && ((dropXcr0 | XSS_CET) & (1L << i)) != 0) continue; // a dropped component's sub-leaf
                    if (i == 0) e = e.withEax(e.eax() & ~(int) dropXcr0).withEdx(e.edx() & ~(int) (dropXcr0 >>> 32));
                    if (i == 1) e = e.withEcx(e.ecx() & ~(int) XSS_CET);
                }
                case AMX_TILE_LEAF, AMX_TMUL_LEAF -> { if (!amx) e = zeroed(e); }
                case 0x80000001 -> e = e.withEcx(e.ecx() & ~EXT1_ECX_SVM);
                case SVM_FEATURES_LEAF -> e = zeroed(e);
                default -> { }
            }
            out.add(e);
        }
        if (dropXcr0 != 0) {
            long left = xcr0 & ~dropXcr0;
            int size = xsaveAreaSize(out, left);
            out.replaceAll(e -> e.function() == 0xd && e.index() == 0 ? e.withEcx(size) : e);
        }
        return out;
    }

    /** CPUID.(7,0):ECX CET_SS, shadow stacks (bit 7). */
    static final int LEAF7_ECX_CET_SS = 1 << 7;
    /** CPUID.(7,0):EDX CET_IBT, indirect-branch tracking (bit 20). */
    static final int LEAF7_EDX_CET_IBT = 1 << 20;
    /** IA32_XSS bits 11 (CET_U) and 12 (CET_S): the CET supervisor XSAVE components. */
    static final long XSS_CET = (1L << 11) | (1L << 12);
    /** CPUID.(7,0):EDX AMX-BF16 (bit 22), AMX-TILE (24), AMX-INT8 (25). */
    static final int LEAF7_EDX_AMX = (1 << 22) | (1 << 24) | (1 << 25);
    /** CPUID.(7,1):EAX AMX-FP16 (bit 21). */
    static final int LEAF7_1_EAX_AMX_FP16 = 1 << 21;
    /** CPUID.(7,1):EDX AMX-COMPLEX (bit 8). */
    static final int LEAF7_1_EDX_AMX_COMPLEX = 1 << 8;
    /** XCR0 bits 17 (XTILECFG) and 18 (XTILEDATA). */
    static final long XCR0_XTILECFG = 1L << 17, XCR0_XTILEDATA = 1L << 18, XCR0_AMX = XCR0_XTILECFG | XCR0_XTILEDATA;
    /** The AMX tile-information and TMUL-information leaves. */
    static final int AMX_TILE_LEAF = 0x1d, AMX_TMUL_LEAF = 0x1e;
    /** The legacy region and the XSAVE header: where the extended components start (SDM vol. 1 §13.4). */
    static final int XSAVE_LEGACY_AND_HEADER = 512 + 64;

    /** The XCR0 bits leaf 0xD.0 lists (EDX:EAX). */
    static long supportedXcr0(List<CpuidEntry> cpuid) {
        for (CpuidEntry e : cpuid) {
            if (e.function() == 0xd && e.index() == 0) return Integer.toUnsignedLong(e.eax()) | ((long) e.edx() << 32);
        }
        return 0;
    }

    /**
     * Bytes of the standard-format XSAVE area holding the XCR0 components {@code xcr0}: the end of the one
     * that ends last, from each one's sub-leaf of 0xD (EAX its size, EBX its offset).
     */
    static int xsaveAreaSize(List<CpuidEntry> cpuid, long xcr0) {
        int size = XSAVE_LEGACY_AND_HEADER;
        for (CpuidEntry e : cpuid) {
            int i = e.index();
            if (e.function() == 0xd && i >= 2 && i < 64 && (xcr0 & (1L << i)) != 0) {
                size = Math.max(size, e.ebx() + e.eax());
            }
        }
        return size;
    }

    private static CpuidEntry zeroed(CpuidEntry e) {
        return new CpuidEntry(e.function(), e.index(), e.flags(), 0, 0, 0, 0);
    }
}
