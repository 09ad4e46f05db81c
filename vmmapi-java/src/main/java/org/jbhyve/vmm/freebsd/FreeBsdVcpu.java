package org.jbhyve.vmm.freebsd;

import org.jbhyve.bindings.freebsd.vmm.vm_run;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.state.*;
import org.jbhyve.vmm.x86.GuestMemoryAccess;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.jbhyve.bindings.freebsd.vmm.vmm_h.*;

/**
 * A vCPU of bhyve's vmm, driven through libvmmapi.
 *
 * <h2>run()</h2>
 * One {@code VM_RUN} per loop; {@code struct vm_exit} is decoded from fixed offsets into this vCPU's own
 * {@link VmExit} objects, without allocating, as on KVM. Some exits need the VMM's answer put back
 * before the guest may continue; {@code run()} returns the exit, and the <em>next</em> {@code run()} finishes
 * it first, before it checks for a kick or enters the guest:
 * <table>
 *   <caption>Exits</caption>
 *   <tr><th>{@code exitcode}</th><th>{@code run()} returns</th><th>the next {@code run()} first</th></tr>
 *   <tr><td>INOUT, OUT</td><td>{@link VmExit.PortIo}, count 1</td><td>nothing: the kernel has already set its
 *       next RIP to {@code rip + inst_length}</td></tr>
 *   <tr><td>INOUT, IN</td><td>{@link VmExit.PortIo}, count 1 (pre-filled with all ones)</td><td>writes the
 *       value into RAX the way the processor does: a 4-byte IN zero-extends into RAX, a 1- or 2-byte one
 *       replaces AL or AX and keeps the rest of RAX (read with {@code vm_get_register}). bhyve itself merges
 *       into the 32-bit EAX of the exit and so clears RAX[63:32]; jbhyve does not. RIP: as for OUT.</td></tr>
 *   <tr><td>INOUT_STR</td><td>{@link VmExit.PortIo} with a batch of elements, see {@link StringIo}</td>
 *       <td>stores INS data, updates rSI/rDI/rCX, restarts the instruction if elements remain</td></tr>
 *   <tr><td>INST_EMUL</td><td>one {@link VmExit.Mmio} per device access, see {@link MmioInstruction}</td>
 *       <td>hands the answer to the emulator, which goes on to the next access or completes the
 *       instruction</td></tr>
 *   <tr><td>RDMSR, WRMSR</td><td>{@link VmExit.MsrAccess}</td><td>for RDMSR: EDX:EAX = the value
 *       ({@code setValue}; 0 if the VMM set none), RIP already advanced by the kernel; a
 *       {@link VmExit.MsrAccess#fault()} injects #GP(0) and restarts the instruction. Unknown MSRs read 0 and
 *       ignore writes unless the VMM faults them (bhyve's {@code x86.strictmsr}, on by default in bhyve, is that
 *       choice, made above this layer).</td></tr>
 *   <tr><td>SUSPENDED</td><td>RESET → {@link VmExit.SystemEvent} RESET; POWEROFF → SystemEvent SHUTDOWN;
 *       HALT (every vCPU halted with interrupts off) → {@link VmExit.Halt}; TRIPLEFAULT →
 *       {@link VmExit.Shutdown}; DESTROY and anything else → SystemEvent OTHER with the raw value</td>
 *       <td>nothing: the VM is over; every later {@code run()} returns the same exit without entering the
 *       kernel (whose {@code VM_RUN} would fail with EINVAL)</td></tr>
 *   <tr><td>HLT</td><td>{@link VmExit.Halt}</td><td>nothing (vmm handles HLT in the kernel, so this does not
 *       normally happen)</td></tr>
 *   <tr><td>IPI (INIT, STARTUP)</td><td>nothing: handled here, like bhyve's {@code vmexit_ipi}. INIT
 *       suspends each destination vCPU until a start-up IPI; STARTUP does what bhyve's {@code spinup_ap}
 *       does to each: {@code vcpu_reset}, CS base = vector &lt;&lt; 12, CS selector = vector &lt;&lt; 8, RIP = 0,
 *       {@code vm_resume_cpu}. (SPINUP_AP, the old-style exit of kernels without {@code VM_CAP_IPI_EXIT}, is
 *       handled the same way.)</td><td></td></tr>
 *   <tr><td>DEBUG</td><td>{@link VmExit.Stopped} if {@link #kick()} asked for it; otherwise nothing: the vCPU
 *       is held by the kernel (waiting for a start-up IPI, or suspended by someone else), and the thread
 *       sleeps {@value #SUSPENDED_POLL_NANOS} ns and asks again, as bhyve's {@code vmexit_debug} does</td>
 *       <td></td></tr>
 *   <tr><td>BOGUS, REQIDLE, PAUSE</td><td>nothing: the guest is entered again</td><td></td></tr>
 *   <tr><td>VMX</td><td>a VM-entry failure as KVM reports it: {@link VmExit.FailEntry} with the VM-instruction
 *       error when VMLAUNCH/VMRESUME failed ({@code status} != 0), or with the exit reason when bit 31 (VM-entry
 *       failure) is set; any other VMX exit the kernel did not handle is an {@link VmExit.InternalError} with
 *       suberror 4 and data {exit_reason, exit_qualification, status, inst_type, inst_error}</td><td></td></tr>
 *   <tr><td>SVM</td><td>{@link VmExit.FailEntry} for VMEXIT_INVALID (exit code -1), otherwise
 *       {@link VmExit.InternalError} suberror 4 with {exitcode, exitinfo1, exitinfo2}</td><td></td></tr>
 *   <tr><td>anything else</td><td>{@link VmExit.Unhandled} with the code</td><td></td></tr>
 * </table>
 *
 * <h2>kick()</h2>
 * FreeBSD has nothing like KVM's {@code immediate_exit} or a signal that ends {@code VM_RUN}; bhyve stops
 * vCPUs with {@code vm_suspend_cpu}: it puts the vCPU in the VM's debug set and sends its host CPU an IPI,
 * and the vCPU leaves the guest with {@code VM_EXITCODE_DEBUG}, at once and again on every {@code VM_RUN}
 * until {@code vm_resume_cpu}. {@link #kick()} does exactly that ({@code vm_suspend_cpu} on this vCPU) and
 * sets a flag, under a lock. {@code run()} checks the flag after finishing pending I/O and before
 * {@code VM_RUN}, and on a DEBUG exit: if it is set, it clears it, calls {@code vm_resume_cpu} (unless the
 * vCPU is waiting for a start-up IPI, where the kernel must keep holding it) and returns
 * {@link VmExit.Stopped}. So a kick before {@code run()} makes it return Stopped without entering the guest;
 * a kick while the guest runs, or sleeps in the kernel on HLT, ends {@code VM_RUN} within an IPI; several
 * kicks before {@code run()} notices them give one Stopped; and the vCPU is always at an instruction boundary
 * with its I/O completed. A vCPU stopped while halted resumes after its HLT, as if an interrupt had woken it.
 *
 * <h2>State</h2>
 * See {@link #saveState()}: on this backend the neutral {@link VcpuState} holds what vmm lets userland read
 * and write per vCPU; the rest lives only in the kernel's snapshot blobs ({@link FreeBsdKernelState}).
 */
