package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.Main;
import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Suspend and restore of a guest in the middle of its virtio-blk I/O, on real /dev/kvm. The
 * {@code blkloop} test guest writes sector {@code k mod 64 + 1} with a pattern of {@code k}, waits for
 * the used ring, and only then prints {@code wrote <k>} and moves on to k + 1 (k in guest RAM). So
 * the guest's console, before and after a restore, must be one unbroken sequence, and every write it
 * reported must be in the image file afterwards.
 */
@RequiresKvm
class VirtioSnapshotKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    private static final Pattern WROTE = Pattern.compile("(?m)^wrote (\\d+)\n");
    private static final int SLOT = 4;
    private static final String PATH_KEY = "pci.0." + SLOT + ".0.path";

    private static Path image(Path file) throws Exception {
        Files.write(file, new byte[1 << 20]); // 2048 sectors
        return file;
    }

    private static List<String> args(Path img) {
        return List.of("-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc", "-l", "debug-exit",
                "-s", SLOT + ",virtio-blk," + img, "-o", "boot.kernel=" + TestGuests.path("blkloop"));
    }

    /** The k of every complete {@code wrote <k>} line, in order. */
    private static List<Long> wrote(String out) {
        List<Long> ks = new ArrayList<>();
        Matcher m = WROTE.matcher(out);
        while (m.find()) ks.add(Long.parseLong(m.group(1)));
        return ks;
    }

    private static long lastWrote(String out) {
        List<Long> ks = wrote(out);
        return ks.isEmpty() ? -1 : ks.getLast();
    }

    /** Runs blkloop on {@code img} until it reported write {@code k}, then suspends it into {@code snap}. */
    private static String runAndSuspend(Path img, long k, Path snap) throws Exception {
        try (BhyveRun run = BhyveRun.start(args(img))) {
            run.awaitOutput(o -> lastWrote(o) >= k || o.contains("fail"), T);
            // The guest keeps writing: the suspend lands wherever it happens to be, often with a
            // request in flight (pause() lets the device finish it first).
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).as("bhyve exits 0 after a suspend; " + run.stderr()).isZero();
            String out = run.output(); // complete now: the reader is joined before the exit status
            assertThat(out).startsWith("blkloop ready\n").doesNotContain("fail");
            assertThat(lastWrote(out)).isGreaterThanOrEqualTo(k);
            return out;
        }
    }

    /** Lets a restored blkloop report {@code more} writes, stops it, and returns its console output. */
    private static String continueAndStop(BhyveRun restored, int more) throws Exception {
        assertThat(restored.runtime).as("restore failed: " + restored.stderr()).isNotNull();
        restored.awaitOutput(o -> wrote(o).size() >= more || o.contains("fail"), T);
        restored.runtime.end(ExitStatus.POWEROFF, "test done");
        assertThat(restored.exitStatus(T)).as(restored.stderr()).isEqualTo(ExitStatus.POWEROFF.code());
        String out = restored.output();
        assertThat(out).as("no reboot, no failure").doesNotContain("blkloop ready").doesNotContain("fail");
        return out;
    }

    /**
     * What the guest's loop guarantees across the snapshot: the console before and after joins up into
     * {@code blkloop ready}, {@code wrote 0}, {@code wrote 1}, ... without a gap, a repeat or a restart,
     * and the first line the restored guest completes is the last one before the suspend + 1 (a write
     * in flight at the suspend is drained by pause() and reported by the restored guest; a line cut
     * short by the suspend is finished by it). Returns the last k reported.
     */
    private static long assertOneUnbrokenSequence(String before, String after) {
        long lastBefore = lastWrote(before);
        String cutTail = before.substring(before.lastIndexOf('\n') + 1);
        int nl = after.indexOf('\n');
        assertThat(nl).as("the restored guest completed a line: " + after).isNotNegative();
        assertThat(cutTail + after.substring(0, nl)).as("first line completed after the restore")
                .isEqualTo("wrote " + (lastBefore + 1));

        String joined = before + after;
        List<String> lines = new ArrayList<>(joined.lines().toList());
        if (!joined.endsWith("\n")) lines.removeLast(); // cut short by the poweroff
        assertThat(lines.getFirst()).isEqualTo("blkloop ready");
        List<String> expected = new ArrayList<>();
        expected.add("blkloop ready");
        for (long k = 0; k < lines.size() - 1; k++) expected.add("wrote " + k);
        assertThat(lines).isEqualTo(expected);
        return lines.size() - 2;
    }

    /**
     * Checks the image against every reported write: sector {@code k mod 64 + 1} holds the pattern of
     * the last reported k for it, every other sector is zero. Write {@code last + 1} may also have
     * completed, unreported, before the poweroff stopped the guest: its sector may hold either.
     */
    private static void assertImageHoldsTheWrites(Path img, long last) throws Exception {
        byte[] file = Files.readAllBytes(img);
        assertThat(file).hasSize(1 << 20);
        Map<Long, Long> lastK = new HashMap<>();
        for (long k = 0; k <= last; k++) lastK.put(TestGuests.blkLoopSector(k), k);
        long unreported = last + 1;
        long sectors = file.length / 512;
        for (long s = 0; s < sectors; s++) {
            byte[] actual = Arrays.copyOfRange(file, (int) s * 512, (int) (s + 1) * 512);
            Long k = lastK.get(s);
            byte[] expected = k == null ? new byte[512] : TestGuests.blkLoopPattern(k);
            if (s == TestGuests.blkLoopSector(unreported) && Arrays.equals(actual, TestGuests.blkLoopPattern(unreported))) {
                continue;
            }
            assertThat(actual).as("sector %d (last reported write %s)", s, k).isEqualTo(expected);
        }
    }

    @Test
    void aGuestMidVirtioBlkIoSurvivesSuspendAndRestoreWithoutLosingACompletedWrite(@TempDir Path dir)
            throws Exception {
        Path img = image(dir.resolve("disk.img"));
        Path snap = dir.resolve("blk.snap");
        // Right after "wrote 15" the guest FLUSHes (every 8th write), an fsync of the image: the
        // suspend, triggered by that line, has a fair chance of finding that request in flight.
        String before = runAndSuspend(img, 15, snap);
        String after;
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            after = continueAndStop(restored, 5);
            assertThat(restored.stderr()).as("nothing wrote the image after the suspend")
                    .doesNotContain("modified after this snapshot");
        }
        long last = assertOneUnbrokenSequence(before, after);
        assertThat(last).isGreaterThanOrEqualTo(lastWrote(before) + 5);
        assertImageHoldsTheWrites(img, last);
    }

    /**
     * A checkpoint of a VM that went on writing its disk: restoring it puts back RAM that no longer fits the
     * image. The restore goes ahead (the image may have been put back, or copied without its times) but warns,
     * naming the image.
     */
    @Test
    void restoringASnapshotWhoseDiskWasWrittenSinceWarnsNamingTheImage(@TempDir Path dir) throws Exception {
        Path img = image(dir.resolve("disk.img"));
        Path snap = dir.resolve("live.snap");
        try (BhyveRun run = BhyveRun.start(args(img))) {
            run.awaitOutput(o -> lastWrote(o) >= 3 || o.contains("fail"), T);
            run.runtime.checkpoint(new SnapshotTarget.File(snap), false);
            long atCheckpoint = lastWrote(run.output());
            run.awaitOutput(o -> lastWrote(o) >= atCheckpoint + 3 || o.contains("fail"), T); // written since
            run.runtime.end(ExitStatus.POWEROFF, "test done");
            assertThat(run.exitStatus(T)).as(run.stderr()).isEqualTo(ExitStatus.POWEROFF.code());
        }
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            assertThat(restored.runtime).as("the restore goes ahead: " + restored.stderr()).isNotNull();
            restored.awaitOutput(o -> !wrote(o).isEmpty() || o.contains("fail"), T);
            assertThat(restored.stderr()).contains(img + " was modified after this snapshot was taken")
                    .contains("file systems on it may be damaged");
            restored.runtime.end(ExitStatus.POWEROFF, "test done");
            assertThat(restored.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    @Test
    void restoreWithAnOverriddenDiskPathWritesToTheNewImage(@TempDir Path dir) throws Exception {
        Path a = image(dir.resolve("a.img"));
        Path b = dir.resolve("b.img");
        Path snap = dir.resolve("blk.snap");
        // The key the legacy "-s 4,virtio-blk,<path>" form sets, i.e. the one to override.
        List<String> cmd = new ArrayList<>(args(a));
        cmd.add("test");
        assertThat(BhyveCommandLine.parse(cmd.toArray(String[]::new)).config().get(PATH_KEY))
                .contains(a.toString());

        String before = runAndSuspend(a, 3, snap);
        long lastBefore = lastWrote(before);
        Files.copy(a, b, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES); // as cp -p or mv: the same times
        Files.delete(a);

        // Without the override the snapshot's own path is gone: one clear error naming it, no VM.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = Main.run(new String[] {"-r", snap.toString(), "-o", "control.dir=" + dir}, ps, ps);
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(message).isEqualTo(4);
        assertThat(message).contains(a.toString());
        assertThat(a).doesNotExist();

        String after;
        try (BhyveRun restored = BhyveRun.restore(snap, List.of("-o", PATH_KEY + "=" + b))) {
            after = continueAndStop(restored, 5);
            assertThat(restored.stderr()).as("a copy with the image's times").doesNotContain("modified after");
        }
        long last = assertOneUnbrokenSequence(before, after);
        assertThat(last).isGreaterThanOrEqualTo(lastBefore + 5);
        assertThat(a).as("nothing recreated the old image").doesNotExist();
        // B holds the writes made into A before the suspend (copied) and those made after it.
        assertImageHoldsTheWrites(b, last);
    }
}
