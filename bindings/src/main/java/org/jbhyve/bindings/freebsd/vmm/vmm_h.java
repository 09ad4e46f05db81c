// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// Constants of machine/vmm.h, machine/vmm_dev.h, dev/vmm/vmm_dev.h, dev/vmm/vmm_mem.h,
// machine/vmm_snapshot.h and vmmapi.h (FreeBSD amd64). Values are pinned by VmmConstantsTest and
// VmmIoctlTest against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.ValueLayout;

import static org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl._IO;
import static org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl._IOR;
import static org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl._IOW;
import static org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl._IOWR;

/**
 * Constants of FreeBSD's vmm headers: the C enums as {@code int} constants with their C names, the
 * {@code IOCNUM_*} command numbers, and every vmm ioctl request computed with {@link FreeBsdIoctl}
 * from the size of its argument struct (never written as a literal).
 *
 * <p>Loading this class loads no native code. {@link vmmapi_h} extends it, as jextract's header
 * classes extend one another, so {@code vmmapi_h.VM_EXITCODE_HLT} works too.
 *
 * <p>Unless a constant's documentation says otherwise, its value is stated in
 * {@code shared/reference/freebsd-bhyve.md} (section 2, "vmm ABI"; section 1d for snapshots). A few
 * values the reference does not give are marked <em>not in the reference</em>: they come from
 * FreeBSD's headers and are not pinned by tests.
 */
public class vmm_h {

    vmm_h() {
        // Should not be called directly
    }

    // ---- C type layouts (FreeBSD amd64, LP64) ---------------------------------------------------

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    /** Pointers: plain {@code ADDRESS}, so pointer results are zero-length until reinterpreted. */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;
    /** {@code long}, {@code size_t}, {@code time_t}, {@code vm_paddr_t}: 64-bit on amd64. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    // ---- Names and memory segments (dev/vmm/vmm_dev.h, dev/vmm/vmm_mem.h) -----------------------

    /** Longest VM name: SPECNAMELEN (255) - 10 - 15 - 1. */
    public static final int VM_MAX_NAMELEN = 229;
    /**
     * Longest memory-segment name; {@code vm_memseg.name} is {@code VM_MAX_SUFFIXLEN + 1} = 16 bytes.
     * The reference gives the array size (16), from which this follows.
     */
    public static final int VM_MAX_SUFFIXLEN = 15;
    /** Number of NUMA domains, one system-memory segment each. */
    public static final int VM_MAXMEMDOM = 8;

    /** First system-memory segment; FreeBSD 15 uses {@code VM_SYSMEM + domain}, 0 to 7. */
    public static final int VM_SYSMEM = 0;
    /** Boot ROM device-memory segment (FreeBSD 15: after the 8 sysmem segments). */
    public static final int VM_BOOTROM = VM_MAXMEMDOM;
    /** Framebuffer device-memory segment (FreeBSD 15). */
    public static final int VM_FRAMEBUFFER = 9;
    /** PCI option-ROM device-memory segment (FreeBSD 15). */
    public static final int VM_PCIROM = 10;

    /** FreeBSD 14 segment IDs (0/1/2/3); a 15 kernel translates them under COMPAT. */
    public static final int VM_SYSMEM_FBSD14 = 0;
    public static final int VM_BOOTROM_FBSD14 = 1;
    public static final int VM_FRAMEBUFFER_FBSD14 = 2;
    public static final int VM_PCIROM_FBSD14 = 3;

    /** {@code vm_memmap.flags}: wire the mapping. */
    public static final int VM_MEMMAP_F_WIRED = 0x01;
    /** {@code vm_memmap.flags}: map it in the IOMMU too. */
    public static final int VM_MEMMAP_F_IOMMU = 0x02;

    // ---- vmmapi.h ---------------------------------------------------------------------------------

