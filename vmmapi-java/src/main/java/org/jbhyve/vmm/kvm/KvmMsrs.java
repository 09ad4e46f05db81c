package org.jbhyve.vmm.kvm;

import org.jbhyve.vmm.state.CpuidEntry;
import org.jbhyve.vmm.state.Msr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.jbhyve.bindings.linux.kvm.kvm_para_h.*;

/**
 * Which MSRs a KVM vCPU save carries, and in which order they are restored.
 *
 * <p>The list was drawn up against what QEMU ({@code kvm_put_msrs}) and Firecracker
 * ({@code arch/x86_64/msr.rs}, {@code cpuid/common.rs msrs_to_save_by_cpuid}) save, keeping what a
 * Linux or FreeBSD guest's state lives in:
 * <ul>
 *   <li>IA32_TSC first, IA32_TSC_ADJUST (the guest's own TSC offset, read back by Linux's
 *       tsc_sync code);</li>
 *   <li>system-call and entry MSRs: SYSENTER_CS/ESP/EIP, STAR, LSTAR, CSTAR, SFMASK,
 *       KERNEL_GS_BASE, TSC_AUX (RDTSCP/RDPID: Linux keeps the CPU number there);</li>
 *   <li>IA32_PAT, IA32_MISC_ENABLE (fast strings, MWAIT enable), MISC_FEATURES_ENABLES (CPUID
 *       faulting, which Linux's {@code arch_prctl(ARCH_SET_CPUID)} turns on per task), IA32_XSS
 *       (supervisor XSAVE components), IA32_XFD and IA32_XFD_ERR (XSAVE feature disable), IA32_BNDCFGS
 *       (MPX), IA32_UMWAIT_CONTROL (the limit Linux sets on UMWAIT/TPAUSE);</li>
 *   <li>speculation control: IA32_SPEC_CTRL and AMD's VIRT_SPEC_CTRL (SSBD), and IA32_TSX_CTRL (a
 *       guest's {@code tsx=off}, the TSX Async Abort mitigation, which also hides RTM and HLE from its
 *       CPUID), where the host has them;</li>
 *   <li>the few model-specific bits KVM lets a guest change and keeps per vCPU: AMD's HWCR
 *       (McStatusWrEn, TscFreqSel) and Intel's POWER_CTL;</li>
 *   <li>the MTRRs, when the vCPU's CPUID has MTRR (leaf 1 EDX bit 12): the 8 variable ranges KVM
 *       emulates (MTRRcap VCNT), the 11 fixed-range MSRs and MTRRdefType last. KVM keeps what the
 *       firmware or the guest wrote, and the guest reads it back ({@code /proc/mtrr}, and a kernel it
 *       kexecs, which without them finds the MTRRs disabled), but KVM_GET_MSR_INDEX_LIST does not list
 *       them, so they are chosen by CPUID as QEMU and Firecracker do;</li>
 *   <li>the vPMU, whichever of its MSRs KVM_GET_MSR_INDEX_LIST reports (KVM lists the counters of
 *       the PMU it gives guests): Intel's general and fixed counters, event selects, PEBS and DS
 *       area, global status, and FIXED_CTR_CTRL and GLOBAL_CTRL last; AMD's legacy and F15h counters
 *       and controls, global status, and GLOBAL_CTL last. Counter values go before the selects that
 *       enable them, so counting resumes from the saved count. A Linux guest's NMI watchdog (the
 *       hard-lockup detector) is a counter it programs once: without these it would stop for good.
 *       The write-1-to-clear strobes (GLOBAL_OVF_CTRL, AMD's GLOBAL_STATUS_CLR) hold no state;</li>
 *   <li>KVM's paravirtual MSRs, each only where the vCPU's CPUID leaf 0x40000001 announces its
 *       feature (a guest can only have written those): the kvmclock wall clock and system time (old
 *       0x11/0x12 and new 0x4b564d00/01 numbers), steal time, PV EOI, poll control, async page fault
 *       interrupt vector and enable (INT before EN: the kernel checks the vector when delivery by
 *       interrupt is enabled). ASYNC_PF_ACK is an acknowledge strobe without state and
 *       MIGRATION_CONTROL is a userspace MSR, so neither is saved;</li>
 *   <li>IA32_TSC_DEADLINE last (see {@link KvmVcpu#restoreState}).</li>
 * </ul>
 * Not here, on purpose: EFER, FS_BASE, GS_BASE and the APIC base travel in the special registers;
 * the x2APIC MSRs are the LAPIC page; read-only feature MSRs (ARCH_CAPABILITIES, PERF_CAPABILITIES,
 * PLATFORM_INFO, UCODE_REV, MTRRcap: KVM derives them from the host and the same host gives the same
 * values); DEBUGCTL and the LBR MSRs (per-task state Linux rewrites on context switch); machine-check
 * state (KVM gives each vCPU 32 banks, but jbhyve never injects a machine check, and the banks'
 * control and status matter only to one); nested-virtualization (VM_HSAVE_PA, FEATURE_CONTROL:
 * {@link KvmCpuid#forVcpu} offers neither VMX nor SVM), CET ({@link KvmCpuid#forVcpu} does not offer
 * it) and SMM MSRs (SMBASE, SMI_COUNT: jbhyve raises no SMI, and the firmware it boots does not use
 * SMM).
 *
 * <p>Except for the MTRRs, only MSRs that {@code KVM_GET_MSR_INDEX_LIST} reports for this host are
 * kept, so that a read never fails, and without the in-kernel irqchip the ones that need KVM's LAPIC
 * are left out; {@link KvmVcpu#savedMsrIndices()} also drops any the vCPU still refuses to read.
 */
