package org.jbhyve.bhyve.runtime;

import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.PlatformDevice;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.state.KernelState;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A VM without a hypervisor for {@link VmPlatform} tests: it keeps the level the kernel would hold on
 * each interrupt line (the last {@link #setIrqLine} wins, as with KVM's single userspace IRQ source)
 * and every call, in order. Everything else is unsupported.
 */
final class RecordingVm implements VirtualMachine {
    /** One {@code setIrqLine} call. */
    record Call(int irq, boolean level) {}

    private final boolean[] levels = new boolean[24];
    private final List<Call> calls = new ArrayList<>();

    /** What the kernel holds on {@code irq} now. */
    synchronized boolean level(int irq) { return levels[irq]; }

    /** The calls made on {@code irq}, oldest first. */
    synchronized List<Boolean> calls(int irq) {
        return calls.stream().filter(c -> c.irq() == irq).map(Call::level).toList();
    }

    /** Sets what the kernel holds on {@code irq} without a call: loading a snapshot's irqchip state. */
    synchronized void loadLevel(int irq, boolean level) { levels[irq] = level; }

    @Override
    public synchronized void setIrqLine(int irq, boolean asserted) {
        levels[irq] = asserted;
        calls.add(new Call(irq, asserted));
    }

    @Override
    public int irqLineCount() { return levels.length; }

    @Override
    public void sendMsi(long address, int data) { throw new UnsupportedOperationException(); }

    @Override
    public VmConfig config() { return VmConfig.of("recording", 1, 16L << 20); }

    @Override
    public GuestMemory memory() { throw new UnsupportedOperationException(); }

    @Override
    public List<Vcpu> vcpus() { return List.of(); }

    @Override
    public Set<PlatformDevice> kernelDevices() { return Set.of(); }

    @Override
    public MemorySegment mapMemory(String name, long gpa, long size, boolean readOnly) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<KernelState> saveKernelState() { return List.of(); }

    @Override
    public List<String> kernelStateNames() { return List.of(); }

    @Override
    public void restoreKernelState(List<KernelState> states) { }

    @Override
    public void close() { }
}
