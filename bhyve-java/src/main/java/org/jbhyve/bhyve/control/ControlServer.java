package org.jbhyve.bhyve.control;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.config.VmName;
import org.jbhyve.snapshot.ipc.IpcException;
import org.jbhyve.snapshot.ipc.NvSocket;
import org.jbhyve.snapshot.ipc.UnixServerSocket;
import org.jbhyve.snapshot.ipc.UnixSocket;
import org.jbhyve.snapshot.nv.NvException;
import org.jbhyve.snapshot.nv.NvList;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running VM's control socket: what {@code bhyvectl --checkpoint/--suspend} talks to, plus jbhyve's
 * own commands. See the package documentation for the protocol.
 *
 * <h2>Where</h2>
 * {@code <dir>/<vmname>}, where {@code <dir>} is the config key <b>{@code control.dir}</b> (new in
 * jbhyve; default {@code /var/run/bhyve}, bhyve's {@code BHYVE_RUN_DIR}), e.g.
 * {@code bhyve -o control.dir=/tmp/vms ... vm1} listens on {@code /tmp/vms/vm1}; bhyvectl's
 * {@code --control-dir} must then say the same. On start:
 * <ul>
 * <li>{@code <dir>} is created with mode 0700 if it does not exist (its missing parents with the default
 *     mode); an existing directory is used as it is; anything else there is refused.</li>
 * <li>The socket is bound with mode 0600. A stale socket (left by a VM that died) is replaced; a live
 *     one is refused: "a VM named vm1 is already running (socket /var/run/bhyve/vm1 is in use)".</li>
 * </ul>
 *
 * <h2>Serving</h2>
 * One platform daemon thread accepts one connection at a time: it receives one request (within
 * {@link Options#receiveTimeout()}), runs it on {@link VmControl} (on this thread; a checkpoint takes as
 * long as it takes), sends the reply (within {@link Options#replyTimeout()}) and closes the connection.
 * A malformed request is logged with its reason and answered with an error; a client that stalls is cut
 * off at the timeout; a client that closed without reading the reply (C bhyvectl always does) is
 * expected and not logged. A connection that closes without sending a byte (a liveness probe, as a
 * second bhyve of the same name makes) is dropped silently. Nothing here can block a vCPU.
 *
 * <h2>Stopping</h2>
 * {@link #close()} stops accepting, removes the socket, lets a request in progress finish and send
 * its reply (waiting at most {@link Options#closeTimeout()}), and returns. The socket vanishing is how
 * bhyvectl learns that the VM has exited.
 */
public final class ControlServer implements AutoCloseable {

    /**
     * @param dir            where the socket goes ({@code control.dir})
     * @param receiveTimeout how long a client may take to send its whole request
     * @param replyTimeout   how long a client may take to accept the reply
     * @param closeTimeout   how long {@link #close()} waits for a request in progress
     */
    public record Options(Path dir, Duration receiveTimeout, Duration replyTimeout, Duration closeTimeout) {
        /** The config key naming the socket directory. */
        public static final String CONFIG_KEY = "control.dir";
        /** bhyve's {@code BHYVE_RUN_DIR}. */
        public static final Path DEFAULT_DIR = Path.of("/var/run/bhyve");

        public Options {
            Objects.requireNonNull(dir, "dir");
            for (Duration d : new Duration[] {receiveTimeout, replyTimeout, closeTimeout}) {
                if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_DIR, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60));
        }

        /** The defaults with {@code control.dir} from {@code config} when it is set. */
        public static Options fromConfig(ConfigTree config) throws IOException {
            Optional<String> dir = config.get(CONFIG_KEY);
            if (dir.isEmpty()) return defaults();
            if (dir.get().isEmpty()) {
                throw new IOException(CONFIG_KEY + " is empty: set it to the directory for the control socket"
                        + " (default " + DEFAULT_DIR + ")");
            }
            return defaults().withDir(Path.of(dir.get()));
        }

        public Options withDir(Path d) {
            return new Options(d, receiveTimeout, replyTimeout, closeTimeout);
        }

        public Options withTimeouts(Duration receive, Duration reply) {
            return new Options(dir, receive, reply, closeTimeout);
        }

        public Options withCloseTimeout(Duration close) {
            return new Options(dir, receiveTimeout, replyTimeout, close);
        }
    }

    private static final Duration ACCEPT_SLICE = Duration.ofMillis(250);
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final String vmName;
    private final Options options;
    private final UnixServerSocket socket;
    private final ControlHandler handler;
    private final PrintStream log;
    private final Thread thread;
    private final Object lock = new Object();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    private volatile boolean stopped;
    /** The connection whose request is being received; shut down by close(). Guarded by lock. */
    private UnixSocket receiving;

    private ControlServer(String vmName, Options options, UnixServerSocket socket, VmControl control, PrintStream log) {
        this.vmName = vmName;
        this.options = options;
        this.socket = socket;
        this.handler = new ControlHandler(vmName, control);
        this.log = log;
        this.thread = Thread.ofPlatform().name("control socket").daemon(true).unstarted(this::run);
    }

    /**
     * Starts the server for the VM {@code config} describes: its {@code name}, and {@code control.dir}.
     *
     * @throws IOException with one sentence: already running, directory not creatable, permission, ...
     */
    public static ControlServer start(ConfigTree config, VmControl control, PrintStream log) throws IOException {
        String name = config.get("name").orElseThrow(() -> new IOException("the VM has no name: the control socket"
                + " is named after it"));
        return start(name, control, Options.fromConfig(config), log);
    }

    /** Creates the directory if needed, binds {@code options.dir()/vmName}, starts serving. */
    public static ControlServer start(String vmName, VmControl control, Options options, PrintStream log)
            throws IOException {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(log, "log");
        checkVmName(vmName);
        prepareDirectory(options.dir());
        Path path = options.dir().resolve(vmName);
        UnixServerSocket socket;
        try {
            socket = UnixServerSocket.bind(path);
        } catch (IpcException e) {
            if ("EADDRINUSE".equals(e.errno().orElse(null)) && isSocket(path)) {
                throw new IOException("a VM named " + vmName + " is already running (socket " + path + " is in use)", e);
            }
            throw e;
        }
        ControlServer server = new ControlServer(vmName, options, socket, control, log);
        server.thread.start();
        return server;
    }

    private static void checkVmName(String name) throws IOException {
        String problem = VmName.problem(name == null ? "" : name);
        if (problem != null) throw new IOException(problem);
    }

    /** Creates {@code dir} with mode 0700 when it is missing; uses an existing directory as it is. */
    static void prepareDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the control socket directory " + dir + " (" + Options.CONFIG_KEY + ") exists and is"
                    + " not a directory: remove it or set " + Options.CONFIG_KEY + " to another directory");
        }
        try {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            Files.setPosixFilePermissions(dir, DIR_MODE); // the umask may have taken bits away
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("cannot create the control socket directory " + dir + ": "
                        + e.getFile() + " exists and is not a directory", e);
            }
            // created by someone else meanwhile: use it as it is
        } catch (AccessDeniedException e) {
            throw new IOException("cannot create the control socket directory " + dir + ": permission denied on "
                    + e.getFile() + " (run bhyve as root, or set " + Options.CONFIG_KEY + " to a directory you may write)", e);
        } catch (IOException e) {
            // The reason ("Read-only file system", "No such file or directory"), not the exception's class name.
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : e.getMessage();
            throw new IOException("cannot create the control socket directory " + dir + ": " + why + " (set "
                    + Options.CONFIG_KEY + " to a directory bhyve may create or write)", e);
        }
    }

    private static boolean isSocket(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & 0170000) == 0140000;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The socket's path. */
    public Path path() {
        return socket.path();
    }

    /** Requests answered (successfully or not), malformed ones included. */
    public long handled() {
        return handled.get();
    }

    /** Requests that were malformed, stalled or cut short. */
    public long rejected() {
        return rejected.get();
    }

    /** Replies the client did not take (it closed first, as C bhyvectl does). */
    public long repliesUndelivered() {
        return undelivered.get();
    }

    // ---- the serving thread ----

    private void run() {
        while (!stopped) {
            Optional<UnixSocket> connection;
            try {
                connection = socket.accept(ACCEPT_SLICE);
            } catch (IpcException e) {
                if (stopped || socket.isClosed()) break;
                log("accept failed on " + socket.path() + ": " + e.getMessage());
                sleepQuietly(100);
                continue;
            }
            if (connection.isEmpty()) continue;
            try {
                serve(connection.get());
            } catch (RuntimeException | Error e) {
                // keep serving: the VM must stay controllable whatever one request did
                log("internal error while serving a request on " + socket.path() + ": " + e);
            }
        }
    }

    private void serve(UnixSocket connection) {
        try (connection) {
            synchronized (lock) {
                if (stopped) return;
                receiving = connection;
            }
            NvList request;
            try {
                request = connection.receive(0, options.receiveTimeout());
            } catch (NvException e) {
                rejected.incrementAndGet();
                handled.incrementAndGet();
                log("refused a malformed request: " + e.getMessage());
                reply(connection, ControlHandler.reply(ControlProtocol.EINVAL, "malformed request: " + e.getMessage()));
                return;
            } catch (IpcException e) {
                if (stopped) return;
                if (closedWithoutSending(e)) return; // a liveness probe
                rejected.incrementAndGet();
                log("refused a request: " + e.getMessage());
                return;
            } finally {
                synchronized (lock) {
                    receiving = null;
                }
            }
            ControlHandler.Outcome outcome;
            try {
                outcome = handler.handle(request);
            } finally {
                NvSocket.closeDescriptors(request);
            }
            handled.incrementAndGet();
            if (!outcome.ok()) {
                log("refused " + outcome.command() + ": error " + outcome.error() + ": " + outcome.message());
            } else if (!outcome.command().equals(ControlProtocol.GET_STATS)) {
                log(outcome.command() + ": " + outcome.message());
            }
            reply(connection, outcome.reply());
        }
    }

    /**
     * Sends the reply. A client that has gone (EPIPE, ECONNRESET) is the normal case for C bhyvectl,
     * which closes right after sending; it is counted, not logged.
     */
    private void reply(UnixSocket connection, NvList reply) {
        try {
            connection.send(reply, options.replyTimeout());
        } catch (IpcException e) {
            undelivered.incrementAndGet();
            String errno = e.errno().orElse("");
            if (!errno.equals("EPIPE") && !errno.equals("ECONNRESET")) log("could not send the reply: " + e.getMessage());
        }
    }

    /** NvSocket reports a connection that ended before the first byte this way (no errno, nothing read). */
    private static boolean closedWithoutSending(IpcException e) {
        String m = e.getMessage();
        return e.errno().isEmpty() && m != null && m.contains("closed the connection after 0 of the 19 bytes");
    }

    private void log(String line) {
        log.println("jbhyve: control socket of " + vmName + ": " + line);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting and removes the socket; a request in progress finishes and gets its reply (waited
     * for up to {@link Options#closeTimeout()}, unless called from the serving thread itself, e.g. from a
     * {@link VmControl} method). A client still sending its request is cut off. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (stopped) return;
            stopped = true;
            if (receiving != null) receiving.shutdown();
        }
        socket.close();
        if (Thread.currentThread() == thread || !thread.isAlive()) return;
        try {
            thread.join(options.closeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (thread.isAlive()) {
            log("a request is still in progress after " + options.closeTimeout().toSeconds() + " s; not waiting for it");
        }
    }

    @Override
    public String toString() {
        return "ControlServer[" + socket.path() + (stopped ? ", closed" : "") + "]";
    }
}
