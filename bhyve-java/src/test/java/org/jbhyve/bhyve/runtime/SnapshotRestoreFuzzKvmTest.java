package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.Main;
import org.jbhyve.bhyve.runtime.SnapshotKvmTest.NewChunk;
import org.jbhyve.snapshot.format.Chunk;
import org.jbhyve.snapshot.format.FieldType;
import org.jbhyve.snapshot.format.SnapshotFormat;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.snapshot.ipc.UnixSocket;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Structure-aware fuzzing of {@code bhyve -r FILE}: a snapshot is untrusted input, so whatever a chunk's
 * state record holds must end in one of two ways. Either the restore refuses it with exit status 4 and
 * one short "bhyve: cannot restore ..." message that names the chunk or field, or the VM is built and
 * runs. Anything else is a defect:
 * <ul>
 *   <li>an exception escaping {@link Main#run}, a Java exception or stack trace on stderr (e.g. a vCPU or
 *       device thread that failed on restored state), an uncaught exception on any thread, a hang (no end
 *       within 30 s);</li>
 *   <li>a refusal that does not say it comes from the snapshot ("cannot restore"), names neither the
 *       chunk nor the field, or is longer than {@value #MAX_MESSAGE} characters (echoing the input);</li>
 *   <li>an accepted state the VM then cannot checkpoint, or whose own checkpoint it refuses to restore
 *       (each accepted VM runs briefly, is suspended over its control socket into a new snapshot, and
 *       that snapshot is restored again);</li>
 *   <li>what docs/snapshot-format.md says must be refused but was accepted: a dropped chunk this VM needs
 *       (§9.2), a dropped mandatory field (§12).</li>
 * </ul>
 *
 * <p>The bases are the format-1.0 golden fixtures (the demo guest) and two snapshots made here: blkloop
 * mid-I/O with virtio-blk, virtio-rnd, virtio-console and (when a tap can be created) virtio-net, and the
 * virtiocon guest mid-protocol (console ports and control state). Every chunk's record is mutated one
 * field at a time with a fixed seed: boundary values per type, resized or random bytes, unknown enum
 * words, empty/duplicated/oversized lists, dropped fields, changed types, plus chunk-level edits. The
 * file is rewritten through the format library (valid CRCs) and restored in-process through
 * {@code Main.run}. There are far more cases than the budget allows, so they are interleaved (each chunk
 * gets about sqrt(its field count) cases per round, its fields in turn) and run until the time budget
 * is spent: {@code -Djbhyve.fuzz.seconds}, default 60 (what .ci/run gives it; longer runs reach more
 * cases). {@code -Djbhyve.fuzz.seed} changes the seed, and {@code -Djbhyve.fuzz.only=REGEX} runs only
 * the cases whose label ("base chunk path: mutation") matches.
 * The bases made here are taken from running guests, so their contents (and hence a few values) vary
 * from run to run. The full per-case log goes to {@code target/snapshot-restore-fuzz.txt}.
 *
 * <p>The other tests are reduced reproductions of defects the fuzzing and the code it led to showed.
 */
@RequiresKvm
class SnapshotRestoreFuzzKvmTest {
    private static final long SEED = Long.getLong("jbhyve.fuzz.seed", 0x6a626879766546L);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("jbhyve.fuzz.seconds", 60));
    /** Longest a single restore (including the brief run of an accepted VM) may take. */
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(30);
    /** How long an accepted VM runs before it is powered off. */
    private static final long RUN_MILLIS = 100;
    private static final String VM = "fz";
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(|\\b(java|javax|jdk|sun)\\.[\\w.$]*"
            + "(Exception|Error)\\b|\\b[A-Z]\\w*(Exception|Error)\\b|\\bCaused by: ");

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ bases

    /** A snapshot to mutate, and the {@code -o} overrides its restore needs (host resources). */
    record Base(String label, Path file, List<String> overrides) {}

    private List<Base> bases() throws Exception {
        List<Base> bases = new ArrayList<>();
        Path fixtures = Path.of(SnapshotRestoreFuzzKvmTest.class.getResource("/snapshots/format-1.0").toURI());
        for (String f : List.of("demo-4m.snap", "demo-4m-live.snap")) {
            bases.add(new Base(f.replace(".snap", ""), fixtures.resolve(f),
                    List.of("-o", "lpc.com1.path=" + dir.resolve("com1.log"))));
        }
        bases.add(blkloopWithVirtioDevices());
        bases.add(virtioconMidProtocol());
        return bases;
    }

    private static final int BLK_SLOT = 4, CON_SLOT = 5, RND_SLOT = 6, NET_SLOT = 7;

    /** blkloop mid-I/O, with virtio-blk, virtio-console, virtio-rnd and (if a tap can be made) virtio-net. */
    private Base blkloopWithVirtioDevices() throws Exception {
        Path img = dir.resolve("disk.img");
        Files.write(img, new byte[1 << 20]);
        Path sock = dir.resolve("b.sock");
        // Named after this process: two test runs on one host must not share a tap (its second opener gets EBUSY).
        String tap = "jbfz" + Long.toHexString(ProcessHandle.current().pid() & 0xfffffff);
        Path snap = dir.resolve("virtio-blk.snap");
        for (boolean net : Files.isWritable(Path.of("/dev/net/tun")) ? new boolean[] {true, false} : new boolean[] {false}) {
            List<String> args = new ArrayList<>(List.of("-c", "1", "-m", "8M", "-s", "0,hostbridge", "-s", "31,lpc",
                    "-l", "debug-exit", "-s", BLK_SLOT + ",virtio-blk," + img, "-s", CON_SLOT + ",virtio-console,p1=" + sock,
                    "-s", RND_SLOT + ",virtio-rnd", "-o", "boot.kernel=" + TestGuests.path("blkloop")));
            if (net) args.addAll(List.of("-s", NET_SLOT + ",virtio-net," + tap));
            try (BhyveRun run = BhyveRun.start(args)) {
                if (run.runtime == null && net) continue; // no tap here: without virtio-net
                run.awaitOutput(o -> o.contains("wrote 3\n") || o.contains("fail"), Duration.ofSeconds(120));
                assertThat(run.output()).doesNotContain("fail");
                run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
                assertThat(run.exitStatus(Duration.ofSeconds(60))).as(run.stderr()).isZero();
            }
            break;
        }
        return new Base("blkloop+virtio", snap, List.of("-o", "lpc.com1.path=" + dir.resolve("com1.log"),
                "-o", "pci.0." + CON_SLOT + ".0.port.0.path=" + dir.resolve("%d.sock")));
    }

    /** virtiocon waiting for its port to open: console control state, port flags, four ready queues. */
    private Base virtioconMidProtocol() throws Exception {
        Path sock = dir.resolve("c.sock");
        Path snap = dir.resolve("virtio-con.snap");
        try (BhyveRun run = BhyveRun.guest("virtiocon", "-m", "8M", "-s", CON_SLOT + ",virtio-console,port1=" + sock)) {
            run.awaitOutput(o -> o.contains("con port 0 name port1\n") || o.contains("fail"), Duration.ofSeconds(120));
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(Duration.ofSeconds(60))).as(run.stderr()).isZero();
        }
        return new Base("virtiocon", snap, List.of("-o", "lpc.com1.path=" + dir.resolve("com1.log"),
                "-o", "pci.0." + CON_SLOT + ".0.port.0.path=" + dir.resolve("%d.sock")));
    }

    // ------------------------------------------------------------------ mutations

    /** One mutation of one chunk: what it does, and what the rewrite writes instead of the chunk. */
    record Case(String base, String chunk, String group, String path, String what, Function<Chunk, List<NewChunk>> edit) {
        String label() {
            return base + " " + chunk + " " + path + ": " + what;
        }
    }

    /** A change of a record at a field path. */
    record Mut(String path, String what, UnaryOperator<StateRecord> op) {}

    private static final class Unchecked extends RuntimeException {
        Unchecked(SnapshotFormatException e) {
            super(e);
        }
    }

    private static long u32(StateRecord r, String name) {
        try {
            return r.u32(name);
        } catch (SnapshotFormatException e) {
            throw new Unchecked(e);
        }
    }

    private static StateRecord rec(StateRecord r, String name) {
        try {
            return r.record(name);
        } catch (SnapshotFormatException e) {
            throw new Unchecked(e);
        }
    }

    private static List<StateRecord> recs(StateRecord r, String name) {
        try {
            return r.records(name);
        } catch (SnapshotFormatException e) {
            throw new Unchecked(e);
        }
    }

    /** {@code b} with field {@code name} set to {@code value} of type {@code type} (in place if it exists). */
    @SuppressWarnings("unchecked")
    static StateRecord.Builder put(StateRecord.Builder b, String name, FieldType type, Object value) {
        return switch (type) {
            case U8 -> b.putU8(name, (Integer) value);
            case U16 -> b.putU16(name, (Integer) value);
            case U32 -> b.putU32(name, (Long) value);
            case U64 -> b.putU64(name, (Long) value);
            case I64 -> b.putI64(name, (Long) value);
            case BOOL -> b.putBool(name, (Boolean) value);
            case BYTES -> b.putBytes(name, (byte[]) value);
            case STRING -> b.putString(name, (String) value);
            case U64_ARRAY -> b.putU64Array(name, (long[]) value);
            case RECORD -> b.putRecord(name, (StateRecord) value);
            case RECORD_LIST -> b.putRecords(name, (List<StateRecord>) value);
            case UNKNOWN -> throw new IllegalArgumentException("unknown type");
        };
    }

    private static Mut set(String path, String name, String what, FieldType type, Object value) {
        return new Mut(path, what, r -> put(r.toBuilder(), name, type, value).build());
    }

    /** Every mutation of record {@code rec} (top-level or nested), field paths prefixed by {@code prefix}. */
    static List<Mut> mutations(StateRecord rec, String prefix, Random rnd, int depth) {
        List<Mut> out = new ArrayList<>();
        for (StateRecord.Field f : rec.fields()) {
            String n = f.name();
            String p = prefix + n;
            out.add(new Mut(p, "dropped", r -> r.toBuilder().remove(n).build()));
            Object v = f.value();
            switch (f.type()) {
                case U8 -> {
                    for (long x : ints((Integer) v, 0xff, rnd)) out.add(set(p, n, "u8 " + x, FieldType.U8, (int) x));
                    out.add(set(p, n, "as u16", FieldType.U16, v));
                    out.add(set(p, n, "as u64", FieldType.U64, ((Integer) v).longValue()));
                }
                case U16 -> {
                    for (long x : ints((Integer) v, 0xffff, rnd)) out.add(set(p, n, "u16 " + x, FieldType.U16, (int) x));
                    out.add(set(p, n, "as u32", FieldType.U32, ((Integer) v).longValue()));
                    out.add(set(p, n, "as u8 (truncated)", FieldType.U8, (Integer) v & 0xff));
                }
                case U32 -> {
                    for (long x : ints((Long) v, 0xffff_ffffL, rnd)) out.add(set(p, n, "u32 " + x, FieldType.U32, x));
                    out.add(set(p, n, "as u64", FieldType.U64, v));
                    out.add(set(p, n, "as u16 (truncated)", FieldType.U16, (int) ((Long) v & 0xffff)));
                }
                case U64, I64 -> {
                    for (long x : longs((Long) v, rnd)) {
                        out.add(set(p, n, f.type().label() + " 0x" + Long.toHexString(x), f.type(), x));
                    }
                    out.add(set(p, n, "as u32 (truncated)", FieldType.U32, (Long) v & 0xffff_ffffL));
                    out.add(set(p, n, f.type() == FieldType.U64 ? "as i64" : "as u64",
                            f.type() == FieldType.U64 ? FieldType.I64 : FieldType.U64, v));
                }
                case BOOL -> {
                    out.add(set(p, n, "negated", FieldType.BOOL, !(Boolean) v));
                    out.add(set(p, n, "as u8", FieldType.U8, (Boolean) v ? 1 : 0));
                }
                case BYTES -> {
                    byte[] b = (byte[]) v;
                    for (Map.Entry<String, byte[]> e : byteVariants(b, rnd).entrySet()) {
                        out.add(set(p, n, e.getKey(), FieldType.BYTES, e.getValue()));
                    }
                    out.add(set(p, n, "as string", FieldType.STRING, Base64.getEncoder().encodeToString(b)));
                    if (b.length % 8 == 0) out.add(set(p, n, "as u64[]", FieldType.U64_ARRAY, toLongs(b)));
                }
                case STRING -> {
                    String s = (String) v;
                    Map<String, String> vs = new LinkedHashMap<>();
                    vs.put("empty string", "");
                    vs.put("unknown word", "FUZZ_BOGUS");
                    vs.put("upper-cased", s.toUpperCase(Locale.ROOT));
                    vs.put("lower-cased", s.toLowerCase(Locale.ROOT));
                    vs.put("with a trailing space", s + " ");
                    vs.put("non-ASCII", "\u00e9\u2713\ud83d\ude00");
                    vs.put("with a NUL", s + "\0");
                    vs.put("huge string (1 MiB)", "x".repeat(1 << 20));
                    vs.forEach((what, x) -> {
                        if (!x.equals(s)) out.add(set(p, n, what, FieldType.STRING, x));
                    });
                    out.add(set(p, n, "as bytes", FieldType.BYTES, s.getBytes(StandardCharsets.UTF_8)));
                }
                case U64_ARRAY -> {
                    long[] a = (long[]) v;
                    Map<String, long[]> vs = new LinkedHashMap<>();
                    vs.put("empty u64[]", new long[0]);
                    vs.put("one element", new long[] {a.length > 0 ? a[0] : 0});
                    if (a.length > 0) vs.put("one element fewer", Arrays.copyOf(a, a.length - 1));
                    vs.put("one element more (0)", Arrays.copyOf(a, a.length + 1));
                    long[] ones = new long[a.length];
                    Arrays.fill(ones, -1L);
                    vs.put("all ones", ones);
                    long[] random = new long[a.length];
                    for (int i = 0; i < random.length; i++) random[i] = rnd.nextLong();
                    vs.put("random words", random);
                    if (a.length > 0) {
                        long[] msb = a.clone();
                        msb[rnd.nextInt(a.length)] ^= Long.MIN_VALUE;
                        vs.put("one word's top bit flipped", msb);
                    }
                    vs.put("131072 elements", new long[1 << 17]);
                    vs.forEach((what, x) -> {
                        if (!Arrays.equals(x, a)) out.add(set(p, n, what, FieldType.U64_ARRAY, x));
                    });
                    out.add(set(p, n, "as bytes", FieldType.BYTES, toBytes(a)));
                }
                case RECORD -> {
                    StateRecord sub = (StateRecord) v;
                    out.add(set(p, n, "empty record", FieldType.RECORD, StateRecord.EMPTY));
                    out.add(set(p, n, "as record[] of one", FieldType.RECORD_LIST, List.of(sub)));
                    out.add(set(p, n, "as bytes", FieldType.BYTES, sub.encode()));
                    if (depth < 4) {
                        for (Mut m : mutations(sub, p + ".", rnd, depth + 1)) {
                            out.add(new Mut(m.path(), m.what(),
                                    r -> r.toBuilder().putRecord(n, m.op().apply(rec(r, n))).build()));
                        }
                    }
                }
                case RECORD_LIST -> {
                    @SuppressWarnings("unchecked")
                    List<StateRecord> list = (List<StateRecord>) v;
                    Map<String, List<StateRecord>> vs = new LinkedHashMap<>();
                    vs.put("empty list", List.of());
                    if (!list.isEmpty()) {
                        vs.put("first element only", List.of(list.getFirst()));
                        vs.put("last element dropped", list.subList(0, list.size() - 1));
                        vs.put("first element dropped", list.subList(1, list.size()));
                        List<StateRecord> dup = new ArrayList<>(list);
                        dup.add(list.getFirst());
                        vs.put("first element duplicated at the end", dup);
                        List<StateRecord> dup2 = new ArrayList<>(list);
                        dup2.add(0, list.getLast());
                        vs.put("last element duplicated at the front", dup2);
                        List<StateRecord> rev = new ArrayList<>(list);
                        Collections.reverse(rev);
                        if (!rev.equals(list)) vs.put("reversed", rev);
                        vs.put("1000 copies of the first element", Collections.nCopies(1000, list.getFirst()));
                    }
                    List<StateRecord> withEmpty = new ArrayList<>(list);
                    withEmpty.add(StateRecord.EMPTY);
                    vs.put("an empty record appended", withEmpty);
                    vs.forEach((what, x) -> out.add(set(p, n, what, FieldType.RECORD_LIST, x)));
                    out.add(set(p, n, list.isEmpty() ? "as record (empty)" : "as record (the first element)",
                            FieldType.RECORD, list.isEmpty() ? StateRecord.EMPTY : list.getFirst()));
                    if (depth < 4 && !list.isEmpty()) {
                        Set<Integer> idx = new LinkedHashSet<>(List.of(0, list.size() - 1, rnd.nextInt(list.size())));
                        for (int i : idx) {
                            for (Mut m : mutations(list.get(i), p + "[" + i + "].", rnd, depth + 1)) {
                                out.add(new Mut(m.path(), m.what(), r -> {
                                    List<StateRecord> l = new ArrayList<>(recs(r, n));
                                    l.set(i, m.op().apply(l.get(i)));
                                    return r.toBuilder().putRecords(n, l).build();
                                }));
                            }
                        }
                    }
                }
                case UNKNOWN -> { }
            }
        }
        return out;
    }

    /** Boundary values of an unsigned field of width {@code max}, not equal to {@code orig}. */
    private static List<Long> ints(long orig, long max, Random rnd) {
        Set<Long> s = new LinkedHashSet<>(List.of(0L, 1L, max, max - 1, (max >>> 1) + 1, max >>> 1,
                (orig + 1) & max, orig ^ 1, rnd.nextLong(max + 1)));
        if (max == 0xffff_ffffL) s.addAll(List.of(999_999_999L, 1_000_000_000L)); // a nanosecond fraction's ends
        s.remove(orig);
        return new ArrayList<>(s);
    }

    private static List<Long> longs(long orig, Random rnd) {
        Set<Long> s = new LinkedHashSet<>(List.of(0L, 1L, -1L, -2L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32,
                orig + 1, orig + 0x1000, orig ^ Long.MIN_VALUE, orig - 1, rnd.nextLong(),
                // the ends of what range checks in this code base commonly allow
                Long.MAX_VALUE / 4, Long.MAX_VALUE / 4 + 1, Long.MAX_VALUE - 1,
                // the first and last second java.time can show (LocalDateTime.MIN/MAX as epoch seconds)
                LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC), LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC)));
        s.remove(orig);
        return new ArrayList<>(s);
    }

    private static Map<String, byte[]> byteVariants(byte[] b, Random rnd) {
        Map<String, byte[]> vs = new LinkedHashMap<>();
        vs.put("empty bytes", new byte[0]);
        vs.put("one byte", new byte[] {b.length > 0 ? b[0] : 1});
        if (b.length > 0) vs.put("one byte shorter", Arrays.copyOf(b, b.length - 1));
        vs.put("one byte longer", Arrays.copyOf(b, b.length + 1));
        vs.put("twice as long", Arrays.copyOf(b, Math.max(2, b.length * 2)));
        byte[] random = new byte[b.length];
        rnd.nextBytes(random);
        vs.put("random content", random);
        byte[] ff = new byte[b.length];
        Arrays.fill(ff, (byte) 0xff);
        vs.put("all 0xff", ff);
        if (b.length > 0) {
            for (int k = 0; k < 3; k++) {
                byte[] flipped = b.clone();
                int at = rnd.nextInt(b.length);
                flipped[at] ^= (byte) (1 << rnd.nextInt(8));
                vs.put("a bit of byte " + at + " flipped", flipped);
            }
        }
        vs.put("huge (1 MiB)", new byte[1 << 20]);
        vs.values().removeIf(x -> Arrays.equals(x, b));
        return vs;
    }

    private static long[] toLongs(byte[] b) {
        long[] out = new long[b.length / 8];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    private static byte[] toBytes(long[] a) {
        ByteBuffer bb = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(a);
        return bb.array();
    }

    /** Every case for one base: record mutations of each chunk, and chunk-level edits. */
    private static List<Case> cases(Base base, SnapshotReader r, Random rnd) {
        List<Case> out = new ArrayList<>();
        for (Chunk c : r.chunks()) {
            if (c.name().equals(SnapshotFormat.RAM_CRC_CHUNK)) continue;
            String label = c.entry().label();
            String chunk = c.name() + (c.instance().isEmpty() ? "" : "#" + c.instance());
            // chunk-level
            Map<String, Function<Chunk, List<NewChunk>>> chunkEdits = new LinkedHashMap<>();
            chunkEdits.put("chunk dropped", x -> List.of());
            chunkEdits.put("empty record", x -> List.of(NewChunk.of(x, StateRecord.EMPTY)));
            chunkEdits.put("unknown extra field", x -> List.of(NewChunk.of(x,
                    x.record().toBuilder().putU32("fuzz_extra_field", 7).build())));
            chunkEdits.put("version + 1", x -> List.of(new NewChunk(x.name(), x.instance(), x.entry().version() + 1,
                    x.entry().required(), x.entry().producer(), x.record())));
            chunkEdits.put("version + 1, optional", x -> List.of(new NewChunk(x.name(), x.instance(),
                    x.entry().version() + 1, false, x.entry().producer(), x.record())));
            chunkEdits.put("required flag toggled", x -> List.of(new NewChunk(x.name(), x.instance(),
                    x.entry().version(), !x.entry().required(), x.entry().producer(), x.record())));
            chunkEdits.put("also under another instance", x -> List.of(NewChunk.of(x, x.record()),
                    new NewChunk(x.name(), x.instance().isEmpty() ? "7" : x.instance() + "7", x.entry().version(),
                            x.entry().required(), x.entry().producer(), x.record())));
            chunkEdits.forEach((what, edit) -> out.add(new Case(base.label(), chunk, c.name() + " (chunk)",
                    "(chunk)", what, only(label, edit))));
            for (Mut m : mutations(c.record(), "", rnd, 0)) {
                // one group per field whatever the base and list element: the budget is spread over fields
                String field = m.path().replaceAll("\\[\\d+]", "[]");
                out.add(new Case(base.label(), chunk, c.name() + " " + field, m.path(), m.what(),
                        only(label, x -> List.of(NewChunk.of(x, m.op().apply(x.record()))))));
            }
        }
        return out;
    }

    /** Applies {@code edit} to the chunk labelled {@code label} and keeps every other chunk as it is. */
    private static Function<Chunk, List<NewChunk>> only(String label, Function<Chunk, List<NewChunk>> edit) {
        return c -> c.entry().label().equals(label) ? edit.apply(c) : List.of(NewChunk.of(c, c.record()));
    }

    /**
     * The order cases run in, for broad coverage under a time budget: round after round, each chunk (by
     * name, over all bases) contributes about sqrt(its field count) cases, taking its fields in turn and
     * each field's cases in random order.
     */
    private static List<Case> interleave(List<Case> all, Random rnd) {
        Map<String, Map<String, List<Case>>> byChunk = new TreeMap<>();
        for (Case c : all) {
            byChunk.computeIfAbsent(c.chunk().split("#", 2)[0], k -> new TreeMap<>())
                    .computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
        }
        record Chunk(List<List<Case>> fields, int perRound, int[] next) {}
        List<Chunk> chunks = new ArrayList<>();
        for (Map<String, List<Case>> fields : byChunk.values()) {
            List<List<Case>> lists = new ArrayList<>(fields.values());
            for (List<Case> l : lists) Collections.shuffle(l, rnd);
            Collections.shuffle(lists, rnd);
            chunks.add(new Chunk(lists, (int) Math.ceil(Math.sqrt(lists.size())), new int[] {0, 0}));
        }
        Collections.shuffle(chunks, rnd);
        List<Case> out = new ArrayList<>();
        while (out.size() < all.size()) {
            for (Chunk ch : chunks) {
                // next[0]: the field whose turn it is; next[1]: the round within the fields
                for (int k = 0; k < ch.perRound(); k++) {
                    int tries = 0;
                    while (tries++ < ch.fields().size()) {
                        List<Case> l = ch.fields().get(ch.next()[0]);
                        int round = ch.next()[1];
                        if (++ch.next()[0] == ch.fields().size()) {
                            ch.next()[0] = 0;
                            ch.next()[1]++;
                        }
                        if (round < l.size()) {
                            out.add(l.get(round));
                            break;
                        }
                    }
                    if (tries > ch.fields().size() && ch.fields().stream().allMatch(l -> l.size() <= ch.next()[1])) break;
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ running

    enum Outcome { REFUSED, ACCEPTED, ACCEPTED_GUEST_ENDED, DEFECT }

    record Result(Case c, Outcome outcome, String detail, long millis) {}

    /** Uncaught exceptions of any thread while a case runs. */
    private final List<String> uncaught = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger caseNumber = new AtomicInteger();

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** The fields §12 of docs/snapshot-format.md lets a version-1 record leave out. */
    private static final Set<String> OPTIONAL_FIELDS = Set.of("lapic", "msix", "vars_command", "host_open_told",
            "interrupt_bitmap", "triple_fault_pending", "exception_has_payload", "exception_payload",
            "asserted_ioapic_pins", "asserted_isa_irqs");

    /** Longest refusal a person can still read; longer ones echo untrusted input at length. */
    private static final int MAX_MESSAGE = 2048;

    /**
     * Whether {@code message} says what is wrong: it names the chunk the case mutated ("vcpu" may be
     * written "vCPU"), or the field (its last path component, if that is not a one- or two-letter word).
     */
    static boolean namesWhatIsWrong(String message, Case c) {
        String m = message.toLowerCase(Locale.ROOT);
        String name = c.chunk().split("#", 2)[0].toLowerCase(Locale.ROOT);
        if (name.equals("vm") ? m.contains("'vm'") : m.contains(name)) return true;
        String[] parts = c.path().split("\\.");
        String leaf = parts[parts.length - 1].replaceAll("\\[\\d+]$", "").toLowerCase(Locale.ROOT);
        return !c.path().equals("(chunk)") && leaf.length() > 2 && m.contains(leaf);
    }

    /** What one in-process {@code bhyve -r} did. */
    private record Run(boolean built, int status, Throwable thrown, boolean hung, String stderr, List<String> uncaught,
                       String checkpointError, String hungStack, long millis) {}

    /**
     * Runs {@code bhyve -r snap} through {@link Main#run}. A VM that is built runs (with {@code runGuest})
     * until its guest's first instruction plus {@link #RUN_MILLIS}; then, with {@code checkpointTo}, it is suspended into that
     * file through its control socket (the save path reads every device's restored state), else
     * powered off.
     */
    private Run restore(Base base, Path snap, Path checkpointTo, boolean runGuest) throws Exception {
        int n = caseNumber.incrementAndGet();
        Path control = dir.resolve("c" + n);
        List<String> args = new ArrayList<>(List.of("-r", snap.toString(), "-o", "control.dir=" + control));
        for (String o : base.overrides()) args.add(o.replace("%d", Integer.toString(n)));
        args.add(VM);
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicInteger status = new AtomicInteger(-1);
        uncaught.clear();
        long start = System.nanoTime();
        long deadline = start + CASE_TIMEOUT.toNanos();
        Thread t = Thread.ofPlatform().name("fuzz restore " + n).daemon().start(() -> {
            try {
                status.set(Main.run(args.toArray(String[]::new), out, err));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Path socket = control.resolve(VM);
        boolean built = false;
        while (t.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                built = true;
                break;
            }
            t.join(2);
        }
        String checkpointError = null;
        if (built) {
            // Main.launch prints one line once the guest's first instruction ran (or 10 s passed).
            // (Before that line vm.start() may not have run: a power-off request then makes start() throw.)
            while (t.isAlive() && System.nanoTime() < deadline) {
                String e = errBytes.toString(StandardCharsets.UTF_8);
                if (e.contains("the guest runs again") || e.contains("the guest has not run")) break;
                t.join(5);
            }
            if (runGuest) t.join(RUN_MILLIS);
            if (t.isAlive()) checkpointError = endVm(socket, checkpointTo);
        }
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        long millis = (System.nanoTime() - start) / 1_000_000;
        boolean hung = t.isAlive();
        return new Run(built, status.get(), thrown.get(), hung, errBytes.toString(StandardCharsets.UTF_8).strip(),
                List.copyOf(uncaught), checkpointError, hung ? stackOf(t) : null, millis);
    }

    /** Connects to the control socket, which may be bound a moment before it listens. */
    private static UnixSocket connect(Path socket) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                return UnixSocket.connect(socket);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(5);
            }
        }
    }

    /** Suspends the VM into {@code file} (null: powers it off); returns the control socket's error, if any. */
    private static String endVm(Path socket, Path file) throws InterruptedException {
        try (UnixSocket s = connect(socket)) {
            if (file == null) {
                s.send(new NvList().addString("cmd", "force-poweroff"), Duration.ofSeconds(5));
                s.receive(0, Duration.ofSeconds(5));
                return null;
            }
            int fd = org.jbhyve.bhyve.control.TestIo.openDirectory(file.getParent());
            try {
                s.send(ControlRequests.checkpointMessage(file.getFileName().toString(), true, fd), Duration.ofSeconds(5));
                NvList reply = s.receive(0, CASE_TIMEOUT);
                if (reply.getNumber("error") == 0) return null;
                String message = reply.getString("message");
                if (message.contains("has ended") || message.contains("not running")) return null; // guest ended first
                // the VM runs on after a failed checkpoint
                try (UnixSocket p = connect(socket)) {
                    p.send(new NvList().addString("cmd", "force-poweroff"), Duration.ofSeconds(5));
                    p.receive(0, Duration.ofSeconds(5));
                }
                return message;
            } finally {
                org.jbhyve.bhyve.control.TestIo.close(fd);
            }
        } catch (IOException | RuntimeException e) {
            return null; // the VM ended meanwhile
        }
    }

    /** The last "bhyve: " line that is not a warning: the refusal. */
    private static String refusal(String stderr) {
        String found = null;
        for (String l : stderr.split("\n")) {
            if (l.startsWith("bhyve: ") && !l.startsWith("bhyve: warning: ")) found = l;
        }
        return found;
    }

    /** How one run went, for the mutation {@code c}; {@code what} says which run ("restore", "round trip"). */
    private static Result classify(Case c, Run r, String what) {
        String e = r.stderr();
        String shortErr = e.length() > 4000 ? e.substring(0, 4000) + "... (" + e.length() + " chars)" : e;
        if (r.hung()) {
            return new Result(c, Outcome.DEFECT, what + ": HANG: no end after " + CASE_TIMEOUT.toSeconds() + " s ("
                    + (r.built() ? "VM built, asked to end" : "restore still running") + "); thread:\n" + r.hungStack()
                    + "stderr: " + shortErr, r.millis());
        }
        if (r.thrown() != null) {
            return new Result(c, Outcome.DEFECT, what + ": ESCAPED " + r.thrown().getClass().getName() + " from Main.run: "
                    + stackTrace(r.thrown()) + "stderr: " + shortErr, r.millis());
        }
        if (!r.uncaught().isEmpty()) {
            return new Result(c, Outcome.DEFECT, what + ": UNCAUGHT on another thread: " + r.uncaught() + "\nstderr: "
                    + shortErr, r.millis());
        }
        if (STACK_TRACE.matcher(e).find()) {
            return new Result(c, Outcome.DEFECT, what + ": JAVA EXCEPTION ON STDERR (status " + r.status() + ", VM "
                    + (r.built() ? "built" : "not built") + "): " + shortErr, r.millis());
        }
        if (r.checkpointError() != null) {
            return new Result(c, Outcome.DEFECT, what + ": CHECKPOINT OF THE RESTORED VM FAILED: " + r.checkpointError()
                    + "\nstderr: " + shortErr, r.millis());
        }
        if (!r.built()) {
            String line = refusal(e);
            if (r.status() != ExitStatus.ERROR.code()) {
                return new Result(c, Outcome.DEFECT, what + ": EXIT " + r.status() + " without a VM: " + shortErr, r.millis());
            }
            if (line == null) {
                return new Result(c, Outcome.DEFECT, what + ": REFUSED WITHOUT A 'bhyve:' MESSAGE: " + shortErr, r.millis());
            }
            if (line.length() > MAX_MESSAGE) {
                return new Result(c, Outcome.DEFECT, what + ": HUGE REFUSAL (" + line.length() + " chars, echoes the input): "
                        + line.substring(0, 300) + "...", r.millis());
            }
            if (!line.contains("cannot restore") && !line.contains("snapshot")) {
                return new Result(c, Outcome.DEFECT, what + ": UNATTRIBUTED REFUSAL (a backend error that does not say it "
                        + "comes from the snapshot, nor which chunk/field): " + line, r.millis());
            }
            if (!namesWhatIsWrong(line, c)) {
                return new Result(c, Outcome.DEFECT, what + ": VAGUE REFUSAL (names neither chunk " + c.chunk()
                        + " nor its field): " + line, r.millis());
            }
            return new Result(c, Outcome.REFUSED, shortErr, r.millis());
        }
        boolean endedByUs = r.status() == ExitStatus.POWEROFF.code() || r.status() == 0;
        if (endedByUs && !e.contains("jbhyve: vcpu")) return new Result(c, Outcome.ACCEPTED, shortErr, r.millis());
        return new Result(c, Outcome.ACCEPTED_GUEST_ENDED, "exit " + r.status() + ": " + shortErr, r.millis());
    }

    /**
     * Restores the mutated snapshot; an accepted one is run, suspended into a new snapshot, and that is
     * restored in turn (and powered off): whatever a device accepted, its own saved state must restore.
     */
    private Result run(Base base, Case c, Path snap) throws Exception {
        Path again = dir.resolve("again.snap");
        Files.deleteIfExists(again);
        Run first = restore(base, snap, again, true);
        Result r = classify(c, first, "restore");
        // docs/snapshot-format.md: a chunk this VM needs that is not in the file is lost state (§9.2), and
        // every field a version-1 record lists is mandatory unless its row says it may be absent (§12).
        boolean built = r.outcome() != Outcome.DEFECT && first.built();
        if (built && c.path().equals("(chunk)") && c.what().equals("chunk dropped")) {
            return new Result(c, Outcome.DEFECT, "restore: MISSING CHUNK ACCEPTED: the VM was built without state for "
                    + c.chunk() + " (§9.2: refused, 'it has no state for chunk ...')\nstderr: " + first.stderr(),
                    first.millis());
        }
        String leaf = c.path().replaceAll(".*[.\\]]", "");
        if (built && c.what().equals("dropped") && !OPTIONAL_FIELDS.contains(leaf)) {
            return new Result(c, Outcome.DEFECT, "restore: MANDATORY FIELD DROPPED BUT ACCEPTED: " + c.chunk() + " "
                    + c.path() + " (§12: a version-1 record without it is refused)\nstderr: " + first.stderr(),
                    first.millis());
        }
        if (r.outcome() != Outcome.ACCEPTED || !Files.exists(again)) return r;
        Run second = restore(base, again, null, false);
        Result r2 = classify(c, second, "round trip (restore of the accepted VM's own checkpoint)");
        long millis = first.millis() + second.millis();
        if (r2.outcome() == Outcome.REFUSED) {
            return new Result(c, Outcome.DEFECT, "ROUND TRIP REFUSED: the restore accepted the mutation, but the VM's own "
                    + "checkpoint afterwards does not restore: " + r2.detail(), millis);
        }
        if (r2.outcome() == Outcome.DEFECT) return new Result(c, Outcome.DEFECT, r2.detail(), millis);
        return new Result(c, Outcome.ACCEPTED, r.detail() + (r2.outcome() == Outcome.ACCEPTED_GUEST_ENDED
                ? "\n(the round trip's guest ended: " + r2.detail() + ")" : ""), millis);
    }

    private static String stackOf(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement s : t.getStackTrace()) sb.append("\tat ").append(s).append('\n');
        return sb.toString();
    }

    // ------------------------------------------------------------------ the test

    @Test
    void everyMutatedChunkIsRefusedWithOneClearErrorOrRestores() throws Exception {
        long t0 = System.nanoTime();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((th, ex) -> uncaught.add(th.getName() + ": " + stackTrace(ex)));
        List<Result> results = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        int planned = 0;
        try {
            Random rnd = new Random(SEED);
            List<Base> bases = bases();
            Map<String, Base> byLabel = new LinkedHashMap<>();
            List<Case> all = new ArrayList<>();
            for (Base b : bases) {
                byLabel.put(b.label(), b);
                try (SnapshotReader r = SnapshotReader.open(b.file())) {
                    all.addAll(cases(b, r, rnd));
                }
            }
            planned = all.size();
            List<Case> order = interleave(all, rnd);
            // -Djbhyve.fuzz.only=REGEX: only the cases whose label ("base chunk path: what") it finds
            String only = System.getProperty("jbhyve.fuzz.only");
            if (only != null) order = order.stream().filter(c -> Pattern.compile(only).matcher(c.label()).find()).toList();
            long setupMillis = (System.nanoTime() - t0) / 1_000_000;
            log.append(String.format("seed 0x%x, %d cases planned, bases %s, set-up %d ms%n", SEED, planned,
                    byLabel.keySet(), setupMillis));
            long budgetEnd = System.nanoTime() + BUDGET.toNanos();
            Path snap = dir.resolve("case.snap");
            for (Case c : order) {
                if (System.nanoTime() > budgetEnd) break;
                Base base = byLabel.get(c.base());
                Files.deleteIfExists(snap);
                try {
                    SnapshotKvmTest.rewriteChunks(base.file(), snap, c.edit(), cfg -> { });
                } catch (Unchecked | IllegalArgumentException | IOException ex) {
                    log.append("SKIP (cannot write) ").append(c.label()).append(": ").append(ex).append('\n');
                    continue;
                }
                Result res = run(base, c, snap);
                results.add(res);
                log.append(res.outcome()).append(' ').append(res.millis()).append(" ms ").append(c.label()).append("\n    ")
                        .append(res.detail().replace("\n", "\n    ")).append('\n');
                if (res.outcome() == Outcome.DEFECT && res.detail().contains(": HANG: ")) break; // a stuck VM holds its resources (a tap)
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            Map<Outcome, Long> counts = new TreeMap<>();
            for (Result r : results) counts.merge(r.outcome(), 1L, Long::sum);
            String summary = String.format("%d of %d planned cases ran in %.1f s: %s", results.size(), planned,
                    (System.nanoTime() - t0) / 1e9, counts);
            log.append(summary).append('\n');
            Path report = Path.of("target", "snapshot-restore-fuzz.txt");
            try {
                Files.createDirectories(report.getParent());
                Files.writeString(report, log);
            } catch (IOException ignored) {
                // the report is a convenience
            }
            System.out.println(summary + " (log: " + report.toAbsolutePath() + ")");
        }
        List<Result> defects = results.stream().filter(r -> r.outcome() == Outcome.DEFECT).toList();
        Map<String, Long> kinds = new TreeMap<>();
        Pattern kind = Pattern.compile("[A-Z][A-Z' ]{3,}[A-Z]"); // HANG, ESCAPED, UNATTRIBUTED REFUSAL, ...
        for (Result r : defects) {
            var m = kind.matcher(r.detail());
            kinds.merge(m.find() ? m.group() : "?", 1L, Long::sum);
        }
        List<String> shown = defects.stream().limit(40).map(r -> r.c().label() + "\n  "
                + (r.detail().length() > 800 ? r.detail().substring(0, 800) + " ..." : r.detail()).replace("\n", "\n  "))
                .toList();
        assertThat(shown).as("%d restores of mutated snapshots did not end in one clear refusal or a sound running VM "
                + "(by kind: %s; the first 40 follow, all are in target/snapshot-restore-fuzz.txt)", defects.size(), kinds)
                .isEmpty();
    }

    // ------------------------------------------------------------------ reduced reproductions
    //
    // The smallest cases of what the fuzzing (and reading the restore code it points at) found, one
    // field each, on the demo fixture. Each says what a restore must do with the value.

    private Base demoFixture() throws Exception {
        Path fixtures = Path.of(SnapshotRestoreFuzzKvmTest.class.getResource("/snapshots/format-1.0").toURI());
        return new Base("demo-4m", fixtures.resolve("demo-4m.snap"), List.of("-o", "lpc.com1.path=" + dir.resolve("com1.log")));
    }

    /** The demo fixture with chunk {@code chunk} (instance "" or "0") edited. */
    private Path demoWith(String name, String chunk, UnaryOperator<StateRecord> edit) throws Exception {
        Path out = dir.resolve(name + ".snap");
        SnapshotKvmTest.rewriteChunks(demoFixture().file(), out, c -> List.of(NewChunk.of(c,
                c.name().equals(chunk) ? edit.apply(c.record()) : c.record())), cfg -> { });
        return out;
    }

    private static UnaryOperator<StateRecord> nested(String field, UnaryOperator<StateRecord> edit) {
        return r -> r.toBuilder().putRecord(field, edit.apply(rec(r, field))).build();
    }

    /**
     * vcpu sregs: a segment's type is 4 bits and its DPL 2, but any u8 is restored. KVM keeps the byte,
     * and the VM's next checkpoint fails: KvmState.segment reads kvm_segment.type/dpl as signed Java
     * bytes, so 0xff comes back as -1 and StateRecord.putU8 throws IllegalArgumentException.
     */
    @Test
    void aSegmentTypeOrDplWiderThanItsBitsIsRefused() throws Exception {
        for (String field : List.of("type", "dpl")) {
            Path snap = demoWith("segment-" + field, "vcpu", nested("sregs", nested("es", r -> r.toBuilder()
                    .putU8(field, 0xff).build())));
            Run run = restore(demoFixture(), snap, dir.resolve("segment-again.snap"), true);
            assertThat(run.built()).as("sregs.es.%s = 0xff was restored; then the checkpoint said: %s", field,
                    run.checkpointError()).isFalse();
            assertThat(run.status()).isEqualTo(ExitStatus.ERROR.code());
            assertThat(refusal(run.stderr())).contains("vcpu").contains(field);
        }
    }

    /**
     * vcpu cpuid, msrs and xcrs: a (function, index) or an MSR or XCR index listed twice was restored (the
     * MSR and XCR maps kept the last value silently; KVM took both CPUID leaves), a leaf without a
     * significant index listed again with another index too (KVM answers from the first), and more CPUID
     * leaves than KVM's 256 reached KVM_SET_CPUID2. Each is now refused, naming the vCPU and the list.
     */
    @Test
    void aVcpuListWithAnEntryTwiceOrTooManyCpuidLeavesIsRefused() throws Exception {
        Map<String, UnaryOperator<StateRecord>> edits = new LinkedHashMap<>();
        for (String list : List.of("cpuid", "msrs", "xcrs")) {
            edits.put(list, r -> {
                List<StateRecord> entries = new ArrayList<>(recs(r, list));
                entries.add(entries.get(0));
                return r.toBuilder().putRecords(list, entries).build();
            });
        }
        edits.put("cpuid-unindexed", r -> {
            // Leaf 0 (the vendor) has no significant index: a second entry for it with another index is
            // the same question answered twice.
            List<StateRecord> entries = new ArrayList<>(recs(r, "cpuid"));
            StateRecord leaf0 = entries.stream().filter(e -> u32(e, "function") == 0).findFirst().orElseThrow();
            entries.add(leaf0.toBuilder().putU32("index", 1).build());
            return r.toBuilder().putRecords("cpuid", entries).build();
        });
        edits.put("cpuid-257", r -> {
            List<StateRecord> entries = new ArrayList<>();
            for (int i = 0; i < 257; i++) {
                entries.add(recs(r, "cpuid").get(0).toBuilder().putU32("index", i).build());
            }
            return r.toBuilder().putRecords("cpuid", entries).build();
        });
        for (var edit : edits.entrySet()) {
            Path snap = demoWith("vcpu-" + edit.getKey(), "vcpu", edit.getValue());
            Run run = restore(demoFixture(), snap, dir.resolve("vcpu-again.snap"), false);
            assertThat(run.built()).as("%s: restored", edit.getKey()).isFalse();
            assertThat(run.status()).isEqualTo(ExitStatus.ERROR.code());
            String list = edit.getKey().replaceAll("-.*", "");
            assertThat(refusal(run.stderr())).as(edit.getKey()).contains("vcpu 0").contains(list)
                    .containsAnyOf("twice", "at most 256", "more than once");
        }
    }

    /**
     * dev.rtc: rtc_seconds is checked only to be a date java.time can show now. At LocalDateTime.MAX
     * the clock ticks past it, and the guest's next read of a time register throws DateTimeException
     * from CmosRtc.storeTime on the vCPU thread, which ends the VM ("vcpu 0 failed").
     */
    @Test
    void anRtcTimeAtTheEndOfJavaTimeIsRefusedOrKeepsTicking() throws Exception {
        long end = LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);
        Path snap = demoWith("rtc-end", "dev.rtc", r -> r.toBuilder().putI64("rtc_seconds", end)
                .putU32("rtc_subsecond_ns", 999_999_999L).putI64("last_update_second", end).build());
        try (BhyveRun run = BhyveRun.restoreNotStarted(snap, List.of("-o", "control.dir=" + dir.resolve("ctl")))) {
            if (run.runtime == null) {
                assertThat(run.stderr()).contains("dev.rtc").contains("rtc_seconds");
                return;
            }
            var rtc = (org.jbhyve.bhyve.devices.rtc.CmosRtc) run.runtime.snapshottables().stream()
                    .filter(d -> d instanceof org.jbhyve.bhyve.devices.rtc.CmosRtc).findFirst().orElseThrow();
            Thread.sleep(10);
            rtc.out(0x70, 1, 0x00); // what a guest does to read the seconds: index 0, then the data port
            assertThatCode(() -> rtc.in(0x71, 1)).as("a guest's read of the RTC seconds after restoring rtc_seconds %d"
                    + " (LocalDateTime.MAX)", end).doesNotThrowAnyException();
        }
    }

    /**
     * dev.rtc: periodic_ticks is accepted up to Long.MAX_VALUE, and with the periodic interrupt enabled
     * CmosRtc.nextInterruptDeadline computes (periodicTicksSeen + 1) * period, which overflows to a
     * deadline in the past: the rtc-timer thread re-arms itself at once, forever (a spinning core).
     */
    @Test
    void anRtcPeriodicTickCountNearTheLongLimitIsRefusedOrDoesNotSpin() throws Exception {
        Path snap = demoWith("rtc-ticks", "dev.rtc", r -> {
            byte[] cmos = (byte[]) r.field("cmos").orElseThrow().value();
            cmos[0x0a] = 0x26; // register A: divider running, rate 6 (1024 Hz)
            cmos[0x0b] |= 0x40; // register B: PIE, the periodic interrupt
            return r.toBuilder().putBytes("cmos", cmos).putU64("periodic_ticks", Long.MAX_VALUE).build();
        });
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try (BhyveRun run = BhyveRun.restore(snap, List.of("-o", "control.dir=" + dir.resolve("ctl")))) {
            if (run.runtime == null) {
                assertThat(run.stderr()).contains("dev.rtc").contains("periodic_ticks");
                return;
            }
            Thread.sleep(200);
            long before = rtcTimerCpuNanos(threads);
            Thread.sleep(1000);
            long used = rtcTimerCpuNanos(threads) - before;
            run.runtime.end(ExitStatus.POWEROFF, "test done");
            assertThat(used / 1_000_000).as("CPU ms the rtc-timer threads used in 1 s after restoring periodic_ticks "
                    + "Long.MAX_VALUE with PIE set").isLessThan(200);
        }
    }

    private static long rtcTimerCpuNanos(java.lang.management.ThreadMXBean threads) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("rtc-timer")) sum += Math.max(0, threads.getThreadCpuTime(t.threadId()));
        }
        return sum;
    }

    /**
     * Not the snapshot's content but the restore's (and any start's) timing: Main.launch starts the
     * control socket before vm.start(). A bhyvectl --force-poweroff (or --destroy) that arrives in
     * between ends the VM, and vm.start() then throws IllegalStateException ("VM cannot go from
     * DESTROYED to RUNNING") out of Main.run: bhyve dies with a stack trace instead of exiting 1.
     */
    @Test
    void aPowerOffRequestRightAfterTheControlSocketAppearsEndsTheRestoredVmCleanly() throws Exception {
        // The virtio devices' restored() hooks make the window between the two wide enough to hit.
        Base base = virtioconMidProtocol();
        for (int attempt = 0; attempt < 40; attempt++) {
            Path control = dir.resolve("race" + attempt);
            List<String> args = new ArrayList<>(List.of("-r", base.file().toString(), "-o", "control.dir=" + control));
            for (String o : base.overrides()) args.add(o.replace("%d", "race" + attempt));
            args.add(VM);
            ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
            PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicInteger status = new AtomicInteger(-1);
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    status.set(Main.run(args.toArray(String[]::new), err, err));
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            Path socket = control.resolve(VM);
            while (t.isAlive() && !Files.exists(socket)) Thread.sleep(1);
            try (UnixSocket s = connect(socket)) {
                s.send(new NvList().addString("cmd", "force-poweroff"), Duration.ofSeconds(5));
                s.receive(0, Duration.ofSeconds(5));
            }
            t.join(CASE_TIMEOUT.toMillis());
            assertThat(t.isAlive()).as("bhyve did not end after the power-off").isFalse();
            assertThat(thrown.get()).as("attempt %d: what escaped Main.run; stderr: %s", attempt, errBytes).isNull();
            assertThat(status.get()).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }
}
