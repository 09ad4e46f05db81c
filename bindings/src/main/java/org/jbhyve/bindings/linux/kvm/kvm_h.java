// Hand-written in the shape jextract generates for <linux/kvm.h> constants; the ioctl numbers are
// computed from their definitions with LinuxIoctl. LinuxLayoutTest compares every constant here
// with the value the installed header gives a compiled C program.
package org.jbhyve.bindings.linux.kvm;

import static org.jbhyve.bindings.linux.kvm.LinuxIoctl.*;

/** Constants and ioctl request numbers of {@code <linux/kvm.h>} (x86-64). */
public final class kvm_h {
    private kvm_h() {}

    public static final int KVMIO = 0xAE;
    public static final int KVM_API_VERSION = 12;

    // System ioctls (on the /dev/kvm fd)
    public static final long KVM_GET_API_VERSION = _IO(KVMIO, 0x00);
    public static final long KVM_CREATE_VM = _IO(KVMIO, 0x01);
    public static final long KVM_GET_MSR_INDEX_LIST = _IOWR(KVMIO, 0x02, kvm_msr_list.sizeof());
    public static final long KVM_CHECK_EXTENSION = _IO(KVMIO, 0x03);
    public static final long KVM_GET_VCPU_MMAP_SIZE = _IO(KVMIO, 0x04);
    public static final long KVM_GET_SUPPORTED_CPUID = _IOWR(KVMIO, 0x05, kvm_cpuid2.sizeof());

    // VM ioctls
    public static final long KVM_CREATE_VCPU = _IO(KVMIO, 0x41);
    public static final long KVM_GET_DIRTY_LOG = _IOW(KVMIO, 0x42, kvm_dirty_log.sizeof());
    public static final long KVM_SET_USER_MEMORY_REGION = _IOW(KVMIO, 0x46, kvm_userspace_memory_region.sizeof());
    public static final long KVM_SET_TSS_ADDR = _IO(KVMIO, 0x47);
    public static final long KVM_SET_IDENTITY_MAP_ADDR = _IOW(KVMIO, 0x48, 8);
    public static final long KVM_CREATE_IRQCHIP = _IO(KVMIO, 0x60);
    public static final long KVM_IRQ_LINE = _IOW(KVMIO, 0x61, kvm_irq_level.sizeof());
    public static final long KVM_GET_IRQCHIP = _IOWR(KVMIO, 0x62, kvm_irqchip.sizeof());
    public static final long KVM_SET_IRQCHIP = _IOR(KVMIO, 0x63, kvm_irqchip.sizeof());
    public static final long KVM_IRQ_LINE_STATUS = _IOWR(KVMIO, 0x67, kvm_irq_level.sizeof());
    public static final long KVM_CREATE_PIT2 = _IOW(KVMIO, 0x77, kvm_pit_config.sizeof());
    public static final long KVM_SET_CLOCK = _IOW(KVMIO, 0x7b, kvm_clock_data.sizeof());
    public static final long KVM_GET_CLOCK = _IOR(KVMIO, 0x7c, kvm_clock_data.sizeof());
    public static final long KVM_GET_PIT2 = _IOR(KVMIO, 0x9f, kvm_pit_state2.sizeof());
    public static final long KVM_SET_PIT2 = _IOW(KVMIO, 0xa0, kvm_pit_state2.sizeof());
    public static final long KVM_SIGNAL_MSI = _IOW(KVMIO, 0xa5, kvm_msi.sizeof());

