package org.jbhyve.bhyvectl;

import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.snapshot.nv.NvPair;
import org.jbhyve.snapshot.nv.NvType;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bhyvectl}: bhyvectl(8)'s VM commands over the running VM's control socket, and jbhyve's
 * snapshot tools. See {@link #USAGE}.
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li>{@code --checkpoint/--suspend} send exactly what FreeBSD's bhyvectl sends (see
 *     {@link ControlClient#checkpointRequest}); then, unlike it, bhyvectl waits for jbhyve's reply and
 *     reports it. A C bhyve never replies: it closes the connection once the checkpoint is over. So does
 *     a jbhyve that dies during it; bhyvectl then looks at the file: changed, it says "request
 *     sent; this bhyve sends no reply, and FILE changed" and exits 0; untouched, it reports the
 *     failure and exits 1.</li>
 * <li>The commands that end the VM ({@code --suspend} after a successful save, {@code --destroy},
 *     {@code --force-poweroff}, {@code --force-reset}) also wait until the VM has gone (its socket is
 *     removed, or nothing listens on it), at most {@code --timeout} and never more than 60 s, so that
 *     when bhyvectl returns 0 the name is free and {@code bhyve -r} can start at once. If it has not gone
 *     by then, bhyvectl says so and exits 1.</li>
 * <li>{@code --destroy}, {@code --force-poweroff}, {@code --force-reset} and {@code --get-stats} go over
 *     the control socket too (on Linux there is no kernel VM to open by name); a C bhyve does not know
 *     these commands, so a closed connection without a reply is an error for them.</li>
 * </ul>
 */
public final class Main {
    private Main() {}

    static final Path DEFAULT_CONTROL_DIR = Path.of("/var/run/bhyve");
    static final long DEFAULT_TIMEOUT_SECONDS = 600;
    static final Duration MAX_EXIT_WAIT = Duration.ofSeconds(60);

    static final String USAGE = """
            Usage: bhyvectl --vm=<vmname> [--control-dir=<dir>] [--timeout=<seconds>]
                            --checkpoint=<file> | --suspend=<file> | --destroy |
                            --force-poweroff | --force-reset | --get-stats |
                            --restore=<file>
                   bhyvectl --inspect=<file> [--json] [--fields]
                   bhyvectl --inspect=<file> --diff=<earlier file> [--json]
                   bhyvectl --verify=<file>

            A running VM, over its control socket <control-dir>/<vmname>:
              --vm=<vmname>         the VM to act on (required for these commands)
              --checkpoint=<file>   save a snapshot of the VM to <file>; the VM keeps running
              --suspend=<file>      save a snapshot to <file>, then the VM exits (a jbhyve: waits for it)
              --destroy             end the VM now; bhyve exits with status 4 (waits for it)
              --force-poweroff      end the VM as powered off; bhyve exits with 1 (waits for it)
              --force-reset         end the VM as reset; bhyve exits with 0 (waits for it)
              --get-stats           print the VM's counters
              --restore=<file>      have a standby bhyve (bhyve -o restore.standby=true ...
                                    <vmname>) restore the snapshot <file> and run it
              --control-dir=<dir>   where VM sockets are: bhyve's control.dir (default /var/run/bhyve)
              --timeout=<seconds>   how long to wait for the VM's reply (default 600)

            A snapshot file (jbhyve's format; no VM needed):
              --inspect=<file>      print its header, manifest, memory regions and chunks (a chunk
                                    that fails its checksum is shown as DAMAGED: exit 1)
                --json              as JSON
                --fields            with every chunk's fields
                --diff=<earlier>    only how <file> differs from <earlier>: VM, config, each
                                    chunk field by field, RAM by 2 MiB block (stored CRCs; no RAM
                                    is read); exit 0 if nothing differs, 1 if something does,
                                    2 if a file cannot be read
              --verify=<file>       check every checksum, RAM included; print the first bad
                                    chunk or block; exit 0 if good, 1 if not

              -h, --help            print this help

            One command per invocation. A relative <file> is relative to the current directory.
            jbhyve replies to each request and bhyvectl prints the reply; a C bhyve sends none,
            and then bhyvectl says whether the checkpoint's file changed (exit 0) or not (1).
            Exit status: 0 done; 1 a usage error, a refused or failed request, no such VM;
            with --diff: 0 the same, 1 different, 2 a file cannot be read.
            """;

    /** bhyvectl's options: the values they take are named in {@link #USAGE}. */
    static final List<LongOptionScanner.Spec> OPTIONS = List.of(
            new LongOptionScanner.Spec("vm", true),
            new LongOptionScanner.Spec("checkpoint", true),
            new LongOptionScanner.Spec("suspend", true),
            new LongOptionScanner.Spec("destroy", false),
            new LongOptionScanner.Spec("force-poweroff", false),
            new LongOptionScanner.Spec("force-reset", false),
            new LongOptionScanner.Spec("get-stats", false),
            new LongOptionScanner.Spec("restore", true),
            new LongOptionScanner.Spec("inspect", true),
            new LongOptionScanner.Spec("verify", true),
            new LongOptionScanner.Spec("json", false),
            new LongOptionScanner.Spec("fields", false),
            new LongOptionScanner.Spec("diff", true),
            new LongOptionScanner.Spec("control-dir", true),
            new LongOptionScanner.Spec("timeout", true),
            new LongOptionScanner.Spec(LongOptionScanner.HELP, false));

    /** The options as scanned: null where an option is absent. */
    record Options(String vm, String checkpoint, String suspend, boolean destroy, boolean forcePoweroff,
                   boolean forceReset, boolean getStats, Path restore, Path inspect, Path verify, boolean json,
                   boolean fields, Path diff, Path controlDir, Long timeout, boolean help) {

        static Options of(Map<String, String> o) throws UsageError {
            return new Options(o.get("vm"), o.get("checkpoint"), o.get("suspend"), o.containsKey("destroy"),
                    o.containsKey("force-poweroff"), o.containsKey("force-reset"), o.containsKey("get-stats"),
                    path(o, "restore"), path(o, "inspect"), path(o, "verify"), o.containsKey("json"),
                    o.containsKey("fields"), path(o, "diff"), path(o, "control-dir"), seconds(o.get("timeout")),
                    o.containsKey(LongOptionScanner.HELP));
        }

        /** Option {@code name}'s value as a path; one this system cannot name (bad encoding) is a usage error. */
        private static Path path(Map<String, String> o, String name) throws UsageError {
            String s = o.get(name);
            if (s == null) return null;
            try {
                return Path.of(s);
            } catch (java.nio.file.InvalidPathException e) {
                throw new UsageError("--" + name + ": '" + s + "' is not a path this system can name (" + e.getReason()
                        + "; is the locale's character set right?)");
            }
        }

        private static Long seconds(String s) throws UsageError {
            if (s == null) return null;
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new UsageError("--timeout takes a whole number of seconds, not '" + s + "'");
            }
        }
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (Throwable t) { // a bug: one line before the trace, and bhyvectl's error status
            System.err.println("bhyvectl: internal error: " + t + " (a jbhyve bug; its stack trace follows)");
            t.printStackTrace();
            status = 1;
        }
        // halt, not System.exit: exit first looks up a System.Logger to log the exit (JDK 17+), which starts
        // the logging backend, about 5% of a command that lives a tenth of a second. bhyvectl registers no
        // shutdown hooks and writes through System.out and System.err only, which are flushed here.
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /** The command line without System.exit: returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Map<String, String> scanned;
            try {
                scanned = LongOptionScanner.scan(OPTIONS, args);
            } catch (LongOptionScanner.UsageException e) {
                return usage(err, e.getMessage());
            }
            if (scanned.containsKey(LongOptionScanner.HELP)) {
                out.print(USAGE);
                return 0;
            }
            return execute(Options.of(scanned), out, err);
        } catch (UsageError e) {
            return usage(err, e.getMessage());
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("bhyvectl: " + problem);
        err.print(USAGE);
        return 1;
    }

    private static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    private static int execute(Options o, PrintStream out, PrintStream err) throws UsageError {
        List<String> commands = new ArrayList<>();
        if (o.checkpoint() != null) commands.add("--checkpoint");
        if (o.suspend() != null) commands.add("--suspend");
        if (o.destroy()) commands.add("--destroy");
        if (o.forcePoweroff()) commands.add("--force-poweroff");
        if (o.forceReset()) commands.add("--force-reset");
        if (o.getStats()) commands.add("--get-stats");
        if (o.restore() != null) commands.add("--restore");
        if (o.inspect() != null) commands.add("--inspect");
        if (o.verify() != null) commands.add("--verify");
        if (commands.isEmpty()) throw new UsageError("no command given");
        if (commands.size() > 1) throw new UsageError("give one command at a time, not " + String.join(" and ", commands));
        String command = commands.getFirst();
        boolean fileCommand = command.equals("--inspect") || command.equals("--verify");
        if ((o.json() || o.fields() || o.diff() != null) && !command.equals("--inspect")) {
            throw new UsageError((o.json() ? "--json" : o.fields() ? "--fields" : "--diff") + " goes with --inspect only");
        }
        if (o.diff() != null && o.fields()) {
            throw new UsageError("--diff compares every field already: drop --fields");
        }
        if (fileCommand) {
            for (String[] extra : new String[][] {{"--vm", o.vm()}, {"--control-dir", str(o.controlDir())},
                    {"--timeout", str(o.timeout())}}) {
                if (extra[1] != null) throw new UsageError(command + " reads a file and needs no VM: drop " + extra[0]);
            }
            if (o.diff() != null) return SnapshotTools.diff(o.diff(), o.inspect(), o.json(), out, err);
            return command.equals("--inspect")
                    ? SnapshotTools.inspect(o.inspect(), o.json(), o.fields(), out, err)
                    : SnapshotTools.verify(o.verify(), out, err);
        }
        if (o.vm() == null) throw new UsageError(command + " needs --vm=<vmname>");
        if (o.vm().isEmpty() || o.vm().equals(".") || o.vm().equals("..") || o.vm().indexOf('/') >= 0) {
            throw new UsageError("'" + o.vm() + "' is not a VM name");
        }
        long seconds = o.timeout() == null ? DEFAULT_TIMEOUT_SECONDS : o.timeout();
        if (seconds <= 0 || seconds > 1_000_000_000L) throw new UsageError("--timeout must be a whole number of seconds from 1 to 1000000000");
        Path dir = o.controlDir() == null ? DEFAULT_CONTROL_DIR : o.controlDir();
        Path socket;
        try {
            socket = dir.resolve(o.vm());
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageError("'" + o.vm() + "' is not a VM name this system can make a socket path of (" + e.getReason() + ")");
        }
        VmRequest request = new VmRequest(o.vm(), socket, Duration.ofSeconds(seconds), out, err);
        return switch (command) {
            case "--checkpoint" -> request.checkpoint(o.checkpoint(), false);
            case "--suspend" -> request.checkpoint(o.suspend(), true);
            case "--destroy" -> request.simple(ControlClient.DESTROY, true);
            case "--force-poweroff" -> request.simple(ControlClient.FORCE_POWEROFF, true);
            case "--force-reset" -> request.simple(ControlClient.FORCE_RESET, true);
            case "--get-stats" -> request.simple(ControlClient.GET_STATS, false);
            case "--restore" -> request.restore(o.restore());
            default -> throw new IllegalStateException(command);
        };
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** One request to one VM, and how its outcome is reported. */
    private record VmRequest(String vm, Path socket, Duration timeout, PrintStream out, PrintStream err) {

        int checkpoint(String path, boolean suspend) {
            String option = suspend ? "--suspend" : "--checkpoint";
            CheckpointTarget target = CheckpointTarget.of(path);
            String problem = target.problem();
            if (problem != null) return fail(option + "=" + path + ": " + problem);
            int dirFd;
            try {
                dirFd = Posix.openDirectory(target.directory());
            } catch (Posix.ErrnoException e) {
                return fail("cannot open the checkpoint directory " + target.directory() + ": " + e.getMessage());
            }
            try {
                Path file = Path.of(target.directory(), target.fileName());
                Object before = fileVersion(file);
                return report(ControlClient.checkpointRequest(target.fileName(), suspend, dirFd), ControlClient.CHECKPOINT,
                        suspend, () -> {
                            // C bhyve closes the connection when the checkpoint is over, whatever its outcome,
                            // and so does a jbhyve that dies on the way: only the file can tell. An untouched file
                            // means nothing was saved; a changed one is what a successful C bhyve leaves, though
                            // it also truncates the file before a checkpoint that may fail later, so only its log
                            // can confirm.
                            Object after = fileVersion(file);
                            if (after != null && !after.equals(before)) {
                                out.println("request sent; this bhyve sends no reply, and " + file + " changed (its log"
                                        + " reports any error)");
                                return 0;
                            }
                            return fail("VM " + vm + " closed the connection without a reply and " + file + " did not"
                                    + " change: the " + (suspend ? "suspend" : "checkpoint") + " failed or the VM ended"
                                    + " (its own log says why)");
                        });
            } finally {
                Posix.close(dirFd);
            }
        }

        /**
         * What tells a new version of {@code file} from the old one: its inode (jbhyve renames a new file into
         * place) and modification time (C bhyve rewrites the file in place); null when there is no file.
         */
        private static Object fileVersion(Path file) {
            try {
                var a = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                return java.util.List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
            } catch (java.io.IOException e) {
                return null;
            }
        }

        /**
         * The standby opens the file itself, so it gets an absolute path, checked here first. Its directory is
         * resolved by the kernel (toRealPath), not tidied textually (normalize), which would turn
         * "link/../x" into another file than the one the kernel finds.
         */
        int restore(Path file) {
            Path absolute = file.toAbsolutePath();
            if (!java.nio.file.Files.isRegularFile(absolute)) {
                return fail("--restore=" + file + ": " + (java.nio.file.Files.exists(absolute)
                        ? "not a regular file" : "no such file") + " (give a snapshot written by bhyvectl --checkpoint or --suspend)");
            }
            try {
                absolute = absolute.getParent().toRealPath().resolve(absolute.getFileName());
            } catch (java.io.IOException e) {
                return fail("--restore=" + file + ": cannot resolve its directory: " + e.getMessage());
            }
            return report(ControlClient.restoreRequest(absolute.toString()), ControlClient.RESTORE, false);
        }

        int simple(String cmd, boolean endsVm) {
            return report(ControlClient.command(cmd), cmd, endsVm);
        }

        private int report(NvList request, String cmd, boolean endsVm) {
            return report(request, cmd, endsVm, () -> fail("VM " + vm + " closed the connection without a reply: it is"
                    + " not a jbhyve, and C bhyve has no '" + cmd + "' command on its socket (use FreeBSD's bhyvectl)"));
        }

        /** {@code noReply} decides the outcome when the VM closes the connection without a reply. */
        private int report(NvList request, String cmd, boolean endsVm, java.util.function.IntSupplier noReply) {
            ControlClient.Result result;
            try {
                result = ControlClient.exchange(vm, socket, request, timeout);
            } catch (ControlClient.Failure f) {
                return fail(f.getMessage());
            }
            return switch (result) {
                case ControlClient.NoReply ignored -> noReply.getAsInt();
                case ControlClient.Reply r when r.error() != 0 -> fail(r.message().isEmpty()
                        ? "VM " + vm + " refused the request (error " + r.error() + ")" : r.message());
                case ControlClient.Reply r -> done(r, cmd, endsVm);
            };
        }

        private int done(ControlClient.Reply r, String cmd, boolean endsVm) {
            if (cmd.equals(ControlClient.GET_STATS)) {
                printStats(r.stats());
            } else {
                out.println(r.message());
            }
            if (!endsVm) return 0;
            Duration wait = timeout.compareTo(MAX_EXIT_WAIT) < 0 ? timeout : MAX_EXIT_WAIT;
            try {
                if (ControlClient.awaitGone(socket, wait)) return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            return fail("VM " + vm + " has not exited " + ControlClient.seconds(wait) + " after the request (its socket "
                    + socket + " is still there)");
        }

        /** bhyvectl's format: the name padded to 40 columns, a tab, the value. */
        private void printStats(NvList stats) {
            if (stats == null) return;
            for (NvPair p : stats) {
                if (p.type() == NvType.NUMBER) out.println(String.format("%-40s\t%d", p.name(), p.numberValue()));
            }
        }

        private int fail(String message) {
            err.println("bhyvectl: " + message);
            return 1;
        }
    }
}
