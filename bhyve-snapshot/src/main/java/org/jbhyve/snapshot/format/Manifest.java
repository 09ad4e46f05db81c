package org.jbhyve.snapshot.format;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The manifest: UTF-8 JSON at the end of the file that describes everything else in it
 * (docs/snapshot-format.md, "Manifest"). {@link #parse} checks syntax, types and required keys; the
 * reader checks the layout against the file.
 */
public final class Manifest {
    private static final Pattern CRC = Pattern.compile("0x[0-9a-f]{8}");
    /** §5's form of {@code created}; Instant.parse alone would also take "z", offsets and a bare ".". */
    private static final Pattern CREATED = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z");
    /** §5's form of {@code snapshot_id}; UUID.fromString alone also takes "1-1-1-1-1", signs and long groups. */
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** The longest chunk producer tag, in characters (§5); the writer holds to it too. */
    static final int MAX_PRODUCER = 128;

    private final int formatMajor;
    private final int formatMinor;
    private final UUID snapshotId;
    private final Instant created;
    private final String producerName;
    private final String producerVersion;
    private final HostInfo host;
    private final String vmName;
    private final int vcpus;
    private final SequencedMap<String, String> config;
    private final long memorySize;
    private final int pageSize;
    private final int blockSize;
    private final List<RamRegion> regions;
    private final List<ChunkEntry> chunks;
    private final JsonNode json;

    private Manifest(int formatMajor, int formatMinor, UUID snapshotId, Instant created, String producerName,
                     String producerVersion, HostInfo host, String vmName, int vcpus, SequencedMap<String, String> config,
                     long memorySize, int pageSize, int blockSize, List<RamRegion> regions, List<ChunkEntry> chunks,
                     JsonNode json) {
        this.formatMajor = formatMajor;
        this.formatMinor = formatMinor;
        this.snapshotId = snapshotId;
        this.created = created;
        this.producerName = producerName;
        this.producerVersion = producerVersion;
        this.host = host;
        this.vmName = vmName;
        this.vcpus = vcpus;
        this.config = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(config));
        this.memorySize = memorySize;
        this.pageSize = pageSize;
        this.blockSize = blockSize;
        this.regions = List.copyOf(regions);
        this.chunks = List.copyOf(chunks);
        this.json = json;
    }

    /** The manifest a writer records (format 1.0). */
    static Manifest create(UUID id, SnapshotMetadata meta, long memorySize, List<RamRegion> regions,
                           List<ChunkEntry> chunks) {
        Manifest m = new Manifest(SnapshotFormat.MAJOR, SnapshotFormat.MINOR, id, meta.created(), "jbhyve",
                meta.producerVersion(), meta.host(), meta.vmName(), meta.vcpus(), meta.config(), memorySize,
                SnapshotFormat.PAGE_SIZE, SnapshotFormat.BLOCK_SIZE, regions, chunks, null);
        return new Manifest(m.formatMajor, m.formatMinor, id, m.created, m.producerName, m.producerVersion, m.host,
                m.vmName, m.vcpus, m.config, memorySize, m.pageSize, m.blockSize, regions, chunks, m.toTree());
    }

    public int formatMajor() { return formatMajor; }
    public int formatMinor() { return formatMinor; }
    /** The snapshot's id (also in the header); null if the manifest has none. */
    public UUID snapshotId() { return snapshotId; }
    public Instant created() { return created; }
    /** Normally "jbhyve". */
    public String producerName() { return producerName; }
    public String producerVersion() { return producerVersion; }
    public HostInfo host() { return host; }
    public String vmName() { return vmName; }
    public int vcpus() { return vcpus; }
    /** The full bhyve config, {@code path -> value}, in tree order. */
    public SequencedMap<String, String> config() { return config; }
    /** Guest RAM size in bytes; the regions add up to it. */
    public long memorySize() { return memorySize; }
    public int pageSize() { return pageSize; }
    public int blockSize() { return blockSize; }
    public List<RamRegion> regions() { return regions; }
    public List<ChunkEntry> chunks() { return chunks; }
    /** The manifest as JSON, including any keys this build does not know. */
    public JsonNode json() { return json.deepCopy(); }

    /** The manifest's bytes: pretty-printed UTF-8 JSON with a final newline. */
    byte[] encode() {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return (JsonTrees.write(json, pp) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode toTree() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode format = root.putObject("format");
        format.put("major", formatMajor);
        format.put("minor", formatMinor);
        root.put("snapshot_id", snapshotId.toString());
        root.put("created", created.toString());
        ObjectNode producer = root.putObject("producer");
        producer.put("name", producerName);
        producer.put("version", producerVersion);
        ObjectNode h = root.putObject("host");
        putIfNotNull(h, "os", host.os());
        putIfNotNull(h, "kernel", host.kernel());
        putIfNotNull(h, "arch", host.arch());
        putIfNotNull(h, "backend", host.backend());
        putIfNotNull(h, "cpu_vendor", host.cpuVendor());
        putIfNotNull(h, "cpu_model", host.cpuModel());
        ObjectNode vm = root.putObject("vm");
        vm.put("name", vmName);
        vm.put("vcpus", vcpus);
        ObjectNode cfg = root.putObject("config");
        config.forEach(cfg::put);
        ObjectNode mem = root.putObject("memory");
        mem.put("size", memorySize);
        mem.put("page_size", pageSize);
        mem.put("block_size", blockSize);
        ArrayNode regs = mem.putArray("regions");
        for (RamRegion r : regions) {
            ObjectNode o = regs.addObject();
            o.put("name", r.name());
            o.put("gpa", r.gpa());
            o.put("size", r.size());
            o.put("file_offset", r.fileOffset());
            o.put("populated_pages", r.populatedPages());
        }
        ArrayNode cs = root.putArray("chunks");
        for (ChunkEntry c : chunks) {
            ObjectNode o = cs.addObject();
            o.put("name", c.name());
            o.put("instance", c.instance());
            o.put("version", c.version());
            o.put("required", c.required());
            o.put("offset", c.offset());
            o.put("length", c.length());
            o.put("crc32c", SnapshotHeader.hex32(c.crc32c()));
            if (c.producer() != null) o.put("producer", c.producer());
        }
        return root;
    }

    private static void putIfNotNull(ObjectNode o, String key, String value) {
        if (value != null) o.put(key, value);
    }

    // ---- parsing ----

    /**
     * Parses manifest bytes. Syntax errors, wrong types, out-of-range numbers and missing required keys
     * are SnapshotFormatExceptions without a file (the reader adds it); unknown keys are ignored.
     */
    static Manifest parse(byte[] bytes) throws SnapshotFormatException {
        // JSON text exchanged between systems carries no byte-order mark (RFC 8259 §8.1); the parser
        // would skip one silently, so a manifest that starts with one is refused here (§5).
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            throw new SnapshotFormatException("manifest is not valid JSON: it starts with a UTF-8 byte-order mark");
        }
        JsonNode root;
        try {
            root = JsonTrees.read(bytes);
        } catch (IOException e) {
            throw new SnapshotFormatException("manifest is not valid JSON: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw new SnapshotFormatException("manifest is not valid JSON: " + e);
        }
        if (root == null || !root.isObject()) throw new SnapshotFormatException("manifest is not a JSON object");
        try {
            return interpret(root);
        } catch (StackOverflowError | RuntimeException e) {
            // A bug here must not turn a bad file into a crash: report it as the bad file it is.
            throw new SnapshotFormatException("manifest cannot be interpreted: " + e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "(no detail)";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Manifest interpret(JsonNode root) throws SnapshotFormatException {
        JsonNode format = object(root, "", "format");
        int major = (int) integer(format, "format.", "major", 0, 0xffff);
        int minor = (int) integer(format, "format.", "minor", 0, 0xffff);
        UUID id = null;
        if (root.has("snapshot_id")) {
            String s = string(root, "", "snapshot_id");
            if (!UUID_TEXT.matcher(s).matches()) {
                throw bad("'snapshot_id' " + quote(s) + " is not a UUID in its 36-character form (8-4-4-4-12 hex digits)");
            }
            id = UUID.fromString(s);
        }
        String createdText = string(root, "", "created");
        Instant created;
        try {
            if (!CREATED.matcher(createdText).matches()) throw new DateTimeParseException("form", createdText, 0);
            created = Instant.parse(createdText);
        } catch (DateTimeParseException e) {
            throw bad("'created' " + quote(createdText) + " is not an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
        JsonNode producer = object(root, "", "producer");
        String producerName = string(producer, "producer.", "name");
        String producerVersion = string(producer, "producer.", "version");

        HostInfo host = new HostInfo(null, null, null, null, null, null);
        if (root.has("host")) {
            JsonNode h = object(root, "", "host");
            host = new HostInfo(optString(h, "host.", "os"), optString(h, "host.", "kernel"), optString(h, "host.", "arch"),
                    optString(h, "host.", "backend"), optString(h, "host.", "cpu_vendor"), optString(h, "host.", "cpu_model"));
        }

        JsonNode vm = object(root, "", "vm");
        String vmName = string(vm, "vm.", "name");
        int vcpus = (int) integer(vm, "vm.", "vcpus", 1, 65535);

        JsonNode cfg = object(root, "", "config");
        LinkedHashMap<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : cfg.properties()) {
            if (e.getKey().isEmpty()) throw bad("'config' has an empty key");
            if (!e.getValue().isTextual()) {
                throw bad("'config." + e.getKey() + "' must be a string (bhyve config values are strings), not "
                        + kind(e.getValue()));
            }
            config.put(e.getKey(), e.getValue().textValue());
        }

        JsonNode mem = object(root, "", "memory");
        long memorySize = integer(mem, "memory.", "size", 1, Long.MAX_VALUE);
        int pageSize = (int) integer(mem, "memory.", "page_size", 1, Integer.MAX_VALUE);
        int blockSize = (int) integer(mem, "memory.", "block_size", 1, Integer.MAX_VALUE);
        JsonNode regs = array(mem, "memory.", "regions");
        List<RamRegion> regions = new ArrayList<>();
        for (int i = 0; i < regs.size(); i++) {
            String p = "memory.regions[" + i + "].";
            JsonNode r = regs.get(i);
            if (!r.isObject()) throw bad("'" + p.substring(0, p.length() - 1) + "' must be an object, not " + kind(r));
            regions.add(new RamRegion(string(r, p, "name"), integer(r, p, "gpa", 0, Long.MAX_VALUE),
                    integer(r, p, "size", 1, Long.MAX_VALUE), integer(r, p, "file_offset", 0, Long.MAX_VALUE),
                    integer(r, p, "populated_pages", 0, Long.MAX_VALUE)));
        }

        JsonNode cs = array(root, "", "chunks");
        List<ChunkEntry> chunks = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            String p = "chunks[" + i + "].";
            JsonNode c = cs.get(i);
            if (!c.isObject()) throw bad("'chunks[" + i + "]' must be an object, not " + kind(c));
            String name = string(c, p, "name");
            if (!ChunkNames.validName(name)) throw bad("'" + p + "name' " + quote(name) + " is not a valid chunk name");
            String instance = string(c, p, "instance");
            if (!ChunkNames.validInstance(instance)) {
                throw bad("'" + p + "instance' " + quote(instance) + " is not a valid chunk instance");
            }
            int version = (int) integer(c, p, "version", 1, Integer.MAX_VALUE);
            JsonNode req = c.get("required");
            if (req == null) throw bad("'" + p + "required' is missing");
            if (!req.isBoolean()) throw bad("'" + p + "required' must be true or false, not " + kind(req));
            long offset = integer(c, p, "offset", 0, Long.MAX_VALUE);
            long length = integer(c, p, "length", 0, Long.MAX_VALUE);
            String crcText = string(c, p, "crc32c");
            if (!CRC.matcher(crcText).matches()) {
                throw bad("'" + p + "crc32c' " + quote(crcText) + " is not 0x followed by 8 lower-case hex digits");
            }
            int crc = Integer.parseUnsignedInt(crcText.substring(2), 16);
            String prod = optString(c, p, "producer");
            if (prod != null && (prod.isEmpty() || prod.codePointCount(0, prod.length()) > MAX_PRODUCER)) {
                throw bad("'" + p + "producer' " + quote(prod) + " is not 1 to " + MAX_PRODUCER + " characters long");
            }
            chunks.add(new ChunkEntry(name, instance, version, req.booleanValue(), offset, length, crc, prod));
        }
        return new Manifest(major, minor, id, created, producerName, producerVersion, host, vmName, vcpus, config,
                memorySize, pageSize, blockSize, regions, chunks, root);
    }

    private static SnapshotFormatException bad(String what) {
        return new SnapshotFormatException("manifest is invalid: " + what);
    }

    private static String quote(String s) {
        return Quoted.of(s);
    }

    private static String kind(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isIntegralNumber()) return "the integer " + n.asText();
        if (n.isNumber()) return "the number " + n.asText();
        if (n.isBoolean()) return n.asText();
        if (n.isNull()) return "null";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().toString().toLowerCase();
    }

    private static JsonNode field(JsonNode parent, String path, String key) throws SnapshotFormatException {
        JsonNode n = parent.get(key);
        if (n == null) throw bad("required key '" + path + key + "' is missing");
        return n;
    }

    private static JsonNode object(JsonNode parent, String path, String key) throws SnapshotFormatException {
        JsonNode n = field(parent, path, key);
        if (!n.isObject()) throw bad("'" + path + key + "' must be an object, not " + kind(n));
        return n;
    }

    private static JsonNode array(JsonNode parent, String path, String key) throws SnapshotFormatException {
        JsonNode n = field(parent, path, key);
        if (!n.isArray()) throw bad("'" + path + key + "' must be an array, not " + kind(n));
        return n;
    }

    private static String string(JsonNode parent, String path, String key) throws SnapshotFormatException {
        JsonNode n = field(parent, path, key);
        if (!n.isTextual()) throw bad("'" + path + key + "' must be a string, not " + kind(n));
        return n.textValue();
    }

    private static String optString(JsonNode parent, String path, String key) throws SnapshotFormatException {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw bad("'" + path + key + "' must be a string, not " + kind(n));
        return n.textValue();
    }

    private static long integer(JsonNode parent, String path, String key, long min, long max) throws SnapshotFormatException {
        JsonNode n = field(parent, path, key);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad("'" + path + key + "' must be an integer from " + min + " to " + max + ", not " + kind(n));
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw bad("'" + path + key + "' is " + v + ", outside " + min + " to " + max);
        }
        return v;
    }
}
