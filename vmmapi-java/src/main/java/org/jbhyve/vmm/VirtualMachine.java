package org.jbhyve.vmm;

import java.util.List;
import java.util.Set;

/** A virtual machine: guest memory, vCPUs and interrupt lines. Closing it destroys it. */
public interface VirtualMachine extends AutoCloseable {
    VmConfig config();

    default String name() { return config().name(); }

    GuestMemory memory();

    List<Vcpu> vcpus();

    default Vcpu vcpu(int id) { return vcpus().get(id); }

    /** The platform devices the kernel emulates for this VM; the VMM supplies the others. */
    Set<PlatformDevice> kernelDevices();

    /** Drives interrupt line {@code irq} (an ISA IRQ 0-15 also reaches the PIC; 16-23 only the IOAPIC). */
    void setIrqLine(int irq, boolean asserted);

    default void assertIrq(int irq) { setIrqLine(irq, true); }

    default void deassertIrq(int irq) { setIrqLine(irq, false); }

    /** Raises and lowers line {@code irq}: an edge. */
    default void pulseIrq(int irq) {
        setIrqLine(irq, true);
        setIrqLine(irq, false);
    }

    /** Number of interrupt lines (IOAPIC pins). */
    int irqLineCount();

    /**
     * Maps extra guest memory outside RAM, such as a boot ROM ({@code readOnly}: guest writes become
     * MMIO exits) or its writable variable store. The range must not overlap RAM or another mapping.
     * The returned host memory stays valid until the VM is closed.
     */
    java.lang.foreign.MemorySegment mapMemory(String name, long gpa, long size, boolean readOnly);

    /** Delivers an MSI: {@code address} in the 0xfeexxxxx window, {@code data} the message. */
    void sendMsi(long address, int data);

    @Override
    void close();
}
