package org.jbhyve.bhyvectl;

import org.jbhyve.snapshot.format.HostInfo;
import org.jbhyve.snapshot.format.SnapshotMetadata;
import org.jbhyve.snapshot.format.SnapshotWriter;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.snapshot.ipc.IpcException;
import org.jbhyve.snapshot.ipc.NvSocket;
import org.jbhyve.snapshot.ipc.UnixServerSocket;
import org.jbhyve.snapshot.ipc.UnixSocket;
import org.jbhyve.snapshot.nv.NvList;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The training run of bhyvectl's JDK AOT cache, run by the build through {@code bin/lib/aot-train.sh}
 * with {@code -XX:AOTCacheOutput} (as bhyve's is; see README, "Start-up: the JDK AOT cache"). It runs
 * what a {@code bhyvectl} process runs: the help, {@code --inspect} (text, JSON, fields, and
 * {@code --diff} with itself) and {@code --verify} of a small snapshot it writes, and
 * {@code --get-stats}, {@code --checkpoint} and {@code --destroy} against a stand-in VM on a real control socket (it answers as jbhyve's bhyve does:
 * {@code error}, {@code message}, {@code stats}; it closes the checkpoint's directory descriptor and
 * goes away after destroy). Needs no KVM. Never fails the build: the cache is only an optimisation.
 */
public final class AotTraining {
    private AotTraining() {}

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String VM = "training";

    public static void main(String[] args) {
        try {
            train();
            System.err.println("jbhyve AOT training: done");
        } catch (Exception | Error e) {
            System.err.println("jbhyve AOT training: stopped early, the cache covers less of bhyvectl's start-up: " + e);
        }
        System.exit(0);
    }

    /** The training itself; throws if any step did not do what it should. */
    static void train() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Path dir = Files.createTempDirectory("jbhyvectl-aot-training-"); // 0700
        try {
            expect(0, Main.run(new String[] {"--help"}, quiet, quiet), "--help");
            Path snapshot = writeSnapshot(dir.resolve("training.snap"));
            expect(0, Main.run(new String[] {"--inspect=" + snapshot}, quiet, quiet), "--inspect");
            expect(0, Main.run(new String[] {"--inspect=" + snapshot, "--json", "--fields"}, quiet, quiet), "--inspect --json");
            expect(0, Main.run(new String[] {"--verify=" + snapshot}, quiet, quiet), "--verify");
            expect(0, Main.run(new String[] {"--inspect=" + snapshot, "--diff=" + snapshot}, quiet, quiet), "--diff");
            Path run = dir.resolve("run");
            Files.createDirectories(run);
            try (UnixServerSocket server = UnixServerSocket.bind(run.resolve(VM))) {
                Thread vm = Thread.ofPlatform().name("stand-in VM").daemon().start(() -> serve(server));
                String[] target = {"--vm=" + VM, "--control-dir=" + run};
                expect(0, Main.run(with(target, "--get-stats"), quiet, quiet), "--get-stats");
                expect(0, Main.run(with(target, "--checkpoint=" + dir.resolve("checkpoint.snap")), quiet, quiet), "--checkpoint");
                expect(0, Main.run(with(target, "--destroy"), quiet, quiet), "--destroy");
                vm.join(TIMEOUT.toMillis());
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void expect(int status, int got, String what) {
        if (got != status) throw new IllegalStateException("bhyvectl " + what + " exited with " + got + ", not " + status);
    }

    private static String[] with(String[] target, String command) {
        return new String[] {target[0], target[1], command};
    }

    /** A snapshot with a vCPU chunk and 2 MiB of RAM, one page of it written. */
    private static Path writeSnapshot(Path file) throws IOException {
        LinkedHashMap<String, String> config = new LinkedHashMap<>();
        config.put("name", VM);
        config.put("memory.size", "2M");
        try (Arena arena = Arena.ofConfined();
             SnapshotWriter w = SnapshotWriter.create(file, SnapshotMetadata.of(VM, 1, config, HostInfo.detect("training")))) {
            w.addChunk("vcpu", "0", 1, true, StateRecord.builder().putU64("rip", 0xfff0).putString("note", "training")
                    .putU64Array("gprs", 1, 2, 3).build());
            MemorySegment ram = arena.allocate(2 << 20, 4096);
            ram.set(java.lang.foreign.ValueLayout.JAVA_LONG, 4096, 0x1234_5678_9abc_def0L);
            w.addRamRegion(0, ram);
            w.commit();
        }
        return file;
    }

    /** The stand-in VM: replies to each request; after destroy it closes its socket, as a VM that ends does. */
    private static void serve(UnixServerSocket server) {
        try {
            while (true) {
                Optional<UnixSocket> accepted = server.accept(TIMEOUT);
                if (accepted.isEmpty()) return;
                try (UnixSocket c = accepted.get()) {
                    NvList request = c.receive(0, TIMEOUT);
                    NvSocket.closeDescriptors(request);
                    String cmd = request.getString("cmd");
                    NvList reply = new NvList().addNumber("error", 0).addString("message", cmd + " done");
                    if (cmd.equals("get-stats")) reply.addNvList("stats", new NvList().addNumber("vm exits", 1));
                    c.send(reply, TIMEOUT);
                    if (cmd.equals("destroy")) {
                        server.close();
                        return;
                    }
                }
            }
        } catch (IpcException | RuntimeException e) {
            // the training's bhyvectl calls then fail or time out; the cache still covers what ran
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