    /** {@code enum vm_mmap_style}: no host mapping. */
    public static final int VM_MMAP_NONE = 0;
    /** {@code enum vm_mmap_style}: map all guest memory (the only style libvmmapi supports). */
    public static final int VM_MMAP_ALL = 1;
    /** {@code enum vm_mmap_style}: map on demand. */
    public static final int VM_MMAP_SPARSE = 2;

    /** {@code vm_set_memflags}: include guest memory in core dumps. */
    public static final int VM_MEM_F_INCORE = 0x01;
    /** {@code vm_set_memflags}: wire guest memory. */
    public static final int VM_MEM_F_WIRED = 0x02;

    /** {@code vm_openf} flag: create the VM if it does not exist. */
    public static final int VMMAPI_OPEN_CREATE = 0x01;
    /**
     * {@code vm_openf} flag: reinitialize the VM if it exists. <em>Not in the reference</em> (which says
     * its value was not found); lib/libvmmapi/vmmapi.h defines {@code VMMAPI_OPEN_REINIT 0x02} next to
     * {@code VMMAPI_OPEN_CREATE 0x01} (FreeBSD 15 / main). {@code vm_openf} does not exist in FreeBSD 14.
     */
    public static final int VMMAPI_OPEN_REINIT = 0x02;

    // ---- enum vm_suspend_how ----------------------------------------------------------------------

    public static final int VM_SUSPEND_NONE = 0;
    public static final int VM_SUSPEND_RESET = 1;
    public static final int VM_SUSPEND_POWEROFF = 2;
    public static final int VM_SUSPEND_HALT = 3;
    public static final int VM_SUSPEND_TRIPLEFAULT = 4;
    /**
     * FreeBSD 15 only (what vmmdev_lookup_and_destroy suspends a VM with; bhyve exits with 4). FreeBSD 14's
     * amd64 vmm.h has no DESTROY: its enum ends {@code TRIPLEFAULT, LAST}. The reference infers 5 from the
     * arm64/riscv headers, where DESTROY follows HALT (there is no TRIPLEFAULT there, so it is 4 on arm64);
     * on amd64 it follows TRIPLEFAULT. Not confirmed against upstream amd64 text; confirm on a 15 host.
     */
    public static final int VM_SUSPEND_DESTROY = 5;
    /**
     * One past the last value on FreeBSD 15 (6). On FreeBSD 14, which lacks DESTROY, {@code VM_SUSPEND_LAST} is
     * 5 (sys/amd64/include/vmm.h). Nothing may use it as a bound for values a 14 kernel reports.
     */
    public static final int VM_SUSPEND_LAST = 6;

    // ---- enum vm_reg_name -------------------------------------------------------------------------

