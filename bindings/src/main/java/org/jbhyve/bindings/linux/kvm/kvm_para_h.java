// Hand-written in the shape jextract generates for <asm/kvm_para.h> constants. LinuxLayoutTest
// compares every constant here with the value the installed header gives a compiled C program.
package org.jbhyve.bindings.linux.kvm;

/**
 * Constants of {@code <asm/kvm_para.h>} (x86-64): KVM's paravirtual CPUID leaves, the feature bits of
 * leaf {@link #KVM_CPUID_FEATURES} (EAX) and the paravirtual MSRs they announce.
 */
public final class kvm_para_h {
    private kvm_para_h() {}

    // CPUID leaves
    public static final int KVM_CPUID_SIGNATURE = 0x40000000;
    public static final int KVM_CPUID_FEATURES = 0x40000001;

    // Feature bits in KVM_CPUID_FEATURES.EAX (bit numbers)
    public static final int KVM_FEATURE_CLOCKSOURCE = 0;
    public static final int KVM_FEATURE_NOP_IO_DELAY = 1;
    public static final int KVM_FEATURE_CLOCKSOURCE2 = 3;
    public static final int KVM_FEATURE_ASYNC_PF = 4;
    public static final int KVM_FEATURE_STEAL_TIME = 5;
    public static final int KVM_FEATURE_PV_EOI = 6;
    public static final int KVM_FEATURE_PV_UNHALT = 7;
    public static final int KVM_FEATURE_PV_TLB_FLUSH = 9;
    public static final int KVM_FEATURE_ASYNC_PF_VMEXIT = 10;
    public static final int KVM_FEATURE_PV_SEND_IPI = 11;
    public static final int KVM_FEATURE_POLL_CONTROL = 12;
    public static final int KVM_FEATURE_PV_SCHED_YIELD = 13;
    public static final int KVM_FEATURE_ASYNC_PF_INT = 14;
    public static final int KVM_FEATURE_MSI_EXT_DEST_ID = 15;
    public static final int KVM_FEATURE_HC_MAP_GPA_RANGE = 16;
    public static final int KVM_FEATURE_MIGRATION_CONTROL = 17;
    public static final int KVM_FEATURE_CLOCKSOURCE_STABLE_BIT = 24;

    // Paravirtual MSRs
    public static final int MSR_KVM_WALL_CLOCK = 0x11;
    public static final int MSR_KVM_SYSTEM_TIME = 0x12;
    public static final int MSR_KVM_WALL_CLOCK_NEW = 0x4b564d00;
    public static final int MSR_KVM_SYSTEM_TIME_NEW = 0x4b564d01;
    public static final int MSR_KVM_ASYNC_PF_EN = 0x4b564d02;
    public static final int MSR_KVM_STEAL_TIME = 0x4b564d03;
    public static final int MSR_KVM_PV_EOI_EN = 0x4b564d04;
    public static final int MSR_KVM_POLL_CONTROL = 0x4b564d05;
    public static final int MSR_KVM_ASYNC_PF_INT = 0x4b564d06;
    public static final int MSR_KVM_ASYNC_PF_ACK = 0x4b564d07;
    public static final int MSR_KVM_MIGRATION_CONTROL = 0x4b564d08;

    // MSR_KVM_ASYNC_PF_EN bits
    public static final int KVM_ASYNC_PF_ENABLED = 1 << 0;
    public static final int KVM_ASYNC_PF_SEND_ALWAYS = 1 << 1;
    public static final int KVM_ASYNC_PF_DELIVERY_AS_PF_VMEXIT = 1 << 2;
    public static final int KVM_ASYNC_PF_DELIVERY_AS_INT = 1 << 3;
}
