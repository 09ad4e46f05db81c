package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.state.CpuidEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPUID a jbhyve guest is given ({@link KvmCpuid#forVcpu}), checked against host tables built from
 * documented bit positions (Intel SDM vol. 2 CPUID, AMD APM vol. 3 appendix E), no KVM needed: the
 * features KVM_GET_SUPPORTED_CPUID can offer on hosts unlike this one whose state a snapshot would lose.
 */
class KvmCpuidTest {
    private static final int SIG = CpuidEntry.FLAG_SIGNIFICANT_INDEX;

    private static CpuidEntry leaf(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
        return new CpuidEntry(function, index, flags, eax, ebx, ecx, edx);
    }

    private static Optional<CpuidEntry> find(List<CpuidEntry> cpuid, int function, int index) {
        return cpuid.stream().filter(e -> e.function() == function && e.index() == index).findFirst();
    }

    private static CpuidEntry get(List<CpuidEntry> cpuid, int function, int index) {
        return find(cpuid, function, index).orElseThrow(() -> new AssertionError(
                "no CPUID leaf 0x" + Integer.toHexString(function) + "." + index));
    }

    /**
     * What KVM_GET_SUPPORTED_CPUID gives on an Intel host with {@code kvm_intel nested=1} (the default since
     * Linux 4.20): VMX in leaf 1 ECX bit 5 (KVM's vmx_set_cpu_caps). On an AMD host with {@code kvm_amd
     * nested=1} (its default): SVM in 0x80000001 ECX bit 2 and the SVM feature leaf 0x8000000A
     * (svm_set_cpu_caps).
     */
    private static List<CpuidEntry> nestedHost() {
        return List.of(
                leaf(0, 0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69),
                leaf(1, 0, 0, 0x806f8, 0x800, 0x7ffafb9f | (1 << 5), 0x178bfbff),
                leaf(0x80000000, 0, 0, 0x8000000a, 0, 0, 0),
                leaf(0x80000001, 0, 0, 0, 0, 0x121 | (1 << 2), 0x2c100800),
                leaf(0x8000000a, 0, 0, 1, 8, 0, 0x1fbcff));
    }

    @Test
    void nestedVirtualizationIsNotOfferedBecauseASnapshotDoesNotCarryItsState() {
        List<CpuidEntry> guest = KvmCpuid.forVcpu(nestedHost(), 0, 1);
        // A guest hypervisor's state (VMXON region, current VMCS/VMCB, L2 when it runs) is KVM_GET_NESTED_STATE's,
        // which jbhyve does not save: bhyve, too, hides VMX and SVM from its guests.
        assertThat(get(guest, 1, 0).ecx() & (1 << 5)).as("VMX").isZero();
        assertThat(get(guest, 0x80000001, 0).ecx() & (1 << 2)).as("SVM").isZero();
        CpuidEntry svmLeaf = get(guest, 0x8000000a, 0);
        assertThat(List.of(svmLeaf.eax(), svmLeaf.ebx(), svmLeaf.ecx(), svmLeaf.edx())).as("SVM features")
                .containsOnly(0);
        // Nothing else changes: the other bits of those leaves are the host's.
        assertThat(get(guest, 1, 0).ecx()).isEqualTo(0x7ffafb9f | (1 << 31));
        assertThat(get(guest, 0x80000001, 0).ecx()).isEqualTo(0x121);
        assertThat(get(guest, 0x80000001, 0).edx()).isEqualTo(0x2c100800);
    }

    @Test
    @RequiresKvm
    void aKvmVcpuIsCreatedWithoutThem() {
        try (KvmHypervisor hv = KvmHypervisor.open(); VirtualMachine vm = hv.createVm(VmConfig.of("cpuid", 1, 16L << 20))) {
            List<CpuidEntry> cpuid = vm.vcpu(0).getCpuid();
            assertThat(get(cpuid, 1, 0).ecx() & KvmCpuid.LEAF1_ECX_VMX).as("VMX").isZero();
            find(cpuid, 0x80000001, 0).ifPresent(e -> assertThat(e.ecx() & KvmCpuid.EXT1_ECX_SVM).as("SVM").isZero());
            find(cpuid, 7, 0).ifPresent(e -> assertThat(e.ecx() & KvmCpuid.LEAF7_ECX_CET_SS).as("CET_SS").isZero());
            // Every XSAVE component the guest may enable in XCR0 lies inside the area a save carries: the
            // KVM_CAP_XSAVE2 size, which KVM_GET_XSAVE2 fills (api.rst, KVM_GET_XSAVE2).
            long xcr0 = KvmCpuid.supportedXcr0(cpuid);
            int needed = KvmCpuid.xsaveAreaSize(cpuid, xcr0);
            int saved = ((KvmVm) vm).xsaveSize();
            System.out.printf("guest XCR0 may be 0x%x: XSAVE area of %d bytes needed, %d saved%n", xcr0, needed, saved);
            assertThat(saved).isGreaterThanOrEqualTo(needed).isGreaterThanOrEqualTo(4096);
            assertThat(vm.vcpu(0).getXsave()).hasSize(saved);
            if ((xcr0 & KvmCpuid.XCR0_AMX) != 0) assertThat(xcr0 & KvmCpuid.XCR0_AMX).isEqualTo(KvmCpuid.XCR0_AMX);
        }
    }

    // ---- AMX ----

    /** XCR0 bits of an Intel Sapphire Rapids: x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM, PKRU. */
    private static final int XCR0_NO_AMX = 0x2e7;
    private static final int XTILECFG = 1 << 17, XTILEDATA = 1 << 18;
    /** CPUID.(7,0):EDX AMX-BF16 (22), AMX-TILE (24), AMX-INT8 (25); (7,1):EAX AMX-FP16 (21); (7,1):EDX AMX-COMPLEX (8). */
    private static final int LEAF7_EDX_AMX = (1 << 22) | (1 << 24) | (1 << 25);
    private static final int LEAF7_1_EAX_AMX_FP16 = 1 << 21, LEAF7_1_EDX_AMX_COMPLEX = 1 << 8;

    /**
     * KVM_GET_SUPPORTED_CPUID on an AMX host (Sapphire Rapids) for a process that did not ask for AMX with
     * {@code arch_prctl(ARCH_REQ_XCOMP_GUEST_PERM)}, as jbhyve does not. Leaf 0xD's sub-leaves give each XSAVE
     * component's size (EAX) and its offset in the standard format (EBX) (SDM vol. 1 §13.4). KVM masks leaf
     * 0xD.0 with the permitted XCR0, but reports the AMX bits of leaf 7 and the AMX leaves 0x1D and 0x1E from
     * the host (kvm_set_cpu_caps, __do_cpuid_func). Before Linux 6.4 (KVM commit 55cd57b596e8, "Filter out
     * XTILE_CFG if XTILE_DATA isn't permitted") the permitted XCR0 also kept XTILECFG without XTILEDATA,
     * which {@code tileCfgWithoutData} models.
     */
    private static List<CpuidEntry> amxHost(boolean tileCfgWithoutData, boolean tileDataPermitted) {
        int xcr0 = XCR0_NO_AMX | (tileCfgWithoutData || tileDataPermitted ? XTILECFG : 0)
                | (tileDataPermitted ? XTILEDATA : 0);
        int max = tileDataPermitted ? 11008 : tileCfgWithoutData ? 2816 : 2696;
        List<CpuidEntry> l = new ArrayList<>(List.of(
                leaf(0, 0, 0, 0x20, 0x756e6547, 0x6c65746e, 0x49656e69),
                leaf(7, 0, SIG, 1, 0xf1bf2fbb, 0x1b415f6e, 0xa4010c30 | LEAF7_EDX_AMX),
                leaf(7, 1, SIG, 0x1c30 | LEAF7_1_EAX_AMX_FP16, 0, 0, LEAF7_1_EDX_AMX_COMPLEX),
                leaf(0xd, 0, SIG, xcr0, max, max, 0),
                leaf(0xd, 1, SIG, 0x1f, max, 0, 0),
                leaf(0xd, 2, SIG, 256, 576, 0, 0),
                leaf(0xd, 5, SIG, 64, 1088, 0, 0),
                leaf(0xd, 6, SIG, 512, 1152, 0, 0),
                leaf(0xd, 7, SIG, 1024, 1664, 0, 0),
                leaf(0xd, 9, SIG, 8, 2688, 0, 0)));
        if ((xcr0 & XTILECFG) != 0) l.add(leaf(0xd, 17, SIG, 64, 2752, 2, 0));
        if ((xcr0 & XTILEDATA) != 0) l.add(leaf(0xd, 18, SIG, 8192, 2816, 6, 0));
        l.add(leaf(0x1d, 0, SIG, 1, 0, 0, 0));
        l.add(leaf(0x1d, 1, SIG, 0x4002000, 0x80040, 0x10, 0));
        l.add(leaf(0x1e, 0, SIG, 0, 0x4010, 0, 0));
        return l;
    }

    private static void assertNoAmx(List<CpuidEntry> guest) {
        CpuidEntry xsave = get(guest, 0xd, 0);
        assertThat(xsave.eax()).as("XCR0 bits the guest may set").isEqualTo(XCR0_NO_AMX);
        assertThat(xsave.ecx()).as("XSAVE area for all of them: PKRU ends at 2688 + 8").isEqualTo(2696);
        assertThat(find(guest, 0xd, 17)).as("XTILECFG sub-leaf").isEmpty();
        assertThat(find(guest, 0xd, 18)).as("XTILEDATA sub-leaf").isEmpty();
        assertThat(get(guest, 7, 0).edx() & LEAF7_EDX_AMX).as("AMX-TILE, AMX-INT8, AMX-BF16").isZero();
        assertThat(get(guest, 7, 0).edx()).as("the other leaf 7 EDX bits").isEqualTo(0xa4010c30);
        assertThat(get(guest, 7, 1).eax()).as("leaf 7.1 EAX without AMX-FP16").isEqualTo(0x1c30);
        assertThat(get(guest, 7, 1).edx() & LEAF7_1_EDX_AMX_COMPLEX).as("AMX-COMPLEX").isZero();
        for (CpuidEntry e : guest) {
            if (e.function() == 0x1d || e.function() == 0x1e) {
                assertThat(List.of(e.eax(), e.ebx(), e.ecx(), e.edx())).as("AMX leaf 0x%x.%d", e.function(), e.index())
                        .containsOnly(0);
            }
        }
    }

    @Test
    void beforeLinux64AnAmxHostOffersXtilecfgWithoutXtiledataWhichNoGuestCanEnable() {
        // XSETBV #GPs unless XCR0 bits 17 and 18 are equal (SDM vol. 1 §13.3): a Linux guest that enables every
        // user feature CPUID.0xD lists would fault at boot.
        assertNoAmx(KvmCpuid.forVcpu(amxHost(true, false), 0, 1));
    }

    @Test
    void anAmxHostWithoutGuestPermissionStillAdvertisesAmxInLeaf7() {
        assertNoAmx(KvmCpuid.forVcpu(amxHost(false, false), 0, 1));
    }

    @Test
    void amxGrantedWholeIsKeptItsStateIsInTheXsave2Area() {
        // With ARCH_REQ_XCOMP_GUEST_PERM, KVM_CAP_XSAVE2 is 11008 and KVM_GET_XSAVE2 carries the tiles: nothing is lost.
        List<CpuidEntry> host = amxHost(false, true);
        List<CpuidEntry> guest = KvmCpuid.forVcpu(host, 0, 1);
        assertThat(get(guest, 0xd, 0)).isEqualTo(get(host, 0xd, 0));
        assertThat(get(guest, 0xd, 18)).isEqualTo(get(host, 0xd, 18));
        assertThat(get(guest, 7, 0)).isEqualTo(get(host, 7, 0));
        assertThat(get(guest, 0x1e, 0)).isEqualTo(get(host, 0x1e, 0));
    }
    // ---- CET ----

    /**
     * KVM_GET_SUPPORTED_CPUID on a CET-capable host (Intel Tiger Lake / Sapphire Rapids and later, AMD Zen 3 and
     * later for shadow stacks) with Linux 6.18 or later, which virtualizes CET ("KVM: x86: Enable CET
     * virtualization for VMX and advertise to userspace", "KVM: SVM: Enable shadow stack virtualization for
     * SVM"): CET_SS in leaf 7 ECX bit 7, CET_IBT in leaf 7 EDX bit 20, the supervisor XSAVE components CET_U
     * (IA32_XSS bit 11) and CET_S (bit 12) in leaf 0xD.1 ECX with their sub-leaves (SDM vol. 1 §13.2).
     */
    private static List<CpuidEntry> cetHost() {
        return List.of(
                leaf(0, 0, 0, 0x20, 0x756e6547, 0x6c65746e, 0x49656e69),
                leaf(7, 0, SIG, 1, 0xf1bf2fbb, 0x1b415f6e | (1 << 7), 0xa4010c30 | (1 << 20)),
                leaf(0xd, 0, SIG, XCR0_NO_AMX, 2696, 2696, 0),
                leaf(0xd, 1, SIG, 0xf, 2736, (1 << 11) | (1 << 12), 0),
                leaf(0xd, 2, SIG, 256, 576, 0, 0),
                leaf(0xd, 9, SIG, 8, 2688, 0, 0),
                leaf(0xd, 11, SIG, 16, 0, 1, 0),
                leaf(0xd, 12, SIG, 24, 0, 1, 0));
    }

    @Test
    void cetIsNotOfferedBecauseASnapshotDoesNotCarryItsMsrsOrTheShadowStackPointer() {
        List<CpuidEntry> guest = KvmCpuid.forVcpu(cetHost(), 0, 1);
        assertThat(get(guest, 7, 0).ecx()).as("leaf 7 ECX without CET_SS").isEqualTo(0x1b415f6e);
        assertThat(get(guest, 7, 0).edx()).as("leaf 7 EDX without CET_IBT").isEqualTo(0xa4010c30);
        assertThat(get(guest, 0xd, 1).ecx() & ((1 << 11) | (1 << 12))).as("IA32_XSS CET_U, CET_S").isZero();
        assertThat(find(guest, 0xd, 11)).as("CET_U sub-leaf").isEmpty();
        assertThat(find(guest, 0xd, 12)).as("CET_S sub-leaf").isEmpty();
        assertThat(get(guest, 0xd, 0)).as("XCR0 components untouched").isEqualTo(get(cetHost(), 0xd, 0));
    }
}