    public static final int VM_REG_GUEST_RAX = 0;
    public static final int VM_REG_GUEST_RBX = 1;
    public static final int VM_REG_GUEST_RCX = 2;
    public static final int VM_REG_GUEST_RDX = 3;
    public static final int VM_REG_GUEST_RSI = 4;
    public static final int VM_REG_GUEST_RDI = 5;
    public static final int VM_REG_GUEST_RBP = 6;
    public static final int VM_REG_GUEST_R8 = 7;
    public static final int VM_REG_GUEST_R9 = 8;
    public static final int VM_REG_GUEST_R10 = 9;
    public static final int VM_REG_GUEST_R11 = 10;
    public static final int VM_REG_GUEST_R12 = 11;
    public static final int VM_REG_GUEST_R13 = 12;
    public static final int VM_REG_GUEST_R14 = 13;
    public static final int VM_REG_GUEST_R15 = 14;
    public static final int VM_REG_GUEST_CR0 = 15;
    public static final int VM_REG_GUEST_CR3 = 16;
    public static final int VM_REG_GUEST_CR4 = 17;
    public static final int VM_REG_GUEST_DR7 = 18;
    public static final int VM_REG_GUEST_RSP = 19;
    public static final int VM_REG_GUEST_RIP = 20;
    public static final int VM_REG_GUEST_RFLAGS = 21;
    public static final int VM_REG_GUEST_ES = 22;
    public static final int VM_REG_GUEST_CS = 23;
    public static final int VM_REG_GUEST_SS = 24;
    public static final int VM_REG_GUEST_DS = 25;
    public static final int VM_REG_GUEST_FS = 26;
    public static final int VM_REG_GUEST_GS = 27;
    public static final int VM_REG_GUEST_LDTR = 28;
    public static final int VM_REG_GUEST_TR = 29;
    public static final int VM_REG_GUEST_IDTR = 30;
    public static final int VM_REG_GUEST_GDTR = 31;
    public static final int VM_REG_GUEST_EFER = 32;
    public static final int VM_REG_GUEST_CR2 = 33;
    public static final int VM_REG_GUEST_PDPTE0 = 34;
    public static final int VM_REG_GUEST_PDPTE1 = 35;
    public static final int VM_REG_GUEST_PDPTE2 = 36;
    public static final int VM_REG_GUEST_PDPTE3 = 37;
    public static final int VM_REG_GUEST_INTR_SHADOW = 38;
    public static final int VM_REG_GUEST_DR0 = 39;
    public static final int VM_REG_GUEST_DR1 = 40;
    public static final int VM_REG_GUEST_DR2 = 41;
    public static final int VM_REG_GUEST_DR3 = 42;
    public static final int VM_REG_GUEST_DR6 = 43;
    public static final int VM_REG_GUEST_ENTRY_INST_LENGTH = 44;
    public static final int VM_REG_GUEST_FS_BASE = 45;
    public static final int VM_REG_GUEST_GS_BASE = 46;
    public static final int VM_REG_GUEST_KGS_BASE = 47;
    public static final int VM_REG_GUEST_TPR = 48;
    public static final int VM_REG_LAST = 49;

    // ---- enum vm_cap_type -------------------------------------------------------------------------

    public static final int VM_CAP_HALT_EXIT = 0;
    public static final int VM_CAP_MTRAP_EXIT = 1;
    public static final int VM_CAP_PAUSE_EXIT = 2;
    public static final int VM_CAP_UNRESTRICTED_GUEST = 3;
    public static final int VM_CAP_ENABLE_INVPCID = 4;
    public static final int VM_CAP_BPT_EXIT = 5;
    public static final int VM_CAP_RDPID = 6;
    public static final int VM_CAP_RDTSCP = 7;
    public static final int VM_CAP_IPI_EXIT = 8;
    public static final int VM_CAP_MASK_HWINTR = 9;
    public static final int VM_CAP_RFLAGS_TF = 10;
    /** One past the last capability. <em>Not in the reference</em>; follows from the enum's order. */
    public static final int VM_CAP_MAX = 11;

    // ---- enum x2apic_state (not in the reference) -------------------------------------------------

    /** {@code vm_x2apic.state}: x2APIC mode off. <em>Not in the reference.</em> */
    public static final int X2APIC_DISABLED = 0;
    /** {@code vm_x2apic.state}: x2APIC mode on. <em>Not in the reference.</em> */
    public static final int X2APIC_ENABLED = 1;
    /** <em>Not in the reference.</em> */
    public static final int X2APIC_STATE_LAST = 2;

    // ---- enum vm_cpu_mode, enum vm_paging_mode (vm_guest_paging; not in the reference) ------------

    /** <em>Not in the reference.</em> */
    public static final int CPU_MODE_REAL = 0;
    /** <em>Not in the reference.</em> */
    public static final int CPU_MODE_PROTECTED = 1;
    /** IA-32e with CS.L = 0. <em>Not in the reference.</em> */
    public static final int CPU_MODE_COMPATIBILITY = 2;
    /** IA-32e with CS.L = 1. <em>Not in the reference.</em> */
    public static final int CPU_MODE_64BIT = 3;

    /** <em>Not in the reference.</em> */
    public static final int PAGING_MODE_FLAT = 0;
    /** <em>Not in the reference.</em> */
    public static final int PAGING_MODE_32 = 1;
    /** <em>Not in the reference.</em> */
    public static final int PAGING_MODE_PAE = 2;
    /** <em>Not in the reference.</em> */
    public static final int PAGING_MODE_64 = 3;
    /** <em>Not in the reference.</em> */
    public static final int PAGING_MODE_64_LA57 = 4;

