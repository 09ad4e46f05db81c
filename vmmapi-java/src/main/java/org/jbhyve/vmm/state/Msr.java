package org.jbhyve.vmm.state;

import java.util.Map;

/**
 * Numbers of the architectural model-specific registers that vCPU save/restore deals with (Intel SDM
 * vol. 4, AMD APM vol. 2), and their names for messages. A backend's paravirtual MSRs (KVM's
 * {@code 0x4b564d00..}) are the backend's business.
 */
public final class Msr {
    private Msr() {}

    public static final int IA32_TSC = 0x10;
    public static final int IA32_APIC_BASE = 0x1b;
    public static final int IA32_TSC_ADJUST = 0x3b;
    public static final int IA32_SPEC_CTRL = 0x48;
    public static final int IA32_SYSENTER_CS = 0x174;
    public static final int IA32_SYSENTER_ESP = 0x175;
    public static final int IA32_SYSENTER_EIP = 0x176;
    public static final int IA32_MISC_ENABLE = 0x1a0;
    /** Intel's MSR_MISC_FEATURES_ENABLES (bit 0: CPUID faulting, which KVM emulates on every host). */
    public static final int MISC_FEATURES_ENABLES = 0x140;
    public static final int IA32_POWER_CTL = 0x1fc;
    public static final int IA32_PAT = 0x277;
    public static final int IA32_TSC_DEADLINE = 0x6e0;
    public static final int IA32_XSS = 0xda0;
    /** Intel's TSX control: RTM_DISABLE, TSX_CPUID_CLEAR. */
    public static final int IA32_TSX_CTRL = 0x122;
    public static final int IA32_UMWAIT_CONTROL = 0xe1;
    public static final int IA32_XFD = 0x1c4;
    public static final int IA32_XFD_ERR = 0x1c5;
    public static final int IA32_BNDCFGS = 0xd90;
    public static final int MTRR_DEF_TYPE = 0x2ff;
    public static final int IA32_EFER = 0xc0000080;
    public static final int STAR = 0xc0000081;
    public static final int LSTAR = 0xc0000082;
    public static final int CSTAR = 0xc0000083;
    public static final int SFMASK = 0xc0000084;
    public static final int FS_BASE = 0xc0000100;
    public static final int GS_BASE = 0xc0000101;
    public static final int KERNEL_GS_BASE = 0xc0000102;
    public static final int TSC_AUX = 0xc0000103;
    public static final int AMD64_HWCR = 0xc0010015;
    public static final int AMD64_VIRT_SPEC_CTRL = 0xc001011f;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(IA32_TSC, "IA32_TSC"), Map.entry(IA32_APIC_BASE, "IA32_APIC_BASE"),
            Map.entry(IA32_TSC_ADJUST, "IA32_TSC_ADJUST"), Map.entry(IA32_SPEC_CTRL, "IA32_SPEC_CTRL"),
            Map.entry(IA32_SYSENTER_CS, "IA32_SYSENTER_CS"), Map.entry(IA32_SYSENTER_ESP, "IA32_SYSENTER_ESP"),
            Map.entry(IA32_SYSENTER_EIP, "IA32_SYSENTER_EIP"), Map.entry(IA32_MISC_ENABLE, "IA32_MISC_ENABLE"),
            Map.entry(MISC_FEATURES_ENABLES, "MISC_FEATURES_ENABLES"),
            Map.entry(IA32_PAT, "IA32_PAT"), Map.entry(IA32_TSC_DEADLINE, "IA32_TSC_DEADLINE"),
            Map.entry(IA32_XSS, "IA32_XSS"), Map.entry(IA32_EFER, "IA32_EFER"), Map.entry(STAR, "STAR"),
            Map.entry(LSTAR, "LSTAR"), Map.entry(CSTAR, "CSTAR"), Map.entry(SFMASK, "SFMASK"),
            Map.entry(FS_BASE, "FS_BASE"), Map.entry(GS_BASE, "GS_BASE"),
            Map.entry(KERNEL_GS_BASE, "KERNEL_GS_BASE"), Map.entry(TSC_AUX, "TSC_AUX"),
            Map.entry(AMD64_VIRT_SPEC_CTRL, "AMD64_VIRT_SPEC_CTRL"), Map.entry(AMD64_HWCR, "AMD64_HWCR"),
            Map.entry(IA32_POWER_CTL, "IA32_POWER_CTL"), Map.entry(IA32_TSX_CTRL, "IA32_TSX_CTRL"),
            Map.entry(IA32_UMWAIT_CONTROL, "IA32_UMWAIT_CONTROL"), Map.entry(IA32_XFD, "IA32_XFD"),
            Map.entry(IA32_XFD_ERR, "IA32_XFD_ERR"), Map.entry(IA32_BNDCFGS, "IA32_BNDCFGS"),
            Map.entry(MTRR_DEF_TYPE, "MTRRdefType"));

    /** {@code "0x10 (IA32_TSC)"}, or just the hex number for an MSR not listed here. */
    public static String describe(int index) {
        String n = NAMES.get(index);
        return "0x" + Integer.toHexString(index) + (n == null ? "" : " (" + n + ")");
    }
}
