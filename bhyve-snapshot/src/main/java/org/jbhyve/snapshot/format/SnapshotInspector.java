package org.jbhyve.snapshot.format;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Describes a snapshot for people ({@link #text}) and programs ({@link #json}): header, VM, host, config,
 * memory regions with populated pages and on-disk versus apparent size, the chunk table, and optionally
 * every chunk's fields. Works on any snapshot this build can open, including ones with chunks it could not
 * restore (open them with {@link ReadOptions#inspect()}).
 *
 * <p>Command line: {@code SnapshotInspector [--json] [--fields] [--verify] FILE...}; exit status 0, 1 for
 * an invalid or unreadable snapshot (the message on stderr), 2 for a usage error.
 */
public final class SnapshotInspector {
    private SnapshotInspector() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The human-readable description; with {@code fields}, each chunk's record is printed field by field. */
    public static String text(SnapshotReader r, boolean fields) {
        StringBuilder sb = new StringBuilder();
        Manifest m = r.manifest();
        SnapshotHeader h = r.header();
        sb.append("snapshot ").append(r.file()).append('\n');
        line(sb, "format", h.major() + "." + h.minor() + " (header " + h.headerLength() + " bytes; manifest at 0x"
                + Long.toHexString(h.manifestOffset()) + ", " + h.manifestLength() + " bytes, crc32c "
                + SnapshotHeader.hex32(h.manifestCrc32c()) + ")");
        line(sb, "id", h.snapshotId().toString());
        line(sb, "created", m.created() + " by " + m.producerName() + " " + m.producerVersion());
        HostInfo host = m.host();
        line(sb, "host", orDash(host.os()) + " " + orDash(host.kernel()) + " " + orDash(host.arch()) + ", backend "
                + orDash(host.backend()) + ", " + orDash(host.cpuVendor()) + " \"" + orDash(host.cpuModel()) + "\"");
        line(sb, "vm", m.vmName() + ", " + m.vcpus() + (m.vcpus() == 1 ? " vCPU, " : " vCPUs, ") + human(m.memorySize())
                + " RAM");
        long allocated = r.allocatedBytes();
        line(sb, "file", human(r.fileSize()) + " apparent (" + r.fileSize() + " bytes), "
                + (allocated < 0 ? "allocated size unknown" : human(allocated) + " on disk (" + allocated + " bytes)"));

        sb.append("\nconfig (").append(m.config().size()).append(m.config().size() == 1 ? " key)\n" : " keys)\n");
        for (Map.Entry<String, String> e : m.config().entrySet()) {
            sb.append("  ").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }

        sb.append("\nmemory regions (").append(m.regions().size()).append(")\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "name", "gpa", "size", "file offset", "populated pages", "on disk"});
        for (int i = 0; i < m.regions().size(); i++) {
            RamRegion g = m.regions().get(i);
            long disk = r.allocatedBytes(i);
            rows.add(new String[] {Integer.toString(i), g.name(), "0x" + Long.toHexString(g.gpa()), human(g.size()),
                    "0x" + Long.toHexString(g.fileOffset()),
                    g.populatedPages() + " of " + g.pageCount() + " (" + percent(g.populatedPages(), g.pageCount()) + ")",
                    disk < 0 ? "?" : human(disk)});
        }
        table(sb, rows);

        sb.append("\nchunks (").append(r.chunks().size()).append(")\n");
        rows = new ArrayList<>();
        rows.add(new String[] {"name", "instance", "version", "required", "offset", "length", "crc32c", "producer", "status"});
        for (Chunk c : r.chunks()) {
            ChunkEntry e = c.entry();
            rows.add(new String[] {e.name(), e.instance().isEmpty() ? "-" : e.instance(), Integer.toString(e.version()),
                    e.required() ? "yes" : "no", "0x" + Long.toHexString(e.offset()), Long.toString(e.length()),
                    SnapshotHeader.hex32(e.crc32c()), e.producer() == null ? "-" : e.producer(), status(c)});
        }
        table(sb, rows);
        if (!r.warnings().isEmpty()) {
            sb.append("\nwarnings\n");
            for (String w : r.warnings()) sb.append("  ").append(w).append('\n');
        }

        if (fields) {
            for (Chunk c : r.chunks()) {
                sb.append('\n').append(c.entry().label()).append(", version ").append(c.version()).append('\n');
                if (c.record() == null) {
                    sb.append("  (not read: ").append(c.note()).append(")\n");
                } else {
                    StateRecord.RecordText.append(sb, c.record(), "  ", 64);
                }
            }
        }
        return sb.toString();
    }

    private static String status(Chunk c) {
        return switch (c.status()) {
            case READ -> "ok";
            case UPGRADED -> "upgraded to " + c.version();
            case SKIPPED -> "skipped";
            case DAMAGED -> "DAMAGED: " + c.note();
        };
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append("  ").append(label).append(" ".repeat(Math.max(1, 10 - label.length()))).append(value).append('\n');
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int cols = rows.getFirst().length;
        int[] w = new int[cols];
        for (String[] row : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], row[i].length());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < cols; i++) {
                line.append(row[i]);
                if (i < cols - 1) line.append(" ".repeat(w[i] - row[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String percent(long part, long whole) {
        if (whole == 0) return "0%";
        return String.format("%.1f%%", 100.0 * part / whole);
    }

    /** 1536 -> "1.5 KiB", 268435456 -> "256 MiB". */
    static String human(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        if (bytes < 1024) return bytes + (bytes == 1 ? " byte" : " bytes");
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v)) + " " + units[u];
    }

    // ---- JSON ----

    /** The description as a JSON tree (the manifest verbatim under "manifest", plus what the reader found). */
    public static ObjectNode jsonTree(SnapshotReader r, boolean fields) {
        ObjectNode root = F.objectNode();
        root.put("file", r.file());
        SnapshotHeader h = r.header();
        ObjectNode hdr = root.putObject("header");
        hdr.put("major", h.major());
        hdr.put("minor", h.minor());
        hdr.put("header_length", h.headerLength());
        hdr.put("manifest_offset", h.manifestOffset());
        hdr.put("manifest_length", h.manifestLength());
        hdr.put("manifest_crc32c", SnapshotHeader.hex32(h.manifestCrc32c()));
        hdr.put("snapshot_id", h.snapshotId().toString());
        ObjectNode file = root.putObject("file_size");
        file.put("apparent", r.fileSize());
        long allocated = r.allocatedBytes();
        if (allocated >= 0) file.put("allocated", allocated);
        else file.putNull("allocated");
        root.set("manifest", r.manifest().json());
        ArrayNode regions = root.putArray("regions");
        for (int i = 0; i < r.ramRegions().size(); i++) {
            RamRegion g = r.ramRegions().get(i);
            ObjectNode o = regions.addObject();
            o.put("index", i);
            o.put("name", g.name());
            o.put("gpa", g.gpa());
            o.put("size", g.size());
            o.put("file_offset", g.fileOffset());
            o.put("populated_pages", g.populatedPages());
            long disk = r.allocatedBytes(i);
            if (disk >= 0) o.put("allocated", disk);
            else o.putNull("allocated");
        }
        ArrayNode chunks = root.putArray("chunks");
        for (Chunk c : r.chunks()) {
            ChunkEntry e = c.entry();
            ObjectNode o = chunks.addObject();
            o.put("name", e.name());
            o.put("instance", e.instance());
            o.put("version", e.version());
            o.put("required", e.required());
            o.put("offset", e.offset());
            o.put("length", e.length());
            o.put("crc32c", SnapshotHeader.hex32(e.crc32c()));
            if (e.producer() != null) o.put("producer", e.producer());
            o.put("status", c.status().name().toLowerCase());
            if (c.note() != null) o.put("note", c.note());
            if (fields && c.record() != null) {
                o.put("record_version", c.version());
                o.set("fields", fieldsJson(c.record()));
            }
        }
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        return root;
    }

    /** The JSON description, pretty-printed. */
    public static String json(SnapshotReader r, boolean fields) {
        return JsonTrees.write(jsonTree(r, fields), new DefaultPrettyPrinter()) + "\n";
    }

    /** A record as {@code {"name": {"type": "u32", "value": 7}, ...}}; bytes as hex, u64 unsigned. */
    public static ObjectNode fieldsJson(StateRecord record) {
        ObjectNode o = F.objectNode();
        for (StateRecord.Field f : record.fields()) {
            ObjectNode v = o.putObject(f.name());
            v.put("type", f.type().label());
            Object raw = f.rawValue();
            switch (f.type()) {
                case U8, U16 -> v.put("value", (Integer) raw);
                case U32, I64 -> v.put("value", (Long) raw);
                case U64 -> v.put("value", unsigned((Long) raw));
                case BOOL -> v.put("value", (Boolean) raw);
                case STRING -> v.put("value", (String) raw);
                case BYTES -> {
                    byte[] b = (byte[]) raw;
                    v.put("length", b.length);
                    v.put("hex", HexFormat.of().formatHex(b));
                }
                case UNKNOWN -> {
                    byte[] b = (byte[]) raw;
                    v.put("tag", f.tag());
                    v.put("length", b.length);
                    v.put("hex", HexFormat.of().formatHex(b));
                }
                case U64_ARRAY -> {
                    ArrayNode a = v.putArray("value");
                    for (long l : (long[]) raw) a.add(unsigned(l));
                }
                case RECORD -> v.set("value", fieldsJson((StateRecord) raw));
                case RECORD_LIST -> {
                    ArrayNode a = v.putArray("value");
                    for (Object e : (List<?>) raw) a.add(fieldsJson((StateRecord) e));
                }
            }
        }
        return o;
    }

    private static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v >= 0 ? b : b.add(BigInteger.ONE.shiftLeft(64));
    }

    // ---- command line ----

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command line without System.exit: returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false, fields = false, verify = false;
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "--json" -> json = true;
                case "--fields" -> fields = true;
                case "--verify" -> verify = true;
                case "-h", "--help" -> {
                    out.println("usage: inspect [--json] [--fields] [--verify] SNAPSHOT...");
                    return 0;
                }
                default -> {
                    if (a.startsWith("-")) {
                        err.println("inspect: unknown option " + a + " (usage: inspect [--json] [--fields] [--verify] SNAPSHOT...)");
                        return 2;
                    }
                    files.add(Path.of(a));
                }
            }
        }
        if (files.isEmpty()) {
            err.println("inspect: no snapshot given (usage: inspect [--json] [--fields] [--verify] SNAPSHOT...)");
            return 2;
        }
        int status = 0;
        for (Path p : files) {
            try (SnapshotReader r = SnapshotReader.open(p, ReadOptions.inspect().withShowDamage(!verify))) {
                if (verify) r.verify();
                out.print(json ? json(r, fields) : text(r, fields));
                for (String d : r.damage()) {
                    err.println(p + ": " + d);
                    status = 1;
                }
                if (verify && !json) out.println("\nverified: header, manifest, every chunk and every RAM block match their checksums");
            } catch (IOException e) {
                err.println(e.getMessage());
                status = 1;
            }
        }
        return status;
    }
}
