package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.snapshot.KernelStateRecord;
import org.jbhyve.bhyve.snapshot.VcpuStateRecord;
import org.jbhyve.snapshot.format.*;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.MemorySource;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.state.KernelState;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.*;

/**
 * Puts a snapshot back into a freshly built VM before any vCPU runs: every vCPU (in the order
 * {@link org.jbhyve.vmm.Vcpu#restoreState} documents: CPUID, MP state, ..., events last), every
 * device, then the kernel's VM-wide state (interrupt controllers, PIT, and the clock last of all). Guest RAM is not read here: the VM was created with its RAM mapped
 * MAP_PRIVATE from the snapshot file, so pages load when the guest first touches them.
 */
final class SnapshotRestore {
    private SnapshotRestore() {}

    /**
     * The device kinds of this build that are not PCI emulations (docs/snapshot-format.md §12.5). With the
     * PCI emulations, every device kind a snapshot of this build can hold, whether or not the VM being
     * restored has that device. SnapshotDeviceKindsKvmTest holds the list to what the models call themselves.
     */
    static final List<String> PLATFORM_DEVICE_KINDS = List.of("dev.pci", "dev.acpi-pm", "dev.rtc", "dev.com1", "dev.com2",
            "dev.com3", "dev.com4", "dev.fw_cfg", "dev.fwctl", "dev.pc-testdev", "dev.isa-debug-exit", org.jbhyve.bhyve.boot.BootRom.STATE_NAME);

    /** Every device kind this build has a model for. */
    static List<String> deviceKinds() {
        List<String> kinds = new java.util.ArrayList<>(PLATFORM_DEVICE_KINDS);
        for (String emulation : org.jbhyve.bhyve.devices.pci.PciDeviceFactory.standard().emulations()) {
            kinds.add("dev." + emulation);
        }
        return kinds;
    }

    /**
     * The chunk kinds and versions this build reads, for {@link ReadOptions#restore}: those of this VM's
     * devices, and every other device kind of this build as known but not taken, so that a snapshot holding
     * state for a device this VM lacks is refused as that, not as a kind only a newer jbhyve knows.
     */
    static ChunkRegistry registry(Collection<Snapshottable> devices, List<String> kernelChunks) {
        ChunkRegistry r = new ChunkRegistry()
                .register(SnapshotSave.VM_CHUNK, 1, SnapshotSave.VM_VERSION)
                .register(VcpuStateRecord.CHUNK, 1, VcpuStateRecord.VERSION);
        for (String k : kernelChunks) r.register(k, 1, 1);
        Set<String> kinds = new HashSet<>();
        for (Snapshottable s : devices) {
            String name = s.stateName();
            String kind = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
            if (kinds.add(kind)) {
                r.register(kind, s.oldestStateVersion(), s.stateVersion(),
                        s.stateUpgraders().toArray(ChunkUpgrader[]::new));
            }
        }
        for (String kind : deviceKinds()) r.registerUntaken(kind);
        return r;
    }

    /**
     * Refuses, before the VM exists, a snapshot whose shape the config cannot honour, or whose {@code vm}
     * chunk disagrees with its own manifest (docs/snapshot-format.md §12.1).
     */
    static void checkCompatible(SnapshotReader r, int vcpus, long memoryBytes) {
        checkVmChunk(r);
        if (r.vcpuCount() != vcpus) {
            throw new ConfigException("snapshot " + r.file() + " has " + r.vcpuCount() + (r.vcpuCount() == 1 ? " vCPU" : " vCPUs")
                    + " but the configuration asks for "
                    + vcpus + ": a snapshot restores with the vCPU count it was taken with (drop the -c, or -o cpus/sockets/cores/"
                    + "threads, override)");
        }
        if (r.memorySize() != memoryBytes) {
            throw new ConfigException("snapshot " + r.file() + " holds " + r.memorySize() + " bytes of guest RAM but the "
                    + "configuration asks for " + memoryBytes + ": a snapshot restores with its memory size (drop the -m, or -o"
                    + " memory.size, override)");
        }
        List<RamRegion> regions = r.ramRegions();
        long low = GuestMemory.lowmemSize(memoryBytes), high = GuestMemory.highmemSize(memoryBytes);
        boolean ok = !regions.isEmpty() && regions.get(0).gpa() == 0 && regions.get(0).size() == low
                && (high == 0 ? regions.size() == 1
                : regions.size() == 2 && regions.get(1).gpa() == GuestMemory.HIGHMEM_BASE && regions.get(1).size() == high);
        if (!ok) {
            throw new ConfigException("snapshot " + r.file() + " has a memory layout this jbhyve cannot map "
                    + "(regions " + regions + "); expected lowmem " + low + " bytes at 0 and highmem " + high + " at 4 GiB");
        }
        try {
            r.checkRamPresent();
        } catch (SnapshotFormatException e) {
            throw new ConfigException("cannot restore " + r.file() + ": " + e.problem());
        }
    }

