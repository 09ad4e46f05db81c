package org.jbhyve.snapshot.format;

import org.jbhyve.bindings.libc.libc_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole snapshot written and read back: config, chunks, sparse RAM, lazy mapping, the dirfd forms. */
class SnapshotRoundTripTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void everythingComesBackAndTheFileIsSparse() throws Exception {
        Path file = dir.resolve("s1");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment low = TestSnapshots.ram(arena, 48 * MIB, 0.10, 1);
            MemorySegment high = TestSnapshots.ram(arena, 16 * MIB, 0.02, 2);
            long populated = TestSnapshots.countNonZeroPages(low) + TestSnapshots.countNonZeroPages(high);
            SnapshotMetadata meta = TestSnapshots.metadata("64M", 2);
            Manifest written;
            try (SnapshotWriter w = SnapshotWriter.create(file, meta)) {
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                w.addChunk("vcpu", "0", 1, true, "kvm", TestSnapshots.vcpuRecord(0));
                w.addChunk("vcpu", "1", 1, true, "kvm", TestSnapshots.vcpuRecord(1));
                w.addChunk("freebsd.vhpet", "", 1, true, "freebsd:1500023",
                        StateRecord.builder().putBytes("blob", new byte[] {1, 2, 3}).build());
                RamRegion r0 = w.addRamRegion("lowmem", 0, low);
                RamRegion r1 = w.addRamRegion("highmem", 4L << 30, high);
                assertThat(r0.populatedPages() + r1.populatedPages()).isEqualTo(populated);
                w.addChunk("dev.com1", "", 2, false, TestSnapshots.comRecord());
                written = w.commit();
            }
            assertThat(Files.getPosixFilePermissions(file))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            assertThat(TestSnapshots.temporaries(dir, "s1")).isEmpty();

            try (Arena vm = Arena.ofConfined(); SnapshotReader r = SnapshotReader.open(file)) {
                assertThat(r.config()).containsExactlyEntriesOf(meta.config());
                assertThat(r.config().sequencedKeySet()).containsExactlyElementsOf(meta.config().sequencedKeySet());
                assertThat(r.vmName()).isEqualTo("vm1");
                assertThat(r.vcpuCount()).isEqualTo(2);
                assertThat(r.memorySize()).isEqualTo(64 * MIB);
                assertThat(r.manifest().host()).isEqualTo(meta.host());
                assertThat(r.manifest().created()).isEqualTo(meta.created());
                assertThat(r.manifest().producerVersion()).isEqualTo("0.1.0-test");
                assertThat(r.header().snapshotId()).isEqualTo(written.snapshotId());
                assertThat(r.ramRegions()).extracting(RamRegion::name, RamRegion::gpa, RamRegion::size)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("lowmem", 0L, 48 * MIB),
                                org.assertj.core.groups.Tuple.tuple("highmem", 4L << 30, 16 * MIB));
                for (RamRegion g : r.ramRegions()) assertThat(g.fileOffset() % (2 * MIB)).isZero();

                assertThat(r.record("vm", "")).isEqualTo(TestSnapshots.vmRecord());
                assertThat(r.record("vcpu", "1")).isEqualTo(TestSnapshots.vcpuRecord(1));
                assertThat(r.record("dev.com1", "")).isEqualTo(TestSnapshots.comRecord());
                assertThat(r.chunks()).extracting(Chunk::name).containsExactly(
                        "vm", "vcpu", "vcpu", "freebsd.vhpet", "dev.com1", "ram.crc");
                assertThat(r.chunks().get(3).entry().producer()).isEqualTo("freebsd:1500023");
                assertThat(r.chunksOfKind("vcpu")).hasSize(2);
                for (Chunk c : r.chunks()) assertThat(c.entry().offset() % 8).isZero();

                MemorySegment lowBack = r.mapRam(0, vm);
                MemorySegment highBack = r.mapRam(1, vm);
                assertThat(lowBack.mismatch(low)).isEqualTo(-1);
                assertThat(highBack.mismatch(high)).isEqualTo(-1);
                // MAP_PRIVATE: the guest may write; the file does not change.
                lowBack.set(ValueLayout.JAVA_LONG, 0, 0xdead_beefL);