    // ---- enum task_switch_reason (vm_task_switch.reason; not in the reference) --------------------

    /** <em>Not in the reference.</em> */
    public static final int TSR_CALL = 0;
    /** <em>Not in the reference.</em> */
    public static final int TSR_IRET = 1;
    /** <em>Not in the reference.</em> */
    public static final int TSR_JMP = 2;
    /** Task gate in the IDT. <em>Not in the reference.</em> */
    public static final int TSR_IDT_GATE = 3;

    // ---- enum vm_exitcode -------------------------------------------------------------------------

    public static final int VM_EXITCODE_INOUT = 0;
    public static final int VM_EXITCODE_VMX = 1;
    public static final int VM_EXITCODE_BOGUS = 2;
    public static final int VM_EXITCODE_RDMSR = 3;
    public static final int VM_EXITCODE_WRMSR = 4;
    public static final int VM_EXITCODE_HLT = 5;
    public static final int VM_EXITCODE_MTRAP = 6;
    public static final int VM_EXITCODE_PAUSE = 7;
    public static final int VM_EXITCODE_PAGING = 8;
    /** Also how MMIO arrives. */
    public static final int VM_EXITCODE_INST_EMUL = 9;
    public static final int VM_EXITCODE_SPINUP_AP = 10;
    public static final int VM_EXITCODE_DEPRECATED1 = 11;
    public static final int VM_EXITCODE_RENDEZVOUS = 12;
    public static final int VM_EXITCODE_IOAPIC_EOI = 13;
    public static final int VM_EXITCODE_SUSPENDED = 14;
    public static final int VM_EXITCODE_INOUT_STR = 15;
    public static final int VM_EXITCODE_TASK_SWITCH = 16;
    public static final int VM_EXITCODE_MONITOR = 17;
    public static final int VM_EXITCODE_MWAIT = 18;
    public static final int VM_EXITCODE_SVM = 19;
    public static final int VM_EXITCODE_REQIDLE = 20;
    public static final int VM_EXITCODE_DEBUG = 21;
    public static final int VM_EXITCODE_VMINSN = 22;
    public static final int VM_EXITCODE_BPT = 23;
    public static final int VM_EXITCODE_IPI = 24;
    public static final int VM_EXITCODE_DB = 25;
    public static final int VM_EXITCODE_MAX = 26;

    // ---- machine/vmm_snapshot.h (reference section 1d) ---------------------------------------------

    /** {@code enum vm_snapshot_op}. */
    public static final int VM_SNAPSHOT_SAVE = 0;
    public static final int VM_SNAPSHOT_RESTORE = 1;

    /** {@code enum snapshot_req} (0 was STRUCT_VMX, removed with its number kept free). */
    public static final int STRUCT_VIOAPIC = 1;
    public static final int STRUCT_VM = 2;
    public static final int STRUCT_VLAPIC = 3;
    /** Unused. */
    public static final int VM_MEM = 4;
    public static final int STRUCT_VHPET = 5;
    public static final int STRUCT_VMCX = 6;
    public static final int STRUCT_VATPIC = 7;
    public static final int STRUCT_VATPIT = 8;
    public static final int STRUCT_VPMTMR = 9;
    public static final int STRUCT_VRTC = 10;

    // ---- vm_cpuset.which (not in the reference) --------------------------------------------------

    /** <em>Not in the reference.</em> */
    public static final int VM_ACTIVE_CPUS = 0;
    /** <em>Not in the reference.</em> */
    public static final int VM_SUSPENDED_CPUS = 1;
    /** <em>Not in the reference.</em> */
    public static final int VM_DEBUG_CPUS = 2;

    // ---- IOCNUM_* (machine/vmm_dev.h; the numbers are the low byte of the reference's requests) ---

