package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.linux.kvm.*;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.state.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.jbhyve.bindings.linux.kvm.kvm_h.*;

/**
 * A KVM vCPU: its fd, the mmapped {@code kvm_run} page, and the exit objects {@link #run()} refills.
 *
 * <p>{@link #run()} allocates nothing: the ioctl goes through a {@code static final} handle with a
 * preallocated errno segment, and exits are decoded into this vCPU's own {@link VmExit} instances.
 * How {@link #kick()} stops a running vCPU is described in {@link KvmKick}.
 */
final class KvmVcpu implements Vcpu {
    private volatile boolean ran;
    private final KvmVm vm;
    private final KvmFd fd;
    private final int id;
    private final int rawFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment run;
    private final long runSize;
    private final MemorySegment errno;
    private final KvmKick kick;

    private final VmExit.PortIo portIo = new VmExit.PortIo();
    private final VmExit.Mmio mmio = new VmExit.Mmio();
    private final VmExit.Halt halt = new VmExit.Halt();
    private final VmExit.Shutdown shutdown = new VmExit.Shutdown();
    private final VmExit.SystemEvent systemEvent = new VmExit.SystemEvent();
    private final VmExit.InternalError internalError = new VmExit.InternalError();
    private final VmExit.FailEntry failEntry = new VmExit.FailEntry();
    private final VmExit.Stopped stopped = new VmExit.Stopped();
    private final VmExit.Unhandled unhandled = new VmExit.Unhandled();
    private final long[] scratch = new long[16];
    private volatile int[] savedMsrs; // savedMsrIndices(), computed on first use

    KvmVcpu(KvmVm vm, KvmFd fd, int id, int mmapSize) {
        this.vm = vm;
        this.fd = fd;
        this.id = id;
        this.rawFd = fd.fd();
        this.runSize = mmapSize;
        this.run = KvmMemory.map(mmapSize, libc_h.MAP_SHARED, rawFd, 0, arena);
        this.errno = libc_h.allocateErrnoState(arena);
        this.kick = new KvmKick(fd, run, arena);
    }

    @Override
    public int id() { return id; }

    @Override
    public VmExit run() {
        if (!ran) ran = true;
        kick.enter();
        int r;
        try {
            r = libc_h.ioctl(errno, rawFd, KVM_RUN, 0L);
        } finally {
            kick.leave();
        }
        if (r < 0) {
            int e = libc_h.errno(errno);
            if (e == Errno.EINTR || e == Errno.EAGAIN) {
                kick.acknowledge();
                return stopped;
            }
            throw VmmException.failed("KVM_RUN", fd.what(), e);
        }
        return decode();
    }

    /** Whether {@link #run()} was ever called (a VM whose vCPUs ran can no longer have its RAM replaced). */
    boolean hasRun() {
        return ran;
    }