    /**
     * The {@code vm} chunk repeats the machine's shape: a file whose chunk and manifest disagree was not
     * written by jbhyve as it stands, and is refused. A version this build does not read is left to
     * the restore's compatibility check, which names it.
     */
    private static void checkVmChunk(SnapshotReader r) {
        Chunk c = r.chunk(SnapshotSave.VM_CHUNK, "").orElseThrow(() -> new ConfigException("cannot restore "
                + r.file() + ": it has no '" + SnapshotSave.VM_CHUNK + "' chunk"));
        if (c.entry().version() != SnapshotSave.VM_VERSION) return;
        List<RamRegion> regions = r.ramRegions();
        long low = regions.isEmpty() ? 0 : regions.get(0).size();
        long high = regions.stream().skip(1).mapToLong(RamRegion::size).sum();
        try {
            StateRecord vm = c.record();
            disagree(r, "vcpus", vm.u32("vcpus"), r.vcpuCount(), "the manifest's vm.vcpus");
            disagree(r, "memory_size", vm.u64("memory_size"), r.memorySize(), "the manifest's memory.size");
            disagree(r, "lowmem_size", vm.u64("lowmem_size"), low, "its first RAM region");
            disagree(r, "highmem_size", vm.u64("highmem_size"), high, "its other RAM regions");
            vm.string("backend");
        } catch (SnapshotFormatException e) {
            throw new ConfigException("cannot restore " + r.file() + ": " + e.getMessage());
        }
    }

    private static void disagree(SnapshotReader r, String field, long chunk, long manifest, String what) {
        if (chunk != manifest) {
            throw new ConfigException("cannot restore " + r.file() + ": its '" + SnapshotSave.VM_CHUNK + "' chunk says "
                    + field + " " + Long.toUnsignedString(chunk) + " but " + what + " says " + manifest
                    + ": the file's parts disagree (was it edited?)");
        }
    }

    /**
     * A snapshot restores only on the backend that wrote it: its kernel state is that backend's blobs.
     * Said before the chunks are checked against this build, which would otherwise call them unknown.
     */
    static void checkBackend(SnapshotReader r, String backend) {
        Optional<StateRecord> vm = r.find(SnapshotSave.VM_CHUNK, "");
        if (vm.isEmpty()) return; // checkVmChunk refuses it
        String saved;
        try {
            saved = vm.get().string("backend");
        } catch (SnapshotFormatException e) {
            return; // a vm chunk of another version: the compatibility check names it
        }
        if (!saved.equals(backend)) {
            throw new ConfigException("cannot restore " + r.file() + ": it was taken on the " + Quoted.of(saved) + " backend and this"
                    + " jbhyve runs guests on " + backend + "; a snapshot restores only on the backend that wrote it"
                    + " (its kernel state is that backend's)");
        }
    }

    /** Guest RAM from the snapshot file: MAP_PRIVATE, copy-on-write, loaded on first touch. */
    static MemorySource.FilePrivate memorySource(SnapshotReader r) {
        List<RamRegion> regions = r.ramRegions();
        long lowOffset = regions.get(0).fileOffset();
        long highOffset = regions.size() > 1 ? regions.get(1).fileOffset() : 0;
        return new MemorySource.FilePrivate(Path.of(r.file()), lowOffset, highOffset, r.identity());
    }

    /**
     * Reads {@code file} again, this time checking every chunk against the versions this build's
     * devices read (a newer required chunk is refused here, with its name and version), and restores.
     */
    static void restore(Path file, VirtualMachine vm, List<Snapshottable> devices, PrintStream log) {
        restore(file, null, vm, devices, log);
    }

