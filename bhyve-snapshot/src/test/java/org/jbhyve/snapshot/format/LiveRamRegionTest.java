package org.jbhyve.snapshot.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * A RAM region written while "the guest" runs: memory changes between the first copy and the finish,
 * the changed pages are reported as a dirty log, and the file must end up exactly as a paused writer
 * would have written the final memory: same RAM bytes, same block CRCs, same populated-page count, and
 * the same holes where pages stayed zero.
 */
class LiveRamRegionTest {
    private static final int PAGE = 4096;
    private static final long SIZE = 8 << 20;
    private static final int PAGES = (int) (SIZE / PAGE);

    @TempDir
    Path dir;

    /** Changes {@code count} random pages of {@code m} (some to zeros) and sets their bits in {@code dirty}. */
    private static void scribble(MemorySegment m, long[] dirty, Random rnd, int count) {
        byte[] page = new byte[PAGE];
        for (int i = 0; i < count; i++) {
            int p = rnd.nextInt(PAGES);
            if (rnd.nextInt(4) == 0) {
                m.asSlice((long) p * PAGE, PAGE).fill((byte) 0);
            } else {
                rnd.nextBytes(page);
                MemorySegment.copy(page, 0, m, ValueLayout.JAVA_BYTE, (long) p * PAGE, PAGE);
            }
            dirty[p >>> 6] |= 1L << (p & 63);
        }
    }