    private VmExit decode() {
        int reason = kvm_run.exit_reason(run);
        switch (reason) {
            case KVM_EXIT_IO -> {
                int size = kvm_run.io.size(run);
                int count = kvm_run.io.count(run);
                long dataOffset = kvm_run.io.data_offset(run);
                if (dataOffset < 0 || count < 1 || (size != 1 && size != 2 && size != 4)
                        || dataOffset + (long) size * count > runSize) {
                    unhandled.set("kvm io exit with bad data window", reason);
                    return unhandled;
                }
                portIo.set(kvm_run.io.port(run) & 0xffff, size, kvm_run.io.direction(run) == KVM_EXIT_IO_IN,
                        count, run, dataOffset);
                return portIo;
            }
            case KVM_EXIT_MMIO -> {
                int len = kvm_run.mmio.len(run);
                if (len < 1 || len > 8) {
                    unhandled.set("kvm mmio exit with bad length", reason);
                    return unhandled;
                }
                mmio.set(kvm_run.mmio.phys_addr(run), len, kvm_run.mmio.is_write(run) != 0, run,
                        kvm_run.mmio.data$offset());
                return mmio;
            }
            case KVM_EXIT_HLT -> { return halt; }
            case KVM_EXIT_SHUTDOWN -> { return shutdown; }
            case KVM_EXIT_INTR -> {
                kick.acknowledge();
                return stopped;
            }
            case KVM_EXIT_SYSTEM_EVENT -> {
                int type = kvm_run.system_event.type(run);
                systemEvent.set(switch (type) {
                    case KVM_SYSTEM_EVENT_SHUTDOWN -> VmExit.SystemEvent.Type.SHUTDOWN;
                    case KVM_SYSTEM_EVENT_RESET -> VmExit.SystemEvent.Type.RESET;
                    case KVM_SYSTEM_EVENT_CRASH -> VmExit.SystemEvent.Type.CRASH;
                    default -> VmExit.SystemEvent.Type.OTHER;
                }, type);
                return systemEvent;
            }
            case KVM_EXIT_INTERNAL_ERROR -> {
                int n = Math.min(Math.max(kvm_run.internal.ndata(run), 0), scratch.length);
                for (int i = 0; i < n; i++) scratch[i] = kvm_run.internal.data(run, i);
                internalError.set(kvm_run.internal.suberror(run), scratch, n);
                return internalError;
            }
            case KVM_EXIT_FAIL_ENTRY -> {
                failEntry.set(kvm_run.fail_entry.hardware_entry_failure_reason(run), kvm_run.fail_entry.cpu(run));
                return failEntry;
            }
            default -> {
                unhandled.set("kvm", reason);
                return unhandled;
            }
        }
    }

    @Override
    public void kick() {
        kick.kick();
    }

    // ---- state ------------------------------------------------------------------------------

