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
        }
    }

    // ---- helpers shared by the XSAVE-feature tests below ----

    static List<CpuidEntry> withLeaf(List<CpuidEntry> base, CpuidEntry e) {
        List<CpuidEntry> out = new ArrayList<>(base);
        out.add(e);
        return out;
    }
}
