package org.jbhyve.bhyve;

import org.jbhyve.bhyve.control.ControlProtocol;
import org.jbhyve.bhyve.runtime.ExitStatus;
import org.jbhyve.bhyve.runtime.RestoreRehearsal;
import org.jbhyve.snapshot.ipc.IpcException;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The training run of bhyve's JDK AOT cache (JEP 483/514/515), run by the build through
 * {@code bin/lib/aot-train.sh} with {@code -XX:AOTCacheOutput}: the JVM records which classes this
 * run loads and links and how its methods behave, and {@code bin/bhyve} starts from that record.
 * What runs here is what a {@code bhyve} process runs first: the command line (and its help), a
 * throwaway VM booted, checkpointed and restored both ways ({@link RestoreRehearsal}), and then
 * {@code bhyve -r -l com1,stdio} exactly as the launcher runs it ({@link Main#run}), with its control
 * socket answering get-stats and destroy.
 *
 * <p>Needs {@code /dev/kvm} for everything after the command line. Without it the cache holds the
 * command-line classes only and a line on stderr says so; the training never fails the build, as the
 * cache is only an optimisation (without one, {@code bhyve -r} takes about 40% longer to start its guest).
 */
public final class AotTraining {
    private AotTraining() {}

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static void main(String[] args) {
        try {
            train();
            System.err.println("jbhyve AOT training: done");
        } catch (Exception | Error e) {
            System.err.println("jbhyve AOT training: stopped early, the cache covers less of bhyve's start-up: " + e);
        }
        System.exit(0);
    }

    /** The training itself; throws if any step did not do what it should (without /dev/kvm: after the help). */
    static void train() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        if (Main.run(new String[] {"-h"}, quiet, quiet) != 0) throw new IllegalStateException("bhyve -h did not exit 0");
        Path dir = Files.createTempDirectory("jbhyve-aot-training-"); // 0700
        try {
            RestoreRehearsal.run();
            restoreAsTheLauncherDoes(dir, quiet);
        } finally {
            RestoreRehearsal.deleteTree(dir);
        }
    }

    /** {@code bhyve -r SNAPSHOT -o control.dir=DIR NAME} in this JVM, ended over its control socket. */
    private static void restoreAsTheLauncherDoes(Path dir, PrintStream quiet) throws Exception {
        String name = "jbhyve-aot-training-" + ProcessHandle.current().pid();
        String[] vm = RestoreRehearsal.throwawayVm(dir, name);
        Path snapshot = RestoreRehearsal.suspendThrowawayVm(dir,
                org.jbhyve.bhyve.cli.BhyveCommandLine.parse(vm).config());
        Path controlDir = dir.resolve("run");
        AtomicInteger status = new AtomicInteger(-1);
        // COM1 on stdio, as bin/demo and ci/bench-snapshot restore (and as a user at a terminal would): the
        // stdio backend's classes and its isatty link are then in the cache too. Here stdin is /dev/null
        // (aot-train.sh) and the guest's few bytes of output go to the training log.
        Thread bhyve = Thread.ofPlatform().name("bhyve -r").start(() -> status.set(Main.run(new String[] {
                "-r", snapshot.toString(), "-l", "com1,stdio", "-o", "control.dir=" + controlDir, name}, quiet, quiet)));
        Path socket = controlDir.resolve(name);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!answers(socket)) { // the file exists from bind(), the socket answers from listen()
            if (!bhyve.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the restored VM did not answer on " + socket + " (bhyve -r exited with "
                        + status.get() + ")");
            }
            Thread.sleep(5);
        }
        for (int i = 0; i < 20; i++) request(socket, ControlProtocol.GET_STATS);
        request(socket, ControlProtocol.DESTROY);
        bhyve.join(TIMEOUT.toMillis());
        if (bhyve.isAlive()) throw new IllegalStateException("bhyve -r did not end after destroy");
        if (status.get() != ExitStatus.ERROR.code()) {
            throw new IllegalStateException("bhyve -r exited with " + status.get() + " after destroy, not " + ExitStatus.ERROR.code());
        }
    }

    private static boolean answers(Path socket) {
        if (!Files.exists(socket)) return false;
        try {
            request(socket, ControlProtocol.GET_STATS);
            return true;
        } catch (IpcException e) {
            return false;
        }
    }

    private static void request(Path socket, String cmd) throws IpcException {
        Standby.controlRequest(socket, cmd, TIMEOUT);
    }
}