                long populatedBytes = populated * 4096;
                long allocated = r.allocatedBytes();
                assertThat(allocated).as("allocated bytes vs %d populated", populatedBytes)
                        .isBetween(populatedBytes, populatedBytes + MIB);
                assertThat(r.fileSize()).isGreaterThan(4 * allocated);
                assertThat(stBlocksBytes(file)).isBetween(populatedBytes, populatedBytes + 2 * MIB);
                r.verify();
            }
            SnapshotReader.verify(file); // the private write above went nowhere
        }
    }

    /** {@code st_blocks * 512}, from stat(1): an independent view of how sparse the file is. */
    static long stBlocksBytes(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).isZero();
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }

    @Test
    void mappingA4GiBRegionReadsNothingUntilTouched() throws Exception {
        long size = 4L << 30;
        Path file = dir.resolve("big");
        long[] touched = {0, 12345 * 4096L, 1L << 31, size - 4096};
        // Anonymous memory: untouched pages are zero without being allocated.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment guest = anonymous(arena, size);
            for (long p : touched) guest.set(ValueLayout.JAVA_LONG, p + 8, p ^ 0x5a5a_5a5aL);
            try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("4G", 1))) {
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                assertThat(w.addRamRegion("lowmem", 0, guest).populatedPages()).isEqualTo(touched.length);
                w.commit();
            }
        }
        assertThat(stBlocksBytes(file)).isLessThan(1 << 20);

        long readBefore = bytesReadByThisProcess();
        long t0 = System.nanoTime();
        try (Arena vm = Arena.ofConfined(); SnapshotReader r = SnapshotReader.open(file)) {
            MemorySegment ram = r.mapRam(0, vm);
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            long read = bytesReadByThisProcess() - readBefore;
            assertThat(read).as("bytes read(2) by open + mapRam").isLessThan(1 << 20);
            assertThat(residentKiB(ram)).as("resident pages of the fresh mapping").isZero();
            assertThat(elapsedMs).as("open + map of a 4 GiB region, ms").isLessThan(2000);
            for (long p : touched) assertThat(ram.get(ValueLayout.JAVA_LONG, p + 8)).isEqualTo(p ^ 0x5a5a_5a5aL);
            assertThat(ram.get(ValueLayout.JAVA_LONG, 3L << 30)).isZero();
            assertThat(residentKiB(ram)).as("resident after touching a few pages").isLessThan(4096);
            r.verify(); // holes are not read: SEEK_DATA skips them
        }
    }

    static MemorySegment anonymous(Arena arena, long size) {
        MemorySegment err = libc_h.allocateErrnoState(arena);
        MemorySegment m = libc_h.mmap(err, MemorySegment.NULL, size, libc_h.PROT_READ | libc_h.PROT_WRITE,
                libc_h.MAP_PRIVATE | libc_h.MAP_ANONYMOUS | libc_h.MAP_NORESERVE, -1, 0);
        assertThat(m.address()).isNotEqualTo(libc_h.MAP_FAILED);
        long address = m.address();
        return m.reinterpret(size, arena, s -> libc_h.munmap(libc_h.allocateErrnoState(Arena.global()),
                MemorySegment.ofAddress(address), size));
    }

    /** {@code rchar} from /proc/self/io: bytes this process obtained through read-like system calls. */
    static long bytesReadByThisProcess() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (l.startsWith("rchar:")) return Long.parseLong(l.substring(6).trim());
        }
        throw new IllegalStateException("no rchar in /proc/self/io");
    }

    /** Rss of the mapping that starts at {@code m}'s address, from /proc/self/smaps, in KiB. */
    static long residentKiB(MemorySegment m) throws IOException {
        String start = Long.toHexString(m.address());
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith(start + "-")) {
                for (int j = i + 1; j < lines.size(); j++) {
                    if (lines.get(j).startsWith("Rss:")) {
                        return Long.parseLong(lines.get(j).replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        throw new IllegalStateException("mapping at " + start + " not found in /proc/self/smaps");
    }

    @Test
    void writerAndReaderWorkRelativeToADirectoryDescriptor() throws Exception {
        int dirFd = TestSnapshots.openDirectory(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = TestSnapshots.ram(arena, 4 * MIB, 0.5, 7);
            try (SnapshotWriter w = SnapshotWriter.create(dirFd, "via-fd", TestSnapshots.metadata("4M", 1))) {
                assertThat(w.path()).isEqualTo(dir.toRealPath() + "/via-fd");
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                w.addRamRegion(0, ram);
                w.commit();
            }
            assertThat(Files.exists(dir.resolve("via-fd"))).isTrue();
            try (SnapshotReader r = SnapshotReader.open(dirFd, "via-fd", ReadOptions.inspect().withVerifyRam(true));
                 Arena vm = Arena.ofConfined()) {
                assertThat(r.file()).isEqualTo(dir.toRealPath() + "/via-fd");
                assertThat(r.mapRam(0, vm).mismatch(ram)).isEqualTo(-1);
                assertThat(r.ramRegions().getFirst().name()).isEqualTo("region0");
            }
            // The descriptor is still the caller's and still usable.
            try (SnapshotWriter w = SnapshotWriter.create(dirFd, "again", TestSnapshots.metadata("4M", 1))) {
                w.addRamRegion(0, ram);
                w.commit();
            }
            SnapshotReader.verify(dir.resolve("again"));
        } finally {
            TestSnapshots.close(dirFd);
        }
    }

    @Test
    void rewritingASnapshotLeavesMappingsOfTheOldOneIntact() throws Exception {
        Path file = dir.resolve("s");
        try (Arena arena = Arena.ofConfined(); Arena vm = Arena.ofConfined()) {
            MemorySegment first = TestSnapshots.writeSample(file, arena, 10);
            SnapshotReader r = SnapshotReader.open(file);
            MemorySegment mapped = r.mapRam(0, vm);
            r.close();
            MemorySegment second = TestSnapshots.writeSample(file, arena, 11); // replaced by rename
            assertThat(mapped.mismatch(first)).isEqualTo(-1);
            try (SnapshotReader r2 = SnapshotReader.open(file); Arena vm2 = Arena.ofConfined()) {
                assertThat(r2.mapRam(0, vm2).mismatch(second)).isEqualTo(-1);
            }
        }
    }

    @Test
    void snapshotsOfTheSameStateAreByteIdenticalButForTheirIds() throws Exception {
        // Deterministic layout: two writers given the same state produce the same bytes apart from ids.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = TestSnapshots.writeSample(dir.resolve("a"), arena, 5);
            MemorySegment b = TestSnapshots.writeSample(dir.resolve("b"), arena, 5);
            assertThat(a.mismatch(b)).isEqualTo(-1);
        }
        try (SnapshotReader ra = SnapshotReader.open(dir.resolve("a")); SnapshotReader rb = SnapshotReader.open(dir.resolve("b"))) {
            assertThat(ra.fileSize()).isEqualTo(rb.fileSize());
            assertThat(ra.manifest().chunks()).isEqualTo(rb.manifest().chunks());
            assertThat(ra.manifest().regions()).isEqualTo(rb.manifest().regions());
        }
    }
}
