package org.jbhyve.bhyvectl;

import org.jbhyve.snapshot.ipc.IpcException;
import org.jbhyve.snapshot.ipc.IpcTimeoutException;
import org.jbhyve.snapshot.ipc.UnixSocket;
import org.jbhyve.snapshot.nv.NvException;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.snapshot.nv.NvType;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

/**
 * bhyvectl's side of the control socket: connect to {@code <control dir>/<vm>}, send one request the way
 * libnv's {@code nvlist_send} does, then (jbhyve only) wait for the reply. The protocol is the one
 * bhyve-java's {@code org.jbhyve.bhyve.control} package documents; the names are repeated here because
 * bhyvectl may not depend on bhyve-java.
 */
final class ControlClient {
    private ControlClient() {}

    static final String CMD = "cmd";
    static final String CHECKPOINT = "checkpoint";
    static final String FILENAME = "filename";
    static final String SUSPEND = "suspend";
    static final String FDDIR = "fddir";
    static final String DESTROY = "destroy";
    static final String FORCE_POWEROFF = "force-poweroff";
    static final String FORCE_RESET = "force-reset";
    static final String GET_STATS = "get-stats";
    static final String RESTORE = "restore";
    static final String ERROR = "error";
    static final String MESSAGE = "message";
    static final String STATS = "stats";

    /** A failure to report as one sentence, exit status 1. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What came back. */
    sealed interface Result permits Reply, NoReply {}

    /** jbhyve's reply: {@code error} (0 = done), {@code message}, and for get-stats {@code stats}. */
    record Reply(long error, String message, NvList stats) implements Result {}

    /** The VM closed the connection without a reply: a C bhyve, which never replies. */
    record NoReply() implements Result {}

    /** The checkpoint request, in bhyvectl's order: cmd, filename, suspend, fddir. */
    static NvList checkpointRequest(String fileName, boolean suspend, int dirFd) {
        return new NvList().addString(CMD, CHECKPOINT).addString(FILENAME, fileName).addBool(SUSPEND, suspend)
                .addDescriptor(FDDIR, dirFd);
    }

    /** jbhyve's restore request to a standby bhyve: cmd, filename (an absolute path). */
    static NvList restoreRequest(String absolutePath) {
        return new NvList().addString(CMD, RESTORE).addString(FILENAME, absolutePath);
    }

    static NvList command(String cmd) {
        return new NvList().addString(CMD, cmd);
    }

    /**
     * Connects, sends {@code request} (descriptors by SCM_RIGHTS) and waits up to {@code timeout} for
     * the reply.
     */
    static Result exchange(String vm, Path socket, NvList request, Duration timeout) throws Failure {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (UnixSocket c = connect(vm, socket)) {
            try {
                c.send(request, timeout);
            } catch (IpcTimeoutException e) {
                throw new Failure("VM " + vm + " did not take the request within " + seconds(timeout) + ": " + e.getMessage(), e);
            } catch (IpcException e) {
                throw new Failure("cannot send the request to VM " + vm + " on " + socket + ": " + e.getMessage(), e);
            }
            NvList reply;
            try {
                reply = c.receive(0, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (IpcTimeoutException e) {
                throw new Failure("no reply from VM " + vm + " within " + seconds(timeout) + " (the request was sent"
                        + " and may still complete; wait longer with --timeout=SECONDS)", e);
            } catch (NvException e) {
                throw new Failure("unreadable reply from VM " + vm + ": " + e.getMessage(), e);
            } catch (IpcException e) {
                if (closedWithoutReply(e)) return new NoReply();
                throw new Failure("cannot read the reply of VM " + vm + ": " + e.getMessage(), e);
            }
            return parse(vm, reply);
        }
    }

    private static Reply parse(String vm, NvList reply) throws Failure {
        try {
            long error = reply.getNumber(ERROR);
            String message = reply.getString(MESSAGE, "");
            NvList stats = reply.exists(STATS, NvType.NVLIST) ? reply.getNvList(STATS) : null;
            return new Reply(error, message, stats);
        } catch (NvException e) {
            throw new Failure("unreadable reply from VM " + vm + ": " + e.getMessage(), e);
        }
    }

    /** The peer closed before sending a byte (or reset the connection): no reply is coming. */
    private static boolean closedWithoutReply(IpcException e) {
        String errno = e.errno().orElse("");
        if (errno.equals("ECONNRESET")) return true;
        String m = e.getMessage();
        return errno.isEmpty() && m != null && m.contains("closed the connection after 0 of the 19 bytes");
    }

    /** Connects, turning the usual failures into sentences about the VM. */
    static UnixSocket connect(String vm, Path socket) throws Failure {
        try {
            return UnixSocket.connect(socket);
        } catch (IpcException e) {
            throw new Failure(connectError(vm, socket, e.errno().orElse(""), e.getMessage()), e);
        }
    }

    static String connectError(String vm, Path socket, String errno, String detail) {
        return switch (errno) {
            case "ENOENT", "ENOTDIR" -> "no VM named " + vm + " is running (no socket at " + socket
                    + (Main.DEFAULT_CONTROL_DIR.equals(socket.getParent())
                            ? "; a VM started with -o control.dir=DIR is reached with --control-dir=DIR)" : ")");
            case "ECONNREFUSED" -> "no VM named " + vm + " is running (nothing listens on " + socket
                    + (java.nio.file.Files.isRegularFile(socket) ? ", which is a regular file, not a socket)"
                            : ": a stale socket)");
            case "EACCES", "EPERM" -> "permission denied connecting to " + socket + ": run bhyvectl as the user that"
                    + " runs VM " + vm + " (usually root)";
            default -> "cannot connect to VM " + vm + ": " + detail;
        };
    }

    /**
     * Waits until the VM has gone: its socket removed, or nobody listening on it any more. True if it
     * went within {@code max}.
     */
    static boolean awaitGone(Path socket, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (int i = 0; ; i++) {
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return true;
            if (i % 10 == 9) {
                // Every half second, also ask whether anyone still listens (a VM that died without
                // removing its socket). A live jbhyve takes an empty connection as a probe.
                try {
                    UnixSocket.connect(socket).close(); // still there
                } catch (IpcException e) {
                    String errno = e.errno().orElse("");
                    if (errno.equals("ENOENT") || errno.equals("ECONNREFUSED")) return true;
                }
            }
            if (System.nanoTime() >= deadline) return false;
            Thread.sleep(50);
        }
    }

    static String seconds(Duration d) {
        long s = d.toSeconds();
        return s == 1 ? "1 second" : s + " seconds";
    }
}
