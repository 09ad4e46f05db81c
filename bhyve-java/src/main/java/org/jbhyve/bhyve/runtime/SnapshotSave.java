package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.snapshot.KernelStateRecord;
import org.jbhyve.bhyve.snapshot.VcpuStateRecord;
import org.jbhyve.snapshot.format.HostInfo;
import org.jbhyve.snapshot.format.LiveRamRegion;
import org.jbhyve.snapshot.format.SnapshotFormat;
import org.jbhyve.snapshot.format.SnapshotMetadata;
import org.jbhyve.snapshot.format.SnapshotWriter;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.state.KernelState;
import org.jbhyve.vmm.state.VcpuState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Writes one snapshot (docs/snapshot-format.md). {@link #open} creates the temporary file while the guest
 * runs; {@link #precopy} (a live checkpoint) copies guest RAM while it still runs; {@link #capturePaused},
 * with every vCPU stopped at an instruction boundary and the devices quiesced, reads the state — {@code vm},
 * the kernel's VM-wide state, each vCPU, every device — and then copies RAM: all of it, or after a pre-copy
 * only the pages written since; {@link #commit}, which need not wait for the pause, encodes and writes the
 * state chunks and commits. Each vCPU's state is read in the order the backend documents in
 * {@link Vcpu#saveState()} (MP state first, events last).
 *
 * <p>Live checkpoint: the hypervisor logs the pages the guest writes, and {@link GuestMemory} the pages
 * the VMM's devices write. RAM is copied once, then the pages the guest wrote meanwhile, round after
 * round, until a round is small (or stops shrinking, or {@link #MAX_ROUNDS} is reached); the guest is
 * paused only for the last small round and the state chunks. The devices' pages are copied in that last
 * round only: a device may write through a buffer it took long before (a disk read in flight), and only
 * after pausing the devices, which drains their I/O, are all those writes done.
 */
final class SnapshotSave implements AutoCloseable {
    static final String VM_CHUNK = "vm";
    static final int VM_VERSION = 1;
    /** Most rounds of copying what the guest wrote while it runs, after the first full copy. */
    static final int MAX_ROUNDS = 8;
    /** A round with at most this many pages (4 MiB) is left for the pause: copying it takes milliseconds. */
    static final long SMALL_ROUND_PAGES = 1024;

    private final VmRuntime runtime;
    private final VirtualMachine vm;
    private final SnapshotWriter writer;
    private final List<LiveRamRegion> live = new ArrayList<>();
    private boolean logging;
    private int rounds;
    private long precopiedBytes;
    private long finalPages;

    private SnapshotSave(VmRuntime runtime, SnapshotWriter writer) {
        this.runtime = runtime;
        this.vm = runtime.vm();
        this.writer = writer;
    }

    /** Creates the snapshot's temporary file (nothing is named {@code target} until the commit). */
    static SnapshotSave open(SnapshotTarget target, VmRuntime runtime) throws IOException {
        VirtualMachine vm = runtime.vm();
        vm.checkRamReadable(); // before a file is created; again once paused, before RAM is read
        SnapshotMetadata meta = SnapshotMetadata.of(vm.name(), vm.vcpus().size(),
                new LinkedHashMap<>(runtime.config().flatten()), HostInfo.detect(runtime.backendName()));
        SnapshotWriter w = switch (target) {
            case SnapshotTarget.File f -> SnapshotWriter.create(f.path(), meta);
            case SnapshotTarget.InDirectory d -> SnapshotWriter.create(d.dirFd(), d.name(), meta);
        };
        return new SnapshotSave(runtime, w);
    }

    /**
     * Copies guest RAM while the guest runs. Returns false, having done nothing, when the backend keeps no
     * dirty-page log (the paused write then copies all of RAM). {@code ended} is asked between rounds: when
     * the VM has ended, this stops with an exception and the snapshot is abandoned.
     */
    boolean precopy(BooleanSupplier ended) throws IOException {
        GuestMemory mem = vm.memory();
        // Both logs start before the first copy reads anything, so no write can fall between them.
        if (!vm.startDirtyLog()) return false;
        mem.startWriteLog();
        logging = true;
        int index = 0;
        for (GuestMemory.Region r : mem.regions()) {
            live.add(writer.beginLiveRamRegion(SnapshotWriter.regionName(index++), r.gpa(), r.host()));
        }
        for (int i = 0; i < live.size(); i++) {
            GuestMemory.Region r = mem.regions().get(i);
            precopiedBytes += live.get(i).copyAll(vm.ramBlocksWithData(r, SnapshotFormat.BLOCK_SIZE).orElse(null),
                    ended);
            checkNotEnded(ended);
        }
        long previous = Long.MAX_VALUE;
        while (rounds < MAX_ROUNDS) {
            checkNotEnded(ended);
            long dirty = 0;
            for (int i = 0; i < live.size(); i++) {
                LiveRamRegion region = live.get(i);
                long before = region.bytesWritten();
                dirty += region.copyPages(vm.takeDirtyLog(mem.regions().get(i)));
                precopiedBytes += region.bytesWritten() - before;
            }
            rounds++;
            if (dirty <= SMALL_ROUND_PAGES || dirty >= previous) break; // small enough, or not converging
            previous = dirty;
        }
        return true;
    }

    private static void checkNotEnded(BooleanSupplier ended) {
        if (ended.getAsBoolean()) throw new IllegalStateException("the VM ended during the checkpoint");
    }

    /** A device's state, taken while paused. */
    private record DeviceState(String name, int version, StateRecord record) {}

    /** The state read while the VM was paused, encoded and written by {@link #commit()}. */
    private StateRecord vmRecord;
    private List<KernelState> kernelStates;
    private final List<VcpuState> vcpuStates = new ArrayList<>();
    private final List<DeviceState> deviceStates = new ArrayList<>();

    /**
     * Reads the machine's state and copies the RAM that is left to copy; the VM must be paused. Afterwards
     * the snapshot no longer depends on the guest, which may run again before {@link #commit()}: encoding
     * and writing the state chunks (milliseconds of the pause, on a cold JIT more) happen there.
     */
    void capturePaused() throws Exception {
        GuestMemory mem = vm.memory();
        vm.checkRamReadable();
        vmRecord = StateRecord.builder()
                .putU32("vcpus", vm.vcpus().size())
                .putU64("memory_size", mem.size())
                .putU64("lowmem_size", mem.lowmemSize())
                .putU64("highmem_size", mem.highmemSize())
                .putString("backend", runtime.backendName())
                .build();
        kernelStates = vm.saveKernelState();
        for (Vcpu v : vm.vcpus()) vcpuStates.add(v.saveState());
        for (Snapshottable s : runtime.snapshottables()) {
            deviceStates.add(new DeviceState(s.stateName(), s.stateVersion(), s.saveState()));
        }
        if (live.isEmpty()) {
            // Blocks the backend knows to be zero (never touched) are neither read nor allocated.
            int index = 0;
            for (GuestMemory.Region r : mem.regions()) {
                writer.addRamRegion(SnapshotWriter.regionName(index++), r.gpa(), r.host(),
                        vm.ramBlocksWithData(r, SnapshotFormat.BLOCK_SIZE).orElse(null));
            }
        } else {
            // RAM last (§10.4): what the guest wrote since the last round, and everything the devices wrote.
            for (int i = 0; i < live.size(); i++) {
                GuestMemory.Region r = mem.regions().get(i);
                long[] pages = vm.takeDirtyLog(r);
                long[] byDevices = mem.writtenPages(r);
                for (int w = 0; w < pages.length; w++) pages[w] |= byDevices[w];
                finalPages += live.get(i).copyPages(pages);
                live.get(i).finish();
            }
        }
        // A restored VM's RAM shows its snapshot file wherever the guest has not written, and neither log sees the
        // file change: a writer let in while RAM was copied (no lease could be taken, or the lease-break-time ran out
        // while it waited for this checkpoint) changed the guest's memory under the copy, and pages copied before
        // are in the snapshot as the guest no longer had them.
        String rewritten = vm.ramFileRewritten();
        if (rewritten != null) {
            throw new org.jbhyve.vmm.VmmException("cannot checkpoint VM " + vm.name() + ": " + rewritten + ", so the"
                    + " pages the guest has not written changed under the copy; no snapshot was written");
        }
    }

    /**
     * Writes the state chunks captured by {@link #capturePaused()}, then makes the snapshot durable and gives
     * it its name (fsync, rename, fsync of the directory).
     */
    void commit() throws IOException {
        // Here, not while paused: turning KVM's log off makes it rebuild its mappings of RAM. A log that
        // will not turn off costs the guest some speed, not this snapshot, which is complete.
        stopLogs();
        writer.addChunk(VM_CHUNK, "", VM_VERSION, true, vmRecord);
        for (KernelState k : kernelStates) {
            writer.addChunk(k.name(), "", k.version(), true, k.producer(), KernelStateRecord.encode(k));
        }
        for (VcpuState v : vcpuStates) {
            writer.addChunk(VcpuStateRecord.CHUNK, Integer.toString(v.vcpuId()), VcpuStateRecord.VERSION, true,
                    VcpuStateRecord.encode(v));
        }
        for (DeviceState d : deviceStates) writer.addChunk(d.name(), "", d.version(), true, d.record());
        writer.commit();
    }

    /** Whether the snapshot has its name (see {@link SnapshotWriter#isCommitted()}). */
    boolean committed() {
        return writer.isCommitted();
    }

    /** The snapshot's path. */
    String path() {
        return writer.path();
    }

    /** How the RAM was copied, for the checkpoint's one-line report ("" for a paused copy). */
    String precopySummary() {
        if (live.isEmpty()) return "";
        return String.format(java.util.Locale.ROOT, "pre-copied %.1f MiB in %d round%s while the guest ran, %d page%s while paused",
                precopiedBytes / 1048576.0, rounds + 1, rounds == 0 ? "" : "s", finalPages, finalPages == 1 ? "" : "s");
    }

    /** Stops the write logs and, unless committed, removes the temporary file. */
    @Override
    public void close() {
        try {
            stopLogs();
        } finally {
            writer.close();
        }
    }

    /** Stops both logs; if KVM refuses, says so on the VM's log and leaves {@code logging} set for close() to retry. */
    private void stopLogs() {
        if (!logging) return;
        vm.memory().stopWriteLog();
        try {
            vm.stopDirtyLog();
            logging = false;
        } catch (RuntimeException e) {
            runtime.warn("jbhyve: VM " + vm.name() + ": could not turn the dirty-page log off after a checkpoint ("
                    + e.getMessage() + "); the next live checkpoint tries again");
        }
    }
}
