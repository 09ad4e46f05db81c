package org.jbhyve.snapshot.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded fuzzing of everything a reader parses: manifest text and structure, and whole files with
 * damage that checksums do not catch (the manifest and header re-summed after the change). Nothing may
 * come out but a SnapshotFormatException or a successful open.
 */
class SnapshotFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 0xf00d_2026L);

    @TempDir
    Path dir;
    Path file;
    byte[] manifest;

    @BeforeEach
    void sample() throws Exception {
        file = dir.resolve("s");
        try (Arena arena = Arena.ofConfined();
             SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("2M", 2))) {
            w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
            w.addChunk("vcpu", "0", 1, true, "kvm", TestSnapshots.vcpuRecord(0));
            w.addRamRegion("lowmem", 0, TestSnapshots.ram(arena, 2 << 20, 0.2, 1));
            w.addChunk("dev.com1", "", 1, false, TestSnapshots.comRecord());
            w.commit();
        }
        manifest = TestSnapshots.jsonBytes(TestSnapshots.manifestJson(file));
    }

    private static final String REPLACE = "{}[]\":,0123456789-.eEtrufalsn \\x";
    private static final String INSERT = "{}[]\":,0-9e\u0000\uD800";

    @Test
    void manifestText() {
        Random rnd = new Random(SEED);
        String text = new String(manifest, StandardCharsets.UTF_8);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(text);
            for (int m = 1 + rnd.nextInt(3); m > 0 && !sb.isEmpty(); m--) {
                int at = rnd.nextInt(sb.length());
                switch (rnd.nextInt(4)) {
                    case 0 -> sb.setCharAt(at, REPLACE.charAt(rnd.nextInt(REPLACE.length())));
                    case 1 -> sb.deleteCharAt(at);
                    case 2 -> sb.insert(at, INSERT.charAt(rnd.nextInt(INSERT.length())));
                    default -> sb.setLength(at);
                }
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            if (rnd.nextInt(10) == 0 && bytes.length > 0) bytes[rnd.nextInt(bytes.length)] = (byte) (0x80 + rnd.nextInt(128));
            if (parseOrFormatError(bytes, "text mutation #" + i)) parsed++;
        }
        assertThat(parsed).isPositive();
    }

    @Test
    void manifestStructure() throws Exception {
        Random rnd = new Random(SEED + 1);
        JsonNode base = JsonTrees.read(manifest);
        for (int i = 0; i < 5_000; i++) {
            JsonNode tree = base.deepCopy();
            for (int m = 1 + rnd.nextInt(3); m > 0; m--) mutateTree(tree, rnd);
            parseOrFormatError(TestSnapshots.jsonBytes(tree), "structure mutation #" + i + ": " + tree);
        }
        // Deep nesting and long strings hit Jackson's limits, which must also come out as format errors.
        parseOrFormatError(("[".repeat(100_000)).getBytes(StandardCharsets.UTF_8), "deep nesting");
        parseOrFormatError(("{\"a\":" + "1".repeat(1000) + "}").getBytes(StandardCharsets.UTF_8), "huge number");
    }

    private static final JsonNode[] ODD = {
            JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.textNode(""),
            JsonNodeFactory.instance.textNode("0x1234abcd"), JsonNodeFactory.instance.numberNode(-1),
            JsonNodeFactory.instance.numberNode(Long.MAX_VALUE), JsonNodeFactory.instance.numberNode(1.5),
            JsonNodeFactory.instance.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
            JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.arrayNode(),
            JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.numberNode(0),
            JsonNodeFactory.instance.numberNode(1 << 21)};

    private static void mutateTree(JsonNode root, Random rnd) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode c = containers.get(rnd.nextInt(containers.size()));
        if (c instanceof ObjectNode o && !o.isEmpty()) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            String key = keys.get(rnd.nextInt(keys.size()));
            switch (rnd.nextInt(3)) {
                case 0 -> o.remove(key);
                case 1 -> o.set(key, ODD[rnd.nextInt(ODD.length)].deepCopy());
                default -> o.set(key + "x", ODD[rnd.nextInt(ODD.length)].deepCopy());
            }
        } else if (c instanceof ArrayNode a && !a.isEmpty()) {
            int at = rnd.nextInt(a.size());
            switch (rnd.nextInt(3)) {
                case 0 -> a.remove(at);
                case 1 -> a.set(at, ODD[rnd.nextInt(ODD.length)].deepCopy());
                default -> a.add(a.get(at).deepCopy());
            }
        }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (JsonNode child : n) collect(child, out);
        }
    }

    private static boolean parseOrFormatError(byte[] bytes, String what) {
        try {
            Manifest.parse(bytes);
            return true;
        } catch (SnapshotFormatException e) {
            assertThat(e.getMessage()).startsWith("manifest ");
            return false;
        } catch (Throwable t) {
            fail(what + " threw " + t, t);
            return false;
        }
    }

    /**
     * Changes the manifest's numbers (offsets, lengths, sizes, versions) to random, often hostile values
     * and re-sums it, so the reader's layout checks, not its checksums, must catch them; also random byte
     * damage anywhere without re-summing.
     */
    @Test
    void wholeFiles() throws Exception {
        Random rnd = new Random(SEED + 2);
        byte[] original = Files.readAllBytes(file);
        ObjectNode base = TestSnapshots.manifestJson(file);
        int opened = 0;
        for (int i = 0; i < 400; i++) {
            Files.write(file, original);
            if (i % 2 == 0) {
                ObjectNode m = base.deepCopy();
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) mutateNumbers(m, rnd);
                TestSnapshots.writeManifestBytes(file, TestSnapshots.jsonBytes(m));
            } else {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                        long at = rnd.nextInt(original.length);
                        ch.write(ByteBuffer.wrap(new byte[] {(byte) rnd.nextInt(256)}), at);
                    }
                }
            }
            try (SnapshotReader r = SnapshotReader.open(file, ReadOptions.inspect().withWarnings(w -> {}))) {
                r.verify();
                SnapshotInspector.text(r, true);
                SnapshotInspector.json(r, true);
                opened++;
            } catch (SnapshotFormatException e) {
                assertThat(e.getMessage()).startsWith("snapshot " + file + ": ");
            } catch (Throwable t) {
                fail("case " + i + " threw " + t, t);
            }
        }
        // Damage in alignment padding between extents is legitimately not covered by any checksum.
        System.out.println("whole-file fuzz: " + opened + " of 400 damaged files still opened");
    }

    private static void mutateNumbers(ObjectNode m, Random rnd) {
        List<Map.Entry<ObjectNode, String>> numbers = new ArrayList<>();
        collectNumbers(m, numbers);
        Map.Entry<ObjectNode, String> e = numbers.get(rnd.nextInt(numbers.size()));
        long old = e.getKey().get(e.getValue()).asLong();
        long v = switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> old + 1;
            case 2 -> old - 1;
            case 3 -> old + 8;
            case 4 -> Long.MAX_VALUE - rnd.nextInt(8);
            case 5 -> old * 2;
            case 6 -> 1L << rnd.nextInt(63);
            default -> old ^ (1L << rnd.nextInt(24));
        };
        e.getKey().put(e.getValue(), v);
    }

    private static void collectNumbers(JsonNode n, List<Map.Entry<ObjectNode, String>> out) {
        if (n instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                if (f.getValue().isNumber()) out.add(Map.entry(o, f.getKey()));
                else collectNumbers(f.getValue(), out);
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) collectNumbers(c, out);
        }
    }
}
