package org.jbhyve.vmm.state;

import org.jbhyve.vmm.Vcpu;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a hypervisor keeps about one vCPU, in a backend-neutral form: what a snapshot stores per
 * vCPU and what {@link Vcpu#restoreState} puts back.
 *
 * <p>Take it with {@link Vcpu#saveState()} while the vCPU is stopped (after {@link Vcpu#kick()} made
 * {@link Vcpu#run()} return {@link org.jbhyve.vmm.VmExit.Stopped}); put it back with
 * {@link Vcpu#restoreState(VcpuState)} into the vCPU with the same {@link #vcpuId()} of a VM with the
 * same configuration, before that vCPU runs. Both methods apply the parts in the order the backend
 * needs; {@link Vcpu#saveState()} says which.
 *
 * <p>The fields are plain values so that a snapshot layer can convert the record without knowing the
 * backend: arrays and collections are copied in and out, maps keep their iteration order.
 *
 * @param vcpuId           the vCPU's index (and APIC ID) in its VM
 * @param mpState          multiprocessing state: runnable, halted, waiting for INIT/SIPI
 * @param registers        general-purpose registers, RIP, RFLAGS
 * @param specialRegisters segment, descriptor-table and control registers, EFER and the APIC base
 * @param xsave            the XSAVE area as the backend reports it (x87, SSE, AVX, ... state); its size
 *                         is the host's, so it restores only on a host with the same XSAVE layout
 * @param xcrs             extended control registers by index (XCR0 = 0)
 * @param debugRegisters   DR0..DR3, DR6, DR7
 * @param msrs             MSR number to value, for the MSRs in {@link Vcpu#savedMsrIndices()}; the
 *                         restore order does not depend on this map's order
 * @param lapic            the 1 KiB local APIC register page, or {@code null} when the kernel does not
 *                         emulate the LAPIC for this VM (no in-kernel irqchip)
 * @param events           pending and in-service exceptions, interrupts, NMI, SMI, interrupt shadow
 * @param cpuid            the CPUID leaves the guest sees
 * @param tscKhz           the guest TSC frequency in kHz, or 0 when the backend does not report it
 */
public record VcpuState(int vcpuId, MpState mpState, Registers registers, SpecialRegisters specialRegisters,
                        byte[] xsave, Map<Integer, Long> xcrs, DebugRegisters debugRegisters,
                        Map<Integer, Long> msrs, byte[] lapic, VcpuEvents events, List<CpuidEntry> cpuid,
                        long tscKhz) {

    public VcpuState {
        if (vcpuId < 0) throw new IllegalArgumentException("negative vCPU id " + vcpuId);
        Objects.requireNonNull(mpState, "mpState");
        Objects.requireNonNull(registers, "registers");
        Objects.requireNonNull(specialRegisters, "specialRegisters");
        Objects.requireNonNull(xsave, "xsave");
        Objects.requireNonNull(debugRegisters, "debugRegisters");
        Objects.requireNonNull(events, "events");
        if (tscKhz < 0) throw new IllegalArgumentException("negative TSC frequency " + tscKhz + " kHz");
        xsave = xsave.clone();
        xcrs = ordered(xcrs, "xcrs");
        msrs = ordered(msrs, "msrs");
        lapic = lapic == null ? null : lapic.clone();
        cpuid = List.copyOf(cpuid);
    }

    private static Map<Integer, Long> ordered(Map<Integer, Long> m, String what) {
        Objects.requireNonNull(m, what);
        LinkedHashMap<Integer, Long> copy = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), what + " key"), Objects.requireNonNull(e.getValue(),
                    what + " value"));
        }
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public byte[] xsave() { return xsave.clone(); }

    @Override
    public byte[] lapic() { return lapic == null ? null : lapic.clone(); }

    /** The saved value of MSR {@code index}; fails if it was not saved. */
    public long msr(int index) {
        Long v = msrs.get(index);
        if (v == null) throw new IllegalArgumentException("MSR " + Msr.describe(index) + " is not in this vCPU state");
        return v;
    }

    /** A copy with other registers (e.g. to inspect or patch a saved state). */
    public VcpuState withRegisters(Registers r) {
        return new VcpuState(vcpuId, mpState, r, specialRegisters, xsave, xcrs, debugRegisters, msrs, lapic, events,
                cpuid, tscKhz);
    }

    /** A copy with other MSR values. */
    public VcpuState withMsrs(Map<Integer, Long> m) {
        return new VcpuState(vcpuId, mpState, registers, specialRegisters, xsave, xcrs, debugRegisters, m, lapic,
                events, cpuid, tscKhz);
    }

    /** A copy with another LAPIC page. */
    public VcpuState withLapic(byte[] page) {
        return new VcpuState(vcpuId, mpState, registers, specialRegisters, xsave, xcrs, debugRegisters, msrs, page,
                events, cpuid, tscKhz);
    }

    /** A copy with another vCPU id. */
    public VcpuState withVcpuId(int id) {
        return new VcpuState(id, mpState, registers, specialRegisters, xsave, xcrs, debugRegisters, msrs, lapic,
                events, cpuid, tscKhz);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VcpuState s && vcpuId == s.vcpuId && mpState == s.mpState
                && registers.equals(s.registers) && specialRegisters.equals(s.specialRegisters)
                && Arrays.equals(xsave, s.xsave) && xcrs.equals(s.xcrs) && debugRegisters.equals(s.debugRegisters)
                && msrs.equals(s.msrs) && Arrays.equals(lapic, s.lapic) && events.equals(s.events)
                && cpuid.equals(s.cpuid) && tscKhz == s.tscKhz;
    }

    @Override
    public int hashCode() {
        return Objects.hash(vcpuId, mpState, registers, specialRegisters, Arrays.hashCode(xsave), msrs,
                Arrays.hashCode(lapic), events, tscKhz);
    }

    @Override
    public String toString() {
        return "VcpuState[vcpu " + vcpuId + ", " + mpState + ", rip=0x" + Long.toHexString(registers.rip())
                + ", " + msrs.size() + " MSRs, xsave " + xsave.length + " bytes, "
                + (lapic == null ? "no LAPIC" : "LAPIC") + ", " + cpuid.size() + " CPUID leaves, tsc " + tscKhz
                + " kHz]";
    }
}
