package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.snapshot.VcpuStateRecord;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.bhyve.Main;
import org.jbhyve.snapshot.format.*;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.jbhyve.vmm.state.VcpuState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoint, suspend and restore of the demo guest on real /dev/kvm, through the same code paths
 * bhyvectl's requests take. The demo keeps a tick counter at {@link TestGuests#DEMO_TICKS_ADDRESS}
 * that only its timer interrupt advances, so "continues where it was" is checkable from outside.
 */
@RequiresKvm
class SnapshotKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    private static final Pattern TICK = Pattern.compile("tick (\\d+)\n");

    static List<String> demoArgs() {
        return List.of("-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-o", "boot.kernel=" + TestGuests.path("demo"));
    }

    static long lastTick(String out) {
        Matcher m = TICK.matcher(out);
        long last = -1;
        while (m.find()) last = Long.parseLong(m.group(1));
        return last;
    }

    static BhyveRun demoAfterTicks(int ticks) throws Exception {
        BhyveRun run = BhyveRun.start(demoArgs());
        run.awaitOutput(o -> lastTick(o) >= ticks, T);
        return run;
    }

    @Test
    void checkpointWhileRunningAndTheGuestKeepsRunning(@TempDir Path dir) throws Exception {
        try (BhyveRun run = demoAfterTicks(1)) {
            String written = run.runtime.checkpoint(new SnapshotTarget.File(dir.resolve("snap")), false);
            assertThat(written).endsWith("snap");
            long at = lastTick(run.output());
            run.awaitOutput(o -> lastTick(o) >= at + 2, T);
            assertThat(run.runtime.state().state()).isEqualTo(VmState.RUNNING);
            SnapshotReader.verify(dir.resolve("snap"));
            assertThat(Files.getPosixFilePermissions(dir.resolve("snap")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            run.type("q");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    static long vmRssKib() throws java.io.IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    /** The demo guest with 1 GiB of RAM, of which it touches a few MiB, after its first tick. */
    private static BhyveRun idle1GibDemo() throws Exception {
        List<String> args = new ArrayList<>(demoArgs());
        args.set(args.indexOf("32M"), "1G");
        BhyveRun run = BhyveRun.start(args);
        run.awaitOutput(o -> lastTick(o) >= 1, T);
        return run;
    }

    /** Host memory a checkpoint of {@code run} costs, in MiB of this process's VmRSS. */
    private static long checkpointRssGrowthMib(BhyveRun run, Path file) throws Exception {
        long before = vmRssKib();
        run.runtime.checkpoint(new SnapshotTarget.File(file), false);
        return (vmRssKib() - before) / 1024;
    }

    @Test
    void checkpointingAMostlyIdleGuestDoesNotAllocateItsRam(@TempDir Path dir) throws Exception {
        try (BhyveRun run = idle1GibDemo()) {
            long grownMib = checkpointRssGrowthMib(run, dir.resolve("idle"));
            // never-touched memfd pages are found with SEEK_DATA/SEEK_HOLE and not read
            assertThat(grownMib).as("VmRSS growth in MiB for a checkpoint of a 1 GiB guest").isLessThan(128);
            run.type("q");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    @Test
    void checkpointingARestoredGuestReadsOnlyTheSnapshotsDataAndWhatTheGuestWrote(@TempDir Path dir) throws Exception {
        try (BhyveRun run = idle1GibDemo()) {
            run.runtime.checkpoint(new SnapshotTarget.File(dir.resolve("first")), true);
            assertThat(run.exitStatus(T)).isZero();
        }
        try (BhyveRun restored = BhyveRun.restore(dir.resolve("first"), List.of())) {
            long at = lastTick(restored.output());
            restored.awaitOutput(o -> lastTick(o) >= at + 1, T);
            // RAM is a private mapping of "first": its holes and untouched pages must not be read
            long grownMib = checkpointRssGrowthMib(restored, dir.resolve("second"));
            assertThat(grownMib).as("VmRSS growth in MiB for a checkpoint of a restored 1 GiB guest").isLessThan(128);
            SnapshotReader.verify(dir.resolve("second"));
            long counter = restored.runtime.vm().memory().readLong(TestGuests.DEMO_TICKS_ADDRESS);
            restored.type("q");
            assertThat(restored.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
            try (BhyveRun again = BhyveRun.restoreNotStarted(dir.resolve("second"), List.of())) {
                assertThat(again.runtime.vm().memory().readLong(TestGuests.DEMO_TICKS_ADDRESS))
                        .as("what the guest wrote after the first restore is in the second snapshot")
                        .isBetween(counter - 1, counter);
            }
        }
    }

    @Test
    void suspendThenRestoreContinuesTheCounterWithoutRebooting(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("suspended");
        long counterAtSuspend;
        VcpuState cpuAtSuspend;
        try (BhyveRun run = demoAfterTicks(2)) {
            run.runtime.pause(Duration.ofSeconds(30));
            counterAtSuspend = run.runtime.vm().memory().readLong(TestGuests.DEMO_TICKS_ADDRESS);
            cpuAtSuspend = run.runtime.vm().vcpu(0).saveState();
            run.runtime.resume();
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).as("bhyve exits 0 after a suspend").isZero();
            counterAtSuspend = Math.max(counterAtSuspend, lastTick(run.output()));
        }
        try (BhyveRun restored = BhyveRun.restoreNotStarted(snap, List.of())) {
            // Before the guest runs again: RAM, registers and devices are what the snapshot holds.
            long counter = restored.runtime.vm().memory().readLong(TestGuests.DEMO_TICKS_ADDRESS);
            assertThat(counter).isGreaterThanOrEqualTo(counterAtSuspend);
            VcpuState cpu = restored.runtime.vm().vcpu(0).saveState();
            assertThat(cpu.specialRegisters().cr3()).isEqualTo(cpuAtSuspend.specialRegisters().cr3());
            assertThat(cpu.cpuid()).isEqualTo(cpuAtSuspend.cpuid());
            assertRestoredStateEqualsTheSnapshots(snap, restored.runtime);
            restored.startVm();
            restored.awaitOutput(o -> lastTick(o) > counter, T);
            String out = restored.output();
            assertThat(out).doesNotContain("jbhyve demo guest"); // no reboot banner
            assertThat(TICK.matcher(out).results().findFirst().orElseThrow().group(1))
                    .isEqualTo(Long.toString(counter + 1));
            restored.type("q");
            assertThat(restored.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
            assertThat(restored.output()).contains("powering off");
        }
    }

    @Test
    void twoCheckpointsAndTheOlderOneRestores(@TempDir Path dir) throws Exception {
        long first, afterIt;
        try (BhyveRun run = demoAfterTicks(1)) {
            // The guest runs on during the live copy and again before the commit: the snapshot's counter
            // lies between the last tick seen before the request and the last one seen after it (+1: a
            // tick whose line was still on its way).
            first = lastTick(run.output());
            run.runtime.checkpoint(new SnapshotTarget.File(dir.resolve("older")), false);
            afterIt = lastTick(run.output());
            run.awaitOutput(o -> lastTick(o) >= afterIt + 3, T);
            run.runtime.checkpoint(new SnapshotTarget.File(dir.resolve("newer")), true);
            assertThat(run.exitStatus(T)).isZero();
        }
        try (BhyveRun older = BhyveRun.restore(dir.resolve("older"), List.of())) {
            long counter = older.runtime.vm().memory().readLong(TestGuests.DEMO_TICKS_ADDRESS);
            assertThat(counter).isBetween(first, afterIt + 1);
            older.awaitOutput(o -> lastTick(o) > counter, T);
            older.type("q");
            assertThat(older.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    /** A finished snapshot to damage, made once per test that needs one. */
    /**
     * What the issue asks of a restore before the guest runs: registers and device state equal to the snapshot's,
     * read back from KVM and from each device, field by field. Only what time moves may differ, because the
     * clocks run on from the restore: the TSC (MSR 0x10), the LAPIC timer's current count (0x390), the ACPI PM
     * timer, and the RTC's time and periodic phase.
     */
    static void assertRestoredStateEqualsTheSnapshots(Path snap, VmRuntime vm) throws Exception {
        Map<String, Set<String>> moving = Map.of(
                "dev.acpi-pm", Set.of("pm_timer", "pm_timer_ns"),
                "dev.rtc", Set.of("rtc_seconds", "rtc_subsecond_ns", "periodic_elapsed_ns"));
        try (SnapshotReader r = SnapshotReader.open(snap)) {
            for (Snapshottable s : vm.snapshottables()) {
                StateRecord saved = r.chunk(s.stateName(), "").orElseThrow().record();
                assertThat(differingFields(saved, s.saveState())).as(s.stateName())
                        .isSubsetOf(moving.getOrDefault(s.stateName(), Set.of()));
            }
            for (Vcpu v : vm.vm().vcpus()) {
                VcpuState saved = VcpuStateRecord.decode(r.chunk(VcpuStateRecord.CHUNK, Integer.toString(v.id()))
                        .orElseThrow().record());
                VcpuState now = v.saveState();
                Map<Integer, Long> msrs = new java.util.LinkedHashMap<>(now.msrs()); // in restore order, as encoded
                msrs.put(0x10, saved.msrs().get(0x10)); // IA32_TSC
                byte[] lapic = now.lapic().clone();
                System.arraycopy(saved.lapic(), 0x390, lapic, 0x390, 4); // timer current count
                VcpuState timeless = new VcpuState(now.vcpuId(), now.mpState(), now.registers(), now.specialRegisters(),
                        now.xsave(), now.xcrs(), now.debugRegisters(), msrs, lapic, now.events(), now.cpuid(), now.tscKhz());
                Map<Integer, String> msrChanges = new java.util.TreeMap<>();
                for (Map.Entry<Integer, Long> e : msrs.entrySet()) {
                    Long was = saved.msrs().get(e.getKey());
                    if (!e.getValue().equals(was)) msrChanges.put(e.getKey(), Long.toHexString(was == null ? -1 : was)
                            + " -> " + Long.toHexString(e.getValue()));
                }
                for (Integer k : saved.msrs().keySet()) if (!msrs.containsKey(k)) msrChanges.put(k, "not read back");
                assertThat(differingFields(VcpuStateRecord.encode(saved), VcpuStateRecord.encode(timeless)))
                        .as("vCPU %d's registers and state (MSRs that differ: %s)", v.id(), msrChanges).isEmpty();
            }
        }
    }

    /** The names of the fields whose values differ between two records (or that only one has). */
    static Set<String> differingFields(StateRecord a, StateRecord b) {
        Map<String, StateRecord.Field> left = new java.util.HashMap<>();
        for (StateRecord.Field f : a.fields()) left.put(f.name(), f);
        Set<String> out = new java.util.TreeSet<>();
        for (StateRecord.Field f : b.fields()) {
            StateRecord.Field g = left.remove(f.name());
            if (!f.equals(g)) out.add(f.name());
        }
        out.addAll(left.keySet());
        return out;
    }

    static Path goodSnapshot(Path dir) throws Exception {
        Path snap = dir.resolve("good");
        try (BhyveRun run = demoAfterTicks(1)) {
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).isZero();
        }
        return snap;
    }

    static String restoreFails(Path file, String... extra) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true);
        List<String> args = new ArrayList<>(List.of("-r", file.toString(), "-o", "control.dir=" + file.getParent()));
        args.addAll(List.of(extra));
        int status = Main.run(args.toArray(String[]::new), ps, ps);
        assertThat(status).as(err.toString()).isEqualTo(4);
        // No VM ran: a restore that got as far as running the guest says so on stderr.
        assertThat(err.toString()).as("no VM ran").doesNotContain("restored from");
        return err.toString();
    }

    @Test
    void damagedSnapshotsAreRefusedWithOneClearErrorAndNoVm(@TempDir Path dir) throws Exception {
        Path good = goodSnapshot(dir);
        SnapshotReader r = SnapshotReader.open(good);
        List<Chunk> chunks = r.chunks();
        SnapshotHeader header = r.header();
        long ramOffset = r.ramRegions().getFirst().fileOffset();
        r.close();

        Path bad = dir.resolve("bad");
        // wrong magic
        Files.copy(good, bad, StandardCopyOption.REPLACE_EXISTING);
        flip(bad, 0);
        assertThat(restoreFails(bad)).contains("magic");
        // a future major format version
        Files.copy(good, bad, StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
            f.seek(8);
            f.write(new byte[] {99, 0});
        }
        assertThat(restoreFails(bad)).containsAnyOf("version", "checksum");
        // ... and with the header's own checksum made right, so that it is the version that is refused
        Files.copy(good, bad, StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
            byte[] h = new byte[64];
            f.readFully(h);
            h[8] = 99;
            h[9] = 0;
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(h, 0, 60);
            java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(60, (int) crc.getValue());
            f.seek(0);
            f.write(h);
        }
        assertThat(restoreFails(bad)).contains("99.0").doesNotContain("checksum");
        // missing RAM: the block holding the guest's pages punched out of the file (a copy that dropped it)
        Files.copy(good, bad, StandardCopyOption.REPLACE_EXISTING);
        Process punch = new ProcessBuilder("fallocate", "--punch-hole", "--offset", Long.toString(ramOffset),
                "--length", Long.toString(2 << 20), bad.toString()).redirectErrorStream(true).start();
        assertThat(punch.waitFor()).as(new String(punch.getInputStream().readAllBytes())).isZero();
        assertThat(restoreFails(bad)).contains("block 0", "is missing from the file", "bhyvectl --verify");
        // a vCPU count or memory size the snapshot was not taken with
        assertThat(restoreFails(good, "-c", "2")).contains("1 vCPU but the configuration asks for 2");
        assertThat(restoreFails(good, "-m", "64M")).contains("restores with its memory size");
        // truncated: inside the RAM region, and before the manifest
        for (long len : new long[] {ramOffset + 4096, header.manifestOffset() + 10, 100}) {
            Files.copy(good, bad, StandardCopyOption.REPLACE_EXISTING);
            try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
                f.setLength(len);
            }
            assertThat(restoreFails(bad)).as("truncated at " + len).containsAnyOf("truncated", "past the end", "shorter");
        }
        // a flipped bit in every chunk is caught and named
        for (Chunk c : chunks) {
            Files.copy(good, bad, StandardCopyOption.REPLACE_EXISTING);
            flip(bad, c.entry().offset() + c.entry().length() / 2);
            assertThat(restoreFails(bad)).as(c.entry().label()).contains(c.name()).contains("checksum");
        }
        // a flipped bit in the manifest
        Files.copy(good, bad, StandardCopyOption.REPLACE_EXISTING);
        flip(bad, header.manifestOffset() + 20);
        assertThat(restoreFails(bad)).contains("manifest");
    }

    @Test
    void aManifestNamingAnUnknownDeviceAndANewerRequiredChunkAreRefused(@TempDir Path dir) throws Exception {
        Path good = goodSnapshot(dir);
        // rewrite the snapshot with (a) an unknown emulation in its config, (b) dev.com1 at version 99
        Path unknownDevice = dir.resolve("unknown-device");
        Path newerChunk = dir.resolve("newer-chunk");
        rewrite(good, unknownDevice, (name, version) -> version, cfg -> cfg.put("pci.0.5.0.device", "frobnicator"));
        rewrite(good, newerChunk, (name, version) -> name.equals("dev.com1") ? 99 : version, cfg -> { });
        assertThat(restoreFails(unknownDevice)).startsWith("bhyve: cannot restore " + unknownDevice + ": ")
                .contains("frobnicator");
        // an LPC device this build does not know (a boot ignores unknown keys, as bhyve does; a manifest has
        // only what a jbhyve wrote)
        Path unknownLpc = dir.resolve("unknown-lpc");
        rewrite(good, unknownLpc, (name, version) -> version, cfg -> cfg.put("lpc.frob.path", "/dev/null"));
        assertThat(restoreFails(unknownLpc)).startsWith("bhyve: cannot restore " + unknownLpc + ": ")
                .contains("LPC device 'frob' (lpc.frob)");
        assertThat(restoreFails(newerChunk)).contains("dev.com1").contains("99");
    }

    @Test
    void anOptionalChunkThisBuildCannotReadLeavesItsDeviceAtResetAndALostChunkIsRefused(@TempDir Path dir) throws Exception {
        Path good = goodSnapshot(dir);
        // (a) the RTC's chunk as a future jbhyve might write it: version 99, marked optional. The reader
        // skips it with a warning and the RTC starts from its reset state; the guest runs on (its timer
        // is the in-kernel PIT, its console COM1).
        Path optional = dir.resolve("newer-optional");
        rewrite(good, optional, (name, version, required) -> name.equals("dev.rtc")
                ? new ChunkEdit(99, false) : new ChunkEdit(version, required), cfg -> { });
        try (BhyveRun restored = BhyveRun.restore(optional, List.of())) {
            long counter = restored.runtime.vm().memory().readLong(TestGuests.DEMO_TICKS_ADDRESS);
            restored.awaitOutput(o -> lastTick(o) > counter + 1, T);
            assertThat(restored.stderr()).contains("warning").contains(optional.toString())
                    .contains("skipping optional chunk 'dev.rtc'").contains("version 99");
            restored.type("q");
            assertThat(restored.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
        // (b) the same chunk dropped from the file: state this VM's config needs is lost, so no VM.
        Path lost = dir.resolve("lost");
        rewrite(good, lost, (name, version, required) -> name.equals("dev.rtc") ? null : new ChunkEdit(version, required),
                cfg -> { });
        assertThat(restoreFails(lost)).contains("no state for chunk 'dev.rtc'");
    }

    @Test
    void aSnapshotWhoseVmChunkChunksAndBackendDisagreeWithTheMachineIsRefused(@TempDir Path dir) throws Exception {
        Path good = goodSnapshot(dir);
        // (a) the vm chunk says 2 vCPUs, the manifest 1
        Path twoVcpus = dir.resolve("vm-says-2");
        rewriteChunks(good, twoVcpus, c -> List.of(c.name().equals("vm")
                ? NewChunk.of(c, c.record().toBuilder().putU32("vcpus", 2).build()) : NewChunk.of(c, c.record())), cfg -> { });
        assertThat(restoreFails(twoVcpus)).contains("'vm' chunk says vcpus 2").contains("vm.vcpus says 1");
        // (b) a second vCPU's state in a 1-vCPU snapshot: required, refused; optional, a warning
        for (boolean required : new boolean[] {true, false}) {
            Path extra = dir.resolve("extra-vcpu-" + required);
            rewriteChunks(good, extra, c -> c.name().equals("vcpu")
                    ? List.of(NewChunk.of(c, c.record()), new NewChunk("vcpu", "1", c.entry().version(), required, null,
                            c.record().toBuilder().putU32("vcpu_id", 1).build()))
                    : List.of(NewChunk.of(c, c.record())), cfg -> { });
            if (required) {
                assertThat(restoreFails(extra)).contains("chunk 'vcpu' instance 1").contains("no part of this VM takes");
            } else {
                try (BhyveRun restored = BhyveRun.restore(extra, List.of())) {
                    assertThat(restored.stderr()).contains("ignoring optional chunk 'vcpu' instance 1");
                    restored.type("q");
                    assertThat(restored.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
                }
            }
        }
        // (c) taken on FreeBSD's vmm (its vm chunk says so; a kernel blob as that backend names and tags it):
        // said as such, not as a chunk of a kind this build does not know
        Path withBlob = dir.resolve("freebsd");
        rewriteChunks(good, withBlob, c -> {
            if (c.name().startsWith("kvm.")) return List.of();
            if (!c.name().equals("vm")) return List.of(NewChunk.of(c, c.record()));
            return List.of(NewChunk.of(c, c.record().toBuilder().putString("backend", "freebsd-vmm").build()),
                    new NewChunk("freebsd.vm", "", 1, true, "freebsd 15.0-RELEASE 1500023",
                            StateRecord.builder().putBytes("data", new byte[64]).build()));
        }, cfg -> { });
        assertThat(restoreFails(withBlob)).contains("taken on the \"freebsd-vmm\" backend").contains("runs guests on kvm");
    }

    interface VersionMap {
        int version(String name, int stored);
    }

    /** A chunk's version and required flag in a rewritten snapshot. */
    record ChunkEdit(int version, boolean required) {}

    /** What a rewrite does with each chunk: its new version and flag, or null to leave it out. */
    interface ChunkMap {
        ChunkEdit edit(String name, int version, boolean required);
    }

    /** Copies a snapshot chunk by chunk through the format library, changing what the test needs. */
    static void rewrite(Path from, Path to, VersionMap versions,
                        java.util.function.Consumer<java.util.SequencedMap<String, String>> config) throws Exception {
        rewrite(from, to, (name, version, required) -> new ChunkEdit(versions.version(name, version), required), config);
    }

    static void rewrite(Path from, Path to, ChunkMap chunks,
                        java.util.function.Consumer<java.util.SequencedMap<String, String>> config) throws Exception {
        rewriteChunks(from, to, c -> {
            ChunkEdit e = chunks.edit(c.name(), c.entry().version(), c.entry().required());
            return e == null ? List.of() : List.of(new NewChunk(c.name(), c.instance(), e.version(), e.required(),
                    c.entry().producer(), c.record()));
        }, config);
    }

    /** A chunk as a rewrite writes it. */
    record NewChunk(String name, String instance, int version, boolean required, String producer, StateRecord record) {
        static NewChunk of(Chunk c, StateRecord record) {
            return new NewChunk(c.name(), c.instance(), c.entry().version(), c.entry().required(), c.entry().producer(), record);
        }
    }

    /** Copies a snapshot, writing for each chunk what {@code chunks} makes of it (none, itself, changed, more). */
    static void rewriteChunks(Path from, Path to, java.util.function.Function<Chunk, List<NewChunk>> chunks,
                              java.util.function.Consumer<java.util.SequencedMap<String, String>> config) throws Exception {
        try (SnapshotReader r = SnapshotReader.open(from)) {
            var cfg = new java.util.LinkedHashMap<>(r.config());
            config.accept(cfg);
            Manifest m = r.manifest();
            SnapshotMetadata meta = SnapshotMetadata.of(r.vmName(), r.vcpuCount(), cfg, HostInfo.detect("kvm"));
            try (SnapshotWriter w = SnapshotWriter.create(to, meta);
                 java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                for (Chunk c : r.chunks()) {
                    if (c.name().equals(SnapshotFormat.RAM_CRC_CHUNK)) continue;
                    for (NewChunk n : chunks.apply(c)) {
                        w.addChunk(n.name(), n.instance(), n.version(), n.required(), n.producer(), n.record());
                    }
                }
                for (int i = 0; i < r.ramRegions().size(); i++) {
                    w.addRamRegion(r.ramRegions().get(i).gpa(), r.mapRam(i, arena));
                }
                w.commit();
            }
            assertThat(m).isNotNull();
        }
    }

    static void flip(Path file, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
    }
}
