package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.VirtualMachine;

/**
 * One way of starting a guest. A loader is built by its {@code prepare} method (or by
 * {@link BootLoaders#fromConfig}), which reads and checks every input and decides every address:
 * all the ways an image can be wrong surface there, as one {@link IllegalArgumentException} naming the
 * file and the problem, before a VM exists. {@link #load} then only carries the plan out.
 *
 * <p>Lifecycle, for the VMM: {@code fromConfig} → create the VM with the same amount of RAM →
 * {@link #load} once, before any vCPU runs → run → {@link #close} when the VM is destroyed.
 */
public sealed interface BootLoader extends AutoCloseable
        permits ElfKernelLoader, MultibootLoader, LinuxLoader, BootRom {

    /** One line for the log: what boots and how. */
    String describe();

    /**
     * Writes the guest memory this loader planned and sets the boot processor (vCPU 0) to start the
     * guest; a boot ROM instead maps itself and registers its MMIO ranges on {@code mmio}, leaving the
     * BSP at its reset vector. Fails with {@link IllegalStateException} when the VM's RAM is not the
     * amount the loader was prepared for.
     */
    void load(VirtualMachine vm, MmioBus mmio);

    /** Releases what the loader holds open (the boot ROM's variable store); nothing for kernels. */
    @Override
    default void close() {}
}
