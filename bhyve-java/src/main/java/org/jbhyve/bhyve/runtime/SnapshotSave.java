package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.snapshot.KernelStateRecord;
import org.jbhyve.bhyve.snapshot.VcpuStateRecord;
import org.jbhyve.snapshot.format.HostInfo;
import org.jbhyve.snapshot.format.SnapshotFormat;
import org.jbhyve.snapshot.format.SnapshotMetadata;
import org.jbhyve.snapshot.format.SnapshotWriter;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.state.KernelState;

import java.util.LinkedHashMap;

/**
 * Writes one snapshot of a paused VM (docs/snapshot-format.md). Chunk order: {@code vm}, the kernel's
 * VM-wide state, one {@code vcpu} per vCPU, every device, then guest RAM. Each vCPU's state is read
 * in the order the backend documents in {@link Vcpu#saveState()} (MP state first, events last).
 */
final class SnapshotSave {
    static final String VM_CHUNK = "vm";
    static final int VM_VERSION = 1;

    private SnapshotSave() {}

    static String write(SnapshotTarget target, VmRuntime runtime) throws Exception {
        VirtualMachine vm = runtime.vm();
        SnapshotMetadata meta = SnapshotMetadata.of(vm.name(), vm.vcpus().size(),
                new LinkedHashMap<>(runtime.config().flatten()), HostInfo.detect(runtime.backendName()));
        try (SnapshotWriter w = switch (target) {
            case SnapshotTarget.File f -> SnapshotWriter.create(f.path(), meta);
            case SnapshotTarget.InDirectory d -> SnapshotWriter.create(d.dirFd(), d.name(), meta);
        }) {
            GuestMemory mem = vm.memory();
            w.addChunk(VM_CHUNK, "", VM_VERSION, true, StateRecord.builder()
                    .putU32("vcpus", vm.vcpus().size())
                    .putU64("memory_size", mem.size())
                    .putU64("lowmem_size", mem.lowmemSize())
                    .putU64("highmem_size", mem.highmemSize())
                    .putString("backend", runtime.backendName())
                    .build());
            for (KernelState k : vm.saveKernelState()) {
                w.addChunk(k.name(), "", k.version(), true, k.producer(), KernelStateRecord.encode(k));
            }
            for (Vcpu v : vm.vcpus()) {
                w.addChunk(VcpuStateRecord.CHUNK, Integer.toString(v.id()), VcpuStateRecord.VERSION, true,
                        VcpuStateRecord.encode(v.saveState()));
            }
            for (Snapshottable s : runtime.snapshottables()) {
                w.addChunk(s.stateName(), "", s.stateVersion(), true, s.saveState());
            }
            // Blocks the backend knows to be zero (never touched) are neither read nor allocated.
            int index = 0;
            for (GuestMemory.Region r : mem.regions()) {
                w.addRamRegion("region" + index++, r.gpa(), r.host(),
                        vm.ramBlocksWithData(r, SnapshotFormat.BLOCK_SIZE).orElse(null));
            }
            w.commit();
            return w.path();
        }
    }
}
