package org.jbhyve.bhyvectl;

import static org.jbhyve.bhyvectl.Run.bhyvectl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jbhyve.snapshot.format.ChunkEntry;
import org.jbhyve.snapshot.format.HostInfo;
import org.jbhyve.snapshot.format.RamRegion;
import org.jbhyve.snapshot.format.SnapshotMetadata;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.snapshot.format.SnapshotWriter;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

import static org.assertj.core.api.Assertions.assertThat;

/** --inspect and --verify on snapshots written by the format library's SnapshotWriter. */
class SnapshotToolsTest {
    @TempDir
    Path tmp;

    private Path snapshot;



    @BeforeEach
    void writeSnapshot() throws IOException {
        snapshot = tmp.resolve("vm1.snap");
        write(snapshot, 0x100000, "stdio", 0, false);
    }

    /**
     * A 1-vCPU, 4 MiB snapshot: vcpu 0's rip is {@code rip}, config lpc.com1.path {@code com1}; the long at
     * guest address {@code changedAt} gets another value when {@code changed}; with {@code changed} the file
     * also has a dev.com1 chunk.
     */
    private static void write(Path file, long rip, String com1, long changedAt, boolean changed) throws IOException {
        SequencedMap<String, String> config = new LinkedHashMap<>();
        config.put("name", "vm1");
        config.put("cpus", "1");
        config.put("memory.size", "4M");
        config.put("lpc.com1.path", com1);
        SnapshotMetadata meta = new SnapshotMetadata("vm1", 1, config,
                new HostInfo("Linux", "6.1.0-test", "amd64", "kvm", "GenuineIntel", "Test CPU"), "0.1.0-test",
                Instant.parse("2026-01-31T12:00:00Z"));
        try (Arena arena = Arena.ofConfined(); SnapshotWriter w = SnapshotWriter.create(file, meta)) {
            MemorySegment ram = arena.allocate(4 << 20, 4096);
            for (long p = 0; p < ram.byteSize(); p += 64 * 4096) ram.set(ValueLayout.JAVA_LONG, p, 0x1122334455667788L + p);
            if (changed) ram.set(ValueLayout.JAVA_LONG, changedAt, 42);
            w.addChunk("vm", "", 1, true, StateRecord.builder().putU32("vcpus", 1).putString("cpu", "host").build());
            w.addChunk("vcpu", "0", 1, true, "kvm", StateRecord.builder().putU64("rip", rip).build());
            if (changed) w.addChunk("dev.com1", "", 2, true, StateRecord.builder().putU8("lsr", 0x60).build());
            w.addRamRegion("lowmem", 0, ram);
            w.commit();
        }
    }

