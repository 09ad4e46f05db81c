package org.jbhyve.vmm.kvm;

import org.jbhyve.vmm.state.CpuidEntry;
import org.jbhyve.vmm.state.Msr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which MSRs a vCPU save carries ({@link KvmMsrs#candidates}) and the order a restore writes them in
 * ({@link KvmMsrs#restoreOrder}), for hosts unlike this one: what KVM_GET_MSR_INDEX_LIST reports there
 * (arch/x86/kvm/x86.c msrs_to_save_base, msrs_to_save_pmu, emulated_msrs_all) is given here.
 */
class KvmMsrsTest {
    /** Leaf 1 with EDX bit 12 (MTRR), as KVM_GET_SUPPORTED_CPUID reports on every x86 host. */
    private static final CpuidEntry LEAF1_MTRR = new CpuidEntry(1, 0, 0, 0x806f8, 0x800, 0x80000000, 1 << 12);
    private static final CpuidEntry LEAF1_NO_MTRR = new CpuidEntry(1, 0, 0, 0x806f8, 0x800, 0x80000000, 0);

    private static final int MTRR_DEF_TYPE = 0x2ff, MTRR_PHYSBASE0 = 0x200, MTRR_PHYSMASK7 = 0x20f,
            MTRR_FIX64K_00000 = 0x250, MTRR_FIX4K_F8000 = 0x26f, MTRRCAP = 0xfe;

    /** The architectural MSRs of an Intel host with a vPMU (4 general and 3 fixed counters), TSX_CTRL, WAITPKG, XFD. */
    private static Set<Integer> intelHost() {
        Set<Integer> s = new LinkedHashSet<>(List.of(Msr.IA32_SYSENTER_CS, Msr.IA32_SYSENTER_ESP, Msr.IA32_SYSENTER_EIP,
                Msr.STAR, Msr.CSTAR, Msr.KERNEL_GS_BASE, Msr.SFMASK, Msr.LSTAR, Msr.IA32_TSC, Msr.IA32_PAT,
                Msr.TSC_AUX, Msr.IA32_SPEC_CTRL, 0x122 /* TSX_CTRL */, 0xe1 /* UMWAIT_CONTROL */,
                0x1c4 /* XFD */, 0x1c5 /* XFD_ERR */, Msr.IA32_XSS, 0xd90 /* BNDCFGS */,
                0x309, 0x30a, 0x30b /* FIXED_CTR0-2 */, 0x38d /* FIXED_CTR_CTRL */, 0x38e /* GLOBAL_STATUS */,
                0x38f /* GLOBAL_CTRL */, 0x390 /* GLOBAL_OVF_CTRL */,
                0xc1, 0xc2, 0xc3, 0xc4 /* PERFCTR0-3 */, 0x186, 0x187, 0x188, 0x189 /* EVENTSEL0-3 */,
                Msr.IA32_TSC_ADJUST, Msr.IA32_TSC_DEADLINE, Msr.IA32_MISC_ENABLE, 0x10a /* ARCH_CAPABILITIES */));
        return s;
    }

    /** An AMD host with PerfMonV2: the legacy K7 counters, the six F15h ones, and the global control. */
    private static Set<Integer> amdHost() {
        Set<Integer> s = new LinkedHashSet<>(List.of(Msr.IA32_SYSENTER_CS, Msr.STAR, Msr.LSTAR, Msr.IA32_TSC,
                Msr.IA32_PAT, Msr.TSC_AUX, Msr.AMD64_VIRT_SPEC_CTRL, Msr.IA32_TSC_DEADLINE));
        for (int i = 0; i < 4; i++) { s.add(0xc0010000 + i); s.add(0xc0010004 + i); }
        for (int i = 0; i < 12; i++) s.add(0xc0010200 + i);
        s.addAll(List.of(0xc0000300, 0xc0000301, 0xc0000302)); // GLOBAL_STATUS, GLOBAL_CTL, GLOBAL_STATUS_CLR
        return s;
    }

    private static List<Integer> list(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    @Test
    void theMtrrsAreSavedWhenTheGuestHasThemThoughKvmDoesNotListThem() {
        // KVM emulates the MTRRs (MTRRcap: 8 variable ranges, fixed ranges, WC) but KVM_GET_MSR_INDEX_LIST has
        // none of them; QEMU (has_msr_mtrr) and Firecracker (msrs_to_save_by_cpuid) save them by CPUID.
        List<Integer> saved = list(KvmMsrs.candidates(intelHost(), List.of(LEAF1_MTRR), true));
        assertThat(saved).contains(MTRR_DEF_TYPE, MTRR_PHYSBASE0, MTRR_PHYSMASK7, MTRR_FIX64K_00000, 0x258, 0x259,
                0x268, MTRR_FIX4K_F8000);
        assertThat(saved).as("MTRRcap is read-only").doesNotContain(MTRRCAP);
        assertThat(saved.stream().filter(m -> m >= 0x200 && m <= 0x2ff && m != Msr.IA32_PAT)).hasSize(16 + 11 + 1);
        assertThat(list(KvmMsrs.candidates(intelHost(), List.of(LEAF1_NO_MTRR), true)))
                .as("no MTRRs in CPUID, none saved").doesNotContain(MTRR_DEF_TYPE, MTRR_PHYSBASE0);
    }

    @Test
    void stateMsrsKvmListsAreSaved() {
        List<Integer> saved = list(KvmMsrs.candidates(intelHost(), List.of(LEAF1_MTRR), true));
        // TSX_CTRL: the guest's tsx=off (TAA mitigation) and its CPUID view of RTM/HLE; UMWAIT_CONTROL: the limit
        // Linux sets for UMWAIT/TPAUSE; XFD/XFD_ERR; BNDCFGS (MPX).
        assertThat(saved).contains(0x122, 0xe1, 0x1c4, 0x1c5, 0xd90);
        assertThat(saved).as("read-only or derived from the host").doesNotContain(0x10a);
    }

    @Test
    void theVpmuIsSavedAndComesBackCountersFirstEnablesLast() {
        List<Integer> saved = list(KvmMsrs.candidates(intelHost(), List.of(LEAF1_MTRR), true));
        assertThat(saved).contains(0xc1, 0xc4, 0x186, 0x189, 0x309, 0x30b, 0x38d, 0x38e, 0x38f);
        assertThat(saved).as("write-1-to-clear, no state").doesNotContain(0x390);

        // A snapshot may store them in any order: reversed here.
        Map<Integer, Long> stored = new LinkedHashMap<>();
        for (int m : saved.reversed()) stored.put(m, 0L);
        List<Integer> order = new ArrayList<>(KvmMsrs.restoreOrder(stored).keySet());
        assertThat(order.getFirst()).isEqualTo(Msr.IA32_TSC);
        assertThat(order.getLast()).isEqualTo(Msr.IA32_TSC_DEADLINE);
        int globalCtrl = order.indexOf(0x38f);
        for (int m : List.of(0xc1, 0xc4, 0x186, 0x189, 0x309, 0x30b, 0x38e, 0x38d)) {
            assertThat(order.indexOf(m)).as("0x%x before GLOBAL_CTRL", m).isLessThan(globalCtrl);
        }
        assertThat(order.indexOf(0xc1)).as("a counter's value before its selector enables it")
                .isLessThan(order.indexOf(0x186));
        assertThat(order.indexOf(MTRR_PHYSBASE0)).as("ranges before MTRRdefType enables them")
                .isLessThan(order.indexOf(MTRR_DEF_TYPE));

        List<Integer> amd = list(KvmMsrs.candidates(amdHost(), List.of(LEAF1_MTRR), true));
        assertThat(amd).contains(0xc0010000, 0xc0010007, 0xc0010200, 0xc001020b, 0xc0000300, 0xc0000301);
        assertThat(amd).as("write-1-to-clear, no state").doesNotContain(0xc0000302);
        Map<Integer, Long> amdValues = new LinkedHashMap<>();
        for (int m : amd) amdValues.put(m, 0L);
        List<Integer> amdOrder = new ArrayList<>(KvmMsrs.restoreOrder(amdValues).keySet());
        assertThat(amdOrder.indexOf(0xc0010201)).as("F15h counter 0 before its control")
                .isLessThan(amdOrder.indexOf(0xc0010200));
        assertThat(amdOrder.indexOf(0xc0000301)).as("GLOBAL_CTL after every counter")
                .isGreaterThan(amdOrder.indexOf(0xc001020a)).isGreaterThan(amdOrder.indexOf(0xc0000300));
        assertThat(amdOrder.getLast()).isEqualTo(Msr.IA32_TSC_DEADLINE);
    }
}
