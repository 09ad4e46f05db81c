package org.jbhyve.bhyve;

import org.jbhyve.bhyve.cli.ParsedCommandLine;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.control.ControlException;
import org.jbhyve.bhyve.control.ControlProtocol;
import org.jbhyve.bhyve.control.ControlServer;
import org.jbhyve.bhyve.control.VmControl;
import org.jbhyve.bhyve.runtime.ExitStatus;
import org.jbhyve.bhyve.runtime.RestoreRehearsal;
import org.jbhyve.bhyve.runtime.VmRuntime;
import org.jbhyve.vmm.VmmException;
import sun.misc.Signal;

import org.jbhyve.snapshot.ipc.IpcException;
import org.jbhyve.snapshot.ipc.UnixSocket;
import org.jbhyve.snapshot.nv.NvList;

import java.io.IOException;
import java.time.Duration;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A standby bhyve ({@code bhyve -o restore.standby=true [options] NAME}): a VMM process started before
 * it is needed. It opens the control socket {@code NAME}, warms up ({@link RestoreRehearsal}), and
 * waits for {@code bhyvectl --vm=NAME --restore=FILE}; then it restores FILE exactly as
 * {@code bhyve -r FILE NAME} with the same options would, and from then on it is that VM's bhyve
 * (its exit status is the VM's).
 *
 * <p>Why: a new JVM spends about a third of a second (half a second without the AOT cache) starting,
 * loading the classes a restore uses and linking its native calls, far more than the restore itself. A warmed-up standby restores in the time the restore takes. This
 * is the model of Firecracker (start the process, then load a snapshot over its API) and of QEMU's
 * {@code -incoming defer}.
 *
 * <p>When the command line describes a machine ({@code -s} devices, as the VM's own command line
 * does), the standby also builds that machine ahead of time ({@link VmRuntime#prepare}: KVM VM,
 * vCPUs, memory slots, devices), like QEMU with {@code -incoming defer}. A snapshot of that machine is
 * then restored into it ({@link VmRuntime#restoreInPlace}); any other snapshot is restored the
 * ordinary way, from its manifest, and the prepared machine is dropped just before that VM is built
 * (once the file has been read). Keys that do not shape the machine ({@code name}, {@code boot.*},
 * {@code restore.standby}) may differ.
 *
 * <p>A failed restore request (a bad file, a shape the options cannot honour) is answered with the
 * error and the standby keeps waiting, with its prepared machine: a refusal leaves it as it was, and
 * only a restore that failed after it began to change the machine makes the standby drop it (saying so
 * on stderr) and build another. {@code --destroy}, {@code --force-poweroff} and SIGTERM end a
 * standby that has not restored anything (exit status 4, 1 and 1); {@code --get-stats} reports
 * {@code standby=1}. After the restore every request goes to the VM.
 */
final class Standby implements VmControl {
    static final String KEY = "restore.standby";

    private final ParsedCommandLine command;
    private final String name;
    private final PrintStream err;
    /** Warm-up done and the machine prepared (a request that comes earlier is served, just slower). */
    private volatile boolean ready;
    /** Completes with the started VM, or exceptionally with {@link Ended} when the standby is ended. */
    private final CompletableFuture<VmRuntime> outcome = new CompletableFuture<>();
    private volatile VmControl running;
    /** Runs right before a restored VM is published as this standby's VM; for tests, which end the standby there. */
    Runnable beforePublishing = () -> { };
    /** The machine built ahead of time, until a restore uses or drops it; null if none. */
    private VmRuntime prepared;

    Standby(ParsedCommandLine command, PrintStream err) {
        this.command = command;
        this.name = command.vmName().orElseThrow();
        this.err = err;
    }

    /** Runs a standby bhyve until its VM (or the standby itself) ends; returns the exit status. */
    static int run(ParsedCommandLine command, PrintStream err) {
        Standby standby = new Standby(command, err);
        VmRuntime vm = null;
        try (ControlServer control = ControlServer.start(command.config(), standby, err)) {
            Signal.handle(new Signal("TERM"), s -> standby.terminate());
            long begin = System.nanoTime();
            try {
                RestoreRehearsal.run();
                warmUpControlSocket(control.path());
                restoredMessage("/a/b", standby.name, true, "");
                restoredMessage("/a/b", standby.name, false, "why");
            } catch (Exception | Error e) {
                // Only an optimisation: a host that cannot run the rehearsal gets the error again, in the
                // reply to the restore request, where it can be acted on.
                err.println("jbhyve: standby warm-up failed (the first restore will be slow): " + e.getMessage());
            }
            standby.prepare();
            settle();
            standby.ready = true;
            err.println("jbhyve: standby " + standby.name + " ready for bhyvectl --restore on " + control.path()
                    + " (warmed up in " + (System.nanoTime() - begin) / 1_000_000 + " ms)");
            try {
                vm = standby.outcome.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Ended ended) {
                    err.println("jbhyve: standby " + standby.name + " " + ended.getMessage());
                    return ended.status.code();
                }
                throw new IllegalStateException(e.getCause());
            }
            return vm.awaitExit();
        } catch (IOException e) {
            err.println("bhyve: " + e.getMessage());
            return ExitStatus.ERROR.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.ERROR.code();
        } finally {
            if (vm != null) vm.close(); // after the control socket, as in Main.launch
            standby.dropPrepared();
        }
    }

    /** How long {@link #settle} waits at most for the JIT to finish what the warm-up gave it. */
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(3);
    private static final Duration SETTLE_POLL = Duration.ofMillis(50);

    /**
     * The end of the warm-up: waits until the JIT compilers have been idle for two polls in a row (the
     * warm-up queues compilations that would otherwise compete with the request for this host's CPUs),
     * at most {@link #SETTLE_LIMIT}. (A {@code System.gc()} here made the first restore slower in a
     * trial, so there is none.)
     */
    private static void settle() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() < deadline) {
            Thread.sleep(SETTLE_POLL);
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    /** Rounds of get-stats over the socket, so that receiving and decoding the restore request is warm too. */
    private static final int CONTROL_WARM_UP_REQUESTS = 100;

    private static void warmUpControlSocket(Path socket) throws IpcException {
        for (int i = 0; i < CONTROL_WARM_UP_REQUESTS; i++) controlRequest(socket, ControlProtocol.GET_STATS, Duration.ofSeconds(5));
    }

    /**
     * Sends {@code cmd} on its own connection to the control socket, as bhyvectl does, and waits for
     * the reply: the client of this process's own warm-ups (and of the AOT training).
     */
    static void controlRequest(Path socket, String cmd, Duration timeout) throws IpcException {
        try (UnixSocket c = UnixSocket.connect(socket)) {
            c.send(new NvList().addString(ControlProtocol.CMD, cmd), timeout);
            c.receive(0, timeout);
        }
    }

    private static final int MATCH_WARM_UP_ROUNDS = 300;

    /** Builds the machine the command line describes, if it describes one (see the class comment). */
    private synchronized void prepare() {
        if (prepared != null || !command.config().contains("pci") || outcome.isDone()) return;
        ConfigTree config = new ConfigTree();
        command.config().flatten().forEach((k, v) -> {
            if (!k.equals(KEY)) config.set(k, v);
        });
        long begin = System.nanoTime();
        try {
            prepared = VmRuntime.prepare(config, err);
            if (ready) {
                err.println("jbhyve: standby " + name + " prepared a machine for the next restore in "
                        + (System.nanoTime() - begin) / 1_000_000 + " ms");
            }
            // The request checks the snapshot's config against this machine's: run that check now, warm.
            Map<String, String> mine = prepared.config().flatten();
            for (int i = 0; i < MATCH_WARM_UP_ROUNDS; i++) differingKeys(Main.restoreConfig(mine, command).flatten(), mine);
        } catch (ConfigException | VmmException e) {
            err.println("jbhyve: standby " + name + " cannot build the machine its options describe ahead of time ("
                    + e.getMessage() + "); it will build each VM from its snapshot");
        }
    }

    private synchronized void dropPrepared() {
        if (prepared != null) prepared.close();
        prepared = null;
    }

    /** The prepared machine's refusal of a snapshot of another machine: that one is restored the ordinary way. */
    private static final class AnotherMachine extends ConfigException {
        private static final long serialVersionUID = 1L;

        AnotherMachine(String message) {
            super(message);
        }
    }

    /**
     * Restores into the prepared machine if there is one and the snapshot is of it. Returns null when there
     * is none, or when the snapshot is of another machine ({@code why} says how it differs): the caller then
     * restores it the ordinary way, and the prepared machine stays until that VM is about to be built. Any
     * other failure is the request's answer, since the ordinary way would check the same file the same way:
     * a refusal leaves the machine as it was, and a failure after the restore began to change it drops it
     * and prepares another.
     */
    private VmRuntime restoreIntoPrepared(Path file, StringBuilder why) throws Exception {
        VmRuntime vm = prepared;
        if (vm == null) return null;
        try {
            vm.restoreInPlace(file, snapshotConfig -> {
                List<String> differ = differingKeys(Main.restoreConfig(snapshotConfig, command).flatten(),
                        vm.config().flatten());
                if (!differ.isEmpty()) {
                    throw new AnotherMachine("the snapshot is of another machine (config keys differ: "
                            + String.join(", ", differ.subList(0, Math.min(differ.size(), 5)))
                            + (differ.size() > 5 ? ", ..." : "") + ")");
                }
            });
            prepared = null;
            return vm;
        } catch (AnotherMachine e) {
            why.append(e.getMessage());
            return null;
        } catch (RuntimeException e) {
            if (!vm.isPrepared()) {
                prepared = null;
                vm.close();
                err.println("jbhyve: standby " + name + ": the restore failed after it began to change the prepared"
                        + " machine, which is dropped");
                prepare();
            }
            throw requestError(e);
        } catch (Error e) {
            prepared = null;
            vm.close(); // its vCPU threads are parked: close ends them and releases the KVM VM
            err.println("jbhyve: standby " + name + ": the prepared machine is dropped after " + e
                    + "; the next restore builds its VM the ordinary way");
            throw e;
        }
    }

    /** A failed restore as the request's answer: EINVAL for what the file or the hypervisor refused. */
    private static Exception requestError(RuntimeException e) {
        if (e instanceof ConfigException || e instanceof VmmException) {
            return new ControlException(ControlProtocol.EINVAL, e.getMessage(), e);
        }
        return e;
    }

    /**
     * Keys whose values differ between two flattened configs, leaving out those that do not shape the
     * machine ({@code name}, {@code control.dir}, {@code restore.standby}, {@code boot.*}); a missing
     * {@code cpus} is bhyve's default, 1.
     */
    static List<String> differingKeys(Map<String, String> a, Map<String, String> b) {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> differ = new java.util.ArrayList<>();
        for (String k : keys) {
            // Not the machine's shape: where its socket is, the standby key, how it boots, how it checkpoints.
            if (k.equals("name") || k.equals("control.dir") || k.equals(KEY) || k.startsWith("boot.")
                    || k.equals(VmRuntime.LIVE_CHECKPOINT_KEY)) continue;
            String va = a.get(k), vb = b.get(k);
            if (k.equals("cpus")) {
                va = va == null ? "1" : va;
                vb = vb == null ? "1" : vb;
            }
            if (!java.util.Objects.equals(va, vb)) differ.add(k);
        }
        return differ;
    }

    /**
     * SIGTERM: the end of a standby with nothing restored, or the power button of the restored VM. Decided by
     * {@link #outcome} alone, which the restore completes atomically: a VM that is restored but not yet
     * published there is closed by the restore once it finds the standby ended, so no SIGTERM falls between
     * the two (one that came after {@link #running} was set and before the outcome was, was lost: the VM ran on).
     */
    void terminate() {
        if (outcome.completeExceptionally(new Ended(ExitStatus.POWEROFF, "ended by SIGTERM before any restore"))) return;
        if (outcome.state() == java.util.concurrent.Future.State.SUCCESS) outcome.resultNow().pressPowerButton();
    }

    @Override
    public String restore(String path) throws Exception {
        long begin = System.nanoTime();
        StringBuilder message = new StringBuilder();
        VmRuntime vm = restoreAndStart(path, begin, message);
        // Outside the lock, with the VM already published: a SIGTERM now presses its power button.
        try {
            vm.awaitGuestRunning(Main.REPORT_TIMEOUT); // so that the reply says: the guest runs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return message.toString();
    }

    /** Restores {@code path}, starts the VM and makes it this process's VM; {@code message} gets the reply. */
    private synchronized VmRuntime restoreAndStart(String path, long begin, StringBuilder message) throws Exception {
        if (running != null || outcome.isDone()) {
            throw new ControlException(ControlProtocol.EBUSY, "standby " + name + " has already "
                    + (running != null ? "restored a VM" : "ended"));
        }
        StringBuilder notPrepared = new StringBuilder();
        VmRuntime vm = restoreIntoPrepared(Path.of(path), notPrepared);
        boolean inPlace = vm != null;
        if (!inPlace) {
            try {
                // The prepared machine goes once the file is known to be readable, before the VM is built: both
                // could want the same disk image or tap.
                vm = Main.restore(Path.of(path), command, err, this::dropPrepared);
            } catch (RuntimeException e) {
                prepare(); // a machine for the next request, unless the prepared one is still there
                throw requestError(e);
            }
        }
        try {
            vm.reportRestore(path, "the restore request", begin);
            vm.start();
        } catch (RuntimeException | Error e) {
            vm.close();
            prepare();
            throw e;
        }
        running = vm.control();
        beforePublishing.run();
        if (!outcome.complete(vm)) { // ended (SIGTERM) while the VM was being built: do not leave it running
            running = null;
            vm.close();
            throw new ControlException(ControlProtocol.EBUSY, "standby " + name + " ended during the restore");
        }
        message.append(restoredMessage(path, name, inPlace, notPrepared));
        return vm;
    }

    /** The reply to a restore request that worked (one method, so that the warm-up can run it too). */
    static String restoredMessage(String path, String name, boolean inPlace, CharSequence notPrepared) {
        return "restored " + path + " as VM " + name + (inPlace ? " into the machine prepared for it" : "")
                + (notPrepared.isEmpty() ? "" : " (the prepared machine was not used: " + notPrepared + ")");
    }

    @Override
    public String checkpoint(int dirFd, String fileName, boolean suspend) throws Exception {
        return vm("checkpoint").checkpoint(dirFd, fileName, suspend);
    }

    @Override
    public void destroy() {
        endOr(ExitStatus.ERROR, "destroyed (bhyvectl --destroy) before any restore", VmControl::destroy);
    }

    @Override
    public void forcePoweroff() {
        endOr(ExitStatus.POWEROFF, "powered off (bhyvectl --force-poweroff) before any restore", VmControl::forcePoweroff);
    }

    @Override
    public void forceReset() {
        endOr(ExitStatus.REBOOT, "reset (bhyvectl --force-reset) before any restore", VmControl::forceReset);
    }

    @Override
    public Map<String, Long> stats() {
        VmControl vm = running;
        if (vm != null) return vm.stats();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("standby", 1L);
        m.put("ready", ready ? 1L : 0L);
        return m;
    }

    private synchronized void endOr(ExitStatus status, String reason, java.util.function.Consumer<VmControl> onVm) {
        VmControl vm = running;
        if (vm != null) {
            onVm.accept(vm);
        } else if (!outcome.completeExceptionally(new Ended(status, reason))) {
            // Ended already (SIGTERM, or a request served before the socket closed): that end's status stands.
            String how = outcome.isCompletedExceptionally() && outcome.exceptionNow() instanceof Ended e
                    ? " (" + e.getMessage() + "): it exits with status " + e.status.code() : "";
            throw new IllegalStateException("standby " + name + " has already ended" + how);
        }
    }

    private VmControl vm(String what) throws ControlException {
        VmControl vm = running;
        if (vm == null) {
            throw new ControlException(ControlProtocol.EBUSY, "standby " + name + " has no VM to " + what
                    + " yet: restore one first (bhyvectl --vm=" + name + " --restore=FILE)");
        }
        return vm;
    }

    /** How a standby that never restored a VM ended. */
    private static final class Ended extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ExitStatus status;

        Ended(ExitStatus status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }
}