    private void flipBit(long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(snapshot, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 1)}), offset);
        }
    }

    @Test
    void inspectPrintsTheManifestAndChunks() {
        Run r = bhyvectl("--inspect=" + snapshot);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("snapshot " + snapshot).contains("vm1, 1 vCPU, 4 MiB RAM")
                .contains("memory.size=4M").contains("lowmem").contains("vcpu");
        assertThat(r.out()).doesNotContain("rip");
        assertThat(bhyvectl("--inspect=" + snapshot, "--fields").out()).contains("rip");
    }

    @Test
    void inspectJson() throws IOException {
        Run r = bhyvectl("--inspect=" + snapshot, "--json");
        assertThat(r.status()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("file").asText()).isEqualTo(snapshot.toString());
        assertThat(json.path("chunks").findValuesAsText("name")).contains("vm", "vcpu");
        JsonNode withFields = new ObjectMapper().readTree(bhyvectl("--inspect=" + snapshot, "--json", "--fields").out());
        assertThat(withFields.toString()).contains("\"rip\"");
    }

    @Test
    void verifyAGoodSnapshot() {
        Run r = bhyvectl("--verify=" + snapshot);
        assertThat(r).isEqualTo(new Run(0, snapshot + ": good: header, manifest, 3 chunks and 1 RAM region match"
                + " their checksums\n", ""));
    }

    @Test
    void verifyNamesTheFirstBadRamBlock() throws IOException {
        long ramOffset;
        try (SnapshotReader reader = SnapshotReader.open(snapshot)) {
            RamRegion region = reader.ramRegions().getFirst();
            ramOffset = region.fileOffset();
        }
        flipBit(ramOffset + (2 << 20) + 3); // a populated page in block 1
        Run r = bhyvectl("--verify=" + snapshot);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).startsWith(snapshot + ": bad: RAM region 0 ('lowmem') block 1 (guest 0x200000-0x3fffff");
        assertThat(r.err()).isEmpty();
        assertThat(bhyvectl("--inspect=" + snapshot).status()).as("inspect does not read RAM").isZero();
    }

    @Test
    void verifyNamesABadChunk() throws IOException {
        ChunkEntry vcpu;
        try (SnapshotReader reader = SnapshotReader.open(snapshot)) {
            vcpu = reader.chunks().stream().map(c -> c.entry()).filter(e -> e.name().equals("vcpu")).findFirst().orElseThrow();
        }
        flipBit(vcpu.offset() + 1);
        Run r = bhyvectl("--verify=" + snapshot);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).startsWith(snapshot + ": bad: ").contains("vcpu").contains("checksum");
        // Inspection still shows the file, with the damaged chunk marked, and names it on stderr.
        Run inspect = bhyvectl("--inspect=" + snapshot);
        assertThat(inspect.status()).isEqualTo(1);
        assertThat(inspect.out()).contains("memory.size=4M").contains("lowmem")
                .containsPattern("vcpu +0 .*DAMAGED: fails its checksum")
                .containsPattern("vm +- .* ok");
        assertThat(inspect.err()).startsWith("bhyvectl: " + snapshot + ": chunk 'vcpu' instance 0 fails its checksum (stored "
                + String.format("0x%08x", vcpu.crc32c()) + ", computed ")
                .endsWith(") (see --verify)\n");
        Run fields = bhyvectl("--inspect=" + snapshot, "--fields");
        assertThat(fields.out()).contains("(not read: fails its checksum)").doesNotContain("rip");
        JsonNode json = new ObjectMapper().readTree(bhyvectl("--inspect=" + snapshot, "--json").out());
        JsonNode bad = json.path("chunks").findParents("name").stream()
                .filter(n -> n.path("name").asText().equals("vcpu")).findFirst().orElseThrow();
        assertThat(bad.path("status").asText()).isEqualTo("damaged");
        assertThat(bad.path("note").asText()).isEqualTo("fails its checksum");
    }

    /** Sets ram.crc's version in the manifest to 2 (a newer optional kind) and fixes the header's length and CRCs. */
    private void makeRamCrcVersion2() throws IOException {
        try (FileChannel ch = FileChannel.open(snapshot, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            long off = h.getLong(16);
            byte[] json = new byte[(int) h.getLong(24)];
            ch.read(ByteBuffer.wrap(json), off);
            ObjectMapper mapper = new ObjectMapper();
            JsonNode m = mapper.readTree(json);
            for (JsonNode c : m.path("chunks")) {
                if (c.path("name").asText().equals("ram.crc")) ((com.fasterxml.jackson.databind.node.ObjectNode) c).put("version", 2);
            }
            byte[] changed = mapper.writeValueAsBytes(m);
            ch.truncate(off);
            ch.write(ByteBuffer.wrap(changed), off);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(changed);
            h.putLong(24, changed.length).putInt(32, (int) crc.getValue());
            java.util.zip.CRC32C headerCrc = new java.util.zip.CRC32C(); // the header's own, over its first 60 bytes
            headerCrc.update(h.array(), 0, 60);
            h.putInt(60, (int) headerCrc.getValue());
            ch.write(ByteBuffer.wrap(h.array()), 0);
        }
    }

    @Test
    void aWarningIsOneLineOnStderrForVerifyAndPartOfTheListingForInspect() throws IOException {
        makeRamCrcVersion2();
        Run verify = bhyvectl("--verify=" + snapshot);
        assertThat(verify.status()).as(verify.out()).isEqualTo(1); // RAM cannot be checked, so the file is not called good
        assertThat(verify.err()).as(verify.out()).isEqualTo("bhyvectl: warning: snapshot " + snapshot + ": cannot verify RAM: chunk"
                + " 'ram.crc' is version 2; this jbhyve verifies RAM with version 1 only: use a newer jbhyve to verify it\n");
        Run inspect = bhyvectl("--inspect=" + snapshot);
        assertThat(inspect.status()).isZero();
        assertThat(inspect.err()).isEmpty();
        assertThat(inspect.out()).contains("cannot verify RAM: chunk 'ram.crc' is version 2");
    }

    @Test
    void diffOfASnapshotWithItselfFindsNothing() {
        Run r = bhyvectl("--inspect=" + snapshot, "--diff=" + snapshot);
        assertThat(r).isEqualTo(new Run(0, "--- " + snapshot + "\n+++ " + snapshot + "\nno differences in machine,"
                + " config, chunks and RAM (by 2 MiB block CRC32C)\n", ""));
    }

    @Test
    void diffNamesWhatChangedFieldByFieldAndRamByBlock() throws IOException {
        Path later = tmp.resolve("vm1-later.snap");
        write(later, 0x100010, "stdio", (2 << 20) + 8, true);
        Run r = bhyvectl("--inspect=" + later, "--diff=" + snapshot);
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("--- " + snapshot + "\n+++ " + later + "\n"
                + "chunk 'vcpu' instance 0 field rip: 1048576 (0x100000) -> 1048592 (0x100010)\n"
                + "chunk 'dev.com1': only in +++: version 2, required\n"
                + "RAM region 0 ('lowmem'): by their CRC32C -> 1 of 2 2 MiB blocks differ (guest 0x200000-0x3fffff)\n"
                + "3 differences in machine, config, chunks and RAM (by 2 MiB block CRC32C)\n");
        JsonNode json = new ObjectMapper().readTree(bhyvectl("--inspect=" + snapshot, "--diff=" + later, "--json").out());
        assertThat(json.path("same").asBoolean()).isFalse();
        assertThat(json.path("changes").findValuesAsText("where")).containsExactly("chunk 'vcpu' instance 0 field rip",
                "chunk 'dev.com1'", "RAM region 0 ('lowmem')");
        assertThat(json.path("changes").get(1).path("after").isNull()).as("dev.com1 is only in --diff's file").isTrue();

        Path otherConfig = tmp.resolve("vm1-tcp.snap");
        write(otherConfig, 0x100000, "tcp=127.0.0.1:4444", 0, false);
        assertThat(bhyvectl("--inspect=" + otherConfig, "--diff=" + snapshot).out())
                .contains("config lpc.com1.path: stdio -> tcp=127.0.0.1:4444\n").contains("1 difference in");
    }

    @Test
    void diffOfAFileThatCannotBeReadIsTroubleNotADifference() {
        Run r = bhyvectl("--inspect=" + snapshot, "--diff=" + tmp.resolve("nope"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("bhyvectl: cannot open snapshot " + tmp.resolve("nope"));
        assertThat(bhyvectl("--verify=" + snapshot, "--diff=" + snapshot).err()).startsWith("bhyvectl: --diff goes with --inspect only");
        assertThat(bhyvectl("--inspect=" + snapshot, "--diff=" + snapshot, "--fields").err())
                .startsWith("bhyvectl: --diff compares every field already: drop --fields");
    }

    @Test
    void aMissingFileIsAnError() {
        Path missing = tmp.resolve("nope");
        Run r = bhyvectl("--verify=" + missing);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("bhyvectl: cannot open snapshot " + missing);
        assertThat(bhyvectl("--inspect=" + missing).status()).isEqualTo(1);
    }

    @Test
    void aFileThatIsNoSnapshotIsBad() throws IOException {
        Path text = java.nio.file.Files.writeString(tmp.resolve("notes.txt"), "hello, this is not a snapshot at all....."
                + "x".repeat(200));
        Run r = bhyvectl("--verify=" + text);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).startsWith(text + ": bad: ");
    }
}