    @Override
    public Registers getRegisters() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = kvm_regs.allocate(a);
            fd.ioctl("KVM_GET_REGS", KVM_GET_REGS, r);
            return Registers.fromArray(r.toArray(ValueLayout.JAVA_LONG));
        }
    }

    @Override
    public void setRegisters(Registers regs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocateFrom(ValueLayout.JAVA_LONG, regs.toArray());
            fd.ioctl("KVM_SET_REGS", KVM_SET_REGS, r);
        }
    }

    @Override
    public SpecialRegisters getSpecialRegisters() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = kvm_sregs.allocate(a);
            fd.ioctl("KVM_GET_SREGS", KVM_GET_SREGS, s);
            return KvmState.sregs(s);
        }
    }

    @Override
    public void setSpecialRegisters(SpecialRegisters sr) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = kvm_sregs.allocate(a);
            KvmState.sregs(s, sr);
            fd.ioctl("KVM_SET_SREGS", KVM_SET_SREGS, s);
        }
    }

    @Override
    public Map<Integer, Long> getMsrs(int... indices) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(kvm_msrs.sizeof() + indices.length * kvm_msr_entry.sizeof(), 8);
            kvm_msrs.nmsrs(m, indices.length);
            for (int i = 0; i < indices.length; i++) kvm_msr_entry.index(entry(m, i), indices[i]);
            int got = fd.ioctl("KVM_GET_MSRS", KVM_GET_MSRS, m);
            if (got != indices.length) {
                throw new VmmException("KVM_GET_MSRS on " + fd.what() + " could not read MSR "
                        + KvmMsrs.describe(indices[got]));
            }
            Map<Integer, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < indices.length; i++) out.put(indices[i], kvm_msr_entry.data(entry(m, i)));
            return out;
        }
    }

    @Override
    public void setMsrs(Map<Integer, Long> values) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(kvm_msrs.sizeof() + values.size() * kvm_msr_entry.sizeof(), 8);
            kvm_msrs.nmsrs(m, values.size());
            int[] order = new int[values.size()];
            int i = 0;
            for (var e : values.entrySet()) {
                order[i] = e.getKey();
                kvm_msr_entry.index(entry(m, i), e.getKey());
                kvm_msr_entry.data(entry(m, i), e.getValue());
                i++;
            }
            int set = fd.ioctl("KVM_SET_MSRS", KVM_SET_MSRS, m);
            if (set != values.size()) {
                throw new VmmException("KVM_SET_MSRS on " + fd.what() + " refused MSR "
                        + KvmMsrs.describe(order[set]) + " = 0x" + Long.toHexString(values.get(order[set])));
            }
        }
    }

    private static MemorySegment entry(MemorySegment msrs, int i) {
        return msrs.asSlice(kvm_msrs.sizeof() + i * kvm_msr_entry.sizeof(), kvm_msr_entry.sizeof());
    }

    /**
     * {@link KvmMsrs#candidates} for this vCPU's CPUID and the host's MSR index list, minus any this vCPU
     * still refuses to read. Computed on first use and again after {@link #setCpuid}.
     */
    @Override
    public int[] savedMsrIndices() {
        int[] m = savedMsrs;
        if (m == null) {
            m = readable(KvmMsrs.candidates(vm.hypervisor().msrIndexList(), getCpuid(), vm.config().kernelIrqchip()));
            savedMsrs = m;
        }
        return m.clone();
    }

    /** {@code candidates} without the ones KVM_GET_MSRS cannot read (it stops at the first failure). */
    private int[] readable(int[] candidates) {
        java.util.List<Integer> left = new java.util.ArrayList<>();
        for (int c : candidates) left.add(c);
        try (Arena a = Arena.ofConfined()) {
            while (!left.isEmpty()) {
                MemorySegment m = a.allocate(kvm_msrs.sizeof() + left.size() * kvm_msr_entry.sizeof(), 8);
                kvm_msrs.nmsrs(m, left.size());
                for (int i = 0; i < left.size(); i++) kvm_msr_entry.index(entry(m, i), left.get(i));
                int got = fd.ioctl("KVM_GET_MSRS", KVM_GET_MSRS, m);
                if (got >= left.size()) break;
                left.remove(got);
            }
        }
        return left.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public FpuState getFpu() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = kvm_fpu.allocate(a);
            fd.ioctl("KVM_GET_FPU", KVM_GET_FPU, f);
            return KvmState.fpu(f);
        }
    }

    @Override
    public void setFpu(FpuState state) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = kvm_fpu.allocate(a);
            KvmState.fpu(f, state);
            fd.ioctl("KVM_SET_FPU", KVM_SET_FPU, f);
        }
    }

    @Override
    public byte[] getXsave() {
        try (Arena a = Arena.ofConfined()) {
            int size = vm.xsaveSize();
            MemorySegment x = a.allocate(size, 64);
            if (size > kvm_xsave.sizeof()) fd.ioctl("KVM_GET_XSAVE2", KVM_GET_XSAVE2, x);
            else fd.ioctl("KVM_GET_XSAVE", KVM_GET_XSAVE, x);
            return x.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void setXsave(byte[] area) {
        int size = vm.xsaveSize();
        if (area.length != size) {
            throw new IllegalArgumentException("XSAVE area is " + size + " bytes on this host, got " + area.length);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment x = a.allocate(size, 64);
            MemorySegment.copy(area, 0, x, ValueLayout.JAVA_BYTE, 0, size);
            fd.ioctl("KVM_SET_XSAVE", KVM_SET_XSAVE, x);
        }
    }

    @Override
    public Map<Integer, Long> getXcrs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment x = kvm_xcrs.allocate(a);
            fd.ioctl("KVM_GET_XCRS", KVM_GET_XCRS, x);
            Map<Integer, Long> out = new LinkedHashMap<>();
            int n = Math.min(kvm_xcrs.nr_xcrs(x), 16);
            for (int i = 0; i < n; i++) {
                MemorySegment e = kvm_xcrs.xcrs(x).asSlice(i * kvm_xcr.sizeof(), kvm_xcr.sizeof());
                out.put(kvm_xcr.xcr(e), kvm_xcr.value(e));
            }
            return out;
        }
    }

    @Override
    public void setXcrs(Map<Integer, Long> xcrs) {
        if (xcrs.size() > 16) throw new IllegalArgumentException("at most 16 XCRs");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment x = kvm_xcrs.allocate(a);
            kvm_xcrs.nr_xcrs(x, xcrs.size());
            int i = 0;
            for (var e : xcrs.entrySet()) {
                MemorySegment s = kvm_xcrs.xcrs(x).asSlice(i++ * kvm_xcr.sizeof(), kvm_xcr.sizeof());
                kvm_xcr.xcr(s, e.getKey());
                kvm_xcr.value(s, e.getValue());
            }
            fd.ioctl("KVM_SET_XCRS", KVM_SET_XCRS, x);
        }
    }

    @Override
    public byte[] getLapic() {
        requireIrqchip("LAPIC state");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment l = kvm_lapic_state.allocate(a);
            fd.ioctl("KVM_GET_LAPIC", KVM_GET_LAPIC, l);
            return l.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void setLapic(byte[] page) {
        requireIrqchip("LAPIC state");
        if (page.length != kvm_lapic_state.sizeof()) {
            throw new IllegalArgumentException("LAPIC page is " + kvm_lapic_state.sizeof() + " bytes, got " + page.length);
        }
        try (Arena a = Arena.ofConfined()) {
            fd.ioctl("KVM_SET_LAPIC", KVM_SET_LAPIC, a.allocateFrom(ValueLayout.JAVA_BYTE, page));
        }
    }

    private void requireIrqchip(String what) {
        if (!vm.config().kernelIrqchip()) {
            throw new IllegalStateException(what + " needs the in-kernel irqchip, which VM '" + vm.name() + "' lacks");
        }
    }

    @Override
    public VcpuEvents getEvents() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = kvm_vcpu_events.allocate(a);
            fd.ioctl("KVM_GET_VCPU_EVENTS", KVM_GET_VCPU_EVENTS, e);
            return KvmState.events(e);
        }
    }

    @Override
    public void setEvents(VcpuEvents ev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = kvm_vcpu_events.allocate(a);
            KvmState.events(e, ev);
            fd.ioctl("KVM_SET_VCPU_EVENTS", KVM_SET_VCPU_EVENTS, e);
        }
    }

    @Override
    public MpState getMpState() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = kvm_mp_state.allocate(a);
            fd.ioctl("KVM_GET_MP_STATE", KVM_GET_MP_STATE, m);
            int s = kvm_mp_state.mp_state(m);
            if (s < 0 || s >= MpState.values().length) {
                throw new VmmException("KVM reported MP state " + s + ", which jbhyve does not know");
            }
            return MpState.values()[s];
        }
    }

    @Override
    public void setMpState(MpState s) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = kvm_mp_state.allocate(a);
            kvm_mp_state.mp_state(m, s.ordinal());
            fd.ioctl("KVM_SET_MP_STATE", KVM_SET_MP_STATE, m);
        }
    }

    @Override
    public List<CpuidEntry> getCpuid() {
        return KvmCpuid.read(fd, "KVM_GET_CPUID2", KVM_GET_CPUID2);
    }

    @Override
    public void setCpuid(List<CpuidEntry> entries) {
        try (Arena a = Arena.ofConfined()) {
            fd.ioctl("KVM_SET_CPUID2", KVM_SET_CPUID2, KvmCpuid.encode(a, entries));
        }
        savedMsrs = null; // the paravirtual MSRs depend on CPUID
    }

    @Override
    public DebugRegisters getDebugRegisters() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = kvm_debugregs.allocate(a);
            fd.ioctl("KVM_GET_DEBUGREGS", KVM_GET_DEBUGREGS, d);
            return KvmState.debugRegisters(d);
        }
    }

    @Override
    public void setDebugRegisters(DebugRegisters regs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = kvm_debugregs.allocate(a);
            KvmState.debugRegisters(d, regs);
            fd.ioctl("KVM_SET_DEBUGREGS", KVM_SET_DEBUGREGS, d);
        }
    }

    @Override
    public long getTscKhz() {
        if (vm.hypervisor().checkExtension(KVM_CAP_GET_TSC_KHZ) <= 0) return 0;
        return Integer.toUnsignedLong(fd.ioctl("KVM_GET_TSC_KHZ", KVM_GET_TSC_KHZ, 0L));
    }

    @Override
    public void setTscKhz(long khz) {
        if (khz <= 0 || khz > 0xffffffffL) throw new IllegalArgumentException("TSC frequency out of range: " + khz + " kHz");
        try {
            fd.ioctl("KVM_SET_TSC_KHZ", KVM_SET_TSC_KHZ, khz);
        } catch (VmmException e) {
            throw new VmmException("cannot make the TSC of " + fd.what() + " run at " + khz + " kHz (it runs at "
                    + getTscKhz() + " kHz; " + (vm.hypervisor().checkExtension(KVM_CAP_TSC_CONTROL) > 0
                    ? "KVM refused to scale it" : "this host's KVM cannot scale the TSC") + "): " + e.getMessage(),
                    e.call(), e.errno());
        }
    }

    // ---- whole-vCPU save and restore --------------------------------------------------------------

    /** Firecracker's tolerance: TSC rates closer than this (parts per million) need no scaling. */
    static final long TSC_KHZ_TOLERANCE_PPM = 250;

    /**
     * Saves the vCPU in the order KVM needs (the vCPU must be stopped: kicked, with {@code run()}
     * returned {@link VmExit.Stopped} and not called again):
     * <ol>
     *   <li>MP state, first: {@code KVM_GET_MP_STATE} runs {@code kvm_apic_accept_events}, which processes
     *       a pending INIT or SIPI and may change registers, the LAPIC and the MP state itself; everything
     *       read after it is consistent with what it returned;</li>
     *   <li>registers, special registers, XSAVE area, XCRs, debug registers;</li>
     *   <li>MSRs ({@link #savedMsrIndices()});</li>
     *   <li>LAPIC page ({@code KVM_GET_LAPIC} also latches the timer's current count);</li>
     *   <li>events, last: the other GET ioctls may move an event between "pending" and "injected",
     *       and the special registers carry a pending interrupt too;</li>
     *   <li>then the static parts: CPUID and the TSC frequency.</li>
     * </ol>
     */
    @Override
    public VcpuState saveState() {
        requireStopped("save");
        MpState mp = getMpState();
        Registers regs = getRegisters();
        SpecialRegisters sregs = getSpecialRegisters();
        byte[] xsave = getXsave();
        Map<Integer, Long> xcrs = getXcrs();
        DebugRegisters dr = getDebugRegisters();
        Map<Integer, Long> msrs = getMsrs(savedMsrIndices());
        byte[] lapic = vm.config().kernelIrqchip() ? getLapic() : null;
        VcpuEvents events = getEvents();
        return new VcpuState(id, mp, regs, sregs, xsave, xcrs, dr, msrs, lapic, events, getCpuid(), getTscKhz());
    }

    /**
     * Restores the vCPU in the order KVM needs:
     * <ol>
     *   <li>CPUID, first: KVM checks MSR writes, XSAVE components and XCR0 against the guest's CPUID;</li>
     *   <li>the TSC frequency, if the saved one differs from this vCPU's by more than
     *       {@value #TSC_KHZ_TOLERANCE_PPM} ppm (TSC scaling; fails clearly where the host cannot), before
     *       any TSC value is written;</li>
     *   <li>MP state (e.g. HALTED for an AP in {@code hlt}, which then waits for an interrupt);</li>
     *   <li>special registers before general registers, as QEMU does: they set the mode (CR0, CR4,
     *       EFER) the rest is interpreted in, and the APIC base the LAPIC restore needs;</li>
     *   <li>registers, XSAVE area, XCRs, debug registers;</li>
     *   <li>LAPIC page ({@code KVM_SET_LAPIC} restarts the LAPIC timer from the saved current count);</li>
     *   <li>MSRs, IA32_TSC first and IA32_TSC_DEADLINE last ({@link KvmMsrs#restoreOrder}): KVM computes
     *       the deadline relative to the guest TSC in effect when the deadline is written, and ignores it
     *       unless the LAPIC (restored just before) has its timer in TSC-deadline mode;</li>
     *   <li>events, last: restoring the other state may clear a pending exception or interrupt.</li>
     * </ol>
     * The VM-wide kernel state (IOAPIC, PICs, PIT, clock) goes back with {@link KvmVm#restoreKernelState},
     * preferably after every vCPU, right before they run.
     */
    @Override
    public void restoreState(VcpuState s) {
        requireStopped("restore");
        if (s.vcpuId() != id) {
            throw new IllegalArgumentException("cannot restore the state of vCPU " + s.vcpuId() + " into vCPU " + id
                    + " of VM '" + vm.name() + "'");
        }
        boolean irqchip = vm.config().kernelIrqchip();
        if ((s.lapic() != null) != irqchip) {
            throw new IllegalArgumentException("cannot restore vCPU " + id + " of VM '" + vm.name() + "': the state "
                    + (s.lapic() != null ? "has" : "has no") + " LAPIC page but the VM " + (irqchip ? "has" : "has no")
                    + " in-kernel irqchip (create it as the saved VM was)");
        }
        if (s.lapic() != null && s.lapic().length != kvm_lapic_state.sizeof()) {
            throw new IllegalArgumentException("cannot restore vCPU " + id + ": its LAPIC page is " + s.lapic().length
                    + " bytes, KVM's is " + kvm_lapic_state.sizeof());
        }
        if (s.xsave().length != vm.xsaveSize()) {
            throw new IllegalArgumentException("cannot restore vCPU " + id + ": its XSAVE area is " + s.xsave().length
                    + " bytes, this host's is " + vm.xsaveSize() + " (saved on a CPU with other XSAVE features)");
        }
        setCpuid(s.cpuid());
        if (s.tscKhz() > 0) {
            long here = getTscKhz();
            if (here > 0 && Math.abs(here - s.tscKhz()) * 1_000_000L > s.tscKhz() * TSC_KHZ_TOLERANCE_PPM) {
                setTscKhz(s.tscKhz());
            }
        }
        setMpState(s.mpState());
        setSpecialRegisters(s.specialRegisters());
        setRegisters(s.registers());
        setXsave(s.xsave());
        setXcrs(s.xcrs());
        setDebugRegisters(s.debugRegisters());
        if (s.lapic() != null) setLapic(s.lapic());
        setMsrs(KvmMsrs.restoreOrder(s.msrs()));
        setEvents(s.events());
    }

    private void requireStopped(String what) {
        if (kick.isRunning()) {
            throw new IllegalStateException("cannot " + what + " the state of " + fd.what() + " while it runs: kick it "
                    + "and wait for run() to return Stopped first");
        }
    }

    /**
     * KVM_KVMCLOCK_CTRL: tells a guest using kvmclock that it was stopped by the host, so it does not
     * report soft lockups for the time between checkpoint and restore. EINVAL means the guest has not
     * set up kvmclock: nothing to tell.
     */
    void markPaused() {
        try {
            fd.ioctl("KVM_KVMCLOCK_CTRL", KVM_KVMCLOCK_CTRL, 0L);
        } catch (VmmException e) {
            if (e.errno() != Errno.EINVAL) throw e;
        }
    }

    void close() {
        kick.close();
        fd.close();
        arena.close();
    }

    @Override
    public String toString() { return fd.what(); }
}
