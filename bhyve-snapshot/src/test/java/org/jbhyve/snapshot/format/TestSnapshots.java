package org.jbhyve.snapshot.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jbhyve.bindings.libc.libc_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.SequencedMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/** Shared fixtures: metadata, guest memory with chosen pages populated, a sample snapshot, file surgery. */
final class TestSnapshots {
    private TestSnapshots() {}

    static final int PAGE = 4096;

    static SequencedMap<String, String> config(String memorySize, int cpus) {
        SequencedMap<String, String> c = new LinkedHashMap<>();
        c.put("name", "vm1");
        c.put("cpus", Integer.toString(cpus));
        c.put("memory.size", memorySize);
        c.put("pci.0.0.0.device", "hostbridge");
        c.put("pci.0.2.0.device", "virtio-blk");
        c.put("pci.0.2.0.path", "/vms/vm1/disk.img");
        c.put("pci.0.31.0.device", "lpc");
        c.put("lpc.com1.path", "stdio");
        c.put("x86.strictmsr", "true");
        return c;
    }

    static SnapshotMetadata metadata(String memorySize, int cpus) {
        return new SnapshotMetadata("vm1", cpus, config(memorySize, cpus),
                new HostInfo("Linux", "6.1.0-test", "amd64", "kvm", "GenuineIntel", "Test CPU @ 1.00GHz"),
                "0.1.0-test", Instant.parse("2026-01-31T12:00:00Z"));
    }

    /**
     * Native guest memory of {@code size} bytes in which a {@code fraction} of pages, chosen by
     * {@code seed}, hold random non-zero content; the rest are zero.
     */
    static MemorySegment ram(Arena arena, long size, double fraction, long seed) {
        MemorySegment m = arena.allocate(size, PAGE);
        populate(m, fraction, seed);
        return m;
    }

    static long populate(MemorySegment m, double fraction, long seed) {
        Random rnd = new Random(seed);
        byte[] page = new byte[PAGE];
        long populated = 0;
        for (long p = 0; p < m.byteSize(); p += PAGE) {
            if (rnd.nextDouble() < fraction) {
                rnd.nextBytes(page);
                page[rnd.nextInt(PAGE)] = (byte) (1 + rnd.nextInt(255)); // never an all-zero page
                MemorySegment.copy(page, 0, m, ValueLayout.JAVA_BYTE, p, PAGE);
                populated++;
            }
        }
        return populated;
    }

    static long countNonZeroPages(MemorySegment m) {
        MemorySegment zero = Arena.global().allocate(PAGE);
        long n = 0;
        for (long p = 0; p < m.byteSize(); p += PAGE) {
            if (MemorySegment.mismatch(m, p, p + PAGE, zero, 0, PAGE) >= 0) n++;
        }
        return n;
    }

    static StateRecord vmRecord() {
        return StateRecord.builder().putU32("vcpus", 2).putU64("tsc_khz", 2_400_000).putString("cpu", "host").build();
    }

