package org.jbhyve.snapshot.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compatibility rules of docs/snapshot-format.md, "Compatibility", one by one. */
class SnapshotCompatibilityTest {
    @TempDir
    Path dir;

    private record Spec(String name, String instance, int version, boolean required, StateRecord record) {}

    private Path write(String fileName, Spec... chunks) throws Exception {
        Path file = dir.resolve(fileName);
        try (Arena arena = Arena.ofConfined();
             SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("2M", 1))) {
            for (Spec s : chunks) w.addChunk(s.name, s.instance, s.version, s.required, s.record);
            MemorySegment ram = TestSnapshots.ram(arena, 2 << 20, 0.1, 3);
            w.addRamRegion("lowmem", 0, ram);
            w.commit();
        }
        return file;
    }

    private static ChunkRegistry registry() {
        return new ChunkRegistry()
                .register("vm", 1, 1)
                // dev.com1: v1 had "ier" only; v2 added "fifo_depth" (old UARTs: 1); v3 renamed "ier" to "int_enable"
                .register("dev.com1", 1, 3,
                        v1 -> v1.toBuilder().putU32("fifo_depth", 1).build(),
                        v2 -> v2.toBuilder().rename("ier", "int_enable").build())
                .register("dev.virtio-blk", 1, 2, v1 -> v1.toBuilder().putBool("flush_enabled", false).build())
                .register("dev.hostbridge", 2, 2);
    }

    private static final StateRecord VM = TestSnapshots.vmRecord();

    @Test
    void sameVersionIsReadAndOlderVersionsAreUpgradedStepByStep() throws Exception {
        Path f = write("s",
                new Spec("vm", "", 1, true, VM),
                new Spec("dev.com1", "", 1, true, StateRecord.builder().putU8("ier", 5).build()),
                new Spec("dev.virtio-blk@pci.0.2.0", "", 1, true, StateRecord.builder().putU16("queue_size", 128).build()),
                new Spec("dev.virtio-blk@pci.0.3.0", "", 2, true,
                        StateRecord.builder().putU16("queue_size", 64).putBool("flush_enabled", true).build()));
        try (SnapshotReader r = SnapshotReader.open(f, ReadOptions.restore(registry()))) {
            assertThat(r.record("vm", "")).isEqualTo(VM);
            Chunk com = r.chunks().get(1);
            assertThat(com.status()).isEqualTo(Chunk.Status.UPGRADED);
            assertThat(com.version()).isEqualTo(3);
            assertThat(com.entry().version()).isEqualTo(1);
            assertThat(com.note()).isEqualTo("upgraded from version 1 to 3");
            StateRecord uart = r.record("dev.com1", "");
            assertThat(uart.u8("int_enable")).isEqualTo(5);
            assertThat(uart.u32("fifo_depth")).isEqualTo(1);
            assertThat(uart.has("ier")).isFalse();
            // Kind lookup by the part before '@': both slots use dev.virtio-blk's rules.
            assertThat(r.record("dev.virtio-blk@pci.0.2.0", "").bool("flush_enabled")).isFalse();
            assertThat(r.record("dev.virtio-blk@pci.0.3.0", "").bool("flush_enabled")).isTrue();
            assertThat(r.chunks().get(3).status()).isEqualTo(Chunk.Status.READ);
            assertThat(r.warnings()).isEmpty();
        }
    }

    @Test
    void unknownFieldsInAKnownVersionAreIgnored() throws Exception {
        Path f = write("s", new Spec("vm", "", 1, true, VM.toBuilder().putString("added_by_a_newer_minor", "x").build()));
        try (SnapshotReader r = SnapshotReader.open(f, ReadOptions.restore(registry()))) {
            assertThat(r.record("vm", "").u64("tsc_khz")).isEqualTo(2_400_000);
        }
    }

    @Test
    void aNewerRequiredChunkIsRefusedWithOneClearMessage() throws Exception {
        Path f = write("s",
                new Spec("vm", "", 1, true, VM),
                new Spec("dev.virtio-blk@pci.0.2.0", "", 3, true, StateRecord.EMPTY));
        assertThatThrownBy(() -> SnapshotReader.open(f, ReadOptions.restore(registry())))
                .isInstanceOf(SnapshotIncompatibleException.class)
                .hasMessage("snapshot " + f + ": chunk 'dev.virtio-blk@pci.0.2.0' is version 3; this jbhyve reads up to"
                        + " version 2: use a newer jbhyve to restore it");
    }

    @Test
    void aNewerOptionalChunkIsSkippedWithAWarning() throws Exception {
        Path f = write("s",
                new Spec("vm", "", 1, true, VM),
                new Spec("dev.com1", "", 4, false, StateRecord.builder().putU8("x", 1).build()));
        List<String> sink = new ArrayList<>();
        try (SnapshotReader r = SnapshotReader.open(f, ReadOptions.restore(registry()).withWarnings(sink::add))) {
            String w = "snapshot " + f + ": skipping optional chunk 'dev.com1': it is version 4 and this jbhyve reads up to"
                    + " version 3";
            assertThat(r.warnings()).containsExactly(w);
            assertThat(sink).containsExactly(w);
            assertThat(r.find("dev.com1", "")).isEmpty();
            assertThat(r.chunks().get(1).status()).isEqualTo(Chunk.Status.SKIPPED);
            assertThatThrownBy(() -> r.record("dev.com1", "")).hasMessageContaining("was skipped");
        }
    }

    @Test
    void unknownChunksAreSkippedIfOptionalAndRefusedIfRequired() throws Exception {
        Path optional = write("opt",
                new Spec("vm", "", 1, true, VM),
                new Spec("dev.virtio-gpu@pci.0.5.0", "", 1, false, StateRecord.EMPTY));
        List<String> sink = new ArrayList<>();
        try (SnapshotReader r = SnapshotReader.open(optional, ReadOptions.restore(registry()).withWarnings(sink::add))) {
            assertThat(sink).containsExactly("snapshot " + optional + ": skipping optional chunk 'dev.virtio-gpu@pci.0.5.0'"
                    + " (version 1): this jbhyve does not know its kind");
            assertThat(r.record("vm", "")).isEqualTo(VM);
        }

        Path required = write("req",
                new Spec("vm", "", 1, true, VM),
                new Spec("dev.virtio-gpu@pci.0.5.0", "", 1, true, StateRecord.EMPTY));
        assertThatThrownBy(() -> SnapshotReader.open(required, ReadOptions.restore(registry())))
                .isInstanceOf(SnapshotIncompatibleException.class)
                .hasMessage("snapshot " + required + ": chunk 'dev.virtio-gpu@pci.0.5.0' (version 1) is of a kind this"
                        + " jbhyve does not know: use a newer jbhyve (or the one that wrote it, jbhyve 0.1.0-test) to"
                        + " restore it");
    }

    @Test
    void chunksOfAKindKnownButNotTakenAreReadAsStoredForTheCallerToRefuse() throws Exception {
        // A device model this program has but the VM being restored lacks: any version, required or not,
        // is read as stored (no refusal, no warning); the restore then says no part of the VM takes it.
        Path f = write("untaken",
                new Spec("vm", "", 1, true, VM),
                new Spec("dev.virtio-gpu@pci.0.5.0", "", 99, true, StateRecord.builder().putU8("x", 1).build()));
        List<String> sink = new ArrayList<>();
        ChunkRegistry registry = registry().registerUntaken("dev.virtio-gpu").registerUntaken("vm");
        try (SnapshotReader r = SnapshotReader.open(f, ReadOptions.restore(registry).withWarnings(sink::add))) {
            Chunk c = r.chunk("dev.virtio-gpu@pci.0.5.0", "").orElseThrow();
            assertThat(c.status()).isEqualTo(Chunk.Status.READ);
            assertThat(c.version()).isEqualTo(99);
            assertThat(c.record().u8("x")).isEqualTo(1);
            assertThat(r.record("vm", "")).as("registerUntaken leaves a registered kind as it was").isEqualTo(VM);
            assertThat(sink).isEmpty();
        }
        assertThatThrownBy(() -> new ChunkRegistry().registerUntaken(SnapshotFormat.RAM_CRC_CHUNK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunksOlderThanTheOldestSupportedAreRefusedIfRequiredAndSkippedIfOptional() throws Exception {
        Path required = write("req", new Spec("dev.hostbridge@pci.0.0.0", "", 1, true, StateRecord.EMPTY));
        assertThatThrownBy(() -> SnapshotReader.open(required, ReadOptions.restore(registry())))
                .isInstanceOf(SnapshotIncompatibleException.class)
                .hasMessage("snapshot " + required + ": chunk 'dev.hostbridge@pci.0.0.0' is version 1; this jbhyve"
                        + " reads version 2 only: use an older jbhyve (one that reads version 1) to restore it");
        Path optional = write("opt", new Spec("dev.hostbridge@pci.0.0.0", "", 1, false, StateRecord.EMPTY));
        try (SnapshotReader r = SnapshotReader.open(optional, ReadOptions.restore(registry()).withWarnings(w -> {}))) {
            assertThat(r.warnings()).singleElement().asString().isEqualTo("snapshot " + optional + ": skipping optional chunk 'dev.hostbridge@pci.0.0.0': it is version 1"
                    + " and this jbhyve reads version 2 only");
        }
    }

    @Test
    void inspectionReadsEverythingAsStored() throws Exception {
        Path f = write("s",
                new Spec("dev.com1", "", 9, true, StateRecord.builder().putU8("ier", 1).build()),
                new Spec("never.heard.of", "x", 1, true, StateRecord.EMPTY));
        try (SnapshotReader r = SnapshotReader.open(f)) {
            assertThat(r.chunks()).allMatch(c -> c.status() == Chunk.Status.READ);
            assertThat(r.record("dev.com1", "").u8("ier")).isEqualTo(1);
        }
    }

    @Test
    void aFutureMajorFormatIsRefusedBeforeAnythingElseIsRead() throws Exception {
        Path f = write("s", new Spec("vm", "", 1, true, VM));
        // Format 2 could lay out everything differently: the manifest here is garbage for format 1, and
        // the reader must not get that far.
        TestSnapshots.rewriteHeader(f, h -> {
            h.putShort(8, (short) 2);
            h.putShort(10, (short) 3);
            h.putInt(32, 0x12345678); // a manifest CRC that does not match
        });
        assertThatThrownBy(() -> SnapshotReader.open(f))
                .isInstanceOf(SnapshotIncompatibleException.class)
                .hasMessage("snapshot " + f + ": is in snapshot format 2.3; this jbhyve reads format 1.x: use a newer"
                        + " jbhyve to read it");
    }

    @Test
    void aNewerMinorFormatIsRead() throws Exception {
        Path f = write("s", new Spec("vm", "", 1, true, VM));
        TestSnapshots.rewriteManifest(f, m -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("format")).put("minor", 7);
            m.putObject("something_added_in_1_7").put("optional", true);
        });
        TestSnapshots.rewriteHeader(f, h -> h.putShort(10, (short) 7));
        try (SnapshotReader r = SnapshotReader.open(f, ReadOptions.restore(registry()))) {
            assertThat(r.header().minor()).isEqualTo(7);
            assertThat(r.record("vm", "")).isEqualTo(VM);
            assertThat(r.manifest().json().has("something_added_in_1_7")).isTrue();
        }
    }

    @Test
    void aFailingUpgraderNamesTheChunkAndTheStep() throws Exception {
        Path f = write("s", new Spec("dev.com1", "", 2, true, StateRecord.builder().putU8("lcr", 3).build()));
        // v2 -> v3 renames "ier", which this record lacks: fine (rename of an absent field is a no-op).
        // A registry whose upgrader needs the field fails with a message naming chunk and step:
        ChunkRegistry strict = new ChunkRegistry().register("dev.com1", 2, 3,
                v2 -> v2.toBuilder().putU8("int_enable", v2.u8("ier")).build());
        assertThatThrownBy(() -> SnapshotReader.open(f, ReadOptions.restore(strict)))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageStartingWith("snapshot " + f + ": chunk 'dev.com1' cannot be upgraded from version 2 to 3: ")
                .hasMessageEndingWith("has no field 'ier' (u8)");
    }

    @Test
    void registryChecksItsOwnArguments() {
        assertThatThrownBy(() -> new ChunkRegistry().register("dev.x", 1, 3, r -> r))
                .hasMessage("chunk kind 'dev.x' reads versions 1 to 3 and so needs 2 upgraders, not 1");
        assertThatThrownBy(() -> new ChunkRegistry().register("dev.x", 2, 1)).hasMessageContaining("1 <= oldest");
        assertThatThrownBy(() -> new ChunkRegistry().register("ram.crc", 1, 1)).hasMessageContaining("belongs to the container");
        assertThatThrownBy(() -> new ChunkRegistry().register("vm", 1, 1).register("vm", 1, 1)).hasMessageContaining("already");
        ChunkRegistry r = new ChunkRegistry().register("dev.virtio-blk", 1, 1).register("dev.virtio-blk@pci.0.9.0", 5, 5);
        assertThat(r.lookup("dev.virtio-blk@pci.0.2.0").orElseThrow().current()).isEqualTo(1);
        assertThat(r.lookup("dev.virtio-blk@pci.0.9.0").orElseThrow().current()).isEqualTo(5);
        assertThat(r.lookup("dev.virtio-net@pci.0.2.0")).isEmpty();
    }
}