    /** Writes {@code memory} with a paused writer, for comparison. */
    private Path pausedCopy(MemorySegment memory) throws IOException {
        Path file = dir.resolve("paused.snap");
        try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 1))) {
            w.addRamRegion("lowmem", 0, memory);
            w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
            w.commit();
        }
        return file;
    }

    private static byte[] ramBytes(Path file) throws IOException {
        try (SnapshotReader r = SnapshotReader.open(file); Arena a = Arena.ofConfined()) {
            return r.mapRam(0, a).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static byte[] ramCrcs(Path file) throws IOException {
        try (SnapshotReader r = SnapshotReader.open(file)) {
            return r.record(SnapshotFormat.RAM_CRC_CHUNK, "").records("regions").getFirst().bytes("crc32c");
        }
    }

    @Test
    void rewrittenPagesEndUpAsAPausedWriterWouldHaveWrittenTheFinalMemory() throws Exception {
        Path file = dir.resolve("live.snap");
        Random rnd = new Random(42);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = TestSnapshots.ram(arena, SIZE, 0.3, 7);
            try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 1))) {
                LiveRamRegion live = w.beginLiveRamRegion("lowmem", 0, memory);
                long[] dirty = new long[LiveRamRegion.words(PAGES)];
                live.copyAll(null, () -> false);
                for (int round = 0; round < 4; round++) {
                    scribble(memory, dirty, rnd, 300);
                    long set = 0;
                    for (long word : dirty) set += Long.bitCount(word);
                    assertThat(live.copyPages(dirty)).isEqualTo(set);
                    dirty = new long[dirty.length];
                }
                scribble(memory, dirty, rnd, 50); // the last round, "paused"
                live.copyPages(dirty);
                RamRegion region = live.finish();
                assertThat(region.populatedPages()).isEqualTo(TestSnapshots.countNonZeroPages(memory));
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                w.commit();
            }
            SnapshotReader.verify(file);
            Path paused = pausedCopy(memory);
            assertThat(ramBytes(file)).isEqualTo(memory.toArray(ValueLayout.JAVA_BYTE));
            assertThat(ramCrcs(file)).isEqualTo(ramCrcs(paused));
            try (SnapshotReader live = SnapshotReader.open(file); SnapshotReader still = SnapshotReader.open(paused)) {
                // Pages that became zero were overwritten with zeros, not punched: at most those cost space.
                assertThat(live.allocatedBytes(0)).isLessThanOrEqualTo(still.allocatedBytes(0) + 300L * 4 * PAGE);
            }
        }
    }

    /** The control for the test above: a change that is not reported leaves a file that fails verification. */
    @Test
    void aChangeLeftOutOfTheDirtyLogIsCaughtByTheBlockChecksum() throws Exception {
        Path file = dir.resolve("torn.snap");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = TestSnapshots.ram(arena, SIZE, 0.3, 8);
            try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 1))) {
                LiveRamRegion live = w.beginLiveRamRegion("lowmem", 0, memory);
                live.copyAll(null, () -> false);
                long[] dirty = new long[LiveRamRegion.words(PAGES)];
                memory.set(ValueLayout.JAVA_LONG, 5L * PAGE, 0x5555); // reported
                dirty[0] |= 1L << 5;
                memory.set(ValueLayout.JAVA_LONG, 6L * PAGE, 0x6666); // not reported, same block
                live.copyPages(dirty);
                live.finish();
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                w.commit();
            }
            assertThatThrownBy(() -> SnapshotReader.verify(file))
                    .isInstanceOf(SnapshotFormatException.class)
                    .hasMessageContaining("block 0 (guest 0x0-0x1fffff");
        }
    }

    @Test
    void liveRegionsComeFirstAndChunksFollowThem() throws Exception {
        Path file = dir.resolve("order.snap");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment low = TestSnapshots.ram(arena, 4 << 20, 0.1, 9);
            MemorySegment high = TestSnapshots.ram(arena, 4 << 20, 0.1, 10);
            try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 1))) {
                LiveRamRegion a = w.beginLiveRamRegion("region0", 0, low);
                LiveRamRegion b = w.beginLiveRamRegion("region1", 4L << 30, high);
                a.copyAll(null, () -> false);
                b.copyAll(null, () -> false);
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                a.finish();
                b.finish();
                w.commit();
            }
            try (SnapshotReader r = SnapshotReader.open(file)) {
                assertThat(r.ramRegions()).extracting(RamRegion::name).containsExactly("region0", "region1");
                assertThat(r.ramRegions().get(0).fileOffset()).isEqualTo(2L << 20);
                assertThat(r.ramRegions().get(1).fileOffset()).isEqualTo(6L << 20);
                assertThat(r.chunks().getFirst().entry().offset()).isGreaterThanOrEqualTo(10L << 20);
                r.verify();
            }
        }
    }

    @Test
    void misuseIsRefusedAndAnUnfinishedRegionAbandonsTheSnapshot() throws Exception {
        Path file = dir.resolve("misuse.snap");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = TestSnapshots.ram(arena, SIZE, 0.1, 11);
            SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 1));
            LiveRamRegion live = w.beginLiveRamRegion("lowmem", 0, memory);
            assertThatThrownBy(() -> live.copyPages(new long[LiveRamRegion.words(PAGES)]))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("copyAll must come first");
            assertThatThrownBy(live::finish).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.addRamRegion("other", 4096, memory.asSlice(0, 4096)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps region 'lowmem'");
            live.copyAll(null, () -> false);
            assertThatThrownBy(() -> live.copyAll(null, () -> false)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> live.copyPages(new long[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 words");
            w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
            assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("live RAM region 'lowmem' was never finished; the snapshot was abandoned");
            assertThat(file).doesNotExist();
            assertThat(TestSnapshots.temporaries(dir, "misuse.snap")).isEmpty();
        }
    }

    /** A first pass told to stop (the VM ended) leaves a region that cannot be finished: the snapshot is abandoned. */
    @Test
    void aStoppedFirstPassLeavesNothingToFinish() throws Exception {
        Path file = dir.resolve("stopped.snap");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = TestSnapshots.ram(arena, SIZE, 0.5, 14);
            int[] asked = {0};
            try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 1))) {
                LiveRamRegion live = w.beginLiveRamRegion("lowmem", 0, memory);
                long written = live.copyAll(null, () -> ++asked[0] > 1); // stops before the second block
                assertThat(written).isLessThan(TestSnapshots.countNonZeroPages(memory) * PAGE);
                assertThatThrownBy(live::finish).hasMessageContaining("copyAll was stopped");
                assertThatThrownBy(() -> live.copyPages(new long[LiveRamRegion.words(PAGES)]))
                        .hasMessageContaining("copyAll was stopped");
            }
            assertThat(file).doesNotExist();
            assertThat(TestSnapshots.temporaries(dir, "stopped.snap")).isEmpty();
        }
    }

    /** ENOSPC while copying the pages the guest wrote: a clear error, and nothing left behind. */
    @Test
    void noSpaceLeftDuringALaterRoundAbandonsTheSnapshot() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes()).trim();
        if (mount.waitFor() != 0) {
            fail("this test mounts a 2 MiB tmpfs to run out of space for real, which needs root or CAP_SYS_ADMIN"
                    + " (run the tests as root, as CI does); mount said: " + out);
        }
        try (Arena arena = Arena.ofConfined()) {
            Path file = mnt.resolve("s1");
            MemorySegment memory = TestSnapshots.ram(arena, SIZE, 0.05, 12); // ~400 KiB: fits
            SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 1));
            LiveRamRegion live = w.beginLiveRamRegion("lowmem", 0, memory);
            live.copyAll(null, () -> false);
            long[] dirty = new long[LiveRamRegion.words(PAGES)];
            TestSnapshots.populate(memory, 1.0, 13); // every page now: 8 MiB does not fit
            java.util.Arrays.fill(dirty, -1L);
            assertThatThrownBy(() -> live.copyPages(dirty))
                    .isInstanceOf(SnapshotWriteException.class)
                    .hasMessageContaining("ENOSPC (no space left on device) while writing RAM region 0 (gpa 0x0)")
                    .hasMessageEndingWith("the temporary file was removed and " + file + " was not touched");
            w.close();
            try (var s = Files.list(mnt)) {
                assertThat(s.toList()).isEmpty();
            }
        } finally {
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor();
        }
    }
}