    /**
     * Like {@link #restore(Path, VirtualMachine, List, PrintStream)}, refusing a file that is not
     * {@code expected} (when not null), unchanged: the file the VM's config and RAM came from. Without
     * the check, a snapshot renamed over the name in between (a checkpoint to the same path) would give
     * the VM one file's RAM and another's vCPU and device state.
     */
    static void restore(Path file, org.jbhyve.bindings.libc.FileStat expected, VirtualMachine vm,
                        List<Snapshottable> devices, PrintStream log) {
        ChunkRegistry registry = registry(devices, vm.kernelStateNames());
        try (SnapshotReader r = SnapshotReader.open(file, readOptions(registry, log))) {
            if (expected != null && !expected.sameFileUnchanged(r.identity())) {
                throw new ConfigException("cannot restore " + file + ": it is no longer the file that was checked (it was"
                        + " replaced or changed while it was being restored); restore it again once nothing writes it");
            }
            plan(r, vm, devices, log).apply();
        } catch (java.io.IOException e) { // SnapshotFormatException included
            throw new ConfigException("cannot restore " + file + ": " + e.getMessage());
        }
    }

    /**
     * Restores {@code file} into a VM built ahead of time whose vCPUs have never run: opened once, with
     * the versions this VM's devices read; {@code fits} checks the snapshot's config against the VM's,
     * and everything else that can be checked without changing the VM is checked too. Only then does
     * {@code changing} run, the VM's RAM become the file's, and the state go back. A refusal before
     * that leaves the VM as it was, still able to take another snapshot.
     */
    static void restoreInPlace(Path file, VirtualMachine vm, String backend, List<Snapshottable> devices,
                               java.util.function.Consumer<Map<String, String>> fits, Runnable changing,
                               PrintStream log) {
        ChunkRegistry registry = registry(devices, vm.kernelStateNames());
        try (SnapshotReader r = SnapshotReader.open(file, readOptions(registry, log))) {
            checkBackend(r, backend);
            fits.accept(r.config());
            checkCompatible(r, vm.vcpus().size(), vm.memory().size());
            Plan plan = plan(r, vm, devices, log);
            changing.run();
            vm.replaceRam(memorySource(r));
            plan.apply();
        } catch (SnapshotIncompatibleException e) {
            // Chunks of kinds this VM does not know: another backend's kernel state, or another machine's
            // devices (fits says which keys differ). Say what is really wrong before what the chunks say.
            // Its warnings were said by the first open, if it got that far.
            try (SnapshotReader r = SnapshotReader.open(file, ReadOptions.inspect().withWarnings(w -> { }))) {
                checkBackend(r, backend);
                fits.accept(r.config());
            } catch (java.io.IOException ignored) {
                // not readable as stored either: the first error stands
            }
            throw new ConfigException("cannot restore " + file + ": " + e.getMessage());
        } catch (java.io.IOException e) { // SnapshotFormatException included
            throw new ConfigException("cannot restore " + file + ": " + e.getMessage());
        }
    }

    /** Restore's read options: a skipped optional chunk is one line on the VM's log (it names the file). */
    private static ReadOptions readOptions(ChunkRegistry registry, PrintStream log) {
        return ReadOptions.restore(registry).withWarnings(w -> log.println("bhyve: warning: " + w));
    }

    /** A restore checked against the VM and ready to be put into it. */
    @FunctionalInterface
    private interface Plan {
        /** Puts the state into the VM; a refusal now (a device's or the hypervisor's) leaves it half restored. */
        void apply();
    }

    /**
     * Everything a restore can check before it changes the VM: each chunk the VM needs is there, none is
     * left over, and the vCPU and kernel records decode. The plan then puts vCPUs, devices and kernel
     * state back, in that order.
     */
    private static Plan plan(SnapshotReader r, VirtualMachine vm, List<Snapshottable> devices, PrintStream log) {
        try {
            // Check that every chunk this machine needs is there before changing anything.
            Set<Chunk> taken = Collections.newSetFromMap(new IdentityHashMap<>());
            r.chunk(SnapshotSave.VM_CHUNK, "").ifPresent(taken::add); // checked by checkCompatible
            r.chunk(SnapshotFormat.RAM_CRC_CHUNK, "").ifPresent(taken::add); // the reader's own
            // Every piece of kernel state the backend keeps (interrupt controllers, PIT, clock): without
            // one, the guest would resume with that device reset under it.
            List<KernelState> kernel = new ArrayList<>();
            for (String name : vm.kernelStateNames()) {
                Chunk c = require(r, name, "", taken);
                kernel.add(KernelStateRecord.decode(c.name(), c.version(), c.entry().producer(), c.record()));
            }
            List<org.jbhyve.vmm.state.VcpuState> vcpus = new ArrayList<>();
            for (var v : vm.vcpus()) {
                Chunk c = require(r, VcpuStateRecord.CHUNK, Integer.toString(v.id()), taken);
                vcpus.add(VcpuStateRecord.decode(c.record()));
            }
            List<Chunk> deviceChunks = new ArrayList<>();
            for (Snapshottable s : devices) deviceChunks.add(deviceChunk(r, s.stateName(), taken));
            checkEveryChunkIsTaken(r, taken, log);
            return () -> apply(r, vm, devices, vcpus, deviceChunks, kernel);
        } catch (SnapshotFormatException | IllegalArgumentException e) {
            throw new ConfigException("cannot restore " + r.file() + ": " + e.getMessage());
        }
    }

