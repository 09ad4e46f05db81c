package org.jbhyve.vmm;

import java.util.Objects;

/**
 * What a new virtual machine needs from the hypervisor.
 *
 * @param name          VM name (used for the FreeBSD /dev/vmm node and in messages)
 * @param vcpus         number of vCPUs, 1..{@link #MAX_VCPUS}
 * @param memoryBytes   guest RAM; split like bhyve's at 3 GiB (lowmem) and continued at 4 GiB (highmem)
 * @param kernelIrqchip create the in-kernel interrupt controllers and PIT (KVM); without them HLT and
 *                      every interrupt exit comes to userspace, which tests use to see raw HLT exits
 * @param backing       where RAM comes from and how it is backed on the host: a {@link MemoryBacking}
 *                      for fresh zeroed RAM, or {@link MemorySource.FilePrivate} for RAM mapped
 *                      copy-on-write from a file (restoring a snapshot)
 */
public record VmConfig(String name, int vcpus, long memoryBytes, boolean kernelIrqchip, MemorySource backing) {
    public static final int MAX_VCPUS = 256;
    public static final long PAGE_SIZE = 4096;

    public VmConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backing, "backing");
        if (name.isEmpty() || name.length() > 200 || name.contains("/")) {
            throw new IllegalArgumentException("VM name must be 1..200 characters without '/': '" + name + "'");
        }
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw new IllegalArgumentException("vCPU count must be 1.." + MAX_VCPUS + ", got " + vcpus);
        }
        if (memoryBytes < PAGE_SIZE * 16 || memoryBytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("memory size must be a multiple of 4 KiB and at least 64 KiB, got "
                    + memoryBytes);
        }
    }

    /** A VM with the in-kernel irqchip and memfd-backed RAM. */
    public static VmConfig of(String name, int vcpus, long memoryBytes) {
        return new VmConfig(name, vcpus, memoryBytes, true, MemoryBacking.MEMFD);
    }

    public VmConfig withKernelIrqchip(boolean on) {
        return new VmConfig(name, vcpus, memoryBytes, on, backing);
    }

    /** A copy with RAM from {@code b}, e.g. {@code withBacking(new MemorySource.FilePrivate(file, 0, 0))}. */
    public VmConfig withBacking(MemorySource b) {
        return new VmConfig(name, vcpus, memoryBytes, kernelIrqchip, b);
    }
}