    // vCPU ioctls
    public static final long KVM_RUN = _IO(KVMIO, 0x80);
    public static final long KVM_GET_REGS = _IOR(KVMIO, 0x81, kvm_regs.sizeof());
    public static final long KVM_SET_REGS = _IOW(KVMIO, 0x82, kvm_regs.sizeof());
    public static final long KVM_GET_SREGS = _IOR(KVMIO, 0x83, kvm_sregs.sizeof());
    public static final long KVM_SET_SREGS = _IOW(KVMIO, 0x84, kvm_sregs.sizeof());
    public static final long KVM_INTERRUPT = _IOW(KVMIO, 0x86, kvm_interrupt.sizeof());
    public static final long KVM_GET_MSRS = _IOWR(KVMIO, 0x88, kvm_msrs.sizeof());
    public static final long KVM_SET_MSRS = _IOW(KVMIO, 0x89, kvm_msrs.sizeof());
    public static final long KVM_SET_SIGNAL_MASK = _IOW(KVMIO, 0x8b, kvm_signal_mask.sizeof());
    public static final long KVM_GET_FPU = _IOR(KVMIO, 0x8c, kvm_fpu.sizeof());
    public static final long KVM_SET_FPU = _IOW(KVMIO, 0x8d, kvm_fpu.sizeof());
    public static final long KVM_GET_LAPIC = _IOR(KVMIO, 0x8e, kvm_lapic_state.sizeof());
    public static final long KVM_SET_LAPIC = _IOW(KVMIO, 0x8f, kvm_lapic_state.sizeof());
    public static final long KVM_SET_CPUID2 = _IOW(KVMIO, 0x90, kvm_cpuid2.sizeof());
    public static final long KVM_GET_CPUID2 = _IOWR(KVMIO, 0x91, kvm_cpuid2.sizeof());
    public static final long KVM_GET_MP_STATE = _IOR(KVMIO, 0x98, kvm_mp_state.sizeof());
    public static final long KVM_SET_MP_STATE = _IOW(KVMIO, 0x99, kvm_mp_state.sizeof());
    public static final long KVM_GET_VCPU_EVENTS = _IOR(KVMIO, 0x9f, kvm_vcpu_events.sizeof());
    public static final long KVM_SET_VCPU_EVENTS = _IOW(KVMIO, 0xa0, kvm_vcpu_events.sizeof());
    public static final long KVM_GET_DEBUGREGS = _IOR(KVMIO, 0xa1, kvm_debugregs.sizeof());
    public static final long KVM_SET_DEBUGREGS = _IOW(KVMIO, 0xa2, kvm_debugregs.sizeof());
    public static final long KVM_ENABLE_CAP = _IOW(KVMIO, 0xa3, kvm_enable_cap.sizeof());
    public static final long KVM_GET_XSAVE = _IOR(KVMIO, 0xa4, kvm_xsave.sizeof());
    public static final long KVM_SET_XSAVE = _IOW(KVMIO, 0xa5, kvm_xsave.sizeof());
    public static final long KVM_GET_XCRS = _IOR(KVMIO, 0xa6, kvm_xcrs.sizeof());
    public static final long KVM_SET_XCRS = _IOW(KVMIO, 0xa7, kvm_xcrs.sizeof());
    public static final long KVM_SET_TSC_KHZ = _IO(KVMIO, 0xa2);
    public static final long KVM_GET_TSC_KHZ = _IO(KVMIO, 0xa3);
    public static final long KVM_KVMCLOCK_CTRL = _IO(KVMIO, 0xad);
    public static final long KVM_GET_XSAVE2 = _IOR(KVMIO, 0xcf, kvm_xsave.sizeof());

    // Capabilities (KVM_CHECK_EXTENSION)
    public static final int KVM_CAP_IRQCHIP = 0;
    public static final int KVM_CAP_HLT = 1;
    public static final int KVM_CAP_USER_MEMORY = 3;
    public static final int KVM_CAP_SET_TSS_ADDR = 4;
    public static final int KVM_CAP_EXT_CPUID = 7;
    public static final int KVM_CAP_NR_VCPUS = 9;
    public static final int KVM_CAP_MP_STATE = 14;
    public static final int KVM_CAP_IRQ_ROUTING = 25;
    public static final int KVM_CAP_PIT2 = 33;
    public static final int KVM_CAP_SET_IDENTITY_MAP_ADDR = 37;
    public static final int KVM_CAP_ADJUST_CLOCK = 39;
    public static final int KVM_CAP_VCPU_EVENTS = 41;
    public static final int KVM_CAP_PIT_STATE2 = 35;
    public static final int KVM_CAP_DEBUGREGS = 50;
    public static final int KVM_CAP_XSAVE = 55;
    public static final int KVM_CAP_XCRS = 56;
    public static final int KVM_CAP_TSC_CONTROL = 60;
    public static final int KVM_CAP_GET_TSC_KHZ = 61;
    public static final int KVM_CAP_MAX_VCPUS = 66;
    public static final int KVM_CAP_KVMCLOCK_CTRL = 76;
    public static final int KVM_CAP_SIGNAL_MSI = 77;
    public static final int KVM_CAP_IMMEDIATE_EXIT = 136;
    public static final int KVM_CAP_XSAVE2 = 208;