final class KvmMsrs {
    private KvmMsrs() {}

    /** Architectural MSRs, in restore order, before the paravirtual ones. */
    private static final int[] ARCHITECTURAL = {
            Msr.IA32_TSC, Msr.IA32_TSC_ADJUST,
            Msr.IA32_SYSENTER_CS, Msr.IA32_SYSENTER_ESP, Msr.IA32_SYSENTER_EIP,
            Msr.STAR, Msr.LSTAR, Msr.CSTAR, Msr.SFMASK, Msr.KERNEL_GS_BASE, Msr.TSC_AUX,
            Msr.IA32_PAT, Msr.IA32_MISC_ENABLE, Msr.MISC_FEATURES_ENABLES, Msr.IA32_XSS,
            Msr.IA32_XFD, Msr.IA32_XFD_ERR, Msr.IA32_BNDCFGS, Msr.IA32_UMWAIT_CONTROL,
            Msr.IA32_SPEC_CTRL, Msr.AMD64_VIRT_SPEC_CTRL, Msr.IA32_TSX_CTRL,
            Msr.AMD64_HWCR, Msr.IA32_POWER_CTL,
    };

    /** CPUID.1:EDX bit 12, MTRR. */
    static final int LEAF1_EDX_MTRR = 1 << 12;

    /**
     * The MTRRs KVM emulates (arch/x86/kvm/mtrr.c), in restore order: the 8 variable ranges (base, mask),
     * the fixed ranges, and MTRRdefType, which enables them, last.
     */
    static final int[] MTRRS = {
            0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207,
            0x208, 0x209, 0x20a, 0x20b, 0x20c, 0x20d, 0x20e, 0x20f,
            0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f,
            Msr.MTRR_DEF_TYPE,
    };

    /**
     * The PMU MSRs KVM_GET_MSR_INDEX_LIST may report (arch/x86/kvm/x86.c msrs_to_save_pmu), in restore
     * order: counter values, then the selects that enable them, the global status, and the global
     * enables last. Intel: IA32_PMC0-7 (0xc1), IA32_FIXED_CTR0-3 (0x309), IA32_PERFEVTSEL0-7 (0x186),
     * PEBS_DATA_CFG, DS_AREA, PEBS_ENABLE, PERF_GLOBAL_STATUS, FIXED_CTR_CTRL, PERF_GLOBAL_CTRL. AMD:
     * PERF_CTR0-3 (0xc0010004) and PERF_CTL0-3 (0xc0010000), the F15h PERF_CTR/PERF_CTL pairs 0-5
     * (0xc0010200, control at even and counter at odd numbers; the first four alias the legacy ones),
     * PerfMonV2's GLOBAL_STATUS and GLOBAL_CTL.
     */
    static final int[] PMU = pmu();

