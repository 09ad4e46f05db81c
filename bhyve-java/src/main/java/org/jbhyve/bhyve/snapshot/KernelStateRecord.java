package org.jbhyve.bhyve.snapshot;

import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.vmm.state.KernelState;

/**
 * Chunks for VM-wide state the hypervisor's kernel keeps (KVM: {@code kvm.irqchip.pic-master},
 * {@code kvm.irqchip.pic-slave}, {@code kvm.irqchip.ioapic}, {@code kvm.pit}, {@code kvm.clock}):
 * the chunk is named after the blob, its version is the blob's layout version, its producer the
 * backend and host kernel, and its record holds the opaque bytes in field {@code data}.
 */
public final class KernelStateRecord {
    private KernelStateRecord() {}

    public static StateRecord encode(KernelState k) {
        return StateRecord.builder().putBytes("data", k.data()).build();
    }

    public static KernelState decode(String name, int version, String producer, StateRecord r)
            throws SnapshotFormatException {
        return new KernelState(name, version, r.bytes("data"), producer == null ? "unknown" : producer);
    }
}
