package org.jbhyve.snapshot.format;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a snapshot differs from an earlier one (or any other): the machine (name, vCPUs, RAM size, format,
 * producer), the config key by key, the chunks (present, version, required, producer, then every field,
 * nested records and record lists included), and guest RAM by 2 MiB block, compared through the stored
 * block CRC32Cs of {@code ram.crc} (§7.3) so that no RAM is read. What always differs between two
 * checkpoints (the snapshot id, the creation time, the host description, file offsets) is left out.
 *
 * <p>Both files are opened for inspection ({@link ReadOptions#inspect()}): chunks are compared as stored,
 * whatever this build could restore. A chunk shown as damaged has no record; its fields are not compared,
 * and that is one difference.
 */
public final class SnapshotDiff {
    private SnapshotDiff() {}

    /** Bytes of a {@code bytes} value shown in a change (the rest is summarised). */
    private static final int SHOWN_BYTES = 16;
    /** Block ranges listed per RAM region (the rest are counted). */
    private static final int SHOWN_RANGES = 8;

    /**
     * One difference. {@code where} names it ({@code config memory.size}, {@code chunk 'dev.com1' field
     * lsr}, {@code RAM region 0 ('lowmem')}); {@code before} and {@code after} are the two sides as text,
     * null where that side has nothing.
     */
    public record Change(String where, String before, String after) {
        public Change {
            Objects.requireNonNull(where, "where");
        }
    }

    /** The changes from {@code before} to {@code after}, in the order: machine, config, chunks, RAM. */
    public static List<Change> compare(SnapshotReader before, SnapshotReader after) {
        List<Change> out = new ArrayList<>();
        Manifest a = before.manifest(), b = after.manifest();
        same(out, "vm name", a.vmName(), b.vmName());
        same(out, "vCPUs", Integer.toString(a.vcpus()), Integer.toString(b.vcpus()));
        same(out, "RAM size", a.memorySize() + " bytes", b.memorySize() + " bytes");
        same(out, "format", a.formatMajor() + "." + a.formatMinor(), b.formatMajor() + "." + b.formatMinor());
        same(out, "producer", a.producerName() + " " + a.producerVersion(), b.producerName() + " " + b.producerVersion());
        compareConfig(out, a.config(), b.config());
        compareChunks(out, before, after);
        compareRam(out, before, after);
        return out;
    }

    /** The changes as text, one per line, with a header naming the two files and a count at the end. */
    public static String text(SnapshotReader before, SnapshotReader after, List<Change> changes) {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(before.file()).append('\n');
        sb.append("+++ ").append(after.file()).append('\n');
        for (Change c : changes) {
            sb.append(c.where()).append(": ");
            if (c.before() == null) sb.append("only in +++: ").append(c.after());
            else if (c.after() == null) sb.append("only in ---: ").append(c.before());
            else sb.append(c.before()).append(" -> ").append(c.after());
            sb.append('\n');
        }
        sb.append(changes.isEmpty() ? "no differences" : changes.size() + (changes.size() == 1 ? " difference" : " differences"))
                .append(" in machine, config, chunks and RAM (by 2 MiB block CRC32C)\n");
        return sb.toString();
    }

    /** The changes as a JSON object: {@code before}, {@code after} (the files), {@code same}, {@code changes}. */
    public static String json(SnapshotReader before, SnapshotReader after, List<Change> changes) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("before", before.file());
        root.put("after", after.file());
        root.put("same", changes.isEmpty());
        ArrayNode list = root.putArray("changes");
        for (Change c : changes) {
            ObjectNode o = list.addObject();
            o.put("where", c.where());
            if (c.before() == null) o.putNull("before"); else o.put("before", c.before());
            if (c.after() == null) o.putNull("after"); else o.put("after", c.after());
        }
        return JsonTrees.write(root, new DefaultPrettyPrinter()) + "\n";
    }

    private static void same(List<Change> out, String where, String a, String b) {
        if (!Objects.equals(a, b)) out.add(new Change(where, a, b));
    }

    private static void compareConfig(List<Change> out, Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            String va = a.get(k), vb = b.get(k);
            if (!Objects.equals(va, vb)) out.add(new Change("config " + k, va, vb));
        }
    }

    private static void compareChunks(List<Change> out, SnapshotReader before, SnapshotReader after) {
        Map<String, Chunk> a = byLabel(before), b = byLabel(after);
        Set<String> labels = new LinkedHashSet<>(a.keySet());
        labels.addAll(b.keySet());
        for (String label : labels) {
            Chunk ca = a.get(label), cb = b.get(label);
            if (ca == null || cb == null) {
                out.add(new Change(label, ca == null ? null : describe(ca), cb == null ? null : describe(cb)));
                continue;
            }
            ChunkEntry ea = ca.entry(), eb = cb.entry();
            same(out, label + " version", Integer.toString(ea.version()), Integer.toString(eb.version()));
            same(out, label + " required", Boolean.toString(ea.required()), Boolean.toString(eb.required()));
            same(out, label + " producer", Objects.toString(ea.producer(), "none"), Objects.toString(eb.producer(), "none"));
            if (ca.record() == null || cb.record() == null) {
                if (ca.record() != null || cb.record() != null || ea.crc32c() != eb.crc32c()) {
                    out.add(new Change(label + " contents", ca.record() == null ? "not read (" + ca.note() + ")" : "read",
                            cb.record() == null ? "not read (" + cb.note() + ")" : "read"));
                }
                continue;
            }
            compareRecords(out, label + " field ", ca.record(), cb.record());
        }
    }

    private static Map<String, Chunk> byLabel(SnapshotReader r) {
        Map<String, Chunk> m = new LinkedHashMap<>();
        for (Chunk c : r.chunks()) {
            if (!c.name().equals(SnapshotFormat.RAM_CRC_CHUNK)) m.put(c.entry().label(), c); // RAM is compared below
        }
        return m;
    }

    private static String describe(Chunk c) {
        ChunkEntry e = c.entry();
        return "version " + e.version() + (e.required() ? ", required" : ", optional")
                + (e.producer() == null ? "" : ", produced by " + e.producer());
    }

    /** Field by field, in {@code b}'s order then {@code a}'s leftovers; nested records by path. */
    private static void compareRecords(List<Change> out, String prefix, StateRecord a, StateRecord b) {
        Set<String> names = new LinkedHashSet<>();
        for (StateRecord.Field f : b.fields()) names.add(f.name());
        for (StateRecord.Field f : a.fields()) names.add(f.name());
        for (String name : names) {
            Optional<StateRecord.Field> fa = a.field(name), fb = b.field(name);
            String where = prefix + name;
            if (fa.isEmpty() || fb.isEmpty()) {
                out.add(new Change(where, fa.map(SnapshotDiff::shown).orElse(null), fb.map(SnapshotDiff::shown).orElse(null)));
            } else {
                compareFields(out, where, fa.get(), fb.get());
            }
        }
    }

    private static void compareFields(List<Change> out, String where, StateRecord.Field a, StateRecord.Field b) {
        if (a.type() != b.type() || a.tag() != b.tag()) { // the types say what changed
            out.add(new Change(where, StateRecord.RecordText.typeLabel(a) + " " + shown(a),
                    StateRecord.RecordText.typeLabel(b) + " " + shown(b)));
            return;
        }
        switch (a.type()) {
            case RECORD -> compareRecords(out, where + ".", (StateRecord) a.rawValue(), (StateRecord) b.rawValue());
            case RECORD_LIST -> {
                @SuppressWarnings("unchecked")
                List<StateRecord> la = (List<StateRecord>) a.rawValue(), lb = (List<StateRecord>) b.rawValue();
                if (la.size() != lb.size()) {
                    out.add(new Change(where + " (records)", Integer.toString(la.size()), Integer.toString(lb.size())));
                }
                for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                    compareRecords(out, where + "[" + i + "].", la.get(i), lb.get(i));
                }
            }
            case BYTES, UNKNOWN -> {
                byte[] ba = (byte[]) a.rawValue(), bb = (byte[]) b.rawValue();
                int at = java.util.Arrays.mismatch(ba, bb);
                if (at >= 0) {
                    out.add(new Change(where, bytesAround(ba, at), bytesAround(bb, at)
                            + " (first difference at byte 0x" + Integer.toHexString(at) + ")"));
                }
            }
            default -> {
                if (!a.equals(b)) out.add(new Change(where, shown(a), shown(b)));
            }
        }
    }

    private static String shown(StateRecord.Field f) {
        return switch (f.type()) {
            case RECORD, RECORD_LIST -> StateRecord.RecordText.typeLabel(f);
            case BYTES, UNKNOWN -> ((byte[]) f.rawValue()).length + " bytes";
            default -> StateRecord.RecordText.value(f, SHOWN_BYTES);
        };
    }

    /** "N bytes, at 0xK: hex..." around the first difference. */
    private static String bytesAround(byte[] b, int at) {
        if (at >= b.length) return b.length + " bytes";
        int end = Math.min(b.length, at + SHOWN_BYTES);
        return b.length + " bytes, from 0x" + Integer.toHexString(at) + ": "
                + java.util.HexFormat.of().formatHex(b, at, end) + (end < b.length ? "..." : "");
    }

    private static void compareRam(List<Change> out, SnapshotReader before, SnapshotReader after) {
        List<RamRegion> ra = before.ramRegions(), rb = after.ramRegions();
        for (int i = 0; i < Math.max(ra.size(), rb.size()); i++) {
            RamRegion ga = i < ra.size() ? ra.get(i) : null, gb = i < rb.size() ? rb.get(i) : null;
            String where = "RAM region " + i;
            if (ga == null || gb == null || ga.gpa() != gb.gpa() || ga.size() != gb.size()) {
                out.add(new Change(where, ga == null ? null : extent(ga), gb == null ? null : extent(gb)));
                continue;
            }
            where += " ('" + gb.name() + "')";
            Optional<int[]> ca = before.blockCrcs(i), cb = after.blockCrcs(i);
            if (ca.isEmpty() || cb.isEmpty()) {
                String why = ca.isEmpty() ? before.ramCrcProblem() : after.ramCrcProblem();
                out.add(new Change(where, "not compared", "not compared: " + why));
                continue;
            }
            List<long[]> ranges = differingBlocks(ca.get(), cb.get());
            if (ranges.isEmpty()) continue;
            long blocks = 0;
            for (long[] r : ranges) blocks += r[1] - r[0];
            StringBuilder sb = new StringBuilder();
            sb.append(blocks).append(" of ").append(gb.blockCount()).append(" 2 MiB blocks differ (guest ");
            for (int k = 0; k < Math.min(ranges.size(), SHOWN_RANGES); k++) {
                if (k > 0) sb.append(", ");
                long from = gb.gpa() + ranges.get(k)[0] * SnapshotFormat.BLOCK_SIZE;
                long to = Math.min(gb.gpa() + gb.size(), gb.gpa() + ranges.get(k)[1] * SnapshotFormat.BLOCK_SIZE) - 1;
                sb.append("0x").append(Long.toHexString(from)).append("-0x").append(Long.toHexString(to));
            }
            if (ranges.size() > SHOWN_RANGES) sb.append(", and ").append(ranges.size() - SHOWN_RANGES).append(" more ranges");
            out.add(new Change(where, "by their CRC32C", sb.append(')').toString()));
        }
    }

    private static String extent(RamRegion g) {
        return "0x" + Long.toHexString(g.gpa()) + ", " + g.size() + " bytes";
    }

    /** [from, to) block-index ranges where the two CRC lists differ. */
    private static List<long[]> differingBlocks(int[] a, int[] b) {
        List<long[]> ranges = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= a.length; i++) {
            boolean differs = i < a.length && a[i] != b[i];
            if (differs && start < 0) start = i;
            if (!differs && start >= 0) {
                ranges.add(new long[] {start, i});
                start = -1;
            }
        }
        return ranges;
    }
}