    public static final int IOCNUM_RUN = 1;
    public static final int IOCNUM_SET_CAPABILITY = 2;
    public static final int IOCNUM_GET_CAPABILITY = 3;
    public static final int IOCNUM_SUSPEND = 4;
    public static final int IOCNUM_REINIT = 5;
    public static final int IOCNUM_ALLOC_MEMSEG = 14;
    public static final int IOCNUM_GET_MEMSEG = 15;
    public static final int IOCNUM_MMAP_MEMSEG = 16;
    public static final int IOCNUM_MMAP_GETNEXT = 17;
    public static final int IOCNUM_MUNMAP_MEMSEG = 19;
    public static final int IOCNUM_SET_REGISTER = 20;
    public static final int IOCNUM_GET_REGISTER = 21;
    public static final int IOCNUM_SET_SEGMENT_DESCRIPTOR = 22;
    public static final int IOCNUM_GET_SEGMENT_DESCRIPTOR = 23;
    public static final int IOCNUM_SET_REGISTER_SET = 24;
    public static final int IOCNUM_GET_REGISTER_SET = 25;
    public static final int IOCNUM_GET_INTINFO = 28;
    public static final int IOCNUM_SET_INTINFO = 29;
    public static final int IOCNUM_INJECT_EXCEPTION = 30;
    public static final int IOCNUM_LAPIC_IRQ = 31;
    public static final int IOCNUM_INJECT_NMI = 32;
    public static final int IOCNUM_IOAPIC_ASSERT_IRQ = 33;
    public static final int IOCNUM_IOAPIC_DEASSERT_IRQ = 34;
    public static final int IOCNUM_IOAPIC_PULSE_IRQ = 35;
    public static final int IOCNUM_LAPIC_MSI = 36;
    public static final int IOCNUM_LAPIC_LOCAL_IRQ = 37;
    public static final int IOCNUM_IOAPIC_PINCOUNT = 38;
    public static final int IOCNUM_RESTART_INSTRUCTION = 39;
    public static final int IOCNUM_SET_X2APIC_STATE = 60;
    /** <em>Not in the reference.</em> */
    public static final int IOCNUM_GET_X2APIC_STATE = 61;
    public static final int IOCNUM_SET_TOPOLOGY = 63;
    public static final int IOCNUM_GET_TOPOLOGY = 64;
    public static final int IOCNUM_ISA_ASSERT_IRQ = 80;
    public static final int IOCNUM_ISA_DEASSERT_IRQ = 81;
    public static final int IOCNUM_ISA_PULSE_IRQ = 82;
    public static final int IOCNUM_ACTIVATE_CPU = 90;
    public static final int IOCNUM_GET_CPUSET = 91;
    public static final int IOCNUM_SUSPEND_CPU = 92;
    public static final int IOCNUM_RESUME_CPU = 93;
    public static final int IOCNUM_RTC_READ = 100;
    public static final int IOCNUM_RTC_WRITE = 101;
    public static final int IOCNUM_RTC_SETTIME = 102;
    public static final int IOCNUM_RTC_GETTIME = 103;
    public static final int IOCNUM_SNAPSHOT_REQ = 113;
    public static final int IOCNUM_RESTORE_TIME = 115;

    // ---- ioctl requests on /dev/vmm/<name> (group 'v') --------------------------------------------
    // Each is computed from its argument's size; VmmIoctlTest pins them to the reference's numbers.

    public static final long VM_RUN = _IOW('v', IOCNUM_RUN, vm_run.sizeof());
    public static final long VM_SET_CAPABILITY = _IOW('v', IOCNUM_SET_CAPABILITY, vm_capability.sizeof());
    public static final long VM_GET_CAPABILITY = _IOWR('v', IOCNUM_GET_CAPABILITY, vm_capability.sizeof());
    public static final long VM_SUSPEND = _IOW('v', IOCNUM_SUSPEND, vm_suspend.sizeof());
    public static final long VM_REINIT = _IO('v', IOCNUM_REINIT);