    // Exit reasons (kvm_run.exit_reason)
    public static final int KVM_EXIT_UNKNOWN = 0;
    public static final int KVM_EXIT_EXCEPTION = 1;
    public static final int KVM_EXIT_IO = 2;
    public static final int KVM_EXIT_HYPERCALL = 3;
    public static final int KVM_EXIT_DEBUG = 4;
    public static final int KVM_EXIT_HLT = 5;
    public static final int KVM_EXIT_MMIO = 6;
    public static final int KVM_EXIT_IRQ_WINDOW_OPEN = 7;
    public static final int KVM_EXIT_SHUTDOWN = 8;
    public static final int KVM_EXIT_FAIL_ENTRY = 9;
    public static final int KVM_EXIT_INTR = 10;
    public static final int KVM_EXIT_SET_TPR = 11;
    public static final int KVM_EXIT_TPR_ACCESS = 12;
    public static final int KVM_EXIT_NMI = 16;
    public static final int KVM_EXIT_INTERNAL_ERROR = 17;
    public static final int KVM_EXIT_SYSTEM_EVENT = 24;
    public static final int KVM_EXIT_X86_RDMSR = 29;
    public static final int KVM_EXIT_X86_WRMSR = 30;

    public static final int KVM_EXIT_IO_IN = 0;
    public static final int KVM_EXIT_IO_OUT = 1;

    public static final int KVM_INTERNAL_ERROR_EMULATION = 1;
    public static final int KVM_INTERNAL_ERROR_SIMUL_EX = 2;
    public static final int KVM_INTERNAL_ERROR_DELIVERY_EV = 3;
    public static final int KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON = 4;

    public static final int KVM_SYSTEM_EVENT_SHUTDOWN = 1;
    public static final int KVM_SYSTEM_EVENT_RESET = 2;
    public static final int KVM_SYSTEM_EVENT_CRASH = 3;

    // kvm_mp_state.mp_state
    public static final int KVM_MP_STATE_RUNNABLE = 0;
    public static final int KVM_MP_STATE_UNINITIALIZED = 1;
    public static final int KVM_MP_STATE_INIT_RECEIVED = 2;
    public static final int KVM_MP_STATE_HALTED = 3;
    public static final int KVM_MP_STATE_SIPI_RECEIVED = 4;

    // kvm_irqchip.chip_id
    public static final int KVM_IRQCHIP_PIC_MASTER = 0;
    public static final int KVM_IRQCHIP_PIC_SLAVE = 1;
    public static final int KVM_IRQCHIP_IOAPIC = 2;

    public static final int KVM_PIT_SPEAKER_DUMMY = 1;

    // kvm_clock_data.flags (KVM_CAP_ADJUST_CLOCK)
    public static final int KVM_CLOCK_TSC_STABLE = 2;
    public static final int KVM_CLOCK_REALTIME = 1 << 2;
    public static final int KVM_CLOCK_HOST_TSC = 1 << 3;

    // kvm_vcpu_events.flags
    public static final int KVM_VCPUEVENT_VALID_NMI_PENDING = 0x00000001;
    public static final int KVM_VCPUEVENT_VALID_SIPI_VECTOR = 0x00000002;
    public static final int KVM_VCPUEVENT_VALID_SHADOW = 0x00000004;
    public static final int KVM_VCPUEVENT_VALID_SMM = 0x00000008;

    public static final int KVM_MEM_LOG_DIRTY_PAGES = 1;
    public static final int KVM_MEM_READONLY = 2;
}
