package org.jbhyve.snapshot.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damaged files: truncation anywhere, a flipped bit in the header, the manifest, each chunk and RAM, wrong
 * magic, and manifests that are well-formed and correctly summed but describe an impossible layout. Each
 * is one SnapshotFormatException naming the file and the first problem.
 */
class SnapshotIntegrityTest {
    @TempDir
    Path dir;

    Path file;
    byte[] original;

    @BeforeEach
    void writeSample() throws Exception {
        file = dir.resolve("s1");
        try (Arena arena = Arena.ofConfined()) {
            TestSnapshots.writeSample(file, arena, 42);
        }
        original = Files.readAllBytes(file);
    }

    /** Puts the original bytes back. */
    private void restore() throws IOException {
        restoreFrom(0);
    }

    /**
     * Puts the original bytes from {@code offset} on back, keeping the file sparse (rewriting 10 MB of
     * mostly zeros hundreds of times would make this test slow).
     */
    private void restoreFrom(long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            byte[] zero = new byte[4096];
            for (int p = (int) (offset & -4096); p < original.length; p += 4096) {
                int n = Math.min(4096, original.length - p);
                if (p < ch.size() || java.util.Arrays.mismatch(original, p, p + n, zero, 0, n) >= 0) {
                    ch.write(ByteBuffer.wrap(original, p, n), p);
                }
            }
            if (ch.size() < original.length) ch.write(ByteBuffer.wrap(original, original.length - 1, 1), original.length - 1);
            ch.truncate(original.length);
        }
    }

    @Test
    void theZeroBlockCrcConstantIsTheCrcOfABlockOfZeros() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(new byte[SnapshotFormat.BLOCK_SIZE]);
        assertThat(SnapshotFormat.ZERO_BLOCK_CRC).isEqualTo((int) crc.getValue());
    }

    /**
     * RAM punched out of the file (a copy that dropped it, or fallocate): a block ram.crc says held data but
     * that is all hole is refused without reading RAM; blocks that never held data are holes by design and
     * pass; a block that lost only some pages still has data and is left to verify().
     */
    @Test
    void aBlockOfRamMissingFromTheFileIsFoundWithoutReadingRam() throws Exception {
        long ramOffset;
        try (SnapshotReader r = SnapshotReader.open(file)) {
            r.checkRamPresent(); // the sample as written: every block with data has it
            ramOffset = r.ramRegions().getFirst().fileOffset();
        }
        punch(ramOffset + (2L << 20), 2L << 20); // block 1, all of it
        assertThatThrownBy(() -> {
            try (SnapshotReader r = SnapshotReader.open(file)) {
                r.checkRamPresent();
            }
        }).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("block 1 (guest 0x200000-0x3fffff, file offset 0x" + Long.toHexString(ramOffset + (2L << 20)))
                .hasMessageContaining("is missing from the file");
        restore();
        long page = ramOffset + (2L << 20); // the first page of block 1 that held data
        while (java.util.Arrays.mismatch(original, (int) page, (int) page + 4096, new byte[4096], 0, 4096) < 0) page += 4096;
        punch(page, 4096);
        try (SnapshotReader r = SnapshotReader.open(file)) {
            r.checkRamPresent();
        }
        assertThat(openError()).contains("block 1").contains("fails its checksum");
    }

    private void punch(long offset, long length) throws Exception {
        Process p = new ProcessBuilder("fallocate", "--punch-hole", "--offset", Long.toString(offset), "--length",
                Long.toString(length), file.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    private String openError() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (SnapshotReader r = SnapshotReader.open(file)) {
                r.verify();
            }
        });
        assertThat(t).as("opening the damaged file").isInstanceOf(SnapshotFormatException.class);
        assertThat(t.getMessage()).startsWith("snapshot " + file + ": ");
        return t.getMessage().substring(("snapshot " + file + ": ").length());
    }

    @Test
    void truncationAnywhereIsCaught() throws Exception {
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, 1L, 7L, 8L, 15L, 16L, 63L, 64L, 65L, (long) original.length - 1));
        try (SnapshotReader r = SnapshotReader.open(file)) {
            for (ChunkEntry c : r.manifest().chunks()) {
                cuts.add(c.offset());
                cuts.add(c.offset() + c.length() - 1);
            }
            RamRegion g = r.ramRegions().getFirst();
            cuts.add(g.fileOffset());
            cuts.add(g.fileOffset() + g.size() / 2);
            cuts.add(r.header().manifestOffset());
            cuts.add(r.header().manifestOffset() + r.header().manifestLength() / 2);
        }
        Random rnd = new Random(7);
        for (int i = 0; i < 40; i++) cuts.add((long) rnd.nextInt(original.length));
        for (long cut : cuts) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            assertThat(openError()).as("cut at %d", cut).contains("truncated");
            restoreFrom(cut);
        }
        // And the other way: bytes appended after the manifest.
        Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertThat(openError()).isEqualTo("has 3 bytes after its manifest, which must end the file (was it appended to?)");
    }

    @Test
    void everyBitOfTheHeaderIsCovered() throws Exception {
        for (int offset = 0; offset < 64; offset++) {
            for (int bit = 0; bit < 8; bit++) {
                TestSnapshots.flipBit(file, offset, bit);
                String error = openError();
                if (offset < 8) assertThat(error).as("bit %d of byte %d", bit, offset).startsWith("is not a jbhyve snapshot");
                else assertThat(error).as("bit %d of byte %d", bit, offset).containsPattern("^header (is corrupt|fails its checksum)");
                TestSnapshots.flipBit(file, offset, bit);
            }
        }
        TestSnapshots.flipBit(file, 40, 0);
        assertThat(openError()).matches("header fails its checksum \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\)");
    }

    @Test
    void aFlippedBitInTheManifestIsCaught() throws Exception {
        long off = TestSnapshots.header(file).getLong(16);
        long len = TestSnapshots.header(file).getLong(24);
        Random rnd = new Random(3);
        for (int i = 0; i < 50; i++) {
            long at = off + rnd.nextLong(len);
            int bit = rnd.nextInt(8);
            TestSnapshots.flipBit(file, at, bit);
            assertThat(openError()).startsWith("manifest fails its checksum (stored 0x");
            TestSnapshots.flipBit(file, at, bit);
        }
    }

    @Test
    void aFlippedBitInEachChunkNamesThatChunk() throws Exception {
        List<ChunkEntry> chunks;
        try (SnapshotReader r = SnapshotReader.open(file)) {
            chunks = r.manifest().chunks();
        }
        assertThat(chunks).extracting(ChunkEntry::name).contains("vm", "vcpu", "kvm.clock", "dev.com1", "ram.crc");
        Random rnd = new Random(5);
        for (ChunkEntry c : chunks) {
            for (int i = 0; i < 5; i++) {
                long at = c.offset() + rnd.nextLong(c.length());
                int bit = rnd.nextInt(8);
                TestSnapshots.flipBit(file, at, bit);
                assertThat(openError()).matches(java.util.regex.Pattern.quote(c.label())
                        + " fails its checksum \\(stored " + String.format("0x%08x", c.crc32c()) + ", computed 0x[0-9a-f]{8}\\)");
                TestSnapshots.flipBit(file, at, bit);
            }
        }
        // The vcpu chunks are told apart by instance.
        ChunkEntry vcpu1 = chunks.stream().filter(c -> c.name().equals("vcpu") && c.instance().equals("1")).findFirst().orElseThrow();
        TestSnapshots.flipBit(file, vcpu1.offset() + 3, 2);
        assertThat(openError()).startsWith("chunk 'vcpu' instance 1 fails its checksum");
    }

    @Test
    void aFlippedBitInRamIsCaughtByVerifyNotByOpen() throws Exception {
        RamRegion g;
        try (SnapshotReader r = SnapshotReader.open(file)) {
            g = r.ramRegions().getFirst();
        }
        Random rnd = new Random(9);
        for (int i = 0; i < 10; i++) {
            long at = g.fileOffset() + rnd.nextLong(g.size());
            TestSnapshots.flipBit(file, at, rnd.nextInt(8));
            try (SnapshotReader r = SnapshotReader.open(file)) { // open does not read RAM
                long block = (at - g.fileOffset()) / (2 << 20);
                assertThatThrownBy(r::verify)
                        .isInstanceOf(SnapshotFormatException.class)
                        .hasMessageStartingWith("snapshot " + file + ": RAM region 0 ('lowmem') block " + block + " (guest 0x")
                        .hasMessageContaining("fails its checksum (stored 0x");
            }
            assertThatThrownBy(() -> SnapshotReader.open(file, ReadOptions.inspect().withVerifyRam(true)))
                    .hasMessageContaining("RAM region 0 ('lowmem') block");
            restore();
            SnapshotReader.verify(file);
        }
    }

    @Test
    void wrongMagicSaysWhatTheFileStartsWith() throws Exception {
        Files.write(file, "hello, world, this is not a snapshot at all, but long enough to have a header..."
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(openError()).isEqualTo("is not a jbhyve snapshot: it starts with \"hello, w\", not the magic \"JBHYVSNP\"");

        Path bhyve = dir.resolve("ckp");
        Files.write(bhyve, new byte[8192]);
        Files.writeString(dir.resolve("ckp.meta"), "{}");
        Files.write(dir.resolve("ckp.kern"), new byte[16]);
        assertThatThrownBy(() -> SnapshotReader.open(bhyve))
                .hasMessage("snapshot " + bhyve + ": is not a jbhyve snapshot: it starts with"
                        + " \"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\", not the magic \"JBHYVSNP\" (" + bhyve
                        + ".meta and .kern exist: this looks like a bhyve(8) checkpoint, which jbhyve does not restore)");
    }

    @Test
    void unreadableFilesAreIoErrorsNamingTheFile() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> SnapshotReader.open(missing))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SnapshotFormatException.class)
                .hasMessage("cannot open snapshot " + missing + ": ENOENT (no such file or directory)");
        assertThatThrownBy(() -> SnapshotReader.open(dir))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SnapshotFormatException.class)
                .hasMessage("cannot open snapshot " + dir + ": it is a directory, not a regular file; name the snapshot"
                        + " file itself");
    }

    // ---- well-summed manifests describing impossible layouts ----

    private String withManifest(Consumer<ObjectNode> change) throws IOException {
        restore();
        TestSnapshots.rewriteManifest(file, change);
        return openError();
    }

    private static ObjectNode chunk(ObjectNode m, String name) {
        for (var c : m.get("chunks")) if (c.get("name").asText().equals(name)) return (ObjectNode) c;
        throw new IllegalArgumentException(name);
    }

    private static ObjectNode region(ObjectNode m) {
        return (ObjectNode) m.get("memory").get("regions").get(0);
    }

    @Test
    void inspectionCanShowAFileWithADamagedChunkWhichEveryOtherReadRefuses() throws Exception {
        ChunkEntry vcpu1;
        try (SnapshotReader r = SnapshotReader.open(file)) {
            vcpu1 = r.chunk("vcpu", "1").orElseThrow().entry();
        }
        TestSnapshots.flipBit(file, vcpu1.offset() + 5, 3);
        assertThatThrownBy(() -> SnapshotReader.open(file)).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("chunk 'vcpu' instance 1 fails its checksum");
        try (SnapshotReader r = SnapshotReader.open(file, ReadOptions.inspect().withShowDamage(true))) {
            assertThat(r.damage()).singleElement().asString().startsWith("chunk 'vcpu' instance 1 fails its checksum");
            Chunk bad = r.chunk("vcpu", "1").orElseThrow();
            assertThat(bad.status()).isEqualTo(Chunk.Status.DAMAGED);
            assertThat(bad.record()).isNull();
            assertThat(r.chunk("vcpu", "0").orElseThrow().status()).isEqualTo(Chunk.Status.READ);
            assertThatThrownBy(r::verify).isInstanceOf(SnapshotFormatException.class);
        }
        assertThatThrownBy(() -> ReadOptions.restore(new ChunkRegistry()).withShowDamage(true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunksThatWouldFillTheHeapAreRefusedBeforeAnyIsRead() throws Exception {
        // A sparse file: one more chunk of 64 MiB of zeros (a hole: no disk) with its correct CRC, so that only
        // the reader's limit on chunks held in memory stands between this file and an OutOfMemoryError.
        restore();
        long bigLength = SnapshotFormat.MAX_CHUNKS_TOTAL;
        java.util.zip.CRC32C zeros = new java.util.zip.CRC32C();
        byte[] block = new byte[1 << 20];
        for (long done = 0; done < bigLength; done += block.length) zeros.update(block);
        ObjectNode m = TestSnapshots.manifestJson(file);
        long bigOffset = (TestSnapshots.header(file).getLong(16) + 7) & ~7L;
        ((com.fasterxml.jackson.databind.node.ArrayNode) m.get("chunks")).addObject()
                .put("name", "x.huge").put("instance", "").put("version", 1).put("required", false)
                .put("offset", bigOffset).put("length", bigLength)
                .put("crc32c", String.format("0x%08x", zeros.getValue()));
        TestSnapshots.rewriteHeader(file, h -> h.putLong(16, bigOffset + bigLength));
        TestSnapshots.writeManifestBytes(file, TestSnapshots.jsonBytes(m));
        assertThat(Files.size(file)).isGreaterThan(bigLength);
        assertThat(openError()).matches("its 7 chunks hold [0-9]+ bytes together, more than the 64 MiB a reader loads"
                + " into memory \\(RAM is not a chunk\\)");
    }

    @Test
    void theWriterRefusesChunksPastWhatAReaderLoads() throws Exception {
        Path other = dir.resolve("big");
        try (Arena arena = Arena.ofConfined();
             SnapshotWriter w = SnapshotWriter.create(other, TestSnapshots.metadata("8M", 2))) {
            w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
            StateRecord big = StateRecord.builder().putBytes("blob", new byte[(int) SnapshotFormat.MAX_CHUNKS_TOTAL]).build();
            assertThatThrownBy(() -> w.addChunk("dev.blob", "", 1, false, big))
                    .isInstanceOf(SnapshotWriteException.class)
                    .hasMessageContaining("would bring its chunks past the 64 MiB a reader loads; the temporary file was"
                            + " removed and " + other + " was not touched");
        }
        assertThat(Files.exists(other)).isFalse();
        assertThat(TestSnapshots.temporaries(dir, "big")).isEmpty();
    }

    @Test
    void layoutErrors() throws Exception {
        assertThat(withManifest(m -> chunk(m, "vcpu").put("offset", chunk(m, "vm").get("offset").asLong() + 8)))
                .matches("chunk '(vcpu' instance 0|vm') \\(file offset 0x[0-9a-f]+\\) overlaps chunk '.*");
        assertThat(withManifest(m -> chunk(m, "vm").put("offset", chunk(m, "vm").get("offset").asLong() + 4)))
                .isEqualTo("chunk 'vm' starts at file offset 0x44, which is not 8-byte aligned");
        assertThat(withManifest(m -> chunk(m, "vm").put("offset", 0)))
                .startsWith("chunk 'vm' (file offset 0x0) overlaps the header");
        assertThat(withManifest(m -> region(m).put("file_offset", region(m).get("file_offset").asLong() + 4096)))
                .matches("RAM region 0 \\('lowmem'\\) starts at file offset 0x[0-9a-f]+, which is not 2 MiB aligned");
        assertThat(withManifest(m -> region(m).put("file_offset", 0)))
                .startsWith("RAM region 0 ('lowmem') (file offset 0x0) overlaps the header");
        assertThat(withManifest(m -> region(m).put("file_offset", 1L << 40)))
                .startsWith("RAM region 0 ('lowmem') (file offset 0x10000000000, 8388608 bytes) extends past the start of"
                        + " the manifest").endsWith("and the end of the file");
        assertThat(withManifest(m -> chunk(m, "dev.com1").put("length", 1L << 40)))
                .isEqualTo("chunk 'dev.com1' has length 1099511627776 (a chunk is 4 to 2147483583 bytes)");
        assertThat(withManifest(m -> chunk(m, "dev.com1").put("offset", Long.MAX_VALUE - 7)))
                .startsWith("chunk 'dev.com1' (file offset 0x7ffffffffffffff8, ").endsWith("and the end of the file");
        assertThat(withManifest(m -> chunk(m, "dev.com1").put("name", "vm")))
                .isEqualTo("manifest lists chunk 'vm' twice");
        assertThat(withManifest(m -> region(m).put("size", 4L << 20)))
                .startsWith("RAM regions add up to 4194304 bytes but the manifest's memory.size is 8388608");
        assertThat(withManifest(m -> {
            region(m).put("size", 4L << 20);
            ((ObjectNode) m.get("memory")).put("size", 4L << 20);
        })).isEqualTo("RAM regions add up to 4194304 bytes but the config's memory.size '8M' is 8388608 bytes");
        assertThat(withManifest(m -> region(m).put("populated_pages", 5000)))
                .isEqualTo("RAM region 0 ('lowmem') claims 5000 populated pages but has only 2048");
        assertThat(withManifest(m -> {
            ArrayNode regions = (ArrayNode) m.get("memory").get("regions");
            ObjectNode second = regions.addObject();
            second.put("name", "extra").put("gpa", 0x7000).put("size", 4096).put("file_offset", 0).put("populated_pages", 0);
        })).isEqualTo("RAM region 1 ('extra') overlaps RAM region 0 ('lowmem') in guest physical memory");
        assertThat(withManifest(m -> ((ObjectNode) m.get("config")).put("cpus", "4")))
                .isEqualTo("manifest says 2 vCPUs but the config's cpus is 4");
        assertThat(withManifest(m -> ((ArrayNode) m.get("chunks")).remove(((ArrayNode) m.get("chunks")).size() - 1)))
                .isEqualTo("has RAM regions but no 'ram.crc' chunk");
        assertThat(withManifest(m -> ((ObjectNode) m.get("memory")).put("page_size", 16384)))
                .isEqualTo("manifest memory.page_size is 16384; format 1 uses 4096");
    }

    @Test
    void manifestSchemaErrors() throws Exception {
        assertThat(withManifest(m -> m.remove("vm"))).isEqualTo("manifest is invalid: required key 'vm' is missing");
        assertThat(withManifest(m -> ((ObjectNode) m.get("vm")).remove("vcpus")))
                .isEqualTo("manifest is invalid: required key 'vm.vcpus' is missing");
        assertThat(withManifest(m -> ((ObjectNode) m.get("vm")).put("vcpus", "2")))
                .isEqualTo("manifest is invalid: 'vm.vcpus' must be an integer from 1 to 65535, not a string");
        assertThat(withManifest(m -> ((ObjectNode) m.get("vm")).put("vcpus", 2.5)))
                .isEqualTo("manifest is invalid: 'vm.vcpus' must be an integer from 1 to 65535, not the number 2.5");
        assertThat(withManifest(m -> chunk(m, "vm").put("offset", -8)))
                .isEqualTo("manifest is invalid: 'chunks[0].offset' is -8, outside 0 to 9223372036854775807");
        assertThat(withManifest(m -> chunk(m, "vm").put("offset", new java.math.BigInteger("99999999999999999999"))))
                .startsWith("manifest is invalid: 'chunks[0].offset' must be an integer");
        assertThat(withManifest(m -> chunk(m, "vm").put("crc32c", "0x123")))
                .isEqualTo("manifest is invalid: 'chunks[0].crc32c' \"0x123\" is not 0x followed by 8 lower-case hex digits");
        assertThat(withManifest(m -> chunk(m, "vm").put("name", "../etc")))
                .isEqualTo("manifest is invalid: 'chunks[0].name' \"../etc\" is not a valid chunk name");
        assertThat(withManifest(m -> m.put("created", "yesterday")))
                .startsWith("manifest is invalid: 'created' \"yesterday\" is not an ISO-8601 UTC time");
        assertThat(withManifest(m -> ((ObjectNode) m.get("config")).put("cpus", 2)))
                .isEqualTo("manifest is invalid: 'config.cpus' must be a string (bhyve config values are strings), not the integer 2");
        assertThat(withManifest(m -> ((ObjectNode) m.get("format")).put("minor", 1)))
                .isEqualTo("manifest says format 1.1 but the header says 1.0");
        assertThat(withManifest(m -> m.put("snapshot_id", "00000000-0000-0000-0000-000000000000")))
                .startsWith("manifest's snapshot_id 00000000-0000-0000-0000-000000000000 differs from the header's");

        restore();
        TestSnapshots.writeManifestBytes(file, "{\"format\": {\"major\": 1, \"minor\": 0}, \"format\": 2}".getBytes(StandardCharsets.UTF_8));
        assertThat(openError()).startsWith("manifest is not valid JSON: Duplicate field 'format'");
        restore();
        TestSnapshots.writeManifestBytes(file, "[1, 2]".getBytes(StandardCharsets.UTF_8));
        assertThat(openError()).isEqualTo("manifest is not a JSON object");
        restore();
        TestSnapshots.writeManifestBytes(file, new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
        assertThat(openError()).startsWith("manifest is not valid JSON: ");
        restore();
        TestSnapshots.writeManifestBytes(file, "{} {}".getBytes(StandardCharsets.UTF_8));
        assertThat(openError()).startsWith("manifest is not valid JSON: ");
    }

    @Test
    void manifestFormsAreHeldToWhatTheFormatDocumentStates() throws Exception {
        // §5: created is YYYY-MM-DDThh:mm:ss, optionally 1 to 9 fraction digits, then 'Z', and a real date.
        for (String created : List.of("2026-11-27T02:15:46.Z", "2026-11-27T02:15:46z", "2026-11-27T02:15:46+00:00",
                "2026-11-27T02:15:46.1234567890Z", "2026-11-27 02:15:46Z", "2026-13-27T02:15:46Z", "2026-02-30T02:15:46Z")) {
            assertThat(withManifest(m -> m.put("created", created))).as(created)
                    .startsWith("manifest is invalid: 'created' \"" + created + "\" is not an ISO-8601 UTC time");
        }
        for (String created : List.of("2026-11-27T02:15:46Z", "2026-11-27T02:15:46.4Z", "2026-11-27T02:15:46.411215572Z")) {
            restore();
            TestSnapshots.rewriteManifest(file, m -> m.put("created", created));
            try (SnapshotReader r = SnapshotReader.open(file)) {
                assertThat(r.manifest().created()).isEqualTo(java.time.Instant.parse(created));
            }
        }
        // §5: snapshot_id in the 36-character form only (either case); java.util.UUID alone takes more.
        for (String id : List.of("1-1-1-1-1", "b88600bb-+efe-4ae5-b42d-b307a5a81376", "b88600bb3-efe-4ae5-b42d-b307a5a81376",
                "b88600bb3efe4ae5b42db307a5a81376", "{b88600bb-3efe-4ae5-b42d-b307a5a81376}")) {
            assertThat(withManifest(m -> m.put("snapshot_id", id))).as(id)
                    .isEqualTo("manifest is invalid: 'snapshot_id' \"" + id + "\" is not a UUID in its 36-character form"
                            + " (8-4-4-4-12 hex digits)");
        }
        restore();
        TestSnapshots.rewriteManifest(file, m -> m.put("snapshot_id", m.get("snapshot_id").asText().toUpperCase(java.util.Locale.ROOT)));
        try (SnapshotReader r = SnapshotReader.open(file)) {
            assertThat(r.manifest().snapshotId()).isNotNull();
        }
        // §5: a chunk's producer is 1 to 128 characters.
        assertThat(withManifest(m -> chunk(m, "vm").put("producer", "")))
                .isEqualTo("manifest is invalid: 'chunks[0].producer' \"\" is not 1 to 128 characters long");
        assertThat(withManifest(m -> chunk(m, "vm").put("producer", "k".repeat(129))))
                .startsWith("manifest is invalid: 'chunks[0].producer' \"kkk");
        restore();
        TestSnapshots.rewriteManifest(file, m -> chunk(m, "vm").put("producer", "\u00e9".repeat(128)));
        try (SnapshotReader r = SnapshotReader.open(file)) {
            assertThat(r.manifest().chunks().getFirst().producer()).hasSize(128);
        }
        // §6.1: ram.crc has the empty instance.
        assertThat(withManifest(m -> chunk(m, "ram.crc").put("instance", "x")))
                .isEqualTo("chunk 'ram.crc' instance x: the ram.crc chunk's instance must be empty");
        // §5: no byte-order mark before the JSON.
        restore();
        byte[] json = TestSnapshots.jsonBytes(TestSnapshots.manifestJson(file));
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(json, 0, withBom, 3, json.length);
        TestSnapshots.writeManifestBytes(file, withBom);
        assertThat(openError()).isEqualTo("manifest is not valid JSON: it starts with a UTF-8 byte-order mark");
    }

    @Test
    void hostileHeaderLengthsAllocateNothing() throws Exception {
        TestSnapshots.rewriteHeader(file, h -> h.putLong(24, 1L << 40));
        assertThat(openError()).isEqualTo("header is corrupt: manifest length 1099511627776 is not between 1 and 67108864");
        restore();
        TestSnapshots.rewriteHeader(file, h -> h.putLong(24, 60 << 20));
        assertThat(openError()).startsWith("is truncated: it has " + original.length + " bytes, but its manifest ends at ");
        restore();
        TestSnapshots.rewriteHeader(file, h -> h.putLong(16, Long.MAX_VALUE - 7));
        assertThat(openError()).startsWith("is truncated: it has ");
        restore();
        TestSnapshots.rewriteHeader(file, h -> h.putLong(16, 12));
        assertThat(openError()).isEqualTo("header is corrupt: manifest offset 0xc is inside the header or not 8-byte aligned");
        restore();
        TestSnapshots.rewriteHeader(file, h -> h.putInt(12, 1 << 30));
        assertThat(openError()).isEqualTo("header is corrupt: its length field says 1073741824 bytes, not a multiple of 8"
                + " from 64 to 4096");
    }

    @Test
    void aStructurallyBrokenChunkWithAGoodChecksumIsNamed() throws Exception {
        // A writer bug, not damage: the chunk's bytes are summed correctly but are not a record.
        long off;
        try (SnapshotReader r = SnapshotReader.open(file)) {
            off = r.manifest().chunks().getFirst().offset();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {9, 0, 0, 0}), off); // claims 9 fields
        }
        byte[] payload;
        List<Integer> crcs = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file)) {
            ObjectNode m = TestSnapshots.manifestJson(file);
            ObjectNode vm = chunk(m, "vm");
            payload = new byte[vm.get("length").asInt()];
            ch.read(ByteBuffer.wrap(payload), off);
            java.util.zip.CRC32C c = new java.util.zip.CRC32C();
            c.update(payload);
            crcs.add((int) c.getValue());
        }
        TestSnapshots.rewriteManifest(file, m -> chunk(m, "vm").put("crc32c", String.format("0x%08x", crcs.getFirst())));
        assertThat(openError()).startsWith("chunk 'vm' is not a valid state record: at byte 0x");
    }
}
