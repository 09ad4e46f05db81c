package org.jbhyve.bhyve.runtime;

import org.jbhyve.snapshot.format.RamRegion;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live checkpoints on real /dev/kvm: RAM is copied while the guest runs, and only what it wrote
 * meanwhile is copied with the guest paused. The guests make a missed page visible: {@code dirty}
 * rewrites 4 MiB on every pass and checks that each page holds what it wrote on the pass before, and
 * {@code blkloop} waits for virtio-blk completions that the device writes into guest RAM (the used ring
 * and the status byte: writes the hypervisor's dirty log does not see).
 */
@RequiresKvm
class LiveCheckpointKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    private static final Pattern PASS = Pattern.compile("(?m)^dirty pass (\\d+)\n");
    private static final Pattern WROTE = Pattern.compile("(?m)^wrote (\\d+)\n");

    private static List<Long> numbers(Pattern p, String out) {
        List<Long> ns = new ArrayList<>();
        Matcher m = p.matcher(out);
        while (m.find()) ns.add(Long.parseLong(m.group(1)));
        return ns;
    }

    private static long lastPass(String out) {
        List<Long> ns = numbers(PASS, out);
        return ns.isEmpty() ? 0 : ns.getLast();
    }

    /** The dirty guest, after a few of its passes. */
    private static BhyveRun dirtyGuest(String... extra) throws Exception {
        BhyveRun run = BhyveRun.guest("dirty", extra);
        assertThat(run.runtime).as(run.stderr()).isNotNull();
        run.awaitOutput(o -> lastPass(o) >= 64 || o.contains("bad"), T);
        return run;
    }

    /** Waits for {@code more} further passes of a (restored) dirty guest, and that it never complained. */
    private static void assertGoesOnWithoutComplaint(BhyveRun run, long more) throws Exception {
        String start = run.output();
        long from = lastPass(start);
        run.awaitOutput(o -> lastPass(o) >= from + more || o.contains("bad"), T);
        String out = run.output();
        assertThat(out).as("the guest found every page as it left it; " + run.stderr()).doesNotContain("bad");
        assertThat(lastPass(out)).as(out).isGreaterThanOrEqualTo(from + more);
    }

    @Test
    void aGuestRewritingItsRamKeepsRunningAndItsLiveCheckpointsRestoreIntoAGuestThatFindsEveryPage(
            @TempDir Path dir) throws Exception {
        List<Path> snaps = List.of(dir.resolve("a.snap"), dir.resolve("b.snap"), dir.resolve("c.snap"));
        try (BhyveRun run = dirtyGuest()) {
            for (Path snap : snaps) {
                run.runtime.checkpoint(new SnapshotTarget.File(snap), false);
                assertThat(run.runtime.lastCheckpointCopy()).as("the checkpoint was live").startsWith("pre-copied");
                assertGoesOnWithoutComplaint(run, 64);
            }
            run.runtime.end(ExitStatus.POWEROFF, "test done");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
        for (Path snap : snaps) {
            SnapshotReader.verify(snap); // every chunk and RAM block matches its checksum
            try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
                assertThat(restored.runtime).as(restored.stderr()).isNotNull();
                assertGoesOnWithoutComplaint(restored, 128);
                assertThat(restored.output()).as("no reboot").doesNotContain("dirty ready");
                restored.runtime.end(ExitStatus.POWEROFF, "test done");
                assertThat(restored.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
            }
        }
    }

    /**
     * A restored VM's RAM is a private mapping of its snapshot: the pre-copy reads only the file's data
     * and the pages written since, and the dirty log works on that mapping too. A live checkpoint of a
     * restored dirty guest, onto the very file it runs from, restores into a guest that finds every page.
     */
    @Test
    void aRestoredGuestsLiveCheckpointOntoItsOwnSnapshotRestoresToo(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("g.snap");
        try (BhyveRun run = dirtyGuest()) {
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).isZero();
        }
        for (int generation = 0; generation < 2; generation++) {
            try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
                assertThat(restored.runtime).as(restored.stderr()).isNotNull();
                assertGoesOnWithoutComplaint(restored, 64);
                restored.runtime.checkpoint(new SnapshotTarget.File(snap), false);
                assertThat(restored.runtime.lastCheckpointCopy()).startsWith("pre-copied");
                assertGoesOnWithoutComplaint(restored, 64);
                restored.runtime.end(ExitStatus.POWEROFF, "test done");
                assertThat(restored.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
            }
            SnapshotReader.verify(snap);
        }
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            assertGoesOnWithoutComplaint(restored, 128);
            assertThat(restored.output()).doesNotContain("dirty ready");
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
        }
    }

    /**
     * The control that shows the check above can fail: one page of the guest's range set back in the
     * snapshot (as a checkpoint that missed the guest's last write to it would have left it) and the
     * restored guest says which page, and stops with status 1.
     */
    @Test
    void aRestoredGuestNoticesAPageThatIsNotAsItLeftIt(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("d.snap");
        try (BhyveRun run = dirtyGuest()) {
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true); // suspend: nothing changes after
            assertThat(run.exitStatus(T)).isZero();
        }
        int page = 700;
        long offset;
        try (SnapshotReader r = SnapshotReader.open(snap)) {
            RamRegion low = r.ramRegions().getFirst();
            offset = low.fileOffset() + TestGuests.DIRTY_BASE + page * 4096L;
        }
        try (FileChannel f = FileChannel.open(snap, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer word = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            f.read(word, offset);
            long held = word.flip().getLong();
            assertThat(held).as("the guest wrote the page").isPositive();
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, held - 1), offset);
        }
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            assertThat(restored.runtime).as(restored.stderr()).isNotNull();
            assertThat(restored.exitStatus(T)).as(restored.output()).isEqualTo((1 << 1) | 1); // debug-exit: (status << 1) | 1
            assertThat(restored.output()).contains("dirty bad page " + page + " holds ");
        }
    }

    /**
     * The VMM's own writes to guest RAM, made between the pre-copy and the pause (as a device completing a
     * request would), are in the snapshot, although the hypervisor's dirty log never sees them. One lands
     * on a page that was all zeros at the first copy (so it was a hole), one on a page the first copy had
     * written, and one turns a written page back to zeros.
     */
    /** A live checkpoint as VmRuntime.checkpoint takes it, with {@code betweenPrecopyAndPause} run in between. */
    private static void liveCheckpointWith(BhyveRun run, Path snap, Runnable betweenPrecopyAndPause) throws Exception {
        try (SnapshotSave save = SnapshotSave.open(new SnapshotTarget.File(snap), run.runtime)) {
            assertThat(save.precopy(() -> false)).as("KVM keeps a dirty log").isTrue();
            betweenPrecopyAndPause.run();
            run.runtime.pause(T);
            try {
                save.capturePaused();
            } finally {
                run.runtime.resume();
            }
            save.commit();
        }
    }

    @Test
    void writesTheVmmMakesToGuestRamDuringThePrecopyAreInTheSnapshot(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("f.snap");
        long hole = 24L << 20, written = (24L << 20) + 8 * 4096, zeroed = (24L << 20) + 16 * 4096;
        try (BhyveRun run = dirtyGuest()) {
            org.jbhyve.vmm.GuestMemory memory = run.runtime.vm().memory();
            memory.writeLong(written, 0x1111);
            memory.writeLong(zeroed, 0x2222);
            liveCheckpointWith(run, snap, () -> {
                memory.writeLong(hole, 0xfeed_f00dL);
                memory.writeLong(written, 0x3333);
                memory.slice(zeroed, 8).fill((byte) 0);
            });
            assertGoesOnWithoutComplaint(run, 64);
            run.runtime.end(ExitStatus.POWEROFF, "test done");
        }
        SnapshotReader.verify(snap);
        try (SnapshotReader r = SnapshotReader.open(snap);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment ram = r.mapRam(0, arena);
            java.lang.foreign.ValueLayout.OfLong word = java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
            assertThat(ram.get(word, hole)).isEqualTo(0xfeed_f00dL);
            assertThat(ram.get(word, written)).isEqualTo(0x3333);
            assertThat(ram.get(word, zeroed)).isZero();
        }
    }

    /**
     * A guest with RAM above 4 GiB (3 GiB of lowmem, which the writer copies with several threads, and
     * 128 MiB of highmem): both regions are copied live, with KVM's log of each slot and the VMM's log of
     * each region, and the snapshot restores into a guest that finds every page. The guest rewrites 1 MiB
     * of highmem on every pass (it maps 4-5 GiB itself), so KVM's log of the highmem slot is what keeps
     * those pages right; the VMM writes there too.
     */
    @Test
    void bothRegionsOfAGuestWithHighmemAreCopiedLive(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("h.snap");
        long high = org.jbhyve.vmm.GuestMemory.HIGHMEM_BASE + (64L << 20);
        try (BhyveRun run = BhyveRun.guest("dirty", "-m", "3200M")) {
            assertThat(run.runtime).as(run.stderr()).isNotNull();
            run.awaitOutput(o -> lastPass(o) >= 64 || o.contains("bad"), T);
            assertThat(run.output()).as("the guest dirties highmem as well").contains("dirty highmem\n");
            assertThat(run.runtime.vm().memory().regions()).hasSize(2);
            liveCheckpointWith(run, snap, () -> run.runtime.vm().memory().writeLong(high, 0x4849_4748L));
            assertGoesOnWithoutComplaint(run, 64);
            run.runtime.end(ExitStatus.POWEROFF, "test done");
        }
        SnapshotReader.verify(snap);
        try (SnapshotReader r = SnapshotReader.open(snap);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            assertThat(r.ramRegions()).extracting(RamRegion::gpa).containsExactly(0L, org.jbhyve.vmm.GuestMemory.HIGHMEM_BASE);
            assertThat(r.mapRam(1, arena).get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 64L << 20))
                    .isEqualTo(0x4849_4748L);
        }
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            assertThat(restored.runtime).as(restored.stderr()).isNotNull();
            assertGoesOnWithoutComplaint(restored, 128);
            assertThat(restored.runtime.vm().memory().readLong(high)).isEqualTo(0x4849_4748L);
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
        }
    }

    /**
     * Device writes: blkloop waits for each request's completion, which virtio-blk writes into guest RAM.
     * A live checkpoint taken while it writes restores into a guest that goes on with the next write; a
     * completion missing from the snapshot would leave it waiting until "blkloop fail write at k".
     */
    @Test
    void aLiveCheckpointOfAGuestMidVirtioBlkIoHoldsTheDevicesWritesToGuestRam(@TempDir Path dir) throws Exception {
        Path img = dir.resolve("disk.img");
        Files.write(img, new byte[1 << 20]);
        List<String> args = List.of("-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc", "-l", "debug-exit",
                "-s", "4,virtio-blk," + img, "-o", "boot.kernel=" + TestGuests.path("blkloop"));
        Path snap = dir.resolve("blk.snap");
        long before, after;
        try (BhyveRun run = BhyveRun.start(args)) {
            run.awaitOutput(o -> numbers(WROTE, o).size() >= 6 || o.contains("fail"), T);
            before = numbers(WROTE, run.output()).getLast();
            run.runtime.checkpoint(new SnapshotTarget.File(snap), false);
            assertThat(run.runtime.lastCheckpointCopy()).startsWith("pre-copied");
            after = numbers(WROTE, run.output()).getLast(); // the guest ran during the copy and the commit
            run.awaitOutput(o -> numbers(WROTE, o).getLast() >= after + 3 || o.contains("fail"), T);
            assertThat(run.output()).doesNotContain("fail");
            run.runtime.end(ExitStatus.POWEROFF, "test done");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            assertThat(restored.runtime).as(restored.stderr()).isNotNull();
            restored.awaitOutput(o -> numbers(WROTE, o).size() >= 5 || o.contains("fail"), T);
            String out = restored.output();
            assertThat(out).as("no reboot, no lost completion").doesNotContain("blkloop ready").doesNotContain("fail");
            List<Long> ks = numbers(WROTE, out);
            for (int i = 1; i < ks.size(); i++) assertThat(ks.get(i)).isEqualTo(ks.get(i - 1) + 1);
            // The snapshot was taken after "wrote <before>" was printed, and at the latest when "wrote <after + 1>"
            // was (a line still on its way when the request returned). The restored guest's first whole line is
            // the next one, or the one after it if the snapshot cut a line short.
            assertThat(ks.getFirst()).isBetween(before + 1, after + 3);
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
            assertThat(restored.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    private static final Pattern AP_PASS = Pattern.compile("(?m)^ap pass (\\d+)\n");

    /**
     * Two vCPUs rewriting RAM (test guest {@code dirtysmp}: each its own half of the pages): every vCPU must be
     * out of the guest before the last dirty log is taken. Several live checkpoints, each restored into a guest
     * whose two vCPUs each find every one of their pages as they left it.
     */
    @Test
    void theLiveCheckpointsOfAGuestWhoseTwoVcpusRewriteItsRamRestoreIntoAGuestThatFindsEveryPage(@TempDir Path dir)
            throws Exception {
        List<String> args = List.of("-c", "2", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc", "-l", "debug-exit",
                "-o", "boot.kernel=" + TestGuests.path("dirtysmp"));
        List<Path> snaps = List.of(dir.resolve("a.snap"), dir.resolve("b.snap"), dir.resolve("c.snap"));
        try (BhyveRun run = BhyveRun.start(args)) {
            run.awaitOutput(o -> lastPass(o) >= 64 && numbers(AP_PASS, o).size() >= 1 || o.contains("bad")
                    || o.contains("did not start"), T);
            for (Path snap : snaps) {
                run.runtime.checkpoint(new SnapshotTarget.File(snap), false);
                assertThat(run.runtime.lastCheckpointCopy()).startsWith("pre-copied");
            }
            long bsp = lastPass(run.output()), ap = numbers(AP_PASS, run.output()).getLast();
            run.awaitOutput(o -> lastPass(o) >= bsp + 64 && numbers(AP_PASS, o).getLast() >= ap + 64
                    || o.contains("bad"), T);
            assertThat(run.output()).doesNotContain("bad");
            run.runtime.end(ExitStatus.POWEROFF, "test done");
        }
        for (Path snap : snaps) {
            SnapshotReader.verify(snap);
            try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
                assertThat(restored.runtime).as(restored.stderr()).isNotNull();
                // Two reports from each vCPU: each has gone over all of its pages at least once since the restore.
                restored.awaitOutput(o -> numbers(PASS, o).size() >= 2 && numbers(AP_PASS, o).size() >= 2
                        || o.contains("bad"), T);
                assertThat(restored.output()).as("both vCPUs found every page; " + restored.stderr())
                        .doesNotContain("bad").doesNotContain("dirtysmp ready");
                restored.runtime.end(ExitStatus.POWEROFF, "test done");
            }
        }
    }

    /**
     * A live checkpoint given up after its pre-copy (as one whose file system fills up would be) leaves nothing
     * behind that the next one could trip on: the dirty logs are off, and the next checkpoint starts them again
     * and misses no page.
     */
    @Test
    void aLiveCheckpointAfterOneGivenUpMidwayMissesNoPage(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("after.snap");
        try (BhyveRun run = dirtyGuest()) {
            for (int i = 0; i < 2; i++) {
                try (SnapshotSave save = SnapshotSave.open(new SnapshotTarget.File(dir.resolve("given-up")), run.runtime)) {
                    assertThat(save.precopy(() -> false)).isTrue();
                }
            }
            assertThat(dir.resolve("given-up")).doesNotExist();
            run.runtime.checkpoint(new SnapshotTarget.File(snap), false);
            assertThat(run.runtime.lastCheckpointCopy()).startsWith("pre-copied");
            assertGoesOnWithoutComplaint(run, 64);
            run.runtime.end(ExitStatus.POWEROFF, "test done");
        }
        SnapshotReader.verify(snap);
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            assertGoesOnWithoutComplaint(restored, 128);
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
        }
    }

    /**
     * A restored guest whose RAM the lease guard copied out of its snapshot file into a memfd (the file was
     * truncated under it): its live checkpoints read the memfd's data and the pages written since, and restore
     * into a guest that finds every page.
     */
    @Test
    void aRestoredGuestWhoseRamWasCopiedOutOfItsFileCheckpointsLiveToo(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.snap"), after = dir.resolve("after.snap");
        try (BhyveRun run = dirtyGuest()) {
            run.runtime.checkpoint(new SnapshotTarget.File(first), true);
            assertThat(run.exitStatus(T)).isZero();
        }
        try (BhyveRun restored = BhyveRun.restore(first, List.of())) {
            assertThat(restored.runtime).as(restored.stderr()).isNotNull();
            assertGoesOnWithoutComplaint(restored, 64);
            // truncate(1) fails at once while the lease is being broken, and succeeds once the RAM is out
            long deadline = System.nanoTime() + T.toNanos();
            while (new ProcessBuilder("truncate", "-s", "0", first.toString()).start().waitFor() != 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(Files.size(first)).isZero();
            assertThat(restored.stderr()).contains("its RAM was copied out of it first");
            assertThat(restored.runtime.vm().ramMappedFromFile()).isFalse();
            assertGoesOnWithoutComplaint(restored, 64);
            restored.runtime.checkpoint(new SnapshotTarget.File(after), false);
            assertThat(restored.runtime.lastCheckpointCopy()).startsWith("pre-copied");
            assertGoesOnWithoutComplaint(restored, 64);
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
        }
        SnapshotReader.verify(after);
        try (BhyveRun again = BhyveRun.restore(after, List.of())) {
            assertGoesOnWithoutComplaint(again, 128);
            assertThat(again.output()).doesNotContain("dirty ready");
            again.runtime.end(ExitStatus.POWEROFF, "test done");
        }
    }

    /**
     * A restored guest's RAM shows its snapshot file wherever the guest has not written. Should that file change
     * while a checkpoint copies RAM, the guest's memory changes with it, and the dirty log does not see it (no
     * write of the guest's): a page copied before the change would go into the snapshot as the guest no longer
     * had it. The lease keeps writers out, but not always: not when the file could not be leased (here: it is open
     * for writing), and not once a checkpoint outlasts the kernel's lease-break-time while a writer waits (the
     * guard that would copy RAM out first waits for the checkpoint). Such a checkpoint must fail, not commit.
     */
    @Test
    void aCheckpointDuringWhichTheRestoredGuestsSnapshotFileChangedFails(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.snap"), snap = dir.resolve("g.snap");
        try (BhyveRun run = dirtyGuest()) {
            run.runtime.checkpoint(new SnapshotTarget.File(first), true);
            assertThat(run.exitStatus(T)).isZero();
        }
        long gpa = 8L << 20; // a page the dirty guest never touches: a hole in the file
        long offset;
        try (SnapshotReader r = SnapshotReader.open(first)) {
            offset = r.ramRegions().getFirst().fileOffset() + gpa;
        }
        try (FileChannel writer = FileChannel.open(first, StandardOpenOption.WRITE);
             BhyveRun restored = BhyveRun.restore(first, List.of())) {
            assertThat(restored.runtime).as(restored.stderr()).isNotNull();
            assertGoesOnWithoutComplaint(restored, 64);
            assertThat(restored.stderr()).contains("no lease on the snapshot file");
            Throwable failure = null;
            try {
                liveCheckpointWith(restored, snap, () -> {
                    try {
                        writer.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 0x5afe_f11eL), offset);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (Exception e) {
                failure = e;
            }
            long guestHad = restored.runtime.vm().memory().readLong(gpa);
            assertThat(guestHad).as("the guest sees the file's new content").isEqualTo(0x5afe_f11eL);
            if (failure == null) {
                SnapshotReader.verify(snap);
                try (SnapshotReader r = SnapshotReader.open(snap);
                     java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                    long held = r.mapRam(0, arena).get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, gpa);
                    assertThat(held).as("the checkpoint succeeded and its snapshot verifies; at 0x%x it holds what the"
                            + " guest had", gpa).isEqualTo(guestHad);
                }
            }
            assertThat(failure).as("the checkpoint fails").isNotNull()
                    .hasMessageContaining("was written or truncated since the restore checked it");
            assertThat(snap).doesNotExist();
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
        }
    }

    /**
     * The other side of the check above: with the lease held, no writer got in, so a change of the file's times
     * alone (touch(1), a backup tool) is no reason to fail a checkpoint, now or later.
     */
    @Test
    void aTouchOfALeasedSnapshotFileDoesNotFailTheCheckpoints(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.snap");
        try (BhyveRun run = dirtyGuest()) {
            run.runtime.checkpoint(new SnapshotTarget.File(first), true);
            assertThat(run.exitStatus(T)).isZero();
        }
        try (BhyveRun restored = BhyveRun.restore(first, List.of())) {
            assertGoesOnWithoutComplaint(restored, 64);
            assertThat(restored.runtime.vm().ramFileLeaseBroken()).as("leased: " + restored.stderr()).isFalse();
            java.nio.file.Files.setLastModifiedTime(first, java.nio.file.attribute.FileTime.fromMillis(86_400_000L));
            for (String name : new String[] {"a.snap", "b.snap"}) {
                liveCheckpointWith(restored, dir.resolve(name), () -> { });
                SnapshotReader.verify(dir.resolve(name));
            }
            assertThat(restored.runtime.vm().ramFileLeaseBroken()).as("a touch does not break a read lease").isFalse();
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
        }
    }

    @Test
    void withCheckpointLiveFalseTheGuestIsPausedForTheWholeCopy(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("e.snap");
        try (BhyveRun run = dirtyGuest("-o", "checkpoint.live=false")) {
            run.runtime.checkpoint(new SnapshotTarget.File(snap), false);
            assertThat(run.runtime.lastCheckpointCopy()).isEmpty();
            assertGoesOnWithoutComplaint(run, 64);
            run.runtime.end(ExitStatus.POWEROFF, "test done");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
        SnapshotReader.verify(snap);
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            assertGoesOnWithoutComplaint(restored, 64);
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
        }
    }
}