    private static int[] pmu() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < 8; i++) l.add(0xc1 + i);
        for (int i = 0; i < 4; i++) l.add(0x309 + i);
        for (int i = 0; i < 8; i++) l.add(0x186 + i);
        l.addAll(List.of(0x3f2, 0x600, 0x3f1, 0x38e, 0x38d, 0x38f));
        for (int i = 0; i < 4; i++) l.add(0xc0010004 + i);
        for (int i = 0; i < 4; i++) l.add(0xc0010000 + i);
        for (int i = 0; i < 6; i++) l.add(0xc0010201 + 2 * i);
        for (int i = 0; i < 6; i++) l.add(0xc0010200 + 2 * i);
        l.addAll(List.of(0xc0000300, 0xc0000301));
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Paravirtual MSR and the KVM_CPUID_FEATURES.EAX bit that announces it, in restore order. */
    private static final int[][] PARAVIRTUAL = {
            {MSR_KVM_WALL_CLOCK, KVM_FEATURE_CLOCKSOURCE},
            {MSR_KVM_SYSTEM_TIME, KVM_FEATURE_CLOCKSOURCE},
            {MSR_KVM_WALL_CLOCK_NEW, KVM_FEATURE_CLOCKSOURCE2},
            {MSR_KVM_SYSTEM_TIME_NEW, KVM_FEATURE_CLOCKSOURCE2},
            {MSR_KVM_STEAL_TIME, KVM_FEATURE_STEAL_TIME},
            {MSR_KVM_PV_EOI_EN, KVM_FEATURE_PV_EOI},
            {MSR_KVM_POLL_CONTROL, KVM_FEATURE_POLL_CONTROL},
            {MSR_KVM_ASYNC_PF_INT, KVM_FEATURE_ASYNC_PF_INT},
            {MSR_KVM_ASYNC_PF_EN, KVM_FEATURE_ASYNC_PF},
    };

    /**
     * MSRs that only exist with KVM's in-kernel LAPIC: without it the guest cannot turn them on (KVM
     * refuses the write; for ASYNC_PF_INT even a host write of 0), so a VM without the irqchip neither
     * saves nor restores them.
     */
    private static final Set<Integer> NEED_KERNEL_LAPIC = Set.of(MSR_KVM_ASYNC_PF_INT, MSR_KVM_ASYNC_PF_EN,
            MSR_KVM_PV_EOI_EN, Msr.IA32_TSC_DEADLINE);

    /**
     * The candidates for a vCPU with this CPUID on a host whose KVM lists {@code hostMsrs}, in restore
     * order; {@code kernelLapic} says whether the VM has KVM's in-kernel LAPIC.
     */
    static int[] candidates(Set<Integer> hostMsrs, List<CpuidEntry> cpuid, boolean kernelLapic) {
        List<Integer> out = new ArrayList<>();
        for (int m : ARCHITECTURAL) if (hostMsrs.contains(m)) out.add(m);
        if (hasMtrrs(cpuid)) for (int m : MTRRS) out.add(m);
        for (int m : PMU) if (hostMsrs.contains(m)) out.add(m);
        int features = paravirtualFeatures(cpuid);
        for (int[] pv : PARAVIRTUAL) {
            if ((features & (1 << pv[1])) != 0 && hostMsrs.contains(pv[0])) out.add(pv[0]);
        }
        if (hostMsrs.contains(Msr.IA32_TSC_DEADLINE)) out.add(Msr.IA32_TSC_DEADLINE);
        if (!kernelLapic) out.removeAll(NEED_KERNEL_LAPIC);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether leaf 1 of {@code cpuid} has MTRR. */
    static boolean hasMtrrs(List<CpuidEntry> cpuid) {
        for (CpuidEntry e : cpuid) if (e.function() == 1) return (e.edx() & LEAF1_EDX_MTRR) != 0;
        return false;
    }

    /** EAX of KVM's feature leaf, if the CPUID carries KVM's signature; else 0. */
    static int paravirtualFeatures(List<CpuidEntry> cpuid) {
        boolean kvm = false;
        int eax = 0;
        for (CpuidEntry e : cpuid) {
            if (e.function() == KVM_CPUID_SIGNATURE) {
                // "KVMKVMKVM\0\0\0" in EBX, ECX, EDX
                kvm = e.ebx() == 0x4b4d564b && e.ecx() == 0x564b4d56 && e.edx() == 0x4d;
            } else if (e.function() == KVM_CPUID_FEATURES) {
                eax = e.eax();
            }
        }
        return kvm ? eax : 0;
    }

    /**
     * {@code values} in the order KVM must see them on restore: the known MSRs in {@link #candidates}
     * order (IA32_TSC first, MTRRdefType after the ranges, PMU counters before their selects and the
     * global enables, ASYNC_PF_INT before ASYNC_PF_EN), then any others in the map's order, and
     * IA32_TSC_DEADLINE last of all: KVM computes the deadline against the guest TSC in effect when it
     * is written, and ignores the write unless the LAPIC timer is already in TSC-deadline mode (so the
     * LAPIC must have been restored before).
     */
    static Map<Integer, Long> restoreOrder(Map<Integer, Long> values) {
        LinkedHashMap<Integer, Long> out = new LinkedHashMap<>();
        for (int m : ARCHITECTURAL) if (values.containsKey(m)) out.put(m, values.get(m));
        for (int m : MTRRS) if (values.containsKey(m)) out.put(m, values.get(m));
        for (int m : PMU) if (values.containsKey(m)) out.put(m, values.get(m));
        for (int[] pv : PARAVIRTUAL) if (values.containsKey(pv[0])) out.put(pv[0], values.get(pv[0]));
        for (var e : values.entrySet()) {
            if (e.getKey() != Msr.IA32_TSC_DEADLINE) out.putIfAbsent(e.getKey(), e.getValue());
        }
        if (values.containsKey(Msr.IA32_TSC_DEADLINE)) out.put(Msr.IA32_TSC_DEADLINE, values.get(Msr.IA32_TSC_DEADLINE));
        return out;
    }

    /** {@link Msr#describe(int)}, plus KVM's paravirtual names. */
    static String describe(int index) {
        String pv = switch (index) {
            case MSR_KVM_WALL_CLOCK -> "KVM_WALL_CLOCK";
            case MSR_KVM_SYSTEM_TIME -> "KVM_SYSTEM_TIME";
            case MSR_KVM_WALL_CLOCK_NEW -> "KVM_WALL_CLOCK_NEW";
            case MSR_KVM_SYSTEM_TIME_NEW -> "KVM_SYSTEM_TIME_NEW";
            case MSR_KVM_ASYNC_PF_EN -> "KVM_ASYNC_PF_EN";
            case MSR_KVM_STEAL_TIME -> "KVM_STEAL_TIME";
            case MSR_KVM_PV_EOI_EN -> "KVM_PV_EOI_EN";
            case MSR_KVM_POLL_CONTROL -> "KVM_POLL_CONTROL";
            case MSR_KVM_ASYNC_PF_INT -> "KVM_ASYNC_PF_INT";
            case MSR_KVM_ASYNC_PF_ACK -> "KVM_ASYNC_PF_ACK";
            case MSR_KVM_MIGRATION_CONTROL -> "KVM_MIGRATION_CONTROL";
            default -> null;
        };
        return pv == null ? Msr.describe(index) : "0x" + Integer.toHexString(index) + " (" + pv + ")";
    }
}
