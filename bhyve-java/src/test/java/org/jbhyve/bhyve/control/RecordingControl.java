package org.jbhyve.bhyve.control;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A VmControl that records every call. Its checkpoint proves the directory descriptor works by
 * creating the snapshot file through {@code /proc/self/fd/N}, and can be made to wait or fail.
 */
final class RecordingControl implements VmControl {
    record Checkpoint(int dirFd, String name, boolean suspend, boolean fdWasOpen) {}

    final List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** The thread of each call that changes the VM (checkpoint, destroy, force-poweroff, force-reset). */
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** When set, checkpoint waits for it before writing. */
    volatile CountDownLatch gate;
    /** When set, checkpoint throws it. */
    volatile Throwable failure;
    final CountDownLatch checkpointEntered = new CountDownLatch(1);

    @Override
    public String checkpoint(int dirFd, String name, boolean suspend) throws Exception {
        calls.add("checkpoint");
        threads.add(Thread.currentThread());
        checkpointEntered.countDown();
        CountDownLatch g = gate;
        if (g != null && !g.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("test gate never opened");
        Path proc = Path.of("/proc/self/fd/" + dirFd);
        boolean open = Files.isDirectory(proc);
        checkpoints.add(new Checkpoint(dirFd, name, suspend, open));
        if (failure instanceof Error e) throw e;
        if (failure instanceof Exception e) throw e;
        Path file = proc.resolve(name);
        Files.writeString(file, "snapshot of " + name);
        return "wrote " + Files.readSymbolicLink(proc).resolve(name) + " (" + Files.size(file) + " bytes)";
    }

    @Override
    public void destroy() {
        calls.add("destroy");
        threads.add(Thread.currentThread());
    }

    @Override
    public void forcePoweroff() {
        calls.add("forcePoweroff");
        threads.add(Thread.currentThread());
    }

    @Override
    public void forceReset() {
        calls.add("forceReset");
        threads.add(Thread.currentThread());
    }

    @Override
    public Map<String, Long> stats() {
        calls.add("stats");
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("vcpu0 exits", 1234L);
        m.put("vcpu0 io exits", 56L);
        m.put("uptime ms", 7L);
        return m;
    }
}
