package org.jbhyve.snapshot.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapshotDiff on records with every kind of field: what it names, and how. */
class SnapshotDiffTest {
    @TempDir
    Path dir;

    private Path write(String name, StateRecord device) throws Exception {
        Path file = dir.resolve(name);
        try (Arena arena = Arena.ofConfined(); SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("2M", 1))) {
            w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
            w.addChunk("dev.test", "", 1, true, device);
            MemorySegment ram = TestSnapshots.ram(arena, 2 << 20, 0.1, 3);
            w.addRamRegion("lowmem", 0, ram);
            w.commit();
        }
        return file;
    }

    private static StateRecord device(int u8, byte[] bytes, List<StateRecord> queues, boolean flag, String extra) {
        StateRecord.Builder b = StateRecord.builder().putU8("status", u8).putBytes("config", bytes)
                .putRecord("nested", StateRecord.builder().putBool("flag", flag).build())
                .putRecords("queues", queues);
        if (extra != null) b.putString("extra", extra);
        return b.build();
    }

    private static StateRecord queue(long next) {
        return StateRecord.builder().putU64("next", next).build();
    }

    @Test
    void everyKindOfFieldIsComparedByPath() throws Exception {
        Path a = write("a", device(1, new byte[] {1, 2, 3, 4}, List.of(queue(5), queue(6)), false, null));
        Path b = write("b", device(3, new byte[] {1, 2, 9, 4}, List.of(queue(5), queue(7), queue(8)), true, "new"));
        try (SnapshotReader ra = SnapshotReader.open(a); SnapshotReader rb = SnapshotReader.open(b)) {
            assertThat(SnapshotDiff.compare(ra, rb)).containsExactly(
                    new SnapshotDiff.Change("chunk 'dev.test' field status", "1 (0x1)", "3 (0x3)"),
                    new SnapshotDiff.Change("chunk 'dev.test' field config", "4 bytes, from 0x2: 0304",
                            "4 bytes, from 0x2: 0904 (first difference at byte 0x2)"),
                    new SnapshotDiff.Change("chunk 'dev.test' field nested.flag", "false", "true"),
                    new SnapshotDiff.Change("chunk 'dev.test' field queues (records)", "2", "3"),
                    new SnapshotDiff.Change("chunk 'dev.test' field queues[1].next", "6 (0x6)", "7 (0x7)"),
                    new SnapshotDiff.Change("chunk 'dev.test' field extra", null, "\"new\""));
            assertThat(SnapshotDiff.compare(ra, ra)).isEmpty();
            assertThat(SnapshotDiff.json(ra, rb, SnapshotDiff.compare(ra, rb))).contains("\"same\" : false")
                    .contains("\"where\" : \"chunk 'dev.test' field extra\"").contains("\"before\" : null");
        }
    }

    @Test
    void aFieldWhoseTypeChangedIsOneChange() throws Exception {
        Path a = write("a", StateRecord.builder().putU8("x", 1).build());
        Path b = write("b", StateRecord.builder().putU32("x", 1).build());
        try (SnapshotReader ra = SnapshotReader.open(a); SnapshotReader rb = SnapshotReader.open(b)) {
            assertThat(SnapshotDiff.compare(ra, rb)).containsExactly(
                    new SnapshotDiff.Change("chunk 'dev.test' field x", "u8 1 (0x1)", "u32 1 (0x1)"));
        }
    }
}
