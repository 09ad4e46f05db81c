package org.jbhyve.bhyvectl;

import org.jbhyve.bhyve.control.ControlServer;
import org.jbhyve.bhyve.control.VmControl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A VM behind a real ControlServer: records calls, writes checkpoints through the directory descriptor
 * it is given, and "exits" (closes its server, as the runtime does) shortly after the commands that end it.
 */
final class FakeVm implements VmControl {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile ControlServer server;
    /** False: the VM ignores ending requests (to test bhyvectl's wait for the exit). */
    volatile boolean exits = true;
    volatile Exception checkpointFailure;

    @Override
    public String checkpoint(int dirFd, String name, boolean suspend) throws Exception {
        calls.add("checkpoint " + name + (suspend ? " suspend" : ""));
        if (checkpointFailure != null) throw checkpointFailure;
        Path dir = Path.of("/proc/self/fd/" + dirFd);
        Path file = dir.resolve(name);
        Files.writeString(file, "state");
        if (suspend) exitSoon();
        return "wrote " + Files.readSymbolicLink(dir).resolve(name) + " (5 bytes)";
    }

    /** Null: refuse restores as a running VM does (VmControl's default); else accept them. */
    volatile String restoreReply;

    @Override
    public String restore(String path) throws Exception {
        calls.add("restore " + path);
        if (restoreReply == null) return VmControl.super.restore(path);
        return restoreReply;
    }

    @Override
    public void destroy() {
        calls.add("destroy");
        exitSoon();
    }

    @Override
    public void forcePoweroff() {
        calls.add("force-poweroff");
        exitSoon();
    }

    @Override
    public void forceReset() {
        calls.add("force-reset");
        exitSoon();
    }

    @Override
    public Map<String, Long> stats() {
        calls.add("stats");
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("vm exits", 42L);
        m.put("io exits", 7L);
        return m;
    }

    /** The VM's main thread noticing the end and closing the server a moment later. */
    private void exitSoon() {
        if (!exits) return;
        ControlServer s = server;
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                // close anyway
            }
            s.close();
        });
    }
}
