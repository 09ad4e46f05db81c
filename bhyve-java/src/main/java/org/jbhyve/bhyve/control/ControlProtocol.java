package org.jbhyve.bhyve.control;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The names and numbers of the control socket protocol (see the package documentation for the whole
 * protocol). bhyvectl-java keeps its own copy of the names, because nothing may import bhyve-java; a
 * test there checks the two agree on the wire.
 */
public final class ControlProtocol {
    private ControlProtocol() {}

    // ---- request ----

    /** String pair every request has: the command. */
    public static final String CMD = "cmd";

    /** bhyve's command: string {@code filename}, bool {@code suspend}, descriptor {@code fddir}. */
    public static final String CHECKPOINT = "checkpoint";
    public static final String FILENAME = "filename";
    public static final String SUSPEND = "suspend";
    public static final String FDDIR = "fddir";

    /** jbhyve's commands (C bhyve has none of them); each is a list with only {@code cmd}. */
    public static final String DESTROY = "destroy";
    public static final String FORCE_POWEROFF = "force-poweroff";
    public static final String FORCE_RESET = "force-reset";
    public static final String GET_STATS = "get-stats";
    /**
     * jbhyve's request to a standby bhyve ({@code restore.standby=true}): string {@code filename}, the
     * absolute path of the snapshot to restore. The standby builds the VM from it and starts it.
     */
    public static final String RESTORE = "restore";

    /** Longest path a {@code restore} request may name, in bytes of UTF-8 (Linux's {@code PATH_MAX}). */
    public static final int PATH_MAX = 4096;

    // ---- reply (jbhyve only; C bhyve sends none) ----

    /** Number pair: 0 on success, else an errno-like code ({@link #EINVAL}, {@link #EIO}, ...). */
    public static final String ERROR = "error";
    /** String pair: what happened, or what went wrong, in one sentence. */
    public static final String MESSAGE = "message";
    /** Nested nvlist of numbers in a {@code get-stats} reply: counter name to value. */
    public static final String STATS = "stats";

    /*
     * Reply codes. Only errno values that are the same number on FreeBSD and Linux (1-10 and 12-34) are
     * sent, so a bhyvectl on either system reads them the same way; anything else becomes EIO (the
     * message still names the original error).
     */
    public static final int OK = 0;
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;

    private static final Map<String, Integer> PORTABLE_ERRNO = Map.ofEntries(
            Map.entry("EPERM", 1), Map.entry("ENOENT", 2), Map.entry("ESRCH", 3), Map.entry("EINTR", 4),
            Map.entry("EIO", 5), Map.entry("ENXIO", 6), Map.entry("E2BIG", 7), Map.entry("ENOEXEC", 8),
            Map.entry("EBADF", 9), Map.entry("ECHILD", 10), Map.entry("ENOMEM", 12), Map.entry("EACCES", 13),
            Map.entry("EFAULT", 14), Map.entry("ENOTBLK", 15), Map.entry("EBUSY", 16), Map.entry("EEXIST", 17),
            Map.entry("EXDEV", 18), Map.entry("ENODEV", 19), Map.entry("ENOTDIR", 20), Map.entry("EISDIR", 21),
            Map.entry("EINVAL", 22), Map.entry("ENFILE", 23), Map.entry("EMFILE", 24), Map.entry("ENOTTY", 25),
            Map.entry("ETXTBSY", 26), Map.entry("EFBIG", 27), Map.entry("ENOSPC", 28), Map.entry("ESPIPE", 29),
            Map.entry("EROFS", 30), Map.entry("EMLINK", 31), Map.entry("EPIPE", 32), Map.entry("EDOM", 33),
            Map.entry("ERANGE", 34));

    /** The reply code for a symbolic errno ("ENOSPC" → 28); {@link #EIO} for null or a non-portable one. */
    public static int errorCode(String errnoName) {
        if (errnoName == null) return EIO;
        return PORTABLE_ERRNO.getOrDefault(errnoName, EIO);
    }

    /**
     * Checks the snapshot path of a {@code restore} request: absolute (the standby does not share the
     * client's working directory), without NUL, at most {@link #PATH_MAX} bytes. Returns null when it
     * is acceptable, else the reason.
     */
    public static String restorePathProblem(String path) {
        if (path == null || path.isEmpty()) return "the snapshot path is empty";
        if (path.indexOf('\0') >= 0) return "the snapshot path contains a NUL byte";
        if (!path.startsWith("/")) return "'" + path + "' is not an absolute path (the standby bhyve has its own working directory)";
        int bytes = path.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > PATH_MAX) return "the snapshot path is " + bytes + " bytes long, more than " + PATH_MAX;
        return null;
    }

    /** Longest snapshot file name, in bytes of UTF-8 ({@code NAME_MAX}). */
    public static final int NAME_MAX = 255;

    /**
     * Checks a snapshot file name received from a socket peer: it must be a plain name in the directory
     * {@code fddir} refers to, never a path. Returns null when it is acceptable, else the reason.
     */
    public static String snapshotNameProblem(String name) {
        if (name == null || name.isEmpty()) return "the file name is empty";
        if (name.equals(".") || name.equals("..")) return "'" + name + "' is a directory, not a file name";
        if (name.indexOf('/') >= 0) return "'" + name + "' contains '/': give a plain file name (the directory is fddir)";
        if (name.indexOf('\0') >= 0) return "the file name contains a NUL byte";
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX) return "the file name is " + bytes + " bytes long, more than " + NAME_MAX;
        return null;
    }
}
