package org.jbhyve.bhyve.control;

import org.jbhyve.snapshot.format.SnapshotWriteException;
import org.jbhyve.snapshot.nv.NvException;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.snapshot.nv.NvType;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

import static org.jbhyve.bhyve.control.ControlProtocol.*;

/**
 * Turns one received request into a call on {@link VmControl} and a reply list: every pair is checked
 * before anything is done, and whatever the VM side throws becomes an error reply. Never throws for
 * bad input; knows nothing about sockets.
 */
final class ControlHandler {

    /**
     * What a request did.
     *
     * @param command the command, as received ("?" when the request had none)
     * @param reply   the list to send back: {@code error}, {@code message}, and {@code stats} for get-stats
     * @param error   the reply's error code (0 on success)
     * @param message the reply's message
     */
    record Outcome(String command, NvList reply, int error, String message) {
        boolean ok() {
            return error == OK;
        }
    }

    private final String vmName;
    private final VmControl control;

    ControlHandler(String vmName, VmControl control) {
        this.vmName = Objects.requireNonNull(vmName);
        this.control = Objects.requireNonNull(control);
    }

    /**
     * Whether {@code request} asks something of the VM that changes it (checkpoint, restore, destroy,
     * force-poweroff, force-reset): such requests are run one at a time, in order. Everything else
     * (get-stats, which only reads counters, and the requests refused for an unknown or missing command)
     * may be handled alongside one of them.
     */
    static boolean actsOnTheVm(NvList request) {
        if (!request.exists(CMD, NvType.STRING)) return false;
        return switch (request.getString(CMD)) {
            case CHECKPOINT, DESTROY, FORCE_POWEROFF, FORCE_RESET, RESTORE -> true;
            default -> false;
        };
    }

    /**
     * Handles {@code request}; its descriptors stay open (the caller closes them). Safe to call from several
     * threads at once: this class keeps no state, and the caller runs the requests that
     * {@linkplain #actsOnTheVm act on the VM} one at a time.
     */
    Outcome handle(NvList request) {
        if (!request.exists(CMD, NvType.STRING)) {
            return failure("?", EINVAL, "refused a request without a string 'cmd'"
                    + (request.exists(CMD) ? " ('cmd' is of type " + request.get(CMD).type().label() + ")" : ""));
        }
        String cmd = request.getString(CMD);
        return switch (cmd) {
            case CHECKPOINT -> checkpoint(request);
            case DESTROY -> end(cmd, () -> control.destroy(), "destroyed (bhyve exits with status 4)");
            case FORCE_POWEROFF -> end(cmd, () -> control.forcePoweroff(), "powered off (bhyve exits with status 1)");
            case FORCE_RESET -> end(cmd, () -> control.forceReset(), "reset (bhyve exits with status 0)");
            case GET_STATS -> stats();
            case RESTORE -> restore(request);
            default -> failure(printable(cmd), EINVAL, "unknown command '" + printable(cmd) + "' (this bhyve knows "
                    + String.join(", ", CHECKPOINT, DESTROY, FORCE_POWEROFF, FORCE_RESET, GET_STATS, RESTORE) + ")");
        };
    }

    private Outcome checkpoint(NvList request) {
        String filename;
        boolean suspend;
        int fd;
        try {
            filename = request.getString(FILENAME);
            suspend = request.getBool(SUSPEND);
            fd = request.getDescriptor(FDDIR);
        } catch (NvException e) {
            return failure(CHECKPOINT, EINVAL, "refused checkpoint: " + e.getMessage());
        }
        if (fd < 0) return failure(CHECKPOINT, EBADF, "refused checkpoint: 'fddir' carries no open descriptor");
        String problem = snapshotNameProblem(filename);
        if (problem != null) return failure(CHECKPOINT, EINVAL, "refused checkpoint: " + printable(problem));
        String written;
        try {
            written = control.checkpoint(fd, filename, suspend);
        } catch (Exception | Error e) { // an Error too: the VM side failed, the control socket must go on
            return failure(CHECKPOINT, codeOf(e), "checkpoint '" + printable(filename) + "' failed: " + describe(e));
        }
        String message = written == null || written.isBlank() ? "checkpoint '" + filename + "' written" : written;
        if (suspend) message += "; VM " + vmName + " is exiting (suspended)";
        return success(CHECKPOINT, message);
    }

    private Outcome restore(NvList request) {
        String path;
        try {
            path = request.getString(FILENAME);
        } catch (NvException e) {
            return failure(RESTORE, EINVAL, "refused restore: " + e.getMessage());
        }
        String problem = restorePathProblem(path);
        if (problem != null) return failure(RESTORE, EINVAL, "refused restore: " + printable(problem));
        try {
            String restored = control.restore(path);
            return success(RESTORE, restored == null || restored.isBlank() ? "restored " + path : restored);
        } catch (Exception | Error e) {
            return failure(RESTORE, codeOf(e), "restore of '" + printable(path) + "' failed: " + describe(e));
        }
    }

    private Outcome end(String cmd, Runnable action, String what) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            return failure(cmd, codeOf(e), cmd + " failed: " + describe(e));
        }
        return success(cmd, "VM " + vmName + " " + what);
    }

    private Outcome stats() {
        NvList stats = new NvList();
        try {
            Map<String, Long> counters = control.stats();
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                stats.addNumber(e.getKey(), e.getValue() == null ? 0 : e.getValue());
            }
        } catch (RuntimeException | Error e) {
            return failure(GET_STATS, codeOf(e), "get-stats failed: " + describe(e));
        }
        String message = "VM " + vmName + ": " + stats.size() + (stats.size() == 1 ? " counter" : " counters");
        NvList reply = new NvList().addNumber(ERROR, OK).addString(MESSAGE, message).addNvList(STATS, stats);
        return new Outcome(GET_STATS, reply, OK, message);
    }

    // ---- helpers ----

    static Outcome success(String command, String message) {
        return new Outcome(command, reply(OK, message), OK, message);
    }

    static Outcome failure(String command, int error, String message) {
        return new Outcome(command, reply(error, message), error, message);
    }

    static NvList reply(int error, String message) {
        return new NvList().addNumber(ERROR, error).addString(MESSAGE, message);
    }

    /** The reply code for what a {@link VmControl} method threw. */
    static int codeOf(Throwable e) {
        return switch (e) {
            case ControlException c -> c.error();
            case SnapshotWriteException w -> errorCode(w.errnoName());
            case org.jbhyve.snapshot.ipc.IpcException i -> errorCode(i.errno().orElse(null));
            case IllegalArgumentException ignored -> EINVAL;
            case IllegalStateException ignored -> EBUSY;
            case UnsupportedOperationException ignored -> EINVAL;
            case IOException ignored -> EIO;
            default -> EIO;
        };
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** A peer-supplied string made safe for one log line: control characters escaped, at most 300 chars. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 300; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        if (sb.length() >= 300) sb.append("...");
        return sb.toString();
    }
}