    static StateRecord vcpuRecord(int id) {
        return StateRecord.builder()
                .putU64("rip", 0x10_0000L + id)
                .putU64("rsp", 0x8000)
                .putU64Array("gprs", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
                .putBytes("xsave", new byte[4096])
                .putRecords("msrs", List.of(
                        StateRecord.builder().putU32("index", 0x10).putU64("value", 123456789).build(),
                        StateRecord.builder().putU32("index", 0x6e0).putU64("value", 987654321).build()))
                .build();
    }

    static StateRecord comRecord() {
        return StateRecord.builder().putU8("ier", 1).putU8("lcr", 3).putBytes("rx_fifo", new byte[] {'h', 'i'}).build();
    }

    /**
     * A typical snapshot: memory.size 8M as one region with 25% of pages populated, chunks vm, vcpu 0 and 1,
     * kvm.clock, dev.com1. Returns the RAM it saved (valid while {@code arena} is).
     */
    static MemorySegment writeSample(Path file, Arena arena, long seed) throws IOException {
        MemorySegment ram = ram(arena, 8 << 20, 0.25, seed);
        try (SnapshotWriter w = SnapshotWriter.create(file, metadata("8M", 2))) {
            w.addChunk("vm", "", 1, true, vmRecord());
            w.addChunk("vcpu", "0", 1, true, "kvm", vcpuRecord(0));
            w.addChunk("vcpu", "1", 1, true, "kvm", vcpuRecord(1));
            w.addChunk("kvm.clock", "", 1, true, "kvm", StateRecord.builder().putU64("clock", 123_456_789L).putU32("flags", 0).build());
            w.addRamRegion("lowmem", 0, ram);
            w.addChunk("dev.com1", "", 1, false, comRecord());
            w.commit();
        }
        return ram;
    }

    // ---- file surgery: change a valid file and fix its checksums, to reach the checks behind them ----

    static ByteBuffer header(Path file) throws IOException {
        byte[] all = new byte[64];
        try (FileChannel ch = FileChannel.open(file)) {
            ch.read(ByteBuffer.wrap(all), 0);
        }
        return ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Applies {@code change} to the 64-byte header and rewrites it with a correct header CRC. */
    static void rewriteHeader(Path file, Consumer<ByteBuffer> change) throws IOException {
        ByteBuffer h = header(file);
        change.accept(h);
        CRC32C c = new CRC32C();
        c.update(h.array(), 0, 60);
        h.putInt(60, (int) c.getValue());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(h.array()), 0);
        }
    }

    static ObjectNode manifestJson(Path file) throws IOException {
        ByteBuffer h = header(file);
        long off = h.getLong(16);
        int len = (int) h.getLong(24);
        byte[] json = new byte[len];
        try (FileChannel ch = FileChannel.open(file)) {
            ch.read(ByteBuffer.wrap(json), off);
        }
        return (ObjectNode) JsonTrees.read(json);
    }

    /** Applies {@code change} to the manifest and rewrites it (and the header) with correct checksums. */
    static void rewriteManifest(Path file, Consumer<ObjectNode> change) throws IOException {
        ObjectNode m = manifestJson(file);
        change.accept(m);
        writeManifestBytes(file, TestSnapshots.jsonBytes(m));
    }

    /** Puts {@code json} where the manifest is, truncates the file after it and fixes the header. */
    static void writeManifestBytes(Path file, byte[] json) throws IOException {
        long off = header(file).getLong(16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(off);
            ch.write(ByteBuffer.wrap(json), off);
        }
        CRC32C c = new CRC32C();
        c.update(json);
        rewriteHeader(file, h -> {
            h.putLong(24, json.length);
            h.putInt(32, (int) c.getValue());
        });
    }

    static void flipBit(Path file, long offset, int bit) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.flip();
            byte v = (byte) (b.get(0) ^ (1 << bit));
            ch.write(ByteBuffer.wrap(new byte[] {v}), offset);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A directory descriptor for the writer's and reader's dirfd forms; close with {@link #close}. */
    static int openDirectory(Path dir) {
        try (Arena a = Arena.ofConfined()) {
            int fd = libc_h.open(libc_h.allocateErrnoState(a), a.allocateFrom(dir.toString()),
                    libc_h.O_RDONLY | libc_h.O_DIRECTORY | libc_h.O_CLOEXEC, 0);
            if (fd < 0) throw new IllegalStateException("cannot open " + dir);
            return fd;
        }
    }

    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(libc_h.allocateErrnoState(a), fd);
        }
    }

    /** Files in {@code dir} whose names start with ".NAME.tmp.". */
    static List<String> temporaries(Path dir, String name) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + name + ".tmp.")).sorted().toList();
        }
    }

    /** A JSON tree as compact UTF-8 bytes, written as the product writes JSON. */
    static byte[] jsonBytes(com.fasterxml.jackson.databind.JsonNode tree) {
        return JsonTrees.write(tree, null).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
