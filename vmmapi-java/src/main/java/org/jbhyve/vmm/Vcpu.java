package org.jbhyve.vmm;

import org.jbhyve.vmm.state.*;

import java.util.List;
import java.util.Map;

/**
 * One virtual CPU. {@link #run()} is called from the vCPU's own platform thread (the first thread
 * that calls it becomes that thread); every other method may be called from any thread while the
 * vCPU is not running, and {@link #kick()} at any time.
 *
 * <p>Saving state: call {@link #kick()}, wait for {@code run()} to return {@link VmExit.Stopped}
 * (the vCPU is then at an instruction boundary with any pending I/O completed), then read state in
 * this order: MP state, registers, special registers, FPU/XSAVE, XCRs, MSRs, LAPIC, events last.
 * Restore in the same order; events go last because setting other state may clear them.
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

    /** MSRs that matter for save/restore on this backend. */
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
}