public final class FreeBsdVcpu implements Vcpu, CpuAccess {
    /** Sleep between {@code VM_RUN}s while the kernel holds the vCPU (bhyve: {@code usleep(1000)}). */
    static final long SUSPENDED_POLL_NANOS = 1_000_000;
    /**
     * Bytes of the {@code cpuset_t} given to {@code VM_RUN} for IPI destinations: FreeBSD amd64's
     * {@code CPU_SETSIZE} of 1024 bits. The kernel copies {@code min(cpusetsize, sizeof(cpuset_t))} bytes and
     * zeroes the rest, so any size works.
     */
    static final int CPUSET_BYTES = 128;
    /** ICR delivery modes (Intel SDM vol. 3, 11.6.1: bits 10:8 = 101b INIT, 110b Start-up), as {@code u.ipi.mode}. */
    static final int APIC_DELMODE_INIT = 0x500, APIC_DELMODE_STARTUP = 0x600;
    /** TSC rates closer than this (parts per million) count as equal, as on KVM. */
    static final long TSC_KHZ_TOLERANCE_PPM = 250;

    private static final long APIC_BASE = 0xfee0_0000L, APIC_BASE_ENABLED = 0x800, APIC_BASE_BSP = 0x100;
    private static final int VECTOR_GP = 13;

    private final FreeBsdVm vm;
    private final Vmmapi api;
    private final int id;
    private final MemorySegment handle;
    private final String what;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment vmrun;
    private final MemorySegment exit;
    private final MemorySegment cpuset;
    private final MemorySegment scratch;   // run thread only
    private final MemorySegment ioData;
    private final MemorySegment mmioData;
    private final MemorySegment regNums;   // run thread only
    private final MemorySegment regVals;   // run thread only

    private final VmExit.PortIo portIo = new VmExit.PortIo();
    private final VmExit.Mmio mmio = new VmExit.Mmio();
    private final VmExit.Halt halt = new VmExit.Halt();
    private final VmExit.Shutdown shutdown = new VmExit.Shutdown();
    private final VmExit.SystemEvent systemEvent = new VmExit.SystemEvent();
    private final VmExit.MsrAccess msr = new VmExit.MsrAccess();
    private final VmExit.InternalError internalError = new VmExit.InternalError();
    private final VmExit.FailEntry failEntry = new VmExit.FailEntry();
    private final VmExit.Stopped stopped = new VmExit.Stopped();
    private final VmExit.Unhandled unhandled = new VmExit.Unhandled();
    private final long[] scratchData = new long[5];

    private final StringIo stringIo;
    private final MmioInstruction mmioInstruction;

    private enum Pending { NONE, IN, STRING, MMIO, MSR_READ, MSR_WRITE }

    private Pending pending = Pending.NONE;
    private int inSize;
    private VmExit finalExit;

    private final Object lock = new Object();
    private volatile boolean kickPending;  // written under lock
    private boolean startupWait;           // guarded by lock: the kernel holds this AP until a start-up IPI
    private boolean initReceived;          // guarded by lock
    private volatile boolean closed;       // written under lock
    private volatile Thread runThread;
    private volatile boolean running;
    private volatile int[] savedMsrs;
    private boolean ipiExit;
    private boolean unrestrictedGuest;

    FreeBsdVcpu(FreeBsdVm vm, Vmmapi api, int id, MemorySegment handle, GuestMemory memory,
                InstructionEmulation emulation) {
        this.vm = vm;
        this.api = api;
        this.id = id;
        this.handle = handle;
        this.what = "vcpu " + id + " of vm '" + vm.name() + "'";
        this.vmrun = vm_run.allocate(arena);
        this.exit = arena.allocate(ExitLayout.SIZE, 8);
        this.cpuset = arena.allocate(CPUSET_BYTES, 8);
        this.scratch = arena.allocate(64, 8);
        this.ioData = arena.allocate(StringIo.MAX_BATCH_BYTES, 8);
        this.mmioData = arena.allocate(8, 8);
        this.regNums = arena.allocate(4L * 32, 8);
        this.regVals = arena.allocate(8L * 32, 8);
        vm_run.cpuid(vmrun, id);
        vm_run.cpuset(vmrun, cpuset);
        vm_run.cpusetsize(vmrun, CPUSET_BYTES);
        vm_run.vm_exit(vmrun, exit);
        this.stringIo = new StringIo(this, memory, ioData, portIo, internalError);
        this.mmioInstruction = new MmioInstruction(this, GuestMemoryAccess.of(memory), emulation, mmioData, mmio,
                internalError);
    }

