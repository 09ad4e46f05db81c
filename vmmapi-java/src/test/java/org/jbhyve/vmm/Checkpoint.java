package org.jbhyve.vmm;

import org.jbhyve.vmm.state.KernelState;
import org.jbhyve.vmm.state.VcpuState;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What a snapshot holds, the minimal way a test can have it: every vCPU's state, the VM's kernel
 * state, and guest RAM in a file (lowmem at offset 0, highmem right after it, zero pages left as
 * holes), which a new VM maps back with {@link MemorySource.FilePrivate}.
 */
public record Checkpoint(VmConfig config, List<VcpuState> vcpus, List<KernelState> kernel, Path ram) {

    /** Saves a VM whose vCPUs are all stopped. */
    public static Checkpoint save(VirtualMachine vm, Path ramFile) throws IOException {
        List<VcpuState> cpus = vm.vcpus().stream().map(Vcpu::saveState).toList();
        List<KernelState> kernel = vm.saveKernelState();
        writeRam(vm.memory(), ramFile);
        return new Checkpoint(vm.config(), cpus, kernel, ramFile);
    }

    /** Writes RAM page by page, skipping pages that are all zero (they stay holes in the file). */
    public static void writeRam(GuestMemory memory, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long fileOffset = 0;
            for (GuestMemory.Region r : memory.regions()) {
                MemorySegment host = r.host();
                for (long off = 0; off < r.size(); off += VmConfig.PAGE_SIZE) {
                    MemorySegment page = host.asSlice(off, VmConfig.PAGE_SIZE);
                    if (isZero(page)) continue;
                    var buf = page.asByteBuffer();
                    long pos = fileOffset + off;
                    while (buf.hasRemaining()) pos += ch.write(buf, pos);
                }
                fileOffset += r.size();
            }
            // the file covers all of RAM even if its last pages are holes: extend it with one zero byte
            if (ch.size() < fileOffset) ch.write(java.nio.ByteBuffer.allocate(1), fileOffset - 1);
        }
    }

    private static boolean isZero(MemorySegment page) {
        for (long i = 0; i < page.byteSize(); i += 8) {
            if (page.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0) return false;
        }
        return true;
    }

    /**
     * A new VM with this checkpoint's configuration, RAM mapped copy-on-write from the file, then the
     * vCPUs restored and, last, the kernel state (so the clock restarts right before the guest runs).
     */
    public VirtualMachine restore(Hypervisor hv, String name) {
        return restore(hv, name, false);
    }

    /** {@link #restore(Hypervisor, String)}, with the kernel state put back before the vCPUs if {@code kernelFirst}. */
    public VirtualMachine restore(Hypervisor hv, String name, boolean kernelFirst) {
        VmConfig cfg = new VmConfig(name, config.vcpus(), config.memoryBytes(), config.kernelIrqchip(),
                new MemorySource.FilePrivate(ram, 0, GuestMemory.lowmemSize(config.memoryBytes())));
        VirtualMachine vm = hv.createVm(cfg);
        try {
            if (kernelFirst) vm.restoreKernelState(kernel);
            for (VcpuState s : vcpus) vm.vcpu(s.vcpuId()).restoreState(s);
            if (!kernelFirst) vm.restoreKernelState(kernel);
            return vm;
        } catch (RuntimeException e) {
            vm.close();
            throw e;
        }
    }
}
