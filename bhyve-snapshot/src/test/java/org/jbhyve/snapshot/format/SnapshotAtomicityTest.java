package org.jbhyve.snapshot.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Atomicity: whatever happens to a writer (an exception, kill -9, ENOSPC), the snapshot's name holds the
 * old complete file or the new complete file, and no temporary file outlives the next writer.
 */
class SnapshotAtomicityTest {
    private static final Set<PosixFilePermission> MODE_0600 =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    @TempDir
    Path dir;

    private static UUID idOf(Path file) throws IOException {
        try (SnapshotReader r = SnapshotReader.open(file)) {
            r.verify();
            return r.header().snapshotId();
        }
    }

    @Test
    void aFailingChunkProducerLeavesTheOldSnapshotAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("s1");
        try (Arena arena = Arena.ofConfined()) {
            TestSnapshots.writeSample(file, arena, 1);
            UUID before = idOf(file);
            MemorySegment ram = TestSnapshots.ram(arena, 8 << 20, 0.5, 2);
            try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 2))) {
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                w.addRamRegion("lowmem", 0, ram);
                assertThat(TestSnapshots.temporaries(dir, "s1")).containsExactly(w.temporaryName());
                assertThatThrownBy(() -> w.addChunk("dev.virtio-blk@pci.0.2.0", "", 1, true,
                        () -> { throw new IllegalStateException("device is wedged"); }))
                        .isInstanceOf(SnapshotWriteException.class)
                        .hasMessage("cannot write snapshot " + file + ": chunk 'dev.virtio-blk@pci.0.2.0' could not be"
                                + " saved: device is wedged; the temporary file was removed and " + file + " was not touched")
                        .hasCauseInstanceOf(IllegalStateException.class);
                assertThat(TestSnapshots.temporaries(dir, "s1")).isEmpty();
                assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("aborted");
            }
            assertThat(idOf(file)).isEqualTo(before);
            assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly("s1");
        }
    }

    @Test
    void aWriterClosedWithoutCommitLeavesNothing() throws Exception {
        Path file = dir.resolve("s1");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = TestSnapshots.ram(arena, 8 << 20, 0.5, 2);
            assertThatThrownBy(() -> {
                try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 2))) {
                    w.addRamRegion("lowmem", 0, ram);
                    throw new IOException("the VMM gave up half way");
                }
            }).hasMessage("the VMM gave up half way");
            assertThat(Files.list(dir).toList()).isEmpty();

            // Regions that do not add up to memory.size: refused at commit, nothing left.
            try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("16M", 2))) {
                w.addRamRegion("lowmem", 0, ram);
                assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class)
                        .hasMessage("cannot write snapshot " + file + ": its RAM regions add up to 8388608 bytes but"
                                + " memory.size ('16M') is 16777216 bytes; the snapshot was abandoned");
            }
            assertThat(Files.list(dir).toList()).isEmpty();
        }
    }

    @Test
    void theFileIsCreatedWithMode0600() throws Exception {
        Path file = dir.resolve("s1");
        try (Arena arena = Arena.ofConfined();
             SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("2M", 1))) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(w.temporaryName()))).isEqualTo(MODE_0600);
            w.addRamRegion(0, TestSnapshots.ram(arena, 2 << 20, 0.1, 1));
            w.commit();
        }
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(MODE_0600);
        // Replacing a snapshot another mode does not inherit that mode: the new file is a new inode.
        Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.values()));
        try (Arena arena = Arena.ofConfined();
             SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("2M", 1))) {
            w.addRamRegion(0, TestSnapshots.ram(arena, 2 << 20, 0.1, 1));
            w.commit();
        }
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(MODE_0600);
    }

    @Test
    void staleTemporariesAreRemovedByTheNextWriterButLiveOnesAreNot() throws Exception {
        Path file = dir.resolve("s1");
        Files.writeString(dir.resolve(".s1.tmp.0123456789abcdef"), "left by a writer that was killed");
        Files.writeString(dir.resolve(".s1.tmp.notours"), "not a name a writer makes");
        Files.writeString(dir.resolve(".s2.tmp.0123456789abcdef"), "another snapshot's");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = TestSnapshots.ram(arena, 2 << 20, 0.1, 1);
            try (SnapshotWriter live = SnapshotWriter.create(file, TestSnapshots.metadata("2M", 1))) {
                assertThat(TestSnapshots.temporaries(dir, "s1")).containsExactly(live.temporaryName(), ".s1.tmp.notours");
                // A second writer of the same snapshot does not touch the first one's file: it is locked.
                try (SnapshotWriter second = SnapshotWriter.create(file, TestSnapshots.metadata("2M", 1))) {
                    assertThat(TestSnapshots.temporaries(dir, "s1")).contains(live.temporaryName(), second.temporaryName());
                    assertThat(SnapshotWriter.removeStaleTemporaries(dir, "s1")).isZero();
                    second.addRamRegion(0, ram);
                    second.commit();
                }
                live.addRamRegion(0, ram);
                UUID id = live.commit().snapshotId();
                assertThat(idOf(file)).isEqualTo(id); // the last commit wins, whole
            }
        }
        assertThat(TestSnapshots.temporaries(dir, "s1")).containsExactly(".s1.tmp.notours");
        assertThat(Files.exists(dir.resolve(".s2.tmp.0123456789abcdef"))).isTrue();
    }

    /**
     * A child JVM writes a 32 MiB snapshot over an existing good one again and again; it is killed with
     * SIGKILL at a random moment of a write cycle (the cycle is timed first, so this holds on a busy machine). After every kill the snapshot must verify (it is the old or a new one,
     * whole); the killed writer's temporary file may remain, and the next writer removes it.
     */
    @Test
    void killDash9AtRandomMomentsNeverLeavesABadSnapshot() throws Exception {
        String name = "vm.ckp";
        Path file = dir.resolve(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = TestSnapshots.ram(arena, 32 << 20, 0.5, 99);
            try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("32M", 2))) {
                w.addRamRegion("lowmem", 0, ram);
                w.commit();
            }
        }
        Set<UUID> ids = new java.util.HashSet<>();
        ids.add(idOf(file));
        Random rnd = new Random(Long.getLong("kill.seed", 20260131L));
        int staleSeen = 0;
        int committedTotal = 0;
        for (int round = 0; round < 8; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"),
                    KillTargetMain.class.getName(), dir.toString(), name, "32")
                    .redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            CountDownLatch started = new CountDownLatch(1), firstCommit = new CountDownLatch(1);
            long[] times = new long[2];
            Thread pump = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        lines.add(l);
                        if (l.equals("started")) {
                            times[0] = System.nanoTime();
                            started.countDown();
                        } else if (l.equals("committed 0")) {
                            times[1] = System.nanoTime();
                            firstCommit.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the child died
                }
            });
            // One full cycle first, to learn how long a cycle takes on this machine right now; then the kill
            // lands at a random point of the next cycles (filling memory, writing RAM, fsync, rename, ...).
            if (!started.await(120, TimeUnit.SECONDS) || !firstCommit.await(120, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                fail("the child writer did not start and commit within 2 minutes: " + lines);
            }
            long cycleNanos = times[1] - times[0];
            long sleepNanos = (long) (rnd.nextDouble() * 1.5 * cycleNanos);
            TimeUnit.NANOSECONDS.sleep(sleepNanos);
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pump.join(5000);
            assertThat(child.exitValue()).as("child output %s", lines).isEqualTo(137);
            committedTotal += (int) lines.stream().filter(l -> l.startsWith("committed")).count();

            ids.add(idOf(file)); // verifies header, manifest, chunks and every RAM block
            List<String> temps = TestSnapshots.temporaries(dir, name);
            assertThat(temps).as("round %d", round).hasSizeLessThanOrEqualTo(1);
            System.out.printf("kill round %d: a cycle took %d ms, killed %d ms after the first commit; %d commits;"
                    + " temporaries left: %d%n", round, cycleNanos / 1_000_000, sleepNanos / 1_000_000,
                    lines.stream().filter(l -> l.startsWith("committed")).count(), temps.size());
            staleSeen += temps.size();
        }
        System.out.printf("kill -9 test: 8 kills, %d commits completed in between, %d distinct snapshots seen,"
                + " %d kills left a temporary file%n", committedTotal, ids.size(), staleSeen);
        assertThat(ids.size()).as("the children's commits replaced the snapshot").isGreaterThan(2);
        // The next writer of the snapshot cleans up after the dead ones.
        try (Arena arena = Arena.ofConfined();
             SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("32M", 2))) {
            assertThat(TestSnapshots.temporaries(dir, name)).containsExactly(w.temporaryName());
            w.addRamRegion("lowmem", 0, TestSnapshots.ram(arena, 32 << 20, 0.01, 5));
            w.commit();
        }
        assertThat(TestSnapshots.temporaries(dir, name)).isEmpty();
        idOf(file);
    }

    /**
     * ENOSPC on a real file system: a 2 MiB tmpfs holds an old snapshot; a new one with 4 MiB of RAM does not
     * fit. The error names ENOSPC and the path, nothing is left behind, and the old snapshot is intact.
     */
    @Test
    void noSpaceLeftIsAClearErrorAndLeavesTheOldSnapshot() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (mount.waitFor() != 0) {
            fail("this test mounts a 2 MiB tmpfs to run out of space for real, which needs root or CAP_SYS_ADMIN"
                    + " (run the tests as root, as CI does); mount said: " + out);
        }
        try {
            Path file = mnt.resolve("s1");
            UUID before;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment small = TestSnapshots.ram(arena, 4 << 20, 0.02, 1); // ~80 KiB of data
                try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("4M", 1))) {
                    w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                    w.addRamRegion("lowmem", 0, small);
                    before = w.commit().snapshotId();
                }
                MemorySegment full = TestSnapshots.ram(arena, 4 << 20, 1.0, 2); // 4 MiB of data > 2 MiB
                SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("4M", 1));
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                assertThatThrownBy(() -> w.addRamRegion("lowmem", 0, full))
                        .isInstanceOf(SnapshotWriteException.class)
                        .hasMessageStartingWith("cannot write snapshot " + file + ": ENOSPC (no space left on device)"
                                + " while writing RAM region 0 (gpa 0x0) at file offset 0x")
                        .hasMessageEndingWith("; the temporary file was removed and " + file + " was not touched")
                        .satisfies(e -> assertThat(((SnapshotWriteException) e).errnoName()).isEqualTo("ENOSPC"));
                w.close();

                // The same with a region big enough to be written by several threads at once.
                MemorySegment big = TestSnapshots.ram(arena, 64 << 20, 0.1, 3); // ~6.4 MiB of data
                try (SnapshotWriter w2 = SnapshotWriter.create(file, TestSnapshots.metadata("64M", 1))) {
                    assertThatThrownBy(() -> w2.addRamRegion("lowmem", 0, big))
                            .isInstanceOf(SnapshotWriteException.class)
                            .hasMessageContaining(": ENOSPC (no space left on device) while writing RAM region 0");
                }
            }
            try (var s = Files.list(mnt)) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("s1");
            }
            assertThat(idOf(file)).isEqualTo(before);
        } finally {
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor();
        }
    }
}
