package org.jbhyve.vmm.freebsd;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the FreeBSD backend asks of the host: libvmmapi's calls, the few {@code /dev/vmm} ioctls
 * it makes itself, and sysctls. {@link LibVmmapi} implements it over the FFM bindings
 * ({@code org.jbhyve.bindings.freebsd.vmm.vmmapi_h}, {@code libc_h}, {@code sysctl_h}); tests implement it
 * with a model of the kernel that follows the documented behaviour (shared/reference/freebsd-bhyve.md,
 * section 2), which is how the backend is tested on Linux.
 *
 * <p><b>Conventions.</b> Calls that return {@code int} in C return 0 on success or the <em>errno</em>
 * (a positive number) on failure, never -1: the implementation reads errno right after the call. Calls
 * that return a pointer return {@link MemorySegment#NULL} on failure and leave the errno for
 * {@link #lastErrno()}. {@code ctx} is a {@code struct vmctx *}, {@code vcpu} a {@code struct vcpu *},
 * both opaque. Pointer arguments are native segments of the stated size. Per-vCPU calls are the
 * libvmmapi wrappers that write the vcpuid into the first {@code int} of their ioctl argument.
 *
 * <p>{@link #run} is on the hot path: implementations must not allocate there.
 */
public interface Vmmapi {

    // ---- host ---------------------------------------------------------------------------------------

    /** Whether libvmmapi could be loaded; {@link #unavailableReason()} says why not. */
    boolean available();

    /** Why libvmmapi cannot be used, or empty. */
    Optional<String> unavailableReason();

    /** A numeric sysctl ({@code int} or {@code long}, by the size the kernel reports), or empty if it does not exist. */
    OptionalLong sysctlNumber(String name);

    /** A string sysctl, or empty if it does not exist. */
    Optional<String> sysctlString(String name);

    /** Whether {@code path} exists (a device node such as {@code /dev/vmmctl}). */
    boolean exists(String path);

    /** Whether this process may open {@code path} for writing. */
    boolean writable(String path);

    /**
     * {@code munmap(address, length)}: releases a reservation libvmmapi made in this process (guest RAM and
     * device memory are mapped inside guard regions that libvmmapi never unmaps); 0 or the errno.
     */
    int munmap(long address, long length);

    /** The errno of this thread's last call that returned {@link MemorySegment#NULL}. */
    int lastErrno();

    // ---- VM lifecycle and memory --------------------------------------------------------------------

    /**
     * {@code vm_create(name)}: creates the VM in the kernel (through {@code /dev/vmmctl} on FreeBSD 15, the
     * {@code hw.vmm.create} sysctl on 14; libvmmapi loads vmm.ko first if it can). EEXIST if a VM of that
     * name exists, EPERM/EACCES without privilege.
     */
    int create(String name);

    /** {@code vm_open(name)}: opens {@code /dev/vmm/<name>}; NULL with errno (ENOENT) when there is no such VM. */
    MemorySegment open(String name);

    /** {@code vm_destroy(ctx)}: closes the VM's descriptor, destroys the VM and frees {@code ctx}. */
    void destroy(MemorySegment ctx);

    /**
     * {@code vm_setup_memory(ctx, len, VM_MMAP_ALL)}: allocates the system-memory segment and maps it into the
     * guest and this process, lowmem (at most 3 GiB) at GPA 0 and the rest at GPA 4 GiB.
     */
    int setupMemory(MemorySegment ctx, long bytes);

    /** {@code vm_map_gpa(ctx, gpa, len)}: the host address of guest RAM, or NULL when the range is not all RAM. */
    MemorySegment mapGpa(MemorySegment ctx, long gpa, long len);

    /** {@code vm_get_lowmem_size(ctx)}. */
    long lowmemSize(MemorySegment ctx);

    /** {@code vm_get_highmem_size(ctx)}. */
    long highmemSize(MemorySegment ctx);

    /**
     * {@code vm_create_devmem(ctx, segid, name, len)}: allocates device-memory segment {@code segid} and maps it
     * into this process from {@code /dev/vmm.io/<vm>.<name>}; returns its host address, or NULL
     * ({@code MAP_FAILED} is turned into NULL) with errno.
     */
    MemorySegment createDevmem(MemorySegment ctx, int segid, String name, long len);

    /** {@code vm_mmap_memseg(ctx, gpa, segid, segoff, len, prot)}: maps a segment into the guest. */
    int mmapMemseg(MemorySegment ctx, long gpa, int segid, long segoff, long len, int prot);

    /**
     * {@code vm_set_topology(ctx, sockets, cores, threads, maxcpus)}; the kernel wants {@code maxcpus} 0 and
     * {@code sockets * cores * threads} at most the VM's vCPU limit.
     */
    int setTopology(MemorySegment ctx, int sockets, int cores, int threads, int maxcpus);

    /** {@code vm_get_topology}: fills four {@code uint16_t} at {@code out} (sockets, cores, threads, maxcpus). */
    int getTopology(MemorySegment ctx, MemorySegment out);

    /** {@code vm_suspend(ctx, how)}: every vCPU then exits with {@code VM_EXITCODE_SUSPENDED}. EALREADY if suspended. */
    int suspend(MemorySegment ctx, int how);

    // ---- interrupts ---------------------------------------------------------------------------------

    int ioapicAssertIrq(MemorySegment ctx, int irq);

    int ioapicDeassertIrq(MemorySegment ctx, int irq);

    int ioapicPulseIrq(MemorySegment ctx, int irq);

    /** {@code vm_ioapic_pincount}: writes an {@code int} at {@code out}. */
    int ioapicPincount(MemorySegment ctx, MemorySegment out);

    /** {@code vm_isa_assert_irq(ctx, atpic_irq, ioapic_irq)}; -1 for either leaves that controller alone. */
    int isaAssertIrq(MemorySegment ctx, int atpicIrq, int ioapicIrq);

    int isaDeassertIrq(MemorySegment ctx, int atpicIrq, int ioapicIrq);

    int isaPulseIrq(MemorySegment ctx, int atpicIrq, int ioapicIrq);

    /** {@code vm_lapic_msi(ctx, addr, msg)}. */
    int lapicMsi(MemorySegment ctx, long addr, long msg);

    // ---- the RTC ------------------------------------------------------------------------------------

    /** {@code vm_rtc_read}: one CMOS byte at {@code out}. */
    int rtcRead(MemorySegment ctx, int offset, MemorySegment out);

    int rtcWrite(MemorySegment ctx, int offset, int value);

    int rtcSettime(MemorySegment ctx, long secs);

    /** {@code vm_rtc_gettime}: a {@code time_t} at {@code out}. */
    int rtcGettime(MemorySegment ctx, MemorySegment out);

    // ---- vCPUs --------------------------------------------------------------------------------------

    /** {@code vm_vcpu_open(ctx, id)}: a handle for vCPU {@code id} (the kernel creates the vCPU on first use). */
    MemorySegment vcpuOpen(MemorySegment ctx, int id);

    void vcpuClose(MemorySegment vcpu);

    /**
     * {@code vm_run(vcpu, vmrun)}: {@code VM_RUN}. Enters the guest until an exit the kernel does not handle
     * itself, then copies {@code struct vm_exit} to {@code vmrun->vm_exit} (and, for {@code VM_EXITCODE_IPI},
     * the destination set to {@code vmrun->cpuset}). A vCPU in the VM's debug set ({@link #suspendCpu}) exits
     * at once with {@code VM_EXITCODE_DEBUG}; one whose VM is suspended with {@code VM_EXITCODE_SUSPENDED}
     * (and EINVAL after that).
     */
    int run(MemorySegment vcpu, MemorySegment vmrun);

    /** {@code vm_get_register}: a {@code uint64_t} at {@code out}. Setting RIP also sets the kernel's next RIP. */
    int getRegister(MemorySegment vcpu, int reg, MemorySegment out);

    int setRegister(MemorySegment vcpu, int reg, long value);

    /** {@code vm_get_register_set}: {@code count} {@code int} register numbers in, {@code uint64_t} values out. */
    int getRegisterSet(MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals);

    int setRegisterSet(MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals);

    /**
     * {@code vm_get_desc(vcpu, reg, &base, &limit, &access)} for a segment register, GDTR or IDTR: a
     * {@code uint64_t}, a {@code uint32_t} and a {@code uint32_t} (VMX access-rights format).
     */
    int getDesc(MemorySegment vcpu, int reg, MemorySegment base, MemorySegment limit, MemorySegment access);

    int setDesc(MemorySegment vcpu, int reg, long base, int limit, int access);

    /**
     * {@code vm_inject_exception}: makes exception {@code vector} pending; with {@code restart} the kernel's
     * next RIP goes back to the current RIP (the faulting instruction is restarted). EBUSY if one is pending.
     */
    int injectException(MemorySegment vcpu, int vector, boolean errcodeValid, int errcode, boolean restart);

    /** {@code vm_get_intinfo}: two {@code uint64_t}: the event being delivered at the exit, the pending exception. */
    int getIntinfo(MemorySegment vcpu, MemorySegment info1, MemorySegment info2);

    int setIntinfo(MemorySegment vcpu, long info1);

    int injectNmi(MemorySegment vcpu);

    /** {@code vm_restart_instruction}: the kernel's next RIP becomes the current RIP. */
    int restartInstruction(MemorySegment vcpu);

    /** {@code vm_activate_cpu}: adds the vCPU to the active set; EBUSY if it is active. */
    int activateCpu(MemorySegment vcpu);

    /**
     * {@code vm_suspend_cpu}: adds the vCPU to the debug set and kicks it out of the guest (an IPI to its host
     * CPU); its {@code VM_RUN} then returns {@code VM_EXITCODE_DEBUG} until {@link #resumeCpu}. Works from any
     * thread; EINVAL for a vCPU that is not active.
     */
    int suspendCpu(MemorySegment vcpu);

    /** {@code vm_resume_cpu}: removes the vCPU from the debug set; EINVAL if it is not in it. */
    int resumeCpu(MemorySegment vcpu);

    /** {@code vm_get_capability}: an {@code int} at {@code out}; ENOENT/EINVAL for one this CPU lacks. */
    int getCapability(MemorySegment vcpu, int cap, MemorySegment out);

    int setCapability(MemorySegment vcpu, int cap, int value);

    /** {@code vcpu_reset}: the architectural power-on state (real mode, CS:IP = F000:FFF0). */
    int vcpuReset(MemorySegment vcpu);

    // ---- the VM device itself -----------------------------------------------------------------------

    /** Opens {@code /dev/vmm/<name>} read-write for the ioctls libvmmapi has no call for; fd, or minus the errno. */
    int openDevice(String name);

    /** {@code ioctl(fd, request, arg)}: 0 or the errno. */
    int ioctl(int fd, long request, MemorySegment arg);

    void closeDevice(int fd);
}