    /** FreeBSD 15 ({@link vm_memseg}, 56 bytes). */
    public static final long VM_ALLOC_MEMSEG = _IOW('v', IOCNUM_ALLOC_MEMSEG, vm_memseg.sizeof());
    /** FreeBSD 15 ({@link vm_memseg}, 56 bytes). */
    public static final long VM_GET_MEMSEG = _IOWR('v', IOCNUM_GET_MEMSEG, vm_memseg.sizeof());
    /** FreeBSD 14 ({@link vm_memseg_fbsd14}, 32 bytes). Computed; the reference gives no number. */
    public static final long VM_ALLOC_MEMSEG_FBSD14 = _IOW('v', IOCNUM_ALLOC_MEMSEG, vm_memseg_fbsd14.sizeof());
    /** FreeBSD 14 ({@link vm_memseg_fbsd14}, 32 bytes). Computed; the reference gives no number. */
    public static final long VM_GET_MEMSEG_FBSD14 = _IOWR('v', IOCNUM_GET_MEMSEG, vm_memseg_fbsd14.sizeof());

    public static final long VM_MMAP_MEMSEG = _IOW('v', IOCNUM_MMAP_MEMSEG, vm_memmap.sizeof());
    public static final long VM_MMAP_GETNEXT = _IOWR('v', IOCNUM_MMAP_GETNEXT, vm_memmap.sizeof());
    public static final long VM_MUNMAP_MEMSEG = _IOW('v', IOCNUM_MUNMAP_MEMSEG, vm_munmap.sizeof());

    public static final long VM_SET_REGISTER = _IOW('v', IOCNUM_SET_REGISTER, vm_register.sizeof());
    public static final long VM_GET_REGISTER = _IOWR('v', IOCNUM_GET_REGISTER, vm_register.sizeof());
    public static final long VM_SET_SEGMENT_DESCRIPTOR = _IOW('v', IOCNUM_SET_SEGMENT_DESCRIPTOR, vm_seg_desc.sizeof());
    public static final long VM_GET_SEGMENT_DESCRIPTOR = _IOWR('v', IOCNUM_GET_SEGMENT_DESCRIPTOR, vm_seg_desc.sizeof());
    public static final long VM_SET_REGISTER_SET = _IOW('v', IOCNUM_SET_REGISTER_SET, vm_register_set.sizeof());
    public static final long VM_GET_REGISTER_SET = _IOWR('v', IOCNUM_GET_REGISTER_SET, vm_register_set.sizeof());

    public static final long VM_GET_INTINFO = _IOWR('v', IOCNUM_GET_INTINFO, vm_intinfo.sizeof());
    public static final long VM_SET_INTINFO = _IOW('v', IOCNUM_SET_INTINFO, vm_intinfo.sizeof());
    public static final long VM_INJECT_EXCEPTION = _IOW('v', IOCNUM_INJECT_EXCEPTION, vm_exception.sizeof());
    public static final long VM_LAPIC_IRQ = _IOW('v', IOCNUM_LAPIC_IRQ, vm_lapic_irq.sizeof());
    public static final long VM_INJECT_NMI = _IOW('v', IOCNUM_INJECT_NMI, vm_nmi.sizeof());
    public static final long VM_IOAPIC_ASSERT_IRQ = _IOW('v', IOCNUM_IOAPIC_ASSERT_IRQ, vm_ioapic_irq.sizeof());
    public static final long VM_IOAPIC_DEASSERT_IRQ = _IOW('v', IOCNUM_IOAPIC_DEASSERT_IRQ, vm_ioapic_irq.sizeof());
    public static final long VM_IOAPIC_PULSE_IRQ = _IOW('v', IOCNUM_IOAPIC_PULSE_IRQ, vm_ioapic_irq.sizeof());
    public static final long VM_LAPIC_MSI = _IOW('v', IOCNUM_LAPIC_MSI, vm_lapic_msi.sizeof());
    public static final long VM_LAPIC_LOCAL_IRQ = _IOW('v', IOCNUM_LAPIC_LOCAL_IRQ, vm_lapic_irq.sizeof());
    /** The argument is an {@code int} the kernel writes (the pin count). */
    public static final long VM_IOAPIC_PINCOUNT = _IOR('v', IOCNUM_IOAPIC_PINCOUNT, C_INT.byteSize());
    /** The argument is an {@code int}: the vcpuid. */
    public static final long VM_RESTART_INSTRUCTION = _IOW('v', IOCNUM_RESTART_INSTRUCTION, C_INT.byteSize());