    /**
     * Prepares the vCPU the way bhyve does before its thread starts ({@code bhyve_init_vcpu},
     * {@code bhyve_start_vcpu}, {@code fbsdrun_addcpu}): {@code VM_CAP_IPI_EXIT} (INIT and start-up IPIs come
     * to userland with their destination set), {@code VM_CAP_UNRESTRICTED_GUEST} (real mode, which an AP
     * starts in, and a boot ROM), {@code VM_CAP_HALT_EXIT} (HLT leaves the guest and the thread sleeps in the
     * kernel instead of keeping a host CPU busy: bhyve's {@code -H}, which jbhyve always asks for) and
     * {@code VM_CAP_ENABLE_INVPCID}, each only where the host has it; then the power-on register state
     * ({@code vcpu_reset}, as a new KVM vCPU has) and {@code vm_activate_cpu}. An AP is then suspended until
     * the guest's start-up IPI ({@link MpState#UNINITIALIZED}), as KVM keeps its APs waiting.
     */
    void setUp(boolean ap) {
        ipiExit = api.setCapability(handle, VM_CAP_IPI_EXIT, 1) == 0;
        unrestrictedGuest = api.setCapability(handle, VM_CAP_UNRESTRICTED_GUEST, 1) == 0;
        api.setCapability(handle, VM_CAP_HALT_EXIT, 1);
        api.setCapability(handle, VM_CAP_ENABLE_INVPCID, 1);
        check("vcpu_reset", api.vcpuReset(handle));
        int e = api.activateCpu(handle);
        if (e != 0 && e != FreeBsdErrors.EBUSY) throw FreeBsdErrors.failed("vm_activate_cpu", what, e);
        if (ap) {
            synchronized (lock) {
                startupWait = true;
                check("vm_suspend_cpu", api.suspendCpu(handle));
            }
        }
    }

    @Override
    public int id() { return id; }

    /** Whether the kernel took {@code VM_CAP_IPI_EXIT} (otherwise start-up IPIs arrive as SPINUP_AP). */
    public boolean ipiExit() { return ipiExit; }

    /** Whether the kernel took {@code VM_CAP_UNRESTRICTED_GUEST}: real mode can run. */
    public boolean unrestrictedGuest() { return unrestrictedGuest; }

    /** Why the last {@link VmExit.InternalError} of INST_EMUL or INOUT_STR happened, in words; or null. */
    public String lastFailure() {
        String s = mmioInstruction.lastFailure();
        return s != null ? s : stringIo.lastFailure();
    }

    MemorySegment handle() { return handle; }

    /**
     * {@code vm_get_capability}: the value of {@code VM_CAP_*} {@code cap} ({@code bhyvectl --getcap}); fails with
     * {@link VmmException} when this host's vmm lacks it.
     */
    public int getCapability(int cap) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(4, 4);
            check("vm_get_capability(" + cap + ")", api.getCapability(handle, cap, out));
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** {@code vm_set_capability} ({@code bhyvectl --setcap}). */
    public void setCapability(int cap, int value) {
        check("vm_set_capability(" + cap + ", " + value + ")", api.setCapability(handle, cap, value));
    }

    /** {@code vm_inject_nmi} ({@code bhyvectl --inject-nmi}). */
    public void injectNmi() {
        check("vm_inject_nmi", api.injectNmi(handle));
    }

    // ---- run ------------------------------------------------------------------------------------------

    @Override
    public VmExit run() {
        if (closed) throw new IllegalStateException(what + " is closed");
        runThread = Thread.currentThread();
        running = true;
        try {
            while (true) {
                VmExit e = finishPending();
                if (e != null) return e;
                if (kickPending && consumeKick()) return stopped;
                if (finalExit != null) return finalExit;
                int err = api.run(handle, vmrun);
                if (err != 0) {
                    if (err == FreeBsdErrors.EINTR) continue;
                    throw runFailure(err);
                }
                e = decode();
                if (e != null) return e;
            }
        } finally {
            running = false;
        }
    }

    private VmmException runFailure(int err) {
        String hint = switch (err) {
            case FreeBsdErrors.EFAULT -> " (the guest touched memory vmm could not fault in; a write to a read-only"
                    + " mapping such as a boot ROM ends the VM this way on FreeBSD, where KVM would report MMIO)";
            case FreeBsdErrors.EINVAL -> " (the vCPU is not active, or the VM is suspended)";
            default -> "";
        };
        return new VmmException("VM_RUN on " + what + " failed: " + FreeBsdErrors.describe(err) + hint, "VM_RUN", err);
    }

    /** Finishes what the previous exit left for the VMM; returns an exit if the VMM is needed again. */
    private VmExit finishPending() {
        Pending p = pending;
        if (p == Pending.NONE) return null;
        pending = Pending.NONE;
        switch (p) {
            case IN -> {
                long value = ioData.get(ValueLayout.JAVA_INT_UNALIGNED, 0) & FreeBsdState.mask(inSize);
                long rax = inSize == 4 ? 0 : register(VM_REG_GUEST_RAX);
                setRegister(VM_REG_GUEST_RAX, FreeBsdState.merge(rax, value, inSize));
            }
            case STRING -> stringIo.complete();
            case MMIO -> {
                VmExit e = mmioInstruction.resume();
                if (e == mmio) pending = Pending.MMIO;
                return e;
            }
            case MSR_READ -> {
                if (msr.faulted()) {
                    injectException(VECTOR_GP, true, 0, true);
                } else {
                    long v = msr.value();
                    regNums.set(ValueLayout.JAVA_INT, 0, VM_REG_GUEST_RAX);
                    regNums.set(ValueLayout.JAVA_INT, 4, VM_REG_GUEST_RDX);
                    regVals.set(ValueLayout.JAVA_LONG, 0, v & 0xffff_ffffL);
                    regVals.set(ValueLayout.JAVA_LONG, 8, v >>> 32);
                    check("vm_set_register_set(RAX, RDX)", api.setRegisterSet(handle, 2, regNums, regVals));
                }
            }
            case MSR_WRITE -> {
                if (msr.faulted()) injectException(VECTOR_GP, true, 0, true);
            }
            case NONE -> { }
        }
        return null;
    }

