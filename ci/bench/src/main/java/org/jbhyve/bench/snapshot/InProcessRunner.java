package org.jbhyve.bench.snapshot;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ci/bench-snapshot's way to time jbhyve's checkpoint and restore without the JVM start of a new
 * {@code bhyve} or {@code bhyvectl} process: runs their command-line entry points,
 * {@code static int run(String[] args, PrintStream out, PrintStream err)} of
 * {@code org.jbhyve.bhyve.Main} and {@code org.jbhyve.bhyvectl.Main}, as often as asked, in this one
 * JVM, and prints a monotonic timestamp right before and after each call.
 *
 * <p>The classes are found by name on the class path (bhyve-java's and bhyvectl-java's jars and
 * libraries), so this module does not depend on them.
 *
 * <pre>
 * java -cp BHYVE_CP:BHYVECTL_CP:ci/bench/target/classes org.jbhyve.bench.snapshot.InProcessRunner FIFO
 * </pre>
 *
 * <p>Requests come from {@code FIFO} (a named pipe the caller writes; not stdin, which a VM with
 * {@code -l com1,stdio} reads), one per line, tab-separated: an id, {@code fg} (run it now, wait for
 * it) or {@code bg} (run it on a new thread: a VM, which returns only when the VM ends), the main
 * class, then its arguments. End of file ends the runner once every {@code bg} call has returned.
 *
 * <p>On stderr (with whatever bhyve and bhyvectl print there, and their {@code out} too; stdout is left
 * to a VM's {@code -l com1,stdio}): {@code inproc: start ID NANOS} just before the call and
 * {@code inproc: end ID NANOS STATUS} after it, where {@code NANOS} is {@link System#nanoTime()}:
 * CLOCK_MONOTONIC on Linux, the clock of Python's {@code time.monotonic_ns()}, so the caller can
 * subtract its own timestamps of the VM's output from it.
 */
public final class InProcessRunner {
    private InProcessRunner() {}

    private static final MethodType RUN = MethodType.methodType(int.class, String[].class, PrintStream.class,
            PrintStream.class);

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: InProcessRunner FIFO  (requests: id TAB fg|bg TAB main-class TAB args...)");
            System.exit(64);
        }
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Map<String, MethodHandle> mains = new HashMap<>();
        List<Thread> background = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                if (f.length < 3 || !(f[1].equals("fg") || f[1].equals("bg"))) {
                    err.println("inproc: bad request: " + line);
                    continue;
                }
                String id = f[0];
                MethodHandle run = mains.computeIfAbsent(f[2], InProcessRunner::find);
                String[] callArgs = Arrays.copyOfRange(f, 3, f.length);
                Runnable call = () -> call(run, id, callArgs, err);
                if (f[1].equals("fg")) {
                    call.run();
                } else {
                    background.add(Thread.ofPlatform().name("inproc " + id).start(call));
                }
            }
        } catch (IOException e) {
            err.println("inproc: cannot read requests from " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
        for (Thread t : background) t.join();
        System.exit(0);
    }

    private static void call(MethodHandle run, String id, String[] args, PrintStream err) {
        int status;
        err.println("inproc: start " + id + " " + System.nanoTime());
        try {
            status = (int) run.invokeExact(args, err, err);
        } catch (Throwable e) {
            err.println("inproc: " + id + " threw " + e);
            status = -1;
        }
        err.println("inproc: end " + id + " " + System.nanoTime() + " " + status);
    }

    private static MethodHandle find(String className) {
        try {
            return MethodHandles.publicLookup().findStatic(Class.forName(className), "run", RUN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no static int run(String[], PrintStream, PrintStream) in "
                    + className + " on the class path: " + e, e);
        }
    }
}
