package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.cli.ParsedCommandLine;
import org.jbhyve.testguests.TestGuests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs jbhyve's bhyve in this JVM with an ordinary bhyve command line, COM1 on a TCP listener that the
 * test connects to (the real UART model, the real socket backend), and collects what the guest prints.
 */
final class BhyveRun implements AutoCloseable {
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private Socket socket;
    VmRuntime runtime;
    private Thread reader;

    /** Boots test guest {@code guest} with {@code -l debug-exit} so its status ends the VM. */
    static BhyveRun guest(String guest, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-l", "debug-exit", "-o", "boot.kernel=" + TestGuests.path(guest)));
        args.addAll(List.of(extra));
        return start(args);
    }

    /** Runs bhyve with {@code args} plus {@code -l com1,tcp=...} and the VM name "test". */
    static BhyveRun start(List<String> args) throws Exception {
        return start(args, false);
    }

    /** {@code bhyve -r FILE} with {@code args} plus {@code -l com1,tcp=...} and the VM name "test". */
    /** A copy of the golden demo snapshot (format 1.0, 4 MiB of RAM) as {@code dir/name}, to restore or damage. */
    static java.nio.file.Path demoSnapshotCopy(java.nio.file.Path dir, String name) throws Exception {
        java.nio.file.Path golden = java.nio.file.Path.of(
                BhyveRun.class.getResource("/snapshots/format-1.0/demo-4m.snap").toURI());
        return java.nio.file.Files.copy(golden, dir.resolve(name));
    }

    static BhyveRun restore(java.nio.file.Path file, List<String> args) throws Exception {
        BhyveRun run = restoreNotStarted(file, args);
        run.startVm();
        return run;
    }

    /** Like {@link #restore}, but the restored VM does not run until {@link #startVm()}. */
    static BhyveRun restoreNotStarted(java.nio.file.Path file, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-r", file.toString()));
        all.addAll(args);
        return start(all, true, false);
    }

    private static BhyveRun start(List<String> args, boolean restore) throws Exception {
        return start(args, restore, true);
    }

    /** Runs the VM built by a not-started run. */
    void startVm() {
        if (starter != null) {
            Runnable s = starter;
            starter = null;
            s.run();
        }
    }

    private Runnable starter;

    private static BhyveRun start(List<String> args, boolean restore, boolean startNow) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-l", "com1,tcp=127.0.0.1:" + port, "test"));
        BhyveRun run = new BhyveRun();
        PrintStream err = new PrintStream(run.stderr, true, StandardCharsets.UTF_8);
        // What Main does, split so the test's COM1 client is connected before the guest runs.
        ParsedCommandLine cmd;
        VmRuntime vm;
        try {
            cmd = BhyveCommandLine.parse(all.toArray(String[]::new));
            vm = restore ? org.jbhyve.bhyve.Main.restore(cmd, err) : VmRuntime.build(cmd.config(), err);
        } catch (RuntimeException e) {
            err.println("bhyve: " + e.getMessage());
            run.exit.complete(ExitStatus.ERROR.code());
            return run;
        }
        try {
            run.connect(port);
        } catch (Exception | AssertionError e) {
            vm.close();
            throw e;
        }
        run.runtime = vm;
        // The TCP backend accepts on its own thread and drops output while it has no client: wait
        // until it has taken our connection, so the guest's first line is not lost.
        for (var uart : vm.uarts()) {
            if (uart.backend() instanceof org.jbhyve.bhyve.devices.uart.TcpBackend tcp) {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (!tcp.hasClient() && System.nanoTime() < deadline) Thread.sleep(5);
            }
        }
        run.starter = () -> Thread.ofPlatform().name("bhyve-main").daemon().start(() -> {
            try {
                int code;
                try (vm) {
                    vm.start();
                    code = vm.awaitExit();
                }
                // after close: the UART has flushed its last bytes and dropped the connection
                if (run.reader != null) run.reader.join(10_000);
                run.exit.complete(code);
            } catch (Throwable t) {
                run.exit.completeExceptionally(t);
            }
        });
        if (startNow) run.startVm();
        return run;
    }

    private void connect(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                socket = new Socket("127.0.0.1", port);
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw new AssertionError("COM1 listener never came up; stderr: " + stderr());
                Thread.sleep(20);
            }
        }
        InputStream in = socket.getInputStream();
        reader = Thread.ofPlatform().name("com1-reader").daemon().start(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (console) {
                        console.write(buf, 0, n);
                        console.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the VM closed the port
            }
        });
    }

    String output() {
        synchronized (console) {
            return console.toString(StandardCharsets.ISO_8859_1);
        }
    }

    String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the console output satisfies {@code p}. */
    String awaitOutput(Predicate<String> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (console) {
            while (!p.test(output())) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || exit.isDone() && !p.test(output())) {
                    if (exit.isDone()) break;
                    throw new AssertionError("timed out; console: " + output() + "\nstderr: " + stderr());
                }
                console.wait(Math.max(1, Math.min(100, left / 1_000_000)));
            }
        }
        return output();
    }

    void type(String s) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** bhyve's exit status. */
    int exitStatus(Duration timeout) throws Exception {
        try {
            return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("bhyve did not exit within " + timeout + "; console: " + output()
                    + "\nstderr: " + stderr());
        }
    }

    @Override
    public void close() throws IOException {
        if (starter != null && runtime != null) {
            starter = null;
            runtime.close(); // built but never started
        } else if (runtime != null && !exit.isDone()) {
            // Started and still running (a test that failed, or did not power its guest off): end it, so that
            // its vCPU threads, devices and any lease do not outlive the test in this JVM.
            runtime.end(ExitStatus.ERROR, "the test is over");
            try {
                exit.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // its end is best effort here; the JVM's exit ends it anyway
            }
        }
        if (socket != null) socket.close();
    }
}