    /** Decodes the exit {@code VM_RUN} wrote; null means "enter the guest again". */
    private VmExit decode() {
        int code = exit.get(ValueLayout.JAVA_INT, ExitLayout.EXITCODE);
        switch (code) {
            case VM_EXITCODE_INOUT -> {
                int bits = exit.get(ValueLayout.JAVA_SHORT, ExitLayout.INOUT_BITS) & 0xffff;
                if ((bits & 1 << 4) != 0) return string();
                int size = bits & 7;
                if (size != 1 && size != 2 && size != 4) {
                    unhandled.set("freebsd INOUT exit with an I/O size of " + size + " bytes:", code);
                    return unhandled;
                }
                boolean in = (bits & 1 << 3) != 0;
                if (in) {
                    ioData.set(ValueLayout.JAVA_INT, 0, -1);
                    inSize = size;
                    pending = Pending.IN;
                } else {
                    ioData.set(ValueLayout.JAVA_INT, 0, exit.get(ValueLayout.JAVA_INT, ExitLayout.INOUT_EAX));
                }
                portIo.set(exit.get(ValueLayout.JAVA_SHORT, ExitLayout.INOUT_PORT) & 0xffff, size, in, 1, ioData, 0);
                return portIo;
            }
            case VM_EXITCODE_INOUT_STR -> {
                return string();
            }
            case VM_EXITCODE_INST_EMUL -> {
                VmExit e = mmioInstruction.begin(exit);
                if (e == mmio) pending = Pending.MMIO;
                return e;
            }
            case VM_EXITCODE_HLT -> {
                return halt;
            }
            case VM_EXITCODE_SUSPENDED -> {
                finalExit = suspended(exit.get(ValueLayout.JAVA_INT, ExitLayout.SUSPENDED_HOW));
                return finalExit;
            }
            case VM_EXITCODE_RDMSR -> {
                msr.set(exit.get(ValueLayout.JAVA_INT, ExitLayout.MSR_CODE), false, 0);
                pending = Pending.MSR_READ;
                return msr;
            }
            case VM_EXITCODE_WRMSR -> {
                msr.set(exit.get(ValueLayout.JAVA_INT, ExitLayout.MSR_CODE), true,
                        exit.get(ValueLayout.JAVA_LONG, ExitLayout.MSR_WVAL));
                pending = Pending.MSR_WRITE;
                return msr;
            }
            case VM_EXITCODE_IPI -> {
                vm.deliverIpi(exit.get(ValueLayout.JAVA_INT, ExitLayout.IPI_MODE),
                        exit.get(ValueLayout.JAVA_BYTE, ExitLayout.IPI_VECTOR) & 0xff, cpuset);
                return null;
            }
            case VM_EXITCODE_SPINUP_AP -> {
                vm.spinupAp(exit.get(ValueLayout.JAVA_INT, ExitLayout.SPINUP_VCPU),
                        exit.get(ValueLayout.JAVA_LONG, ExitLayout.SPINUP_RIP));
                return null;
            }
            case VM_EXITCODE_DEBUG -> {
                return debug();
            }
            case VM_EXITCODE_BOGUS, VM_EXITCODE_REQIDLE, VM_EXITCODE_PAUSE -> {
                return null;
            }
            case VM_EXITCODE_VMX -> {
                return vmx();
            }
            case VM_EXITCODE_SVM -> {
                return svm();
            }
            default -> {
                unhandled.set("freebsd", code);
                return unhandled;
            }
        }
    }

    private VmExit string() {
        VmExit e = stringIo.begin(exit);
        if (e == portIo) pending = Pending.STRING;
        return e;
    }

    private VmExit suspended(int how) {
        return switch (how) {
            case VM_SUSPEND_RESET -> {
                systemEvent.set(VmExit.SystemEvent.Type.RESET, how);
                yield systemEvent;
            }
            case VM_SUSPEND_POWEROFF -> {
                systemEvent.set(VmExit.SystemEvent.Type.SHUTDOWN, how);
                yield systemEvent;
            }
            case VM_SUSPEND_HALT -> halt;
            case VM_SUSPEND_TRIPLEFAULT -> shutdown;
            default -> {
                systemEvent.set(VmExit.SystemEvent.Type.OTHER, how);
                yield systemEvent;
            }
        };
    }

    private VmExit vmx() {
        int status = exit.get(ValueLayout.JAVA_INT, ExitLayout.VMX_STATUS);
        int reason = exit.get(ValueLayout.JAVA_INT, ExitLayout.VMX_REASON);
        int instError = exit.get(ValueLayout.JAVA_INT, ExitLayout.VMX_INST_ERROR);
        if (status != 0) {
            failEntry.set(Integer.toUnsignedLong(instError), -1);
            return failEntry;
        }
        if ((reason & 0x8000_0000) != 0) {
            failEntry.set(Integer.toUnsignedLong(reason), -1);
            return failEntry;
        }
        scratchData[0] = Integer.toUnsignedLong(reason);
        scratchData[1] = exit.get(ValueLayout.JAVA_LONG, ExitLayout.VMX_QUALIFICATION);
        scratchData[2] = status;
        scratchData[3] = exit.get(ValueLayout.JAVA_INT, ExitLayout.VMX_INST_TYPE);
        scratchData[4] = Integer.toUnsignedLong(instError);
        internalError.set(4, scratchData, 5);
        return internalError;
    }

    private VmExit svm() {
        long code = exit.get(ValueLayout.JAVA_LONG, ExitLayout.SVM_EXITCODE);
        if (code == -1L) {
            failEntry.set(code, -1);
            return failEntry;
        }
        scratchData[0] = code;
        scratchData[1] = exit.get(ValueLayout.JAVA_LONG, ExitLayout.SVM_EXITINFO1);
        scratchData[2] = exit.get(ValueLayout.JAVA_LONG, ExitLayout.SVM_EXITINFO2);
        internalError.set(4, scratchData, 3);
        return internalError;
    }

    /** VM_EXITCODE_DEBUG: our kick, or the kernel holding the vCPU (waiting for a start-up IPI, or paused by others). */
    private VmExit debug() {
        if (kickPending && consumeKick()) return stopped;
        LockSupport.parkNanos(this, SUSPENDED_POLL_NANOS);
        return null;
    }

