package org.jbhyve.vmm;

import org.jbhyve.vmm.state.*;

import java.util.List;
import java.util.Map;

/**
 * One virtual CPU. {@link #run()} is called from the vCPU's own platform thread (the first thread
 * that calls it becomes that thread); every other method may be called from any thread while the
 * vCPU is not running, and {@link #kick()} at any time.
 *
 * <p>Saving and restoring: {@link #saveState()} and {@link #restoreState(VcpuState)} take and put back
 * the whole vCPU in the order the backend needs (the backend's implementation documents it). Stop the
 * vCPU first: call {@link #kick()} and wait until {@code run()} returned {@link VmExit.Stopped} and the
 * vCPU thread does not call it again; the vCPU is then at an instruction boundary with any pending I/O
 * completed. The individual getters and setters below exist for tests, debuggers and boot code; a
 * snapshot should use the two whole-state methods, because the order of the parts matters (for
 * example, on KVM, reading the MP state first makes the kernel process a pending INIT/SIPI, and
 * events go last because setting other state may clear them).
 */
public interface Vcpu {
    int id();

    /** Enters the guest until something needs the VMM. Returns this vCPU's reused exit object. */
    VmExit run();

    /**
     * Makes the current or next {@link #run()} return {@link VmExit.Stopped} promptly, even if the guest
     * is spinning. Thread-safe; kicks that arrive together may produce a single Stopped.
     */
    void kick();

    Registers getRegisters();

    void setRegisters(Registers r);

    SpecialRegisters getSpecialRegisters();

    void setSpecialRegisters(SpecialRegisters s);

    /** Reads the given MSRs; fails if the backend cannot read one of them. */
    Map<Integer, Long> getMsrs(int... indices);

    void setMsrs(Map<Integer, Long> values);

    default long getMsr(int index) {
        return getMsrs(index).get(index);
    }

    default void setMsr(int index, long value) {
        setMsrs(Map.of(index, value));
    }

    /**
     * MSRs that {@link #saveState()} saves for this vCPU: the ones a Linux or FreeBSD guest's state
     * lives in that this backend and host can read (so reading them never fails), in restore order.
     * The set depends on the vCPU's CPUID (paravirtual MSRs are saved only where CPUID announces them).
     */
    int[] savedMsrIndices();

    /**
     * The legacy x87/SSE view. Where the backend has XSAVE, {@link #getXsave()} is the authoritative
     * FPU state (KVM_GET_FPU does not report MXCSR on every kernel); save and restore that instead.
     */
    FpuState getFpu();

    void setFpu(FpuState f);

    /** The whole XSAVE area, as the backend reports it. */
    byte[] getXsave();

    void setXsave(byte[] area);

    /** Extended control registers: XCR index to value (XCR0 is index 0). */
    Map<Integer, Long> getXcrs();

    void setXcrs(Map<Integer, Long> xcrs);

    /** The 1 KiB local APIC register page. */
    byte[] getLapic();

    void setLapic(byte[] page);

    VcpuEvents getEvents();

    void setEvents(VcpuEvents e);

    MpState getMpState();

    void setMpState(MpState s);

    List<CpuidEntry> getCpuid();

    void setCpuid(List<CpuidEntry> entries);

    /** DR0..DR3, DR6 and DR7. */
    DebugRegisters getDebugRegisters();

    /** Sets the debug registers; reserved bits of DR6/DR7 must keep their architectural values. */
    void setDebugRegisters(DebugRegisters d);

    /** The frequency of this vCPU's TSC as the guest sees it, in kHz; 0 when the backend cannot tell. */
    long getTscKhz();

    /**
     * Makes this vCPU's TSC run at {@code khz}. Fails with {@link VmmException} when the host cannot
     * scale the TSC to that rate (then a saved guest cannot continue at its own TSC rate here).
     */
    void setTscKhz(long khz);

    /**
     * Takes the whole state of this vCPU. The vCPU must be stopped (see the class comment): state read
     * while the guest runs would be torn, and this method fails with {@link IllegalStateException} if
     * {@link #run()} is in progress.
     */
    VcpuState saveState();

    /**
     * Puts back a state taken by {@link #saveState()} on a vCPU with the same id of a VM with the same
     * configuration (number of vCPUs, in-kernel irqchip or not), on the same kind of host. Call it
     * before the vCPU runs again (typically on a fresh VM). Fails with {@link IllegalArgumentException}
     * for a state that cannot belong to this vCPU (other id, LAPIC present or not, wrong sizes), before
     * changing anything, and with {@link VmmException} naming the part the kernel refused; after that the
     * vCPU is partly restored and the VM should be discarded.
     */
    void restoreState(VcpuState state);
}
