package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.control.ControlServer;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control requests and the VM's own end racing each other, on real /dev/kvm and a real control socket.
 * The test holds the socket open after the VM has ended, as bhyve's main thread does until it has seen
 * the end: requests that were queued behind the one that ended the VM are served in that window.
 */
@RequiresKvm
class LifecycleRaceKvmTest {
    private static final Duration T = Duration.ofSeconds(120);

    private static ControlServer control(BhyveRun run, Path dir) throws Exception {
        return ControlServer.start("test", run.runtime.control(), ControlServer.Options.defaults().withDir(dir),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static NvList request(ControlServer server, NvList request) throws Exception {
        return ControlRequests.request(server.path(), request, T);
    }

    /** bhyvectl's checkpoint message, the directory passed as a descriptor. */
    private static NvList checkpoint(ControlServer server, Path dir, String file, boolean suspend) throws Exception {
        return ControlRequests.checkpoint(server.path(), dir, file, suspend, T);
    }

    private static NvList command(ControlServer server, String cmd) throws Exception {
        return request(server, new NvList().addString("cmd", cmd));
    }

    /**
     * A destroy, force-poweroff or force-reset that reaches a VM which has already ended (a suspend was
     * served first, or the guest powered off) cannot change how bhyve exits: its reply must say so and name
     * the status bhyve does exit with, not promise 4, 1 or 0.
     */
    @Test
    void endRequestsQueuedBehindASuspendAreRefusedWithTheStatusBhyveExitsWith(@TempDir Path dir) throws Exception {
        Path snaps = Files.createDirectory(dir.resolve("snaps"));
        try (BhyveRun run = SnapshotKvmTest.demoAfterTicks(1); ControlServer server = control(run, dir.resolve("run"))) {
            NvList suspended = checkpoint(server, snaps, "s.snap", true);
            assertThat(suspended.getNumber("error")).as(suspended.toString()).isZero();
            for (String cmd : new String[] {"destroy", "force-poweroff", "force-reset"}) {
                NvList reply = command(server, cmd);
                assertThat(reply.getNumber("error")).as(cmd + ": " + reply).isEqualTo(16); // EBUSY
                assertThat(reply.getString("message")).as(cmd)
                        .contains("already ended (suspended)").contains("bhyve exits with status 0");
            }
            assertThat(run.exitStatus(T)).isZero();
        }
        SnapshotReader.verify(snaps.resolve("s.snap"));
    }

    /** The same after the guest's own power-off: bhyve exits 1, and a late destroy says so. */
    @Test
    void aDestroyAfterTheGuestPoweredOffSaysBhyveExitsWithOne(@TempDir Path dir) throws Exception {
        try (BhyveRun run = SnapshotKvmTest.demoAfterTicks(1); ControlServer server = control(run, dir.resolve("run"))) {
            run.type("q");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
            NvList reply = command(server, "destroy");
            assertThat(reply.getNumber("error")).as(reply.toString()).isEqualTo(16);
            assertThat(reply.getString("message")).contains("guest powered off").contains("bhyve exits with status 1");
        }
    }

    /**
     * SIGTERM (the ACPI power button) while a live checkpoint has the guest paused: the press is neither
     * lost nor half in the snapshot. The running guest powers off once resumed, and the snapshot, taken
     * after the press, holds it pending, so its restored guest powers off too instead of running on.
     */
    @Test
    void aPowerButtonPressDuringTheCheckpointsPauseReachesTheGuestAndItsSnapshot(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("p.snap");
        try (BhyveRun run = SnapshotKvmTest.demoAfterTicks(1)) {
            try (SnapshotSave save = SnapshotSave.open(new SnapshotTarget.File(snap), run.runtime)) {
                assertThat(save.precopy(() -> false)).as("KVM keeps a dirty log").isTrue();
                run.runtime.pause(T);
                try {
                    run.runtime.pressPowerButton(); // what Main's SIGTERM handler does, on its own thread
                    save.capturePaused();
                } finally {
                    run.runtime.resume();
                }
                save.commit();
            }
            assertThat(run.exitStatus(T)).as(run.output()).isEqualTo(ExitStatus.POWEROFF.code());
        }
        SnapshotReader.verify(snap);
        try (BhyveRun restored = BhyveRun.restore(snap, java.util.List.of())) {
            assertThat(restored.runtime).as(restored.stderr()).isNotNull();
            // The demo guest powers off within a second of the press; without it, it ticks on for good.
            assertThat(restored.exitStatus(Duration.ofSeconds(30))).as(restored.output()).isEqualTo(ExitStatus.POWEROFF.code());
            assertThat(restored.output()).as("no reboot").doesNotContain("jbhyve demo guest");
        }
    }

    /**
     * A destroy sent while a live checkpoint copies RAM is served after it (requests are served in
     * order): the checkpoint completes and verifies, the destroy ends the VM with status 4, and no
     * temporary file is left. Whatever the order, nothing may hang.
     */
    @Test
    void aDestroySentDuringALiveCheckpointEndsTheVmAfterItWithStatus4(@TempDir Path dir) throws Exception {
        Path snaps = Files.createDirectory(dir.resolve("snaps"));
        try (BhyveRun run = BhyveRun.guest("dirty"); ControlServer server = control(run, dir.resolve("run"))) {
            run.awaitOutput(o -> o.contains("dirty pass 8"), T);
            java.util.concurrent.CompletableFuture<NvList> checkpointed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return checkpoint(server, snaps, "live.snap", false);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            // Send the destroy once the checkpoint is being served (its temporary file exists), so it waits behind it.
            long deadline = System.nanoTime() + T.toNanos();
            while (!checkpointed.isDone() && System.nanoTime() < deadline) {
                try (var files = Files.list(snaps)) {
                    if (files.findAny().isPresent()) break;
                }
                Thread.sleep(1);
            }
            NvList destroyed = command(server, "destroy");
            NvList reply = checkpointed.get(T.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(reply.getNumber("error")).as(reply.toString()).isZero();
            assertThat(reply.getString("message")).contains("pre-copied");
            assertThat(destroyed.getNumber("error")).as(destroyed.toString()).isZero();
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.ERROR.code());
        }
        SnapshotReader.verify(snaps.resolve("live.snap"));
        try (var files = Files.list(snaps)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("live.snap");
        }
    }
}