    private boolean consumeKick() {
        synchronized (lock) {
            if (!kickPending) return false;
            kickPending = false;
            if (!startupWait && !closed) resumeQuietly();
            return true;
        }
    }

    /** {@code vm_resume_cpu}, ignoring EINVAL (the vCPU was not suspended: a start-up IPI resumed it first). */
    private void resumeQuietly() {
        int e = api.resumeCpu(handle);
        if (e != 0 && e != FreeBsdErrors.EINVAL) throw FreeBsdErrors.failed("vm_resume_cpu", what, e);
    }

    /** See the class comment. Thread-safe; a kick on a closed vCPU does nothing. */
    @Override
    public void kick() {
        synchronized (lock) {
            if (closed) return;
            kickPending = true;
            int e = api.suspendCpu(handle);
            if (e != 0 && e != FreeBsdErrors.EINVAL) throw FreeBsdErrors.failed("vm_suspend_cpu", what, e);
        }
        Thread t = runThread;
        if (t != null) LockSupport.unpark(t);
    }

    // ---- INIT and start-up IPIs (called from the vCPU thread that sent them) --------------------------------

    /** INIT: the kernel has reset this vCPU's LAPIC and marked it waiting for a start-up IPI; hold it there. */
    void init() {
        synchronized (lock) {
            if (closed) return;
            startupWait = true;
            initReceived = true;
            int e = api.suspendCpu(handle);
            if (e != 0) throw FreeBsdErrors.failed("vm_suspend_cpu (INIT)", what, e);
        }
    }