    public static final long VM_SET_X2APIC_STATE = _IOW('v', IOCNUM_SET_X2APIC_STATE, vm_x2apic.sizeof());
    /** <em>Not in the reference</em>; computed like the others. */
    public static final long VM_GET_X2APIC_STATE = _IOWR('v', IOCNUM_GET_X2APIC_STATE, vm_x2apic.sizeof());
    public static final long VM_SET_TOPOLOGY = _IOW('v', IOCNUM_SET_TOPOLOGY, vm_cpu_topology.sizeof());
    public static final long VM_GET_TOPOLOGY = _IOR('v', IOCNUM_GET_TOPOLOGY, vm_cpu_topology.sizeof());

    public static final long VM_ISA_ASSERT_IRQ = _IOW('v', IOCNUM_ISA_ASSERT_IRQ, vm_isa_irq.sizeof());
    public static final long VM_ISA_DEASSERT_IRQ = _IOW('v', IOCNUM_ISA_DEASSERT_IRQ, vm_isa_irq.sizeof());
    public static final long VM_ISA_PULSE_IRQ = _IOW('v', IOCNUM_ISA_PULSE_IRQ, vm_isa_irq.sizeof());

    public static final long VM_ACTIVATE_CPU = _IOW('v', IOCNUM_ACTIVATE_CPU, vm_activate_cpu.sizeof());
    public static final long VM_GET_CPUS = _IOW('v', IOCNUM_GET_CPUSET, vm_cpuset.sizeof());
    /** {@code vm_activate_cpu.vcpuid} -1 suspends all vCPUs. */
    public static final long VM_SUSPEND_CPU = _IOW('v', IOCNUM_SUSPEND_CPU, vm_activate_cpu.sizeof());
    /** {@code vm_activate_cpu.vcpuid} -1 resumes all vCPUs. */
    public static final long VM_RESUME_CPU = _IOW('v', IOCNUM_RESUME_CPU, vm_activate_cpu.sizeof());

    public static final long VM_RTC_READ = _IOWR('v', IOCNUM_RTC_READ, vm_rtc_data.sizeof());
    public static final long VM_RTC_WRITE = _IOW('v', IOCNUM_RTC_WRITE, vm_rtc_data.sizeof());
    public static final long VM_RTC_SETTIME = _IOW('v', IOCNUM_RTC_SETTIME, vm_rtc_time.sizeof());
    public static final long VM_RTC_GETTIME = _IOR('v', IOCNUM_RTC_GETTIME, vm_rtc_time.sizeof());

    /** Only with a kernel built with {@code options BHYVE_SNAPSHOT}; ENOTTY otherwise. */
    public static final long VM_SNAPSHOT_REQ = _IOWR('v', IOCNUM_SNAPSHOT_REQ, vm_snapshot_meta.sizeof());
    /** The argument is an (unused) {@code int}. Only with {@code options BHYVE_SNAPSHOT}. */
    public static final long VM_RESTORE_TIME = _IOWR('v', IOCNUM_RESTORE_TIME, C_INT.byteSize());

    // ---- ioctl requests on /dev/vmmctl (group 'V') ------------------------------------------------

    public static final long VMMCTL_VM_CREATE = _IOWR('V', 0, vmmctl_vm_create.sizeof());
    public static final long VMMCTL_VM_DESTROY = _IOWR('V', 1, vmmctl_vm_destroy.sizeof());
}
