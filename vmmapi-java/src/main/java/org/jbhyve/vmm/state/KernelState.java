package org.jbhyve.vmm.state;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One piece of VM-wide state that lives in the hypervisor's kernel (an interrupt controller, the
 * interval timer, the guest clock), as an opaque blob that a snapshot stores as a chunk.
 *
 * <p>The blob's bytes are whatever the backend's kernel interface hands out (on KVM: the payload of
 * {@code KVM_GET_IRQCHIP}, {@code KVM_GET_PIT2}, {@code KVM_GET_CLOCK}); only the backend that produced
 * it interprets it, through {@link org.jbhyve.vmm.VirtualMachine#restoreKernelState}. The name says
 * which piece it is ({@code "kvm.irqchip.ioapic"}), the version how the backend laid it out, and the
 * producer which backend and host kernel wrote it ({@code "kvm 6.18.44"}), for diagnostics.
 *
 * @param name     which piece of state, unique within one VM's list; names start with the backend
 * @param version  layout version of {@code data} for this name; a backend refuses versions it does not know
 * @param data     the blob (copied in and out)
 * @param producer backend and host kernel that produced it, e.g. {@code "kvm 6.18.44-fc"}
 */
public record KernelState(String name, int version, byte[] data, String producer) {
    public KernelState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(producer, "producer");
        if (name.isEmpty()) throw new IllegalArgumentException("kernel state needs a name");
        if (version < 0) throw new IllegalArgumentException("kernel state '" + name + "': negative version " + version);
        data = data.clone();
    }

    @Override
    public byte[] data() { return data.clone(); }

    /** Size of the blob in bytes. */
    public int size() { return data.length; }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelState k && name.equals(k.name) && version == k.version
                && Arrays.equals(data, k.data) && producer.equals(k.producer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, Arrays.hashCode(data), producer);
    }

    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(data, 0, Math.min(data.length, 16));
        return "KernelState[" + name + " v" + version + ", " + data.length + " bytes " + hex
                + (data.length > 16 ? "..." : "") + ", from " + producer + "]";
    }
}