    /**
     * A start-up IPI to {@code rip} = vector &lt;&lt; 12: what bhyve's {@code spinup_ap} does. Real mode at
     * CS:IP = (vector &lt;&lt; 8):0, CS base vector &lt;&lt; 12, everything else as after power-on.
     */
    void startup(long rip) {
        synchronized (lock) {
            if (closed) return;
            check("vcpu_reset", api.vcpuReset(handle));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment base = a.allocate(8), limit = a.allocate(4), access = a.allocate(4);
                check("vm_get_desc(CS)", api.getDesc(handle, VM_REG_GUEST_CS, base, limit, access));
                check("vm_set_desc(CS)", api.setDesc(handle, VM_REG_GUEST_CS, rip,
                        limit.get(ValueLayout.JAVA_INT, 0), access.get(ValueLayout.JAVA_INT, 0)));
            }
            check("vm_set_register(CS)", api.setRegister(handle, VM_REG_GUEST_CS, rip >>> 4));
            check("vm_set_register(RIP)", api.setRegister(handle, VM_REG_GUEST_RIP, 0));
            startupWait = false;
            resumeQuietly();
        }
        Thread t = runThread;
        if (t != null) LockSupport.unpark(t);
    }

    // ---- CpuAccess: the run thread's register access ------------------------------------------------------

    @Override
    public long register(int vmReg) {
        check("vm_get_register", api.getRegister(handle, vmReg, scratch));
        return scratch.get(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public void setRegister(int vmReg, long value) {
        check("vm_set_register", api.setRegister(handle, vmReg, value));
    }

    @Override
    public void setRegisters(int count, int[] vmRegs, long[] values) {
        for (int i = 0; i < count; i++) {
            regNums.set(ValueLayout.JAVA_INT, 4L * i, vmRegs[i]);
            regVals.set(ValueLayout.JAVA_LONG, 8L * i, values[i]);
        }
        check("vm_set_register_set", api.setRegisterSet(handle, count, regNums, regVals));
    }

    @Override
    public long segmentBase(int vmReg) {
        check("vm_get_desc", api.getDesc(handle, vmReg, scratch, scratch.asSlice(8, 4), scratch.asSlice(12, 4)));
        return scratch.get(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public int segmentAccess(int vmReg) {
        check("vm_get_desc", api.getDesc(handle, vmReg, scratch, scratch.asSlice(8, 4), scratch.asSlice(12, 4)));
        return scratch.get(ValueLayout.JAVA_INT, 12);
    }

    @Override
    public void injectException(int vector, boolean errorCodeValid, int errorCode, boolean restart) {
        check("vm_inject_exception(" + vector + ")", api.injectException(handle, vector, errorCodeValid, errorCode,
                restart));
    }

    private void check(String call, int errno) {
        if (errno != 0) throw FreeBsdErrors.failed(call, what, errno);
    }

    // ---- state --------------------------------------------------------------------------------------------

    private long[] getSet(Arena a, int[] regs) {
        MemorySegment nums = a.allocateFrom(ValueLayout.JAVA_INT, regs);
        MemorySegment vals = a.allocate(ValueLayout.JAVA_LONG, regs.length);
        check("vm_get_register_set", api.getRegisterSet(handle, regs.length, nums, vals));
        return vals.toArray(ValueLayout.JAVA_LONG);
    }

    private void setSet(Arena a, int[] regs, long[] values) {
        check("vm_set_register_set", api.setRegisterSet(handle, regs.length, a.allocateFrom(ValueLayout.JAVA_INT, regs),
                a.allocateFrom(ValueLayout.JAVA_LONG, values)));
    }

    /** {@code vm_get_register_set} of the general registers, RIP and RFLAGS. */
    @Override
    public Registers getRegisters() {
        try (Arena a = Arena.ofConfined()) {
            return Registers.fromArray(getSet(a, FreeBsdState.GPRS));
        }
    }

    @Override
    public void setRegisters(Registers r) {
        try (Arena a = Arena.ofConfined()) {
            setSet(a, FreeBsdState.GPRS, r.toArray());
        }
    }

    /**
     * Segments (selector from {@code vm_get_register}, base/limit/access from {@code vm_get_desc}), GDTR, IDTR,
     * CR0, CR2, CR3, CR4 and EFER. Not available from vmm: CR8 (the TPR lives in the kernel's LAPIC; reported
     * as 0), the APIC base MSR (vmm does not let the guest move or disable it: reported as its fixed value,
     * 0xfee00000 | enabled | BSP for vCPU 0) and the interrupt bitmap (all zero: interrupts are in the LAPIC).
     */
    @Override
    public SpecialRegisters getSpecialRegisters() {
        try (Arena a = Arena.ofConfined()) {
            int[] regs = new int[FreeBsdState.CONTROL.length + FreeBsdState.SEGMENTS.length];
            System.arraycopy(FreeBsdState.CONTROL, 0, regs, 0, FreeBsdState.CONTROL.length);
            System.arraycopy(FreeBsdState.SEGMENTS, 0, regs, FreeBsdState.CONTROL.length, FreeBsdState.SEGMENTS.length);
            long[] v = getSet(a, regs);
            MemorySegment base = a.allocate(8), limit = a.allocate(4), access = a.allocate(4);
            Segment[] segs = new Segment[FreeBsdState.SEGMENTS.length];
            for (int i = 0; i < segs.length; i++) {
                int reg = FreeBsdState.SEGMENTS[i];
                check("vm_get_desc(" + reg + ")", api.getDesc(handle, reg, base, limit, access));
                segs[i] = FreeBsdState.segment(base.get(ValueLayout.JAVA_LONG, 0), limit.get(ValueLayout.JAVA_INT, 0),
                        access.get(ValueLayout.JAVA_INT, 0), v[FreeBsdState.CONTROL.length + i]);
            }
            DescriptorTable[] tables = new DescriptorTable[2];
            int[] tableRegs = {VM_REG_GUEST_GDTR, VM_REG_GUEST_IDTR};
            for (int i = 0; i < 2; i++) {
                check("vm_get_desc(" + tableRegs[i] + ")", api.getDesc(handle, tableRegs[i], base, limit, access));
                tables[i] = new DescriptorTable(base.get(ValueLayout.JAVA_LONG, 0), limit.get(ValueLayout.JAVA_INT, 0) & 0xffff);
            }
            long apicBase = APIC_BASE | APIC_BASE_ENABLED | (id == 0 ? APIC_BASE_BSP : 0);
            return new SpecialRegisters(segs[0], segs[1], segs[2], segs[3], segs[4], segs[5], segs[6], segs[7],
                    tables[0], tables[1], v[0], v[4], v[1], v[2], 0, v[3], apicBase, null);
        }
    }

    /**
     * Writes CR0, CR3, CR4, EFER and CR2 ({@code vm_set_register_set}), then each segment's descriptor and
     * selector, then GDTR and IDTR. CR8, the APIC base and the interrupt bitmap are ignored (see
     * {@link #getSpecialRegisters()}).
     */
    @Override
    public void setSpecialRegisters(SpecialRegisters s) {
        try (Arena a = Arena.ofConfined()) {
            setSet(a, FreeBsdState.CONTROL, new long[] {s.cr0(), s.cr3(), s.cr4(), s.efer(), s.cr2()});
            Segment[] segs = {s.cs(), s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt()};
            long[] selectors = new long[segs.length];
            for (int i = 0; i < segs.length; i++) {
                Segment g = segs[i];
                check("vm_set_desc(" + FreeBsdState.SEGMENTS[i] + ")", api.setDesc(handle, FreeBsdState.SEGMENTS[i],
                        g.base(), g.limit(), FreeBsdState.access(g)));
                selectors[i] = g.selector();
            }
            setSet(a, FreeBsdState.SEGMENTS, selectors);
            check("vm_set_desc(GDTR)", api.setDesc(handle, VM_REG_GUEST_GDTR, s.gdt().base(), s.gdt().limit(), 0));
            check("vm_set_desc(IDTR)", api.setDesc(handle, VM_REG_GUEST_IDTR, s.idt().base(), s.idt().limit(), 0));
        }
    }

    /** MSRs vmm lets userland read, by their {@code vm_reg_name}: FS/GS base, kernel GS base and EFER. */
    private static int msrRegister(int msr) {
        return switch (msr) {
            case Msr.FS_BASE -> VM_REG_GUEST_FS_BASE;
            case Msr.GS_BASE -> VM_REG_GUEST_GS_BASE;
            case Msr.KERNEL_GS_BASE -> VM_REG_GUEST_KGS_BASE;
            case Msr.IA32_EFER -> VM_REG_GUEST_EFER;
            default -> -1;
        };
    }

    private static VmmException noMsr(int index) {
        return new VmmException("bhyve's vmm has no interface for userland to read or write MSR " + Msr.describe(index)
                + " (only FS_BASE, GS_BASE, KERNEL_GS_BASE and EFER, as registers); the others a guest uses are in"
                + " the kernel's vmcx snapshot blob (saveKernelState)");
    }

    /** Only FS_BASE, GS_BASE, KERNEL_GS_BASE and IA32_EFER; any other fails with {@link VmmException}. */
    @Override
    public Map<Integer, Long> getMsrs(int... indices) {
        int[] regs = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            regs[i] = msrRegister(indices[i]);
            if (regs[i] < 0) throw noMsr(indices[i]);
        }
        try (Arena a = Arena.ofConfined()) {
            long[] v = getSet(a, regs);
            Map<Integer, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < indices.length; i++) out.put(indices[i], v[i]);
            return out;
        }
    }

    @Override
    public void setMsrs(Map<Integer, Long> values) {
        int[] regs = new int[values.size()];
        long[] v = new long[values.size()];
        int i = 0;
        for (var e : values.entrySet()) {
            regs[i] = msrRegister(e.getKey());
            if (regs[i] < 0) throw noMsr(e.getKey());
            v[i++] = e.getValue();
        }
        try (Arena a = Arena.ofConfined()) {
            setSet(a, regs, v);
        }
    }

    /** FS_BASE, GS_BASE and KERNEL_GS_BASE, minus any this kernel refuses to read. */
    @Override
    public int[] savedMsrIndices() {
        int[] m = savedMsrs;
        if (m == null) {
            List<Integer> ok = new ArrayList<>();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(8);
                for (int msrIndex : new int[] {Msr.FS_BASE, Msr.GS_BASE, Msr.KERNEL_GS_BASE}) {
                    if (api.getRegister(handle, msrRegister(msrIndex), out) == 0) ok.add(msrIndex);
                }
            }
            m = ok.stream().mapToInt(Integer::intValue).toArray();
            savedMsrs = m;
        }
        return m.clone();
    }

    private static VmmException noFpu(String what) {
        return new VmmException("bhyve's vmm keeps the guest's " + what + " in the kernel and has no interface to read"
                + " or write it from userland (not even BHYVE_SNAPSHOT's blobs carry it)");
    }

    /** Not available on FreeBSD: fails with {@link VmmException}. */
    @Override
    public FpuState getFpu() { throw noFpu("x87/SSE state"); }

    @Override
    public void setFpu(FpuState f) { throw noFpu("x87/SSE state"); }

    @Override
    public byte[] getXsave() { throw noFpu("XSAVE area"); }

    @Override
    public void setXsave(byte[] area) { throw noFpu("XSAVE area"); }

    /** Not available on FreeBSD (XCR0 is in the kernel's {@code vm} blob). */
    @Override
    public Map<Integer, Long> getXcrs() {
        throw new VmmException("bhyve's vmm does not let userland read XCR0; it is in the kernel's vm snapshot blob");
    }

    @Override
    public void setXcrs(Map<Integer, Long> xcrs) {
        throw new VmmException("bhyve's vmm does not let userland write XCR0; it is in the kernel's vm snapshot blob");
    }

    /** Not available on FreeBSD: every vCPU's LAPIC page is in the kernel's {@code vlapic} blob. */
    @Override
    public byte[] getLapic() {
        throw new VmmException("bhyve's vmm has no per-vCPU LAPIC read; the LAPIC pages are in the kernel's vlapic"
                + " snapshot blob (saveKernelState)");
    }

    @Override
    public void setLapic(byte[] page) {
        throw new VmmException("bhyve's vmm has no per-vCPU LAPIC write; the LAPIC pages are restored with the"
                + " kernel's vlapic snapshot blob (restoreKernelState)");
    }

    /** From {@code vm_get_intinfo} and {@code VM_REG_GUEST_INTR_SHADOW}, see {@link FreeBsdState#events}. */
    @Override
    public VcpuEvents getEvents() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment i1 = a.allocate(8), i2 = a.allocate(8), shadow = a.allocate(8);
            check("vm_get_intinfo", api.getIntinfo(handle, i1, i2));
            check("vm_get_register(INTR_SHADOW)", api.getRegister(handle, VM_REG_GUEST_INTR_SHADOW, shadow));
            return FreeBsdState.events(i1.get(ValueLayout.JAVA_LONG, 0), i2.get(ValueLayout.JAVA_LONG, 0),
                    shadow.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    /**
     * {@code vm_set_intinfo} with the injected event, {@code vm_inject_exception} (without restart) for a pending
     * exception, then the interrupt shadow (last, because injecting clears it). NMI pending/masked, SMM and
     * a latched INIT have no userland interface in vmm and are ignored.
     */
    @Override
    public void setEvents(VcpuEvents e) {
        check("vm_set_intinfo", api.setIntinfo(handle, FreeBsdState.injectedIntinfo(e)));
        if (e.exceptionPending()) {
            injectException(e.exceptionNr(), e.exceptionHasErrorCode(), e.exceptionErrorCode(), false);
        }
        check("vm_set_register(INTR_SHADOW)", api.setRegister(handle, VM_REG_GUEST_INTR_SHADOW, e.interruptShadow() & 1));
    }

    /**
     * RUNNABLE, or, for an AP the kernel holds until a start-up IPI, UNINITIALIZED (never started) or
     * INIT_RECEIVED (after an INIT). vmm handles HLT inside {@code VM_RUN}, so HALTED is never reported.
     */
    @Override
    public MpState getMpState() {
        synchronized (lock) {
            if (!startupWait) return MpState.RUNNABLE;
            return initReceived ? MpState.INIT_RECEIVED : MpState.UNINITIALIZED;
        }
    }

    /**
     * RUNNABLE and HALTED let the vCPU run ({@code vm_resume_cpu}); UNINITIALIZED, INIT_RECEIVED and
     * SIPI_RECEIVED make the kernel hold it until a start-up IPI ({@code vm_suspend_cpu}). Whether the kernel
     * accepts that IPI is its own state (the VM's start-up set, saved in the {@code vm} blob).
     */
    @Override
    public void setMpState(MpState s) {
        synchronized (lock) {
            boolean wait = s == MpState.UNINITIALIZED || s == MpState.INIT_RECEIVED || s == MpState.SIPI_RECEIVED;
            if (wait) {
                check("vm_suspend_cpu", api.suspendCpu(handle));
            } else if (startupWait) {
                resumeQuietly();
            }
            startupWait = wait;
            initReceived = s != MpState.UNINITIALIZED;
        }
    }

    /** vmm computes CPUID in the kernel: always empty. */
    @Override
    public List<CpuidEntry> getCpuid() { return List.of(); }

    /** Only the empty list: vmm computes CPUID in the kernel and has no interface to set it. */
    @Override
    public void setCpuid(List<CpuidEntry> entries) {
        if (!entries.isEmpty()) {
            throw new VmmException("bhyve's vmm computes the guest's CPUID in the kernel; userland cannot set CPUID"
                    + " leaves");
        }
    }

    @Override
    public DebugRegisters getDebugRegisters() {
        try (Arena a = Arena.ofConfined()) {
            long[] v = getSet(a, FreeBsdState.DEBUG);
            return new DebugRegisters(v[0], v[1], v[2], v[3], v[4], v[5]);
        }
    }

    @Override
    public void setDebugRegisters(DebugRegisters d) {
        try (Arena a = Arena.ofConfined()) {
            setSet(a, FreeBsdState.DEBUG, new long[] {d.dr0(), d.dr1(), d.dr2(), d.dr3(), d.dr6(), d.dr7()});
        }
    }

    /** The host's TSC rate ({@code machdep.tsc_freq}): vmm runs the guest's TSC at it, unscaled. 0 if unknown. */
    @Override
    public long getTscKhz() {
        return vm.tscKhz();
    }

    /** Succeeds only for this host's own rate (within {@value #TSC_KHZ_TOLERANCE_PPM} ppm): vmm cannot scale it. */
    @Override
    public void setTscKhz(long khz) {
        if (khz <= 0) throw new IllegalArgumentException("TSC frequency out of range: " + khz + " kHz");
        long here = getTscKhz();
        if (here > 0 && Math.abs(here - khz) * 1_000_000L <= khz * TSC_KHZ_TOLERANCE_PPM) return;
        throw new VmmException("cannot make the TSC of " + what + " run at " + khz + " kHz: bhyve's vmm runs guests"
                + " at the host's TSC rate" + (here > 0 ? " (" + here + " kHz here)" : "") + " and cannot scale it");
    }

    // ---- whole-vCPU save and restore ------------------------------------------------------------------------

    /**
     * Takes what vmm lets userland read of this vCPU (it must be stopped: kicked, with {@code run()} returned
     * {@link VmExit.Stopped}):
     * <ul>
     *   <li>the MP state (whether the kernel holds the vCPU until a start-up IPI);</li>
     *   <li>general registers, RIP, RFLAGS ({@code vm_get_register_set});</li>
     *   <li>segments, descriptor tables, CR0/2/3/4, EFER ({@link #getSpecialRegisters()});</li>
     *   <li>DR0-3, DR6, DR7;</li>
     *   <li>the MSRs vmm exposes as registers ({@link #savedMsrIndices()});</li>
     *   <li>events: the event being delivered, a pending exception, the interrupt shadow;</li>
     *   <li>the TSC rate (the host's).</li>
     * </ul>
     * Not in it, because vmm has no userland interface for them: the FPU/SSE/AVX state (the XSAVE area is
     * empty; no bhyve snapshot carries it either, so a vCPU stopped in the middle of floating-point code
     * resumes with the FPU state the fresh vCPU had), XCR0, the LAPIC page (null), CPUID (empty: the kernel
     * computes it), NMI state, the other MSRs (SYSENTER, STAR/LSTAR/CSTAR/SFMASK, PAT, TSC...) and the TSC
     * offset. The kernel's {@code vmcx}, {@code vm} and {@code vlapic} blobs ({@link FreeBsdVm#saveKernelState()})
     * hold those that exist, and the registers above once more; a snapshot needs both.
     */
    @Override
    public VcpuState saveState() {
        requireStopped("save");
        MpState mp = getMpState();
        Registers regs = getRegisters();
        SpecialRegisters sregs = getSpecialRegisters();
        DebugRegisters dr = getDebugRegisters();
        Map<Integer, Long> msrs = getMsrs(savedMsrIndices());
        VcpuEvents events = getEvents();
        return new VcpuState(id, mp, regs, sregs, new byte[0], Map.of(), dr, msrs, null, events, List.of(), getTscKhz());
    }

    /**
     * Puts back a state from {@link #saveState()}: first every check (the vCPU id; a state another backend wrote,
     * recognisable by an XSAVE area, XCRs, a LAPIC page or CPUID leaves, is refused; MSRs this backend cannot
     * write; a TSC rate this host does not run at), then the MP state, special registers (they set the mode the
     * rest is read in), general registers, debug registers, MSRs and, last, events. The VM-wide blobs go back
     * with {@link FreeBsdVm#restoreKernelState}, after every vCPU, right before they run; they restore the
     * same registers again (from the {@code vmcx} blob) and everything this record lacks.
     */
    @Override
    public void restoreState(VcpuState s) {
        requireStopped("restore");
        if (s.vcpuId() != id) {
            throw new IllegalArgumentException("cannot restore the state of vCPU " + s.vcpuId() + " into vCPU " + id
                    + " of VM '" + vm.name() + "'");
        }
        if (s.xsave().length != 0 || !s.xcrs().isEmpty() || s.lapic() != null || !s.cpuid().isEmpty()) {
            throw new IllegalArgumentException("cannot restore vCPU " + id + " of VM '" + vm.name() + "': the state was"
                    + " saved by another backend (it has " + (s.xsave().length != 0 ? "an XSAVE area"
                    : s.lapic() != null ? "a LAPIC page" : !s.xcrs().isEmpty() ? "XCRs" : "CPUID leaves")
                    + ", which bhyve's vmm does not expose)");
        }
        for (int m : s.msrs().keySet()) {
            if (msrRegister(m) < 0) {
                throw new IllegalArgumentException("cannot restore vCPU " + id + ": the state has MSR " + Msr.describe(m)
                        + ", which bhyve's vmm does not let userland write");
            }
        }
        if (s.tscKhz() > 0) setTscKhz(s.tscKhz());
        setMpState(s.mpState());
        setSpecialRegisters(s.specialRegisters());
        setRegisters(s.registers());
        setDebugRegisters(s.debugRegisters());
        setMsrs(s.msrs());
        setEvents(s.events());
    }

    private void requireStopped(String what) {
        if (running) {
            throw new IllegalStateException("cannot " + what + " the state of " + this.what + " while it runs: kick it"
                    + " and wait for run() to return Stopped first");
        }
    }

    /**
     * Frees the vCPU. A thread still inside {@link #run()} is kicked out first (it gets {@link VmExit.Stopped})
     * and waited for, up to {@value #CLOSE_WAIT_NANOS} ns, so libvmmapi's vCPU handle is not freed under a running
     * {@code VM_RUN}; {@code run()} after close fails.
     */
    void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            kickPending = true;
            api.suspendCpu(handle);
        }
        Thread t = runThread;
        if (t != null) LockSupport.unpark(t);
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (running && t != Thread.currentThread() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(SUSPENDED_POLL_NANOS);
        }
        api.vcpuClose(handle);
        arena.close();
    }

    /** How long {@link #close()} waits for a thread inside {@code run()} to leave. */
    static final long CLOSE_WAIT_NANOS = 2_000_000_000L;

    @Override
    public String toString() { return what; }
}