    private static void apply(SnapshotReader r, VirtualMachine vm, List<Snapshottable> devices,
                              List<org.jbhyve.vmm.state.VcpuState> vcpus, List<Chunk> deviceChunks,
                              List<KernelState> kernel) {
        try {
            for (int i = 0; i < vcpus.size(); i++) {
                try {
                    vm.vcpu(i).restoreState(vcpus.get(i));
                } catch (VmmException e) {
                    throw refusedByHypervisor(r, "chunk 'vcpu' instance " + i, e);
                }
            }
            for (int i = 0; i < devices.size(); i++) {
                Chunk c = deviceChunks.get(i);
                // A skipped chunk was optional (a required one is refused at open), and the reader has
                // warned: the device stays in the reset state it was built in (docs/snapshot-format.md §9.2).
                try {
                    if (c.status() != Chunk.Status.SKIPPED) devices.get(i).restoreState(c.record(), c.version());
                } catch (VmmException e) {
                    throw refusedByHypervisor(r, c.entry().label(), e);
                }
            }
            // Kernel state last: the kvmclock restarts from its saved value right before the guest runs.
            try {
                vm.restoreKernelState(kernel);
            } catch (VmmException e) {
                throw refusedByHypervisor(r, "its kernel state (" + String.join(", ", vm.kernelStateNames()) + ")", e);
            }
        } catch (SnapshotFormatException | IllegalArgumentException e) {
            throw new ConfigException("cannot restore " + r.file() + ": " + e.getMessage());
        }
    }

    /**
     * The hypervisor refused state that passed this build's checks (KVM checks register values, MSR
     * indices, XSAVE contents, ... against the host): one error naming the file and the chunk.
     */
    private static ConfigException refusedByHypervisor(SnapshotReader r, String what, VmmException e) {
        return new ConfigException("cannot restore " + r.file() + ": the hypervisor refused " + what + ": " + e.getMessage());
    }

    /**
     * A chunk no part of this VM takes: the snapshot's config (which built the VM) and its chunks disagree,
     * e.g. state for a device the config does not have, or a vCPU beyond its count. Refused when required;
     * an optional one is only a warning, like one this build cannot read.
     */
    private static void checkEveryChunkIsTaken(SnapshotReader r, Set<Chunk> taken, PrintStream log) {
        for (Chunk c : r.chunks()) {
            if (c.status() == Chunk.Status.SKIPPED || taken.contains(c)) continue;
            String what = "it holds " + c.entry().label() + ", which no part of this VM takes (its configuration"
                    + " has no such device or vCPU)";
            if (c.entry().required()) throw new ConfigException("cannot restore " + r.file() + ": " + what);
            log.println("bhyve: warning: snapshot " + r.file() + ": ignoring optional " + c.entry().label()
                    + ": no part of this VM takes it");
        }
    }

    /** Chunk {@code name}/{@code instance}, read (not skipped); added to {@code taken}. */
    private static Chunk require(SnapshotReader r, String name, String instance, Set<Chunk> taken) {
        Chunk c = r.chunk(name, instance).orElse(null);
        if (c == null || c.status() == Chunk.Status.SKIPPED) throw noState(r, name, instance);
        taken.add(c);
        return c;
    }

    /**
     * A device's chunk, possibly one the reader skipped (optional, of a version this build does not
     * read); added to {@code taken}. A chunk that is not in the file at all is lost state: every device
     * model saves one.
     */
    private static Chunk deviceChunk(SnapshotReader r, String name, Set<Chunk> taken) {
        Chunk c = r.chunk(name, "").orElseThrow(() -> noState(r, name, ""));
        taken.add(c);
        return c;
    }

    private static ConfigException noState(SnapshotReader r, String name, String instance) {
        return new ConfigException("cannot restore " + r.file() + ": it has no state for "
                + (instance.isEmpty() ? "chunk '" + name + "'" : "chunk '" + name + "' instance " + instance)
                + ", which this VM's configuration needs");
    }
}
