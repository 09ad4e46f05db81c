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
import java.util.Objects;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
 * One platform daemon thread ({@code control socket}) accepts connections and gives each its own platform
 * daemon thread ({@code control socket connection N}), which receives its one request (within
 * {@link Options#receiveTimeout()}), has it served, sends the reply (within {@link Options#replyTimeout()})
 * and closes the connection. So a client that is slow, stalls or means harm holds only its own
 * connection: other clients are answered at once (platform threads, not virtual ones, because a
 * receive waits in a native {@code poll}, which would hold a virtual thread's carrier).
 * <ul>
 * <li><b>Order.</b> The requests that act on the VM ({@code checkpoint}, {@code restore}, {@code destroy},
 *     {@code force-poweroff}, {@code force-reset}) run one at a time, in the order their connections were
 *     accepted: one waits for the one running (a checkpoint takes as long as it takes) and for any
 *     received on an earlier connection. So two checkpoints, a checkpoint and a destroy, two restores
 *     into a standby, or a restore and a destroy never overlap, and a {@link VmControl} needs no locking
 *     for them beyond its own. They all run on one platform daemon thread ({@code control socket
 *     requests}) that lives as long as the server, not on the connection's, which ends with the
 *     connection: what a request leaves tied to its thread must outlive it. The lease a restored VM takes
 *     on its snapshot file is: Linux sends the lease-break SIGIO to the thread that took the lease, and
 *     to nobody once that thread has ended, so a standby's RAM guard would go deaf. An earlier connection
 *     whose request is still arriving is waited for at most {@value #TURN_GRACE_MILLIS} ms after it was
 *     accepted (a client that sent its request at once is read in far less), so a stalled client delays
 *     no request by more than that. {@code get-stats} (which only reads counters), unknown commands and
 *     malformed requests are answered at once, also while another request runs.</li>
 * <li><b>Bound.</b> At most {@link Options#maxConnections()} connections are open at once (default
 *     {@value #DEFAULT_MAX_CONNECTIONS}), so a flood of connections cannot use up threads or descriptors.
 *     One more is made room for by cutting off the oldest connection that has not sent its whole request
 *     yet (logged: "cut off a client that had not sent its whole request after N ms ..."): a stalled
 *     client gives way to a new one, so stalling clients cannot lock others out. When every open
 *     connection has sent its request (they wait for their turn or are being answered), the new one is
 *     refused at once: it gets an EBUSY reply saying so, and the refusal is logged.</li>
 * </ul>
 * A malformed request is logged with its reason and answered with an error; a client that stalls is cut
 * off at the timeout; a client that closed without reading the reply (C bhyvectl always does) is
 * expected and not logged. A connection that closes without sending a byte (a liveness probe, as a
 * second bhyve of the same name makes) is dropped silently. Nothing here can block a vCPU.
 *
 * <h2>Stopping</h2>
 * {@link #close()} stops accepting, removes the socket, cuts off the clients still sending their request
 * (a request that had arrived whole, but was not yet read, counts as received), lets the requests already
 * received be served and get their replies (waiting at most
 * {@link Options#closeTimeout()} for all of them), and returns. A request still waiting for its turn when
 * that wait ends is not run: its client is answered EBUSY. The socket vanishing is how bhyvectl learns that
 * the VM has exited.
 */
public final class ControlServer implements AutoCloseable {

    /**
     * @param dir            where the socket goes ({@code control.dir})
     * @param receiveTimeout how long a client may take to send its whole request
     * @param replyTimeout   how long a client may take to accept the reply
     * @param closeTimeout   how long {@link #close()} waits for the requests in progress
     * @param maxConnections how many connections may be open at once (see "Bound" above)
     */
    public record Options(Path dir, Duration receiveTimeout, Duration replyTimeout, Duration closeTimeout,
                          int maxConnections) {
        /** The config key naming the socket directory. */
        public static final String CONFIG_KEY = "control.dir";
        /** bhyve's {@code BHYVE_RUN_DIR}. */
        public static final Path DEFAULT_DIR = Path.of("/var/run/bhyve");

        public Options {
            Objects.requireNonNull(dir, "dir");
            for (Duration d : new Duration[] {receiveTimeout, replyTimeout, closeTimeout}) {
                if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }

        public static Options defaults() {
            return new Options(DEFAULT_DIR, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60),
                    DEFAULT_MAX_CONNECTIONS);
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
            return new Options(d, receiveTimeout, replyTimeout, closeTimeout, maxConnections);
        }

        public Options withTimeouts(Duration receive, Duration reply) {
            return new Options(dir, receive, reply, closeTimeout, maxConnections);
        }

        public Options withCloseTimeout(Duration close) {
            return new Options(dir, receiveTimeout, replyTimeout, close, maxConnections);
        }

        public Options withMaxConnections(int max) {
            return new Options(dir, receiveTimeout, replyTimeout, closeTimeout, max);
        }
    }

    /** How many connections may be open at once by default. */
    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    /**
     * How long after an earlier connection was accepted a request that acts on the VM waits for that
     * connection's request to arrive, to keep the order of clients that sent theirs at once.
     */
    static final long TURN_GRACE_MILLIS = 250;
    /** How long the accepting thread waits for a connection it cut off to close, to make room. */
    private static final Duration ROOM_WAIT = Duration.ofMillis(500);
    /** How long the busy reply to a refused connection may take (its socket buffer is empty: no time). */
    private static final Duration REFUSAL_REPLY_TIMEOUT = Duration.ofMillis(200);

    private static final Duration ACCEPT_SLICE = Duration.ofMillis(250);
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final String vmName;
    private final Options options;
    private final UnixServerSocket socket;
    private final ControlHandler handler;
    private final PrintStream log;
    private final Thread thread;
    /**
     * Runs the requests that act on the VM, one at a time, on one thread that lives as long as the server
     * (see "Order" in the class comment). Its thread, once started, is {@link #requestThread}.
     */
    private final ExecutorService requests;
    private volatile Thread requestThread;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    /** Guards everything below, and is notified whenever a connection changes stage or closes. */
    private final Object lock = new Object();
    private volatile boolean stopped;
    /** The open connections, by ticket (the order they were accepted in). */
    private final TreeMap<Long, Connection> open = new TreeMap<>();
    private long nextTicket;
    /** Whether a request that acts on the VM is running. */
    private boolean vmRequestRunning;

    /** Where a connection is. */
    private enum Stage {
        /** Its request is arriving. */
        RECEIVING,
        /** Its request, which acts on the VM, waits for its turn. */
        QUEUED,
        /** Its request, which acts on the VM, runs. */
        RUNNING,
        /** Being answered without a turn (get-stats, a refusal), or done with its turn. */
        ANSWERING
    }

    /** One accepted connection and the thread that serves it. Its mutable fields are guarded by lock. */
    private static final class Connection {
        final long ticket;
        final UnixSocket socket;
        final long acceptedAt = System.nanoTime();
        Thread thread;
        Stage stage = Stage.RECEIVING;
        /** Shut down by the accepting thread to make room for a newer connection. */
        boolean cutOff;

        Connection(long ticket, UnixSocket socket) {
            this.ticket = ticket;
            this.socket = socket;
        }
    }

    private ControlServer(String vmName, Options options, UnixServerSocket socket, VmControl control, PrintStream log) {
        this.vmName = vmName;
        this.options = options;
        this.socket = socket;
        this.handler = new ControlHandler(vmName, control);
        this.log = log;
        this.thread = Thread.ofPlatform().name("control socket").daemon(true).unstarted(this::run);
        ThreadFactory platform = Thread.ofPlatform().name("control socket requests").daemon(true).factory();
        this.requests = Executors.newSingleThreadExecutor(r -> {
            Thread t = platform.newThread(r);
            requestThread = t;
            return t;
        });
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

    // ---- the accepting thread ----

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
                admit(connection.get());
            } catch (RuntimeException | Error e) {
                // keep accepting: the VM must stay controllable whatever one connection did
                connection.get().close();
                log("internal error while accepting a connection on " + socket.path() + ": " + e);
            }
        }
    }

    /**
     * Gives a new connection its thread; at {@link Options#maxConnections()} first cuts off the oldest one
     * whose request is still arriving, or refuses the new one when there is none (see the class comment).
     */
    private void admit(UnixSocket accepted) {
        int max = options.maxConnections();
        boolean cutOne = false;
        synchronized (lock) {
            if (stopped) {
                accepted.close();
                return;
            }
            if (open.size() >= max) cutOne = makeRoom(max);
            if (stopped) {
                accepted.close();
                return;
            }
            if (open.size() < max) {
                Connection c = new Connection(nextTicket++, accepted);
                c.thread = Thread.ofPlatform().name("control socket connection " + c.ticket).daemon(true)
                        .unstarted(() -> serve(c));
                open.put(c.ticket, c);
                try {
                    c.thread.start();
                } catch (RuntimeException | Error e) { // e.g. no thread to be had: the connection is not served
                    open.remove(c.ticket);
                    throw e;
                }
                return;
            }
        }
        // Every open connection has sent its request: this one is told so at once, not kept waiting.
        rejected.incrementAndGet();
        log("refused a connection: " + max + " connections are open already (at most " + max + " at once), "
                + (cutOne ? "and the one cut off to make room did not close within " + ROOM_WAIT.toMillis() + " ms"
                        : "each with a request received and waiting for its turn or being answered")
                + "; the client was answered EBUSY");
        try (accepted) {
            accepted.send(ControlHandler.reply(ControlProtocol.EBUSY, "bhyve's control socket of " + vmName
                    + " is busy: " + max + " requests are being served already; try again"), REFUSAL_REPLY_TIMEOUT);
        } catch (IpcException e) {
            undelivered.incrementAndGet();
        }
    }

    /**
     * Cuts off the oldest connection still receiving, if any, and waits for one to close. Returns whether
     * one was cut off. Holds lock.
     */
    private boolean makeRoom(int max) {
        Connection oldest = null;
        boolean leaving = false;
        for (Connection c : open.values()) {
            if (c.cutOff) leaving = true;
            else if (c.stage == Stage.RECEIVING && (oldest == null || c.acceptedAt < oldest.acceptedAt)) oldest = c;
        }
        if (oldest != null) {
            oldest.cutOff = true;
            oldest.socket.shutdown(); // its receive fails at once; its thread says why and closes it
            leaving = true;
        }
        if (!leaving) return false;
        long deadline = System.nanoTime() + ROOM_WAIT.toNanos();
        while (open.size() >= max && !stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                lock.wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return true;
    }

    // ---- a connection's thread ----

    private void serve(Connection c) {
        try (UnixSocket connection = c.socket) {
            NvList request = receive(c);
            if (request == null) return;
            boolean inTurn = ControlHandler.actsOnTheVm(request);
            ControlHandler.Outcome outcome;
            try {
                if (inTurn) awaitTurn(c);
                try {
                    outcome = inTurn ? onRequestThread(request) : handler.handle(request);
                } finally {
                    if (inTurn) endTurn(c); // the reply goes out after: a client slow to take it holds no one
                }
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
        } catch (RuntimeException | Error e) {
            log("internal error while serving a request on " + socket.path() + ": " + e);
        } finally {
            synchronized (lock) {
                open.remove(c.ticket);
                lock.notifyAll();
            }
        }
    }

    /**
     * Receives the connection's request; null when there is none to serve (a malformed one is answered
     * here). Leaves the connection out of stage RECEIVING before anything else, so that neither
     * {@link #close()} nor {@link #makeRoom} shuts it down from then on.
     */
    private NvList receive(Connection c) {
        NvList request = null;
        RuntimeException malformed = null;
        IpcException failed = null;
        try {
            request = c.socket.receive(0, options.receiveTimeout());
        } catch (NvException e) {
            malformed = e;
        } catch (IpcException e) {
            failed = e;
        } catch (RuntimeException | Error e) {
            leaveReceiving(c, false);
            throw e;
        }
        boolean cutOff = leaveReceiving(c, request != null && ControlHandler.actsOnTheVm(request));
        if (request != null && !cutOff) return request;
        if (request != null) NvSocket.closeDescriptors(request); // complete just as it was cut off: not served
        if (cutOff) {
            rejected.incrementAndGet();
            log("cut off a client that had not sent its whole request after "
                    + (System.nanoTime() - c.acceptedAt) / 1_000_000 + " ms, to make room for a new connection (at most "
                    + options.maxConnections() + " are open at once)");
            return null;
        }
        if (malformed != null) {
            rejected.incrementAndGet();
            handled.incrementAndGet();
            log("refused a malformed request: " + malformed.getMessage());
            reply(c.socket, ControlHandler.reply(ControlProtocol.EINVAL, "malformed request: " + malformed.getMessage()));
            return null;
        }
        if (stopped) return null;
        if (closedWithoutSending(failed)) return null; // a liveness probe
        rejected.incrementAndGet();
        log("refused a request: " + failed.getMessage());
        return null;
    }

    /**
     * Moves {@code c} on from RECEIVING: to QUEUED when its request waits for a turn (and it was not cut
     * off). Returns whether it was cut off.
     */
    private boolean leaveReceiving(Connection c, boolean wantsTurn) {
        synchronized (lock) {
            c.stage = wantsTurn && !c.cutOff ? Stage.QUEUED : Stage.ANSWERING;
            lock.notifyAll();
            return c.cutOff;
        }
    }

    /** Waits until {@code c} may run its request that acts on the VM (see "Order" in the class comment). */
    private void awaitTurn(Connection c) {
        boolean interrupted = false;
        synchronized (lock) {
            for (long wait; (wait = turnWait(c)) != 0; ) {
                try {
                    if (wait < 0) lock.wait();
                    else lock.wait(Math.max(1, wait / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true; // nobody interrupts these threads; the request is served all the same
                }
            }
            vmRequestRunning = true;
            c.stage = Stage.RUNNING;
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * 0 when {@code c} may run now; else how long to wait in nanoseconds, or -1 for as long as nothing
     * changes: while another request runs, one received on an earlier connection waits, or an earlier
     * connection still receiving is within {@link #TURN_GRACE_MILLIS} of being accepted. Holds lock.
     */
    private long turnWait(Connection c) {
        if (vmRequestRunning) return -1;
        long now = System.nanoTime(), wait = 0;
        for (Connection earlier : open.headMap(c.ticket, false).values()) {
            if (earlier.stage == Stage.QUEUED) return -1;
            if (earlier.stage == Stage.RECEIVING && !earlier.cutOff) {
                long left = earlier.acceptedAt + TURN_GRACE_MILLIS * 1_000_000 - now;
                if (left > 0) wait = wait == 0 ? left : Math.min(wait, left);
            }
        }
        return wait;
    }

    /** Handles {@code request} on {@link #requests}' thread and waits for it (the caller has the turn). */
    private ControlHandler.Outcome onRequestThread(NvList request) {
        Future<ControlHandler.Outcome> outcome;
        try {
            outcome = requests.submit(() -> handler.handle(request));
        } catch (RejectedExecutionException e) { // close() gave up waiting (closeTimeout) and ended the thread
            return ControlHandler.failure(request.getString(ControlProtocol.CMD), ControlProtocol.EBUSY, "not done:"
                    + " bhyve's control socket of " + vmName + " was closed (bhyve is exiting) before its turn came");
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return outcome.get();
                } catch (InterruptedException e) {
                    interrupted = true; // nobody interrupts these threads; the request runs on all the same
                } catch (ExecutionException e) { // handle() answers every failure: this is a bug
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    if (e.getCause() instanceof Error r) throw r;
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void endTurn(Connection c) {
        synchronized (lock) {
            vmRequestRunning = false;
            c.stage = Stage.ANSWERING;
            lock.notifyAll();
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
     * Stops accepting and removes the socket; clients still sending their request are cut off, and the
     * requests already received are served and get their replies (all of it waited for up to
     * {@link Options#closeTimeout()}, unless called from one of this server's threads, e.g. from a
     * {@link VmControl} method). Idempotent, but every call from another thread waits as the first would:
     * the main thread's close() must wait for the replies even if a VmControl method closed the server first.
     */
    @Override
    public void close() {
        Thread me = Thread.currentThread();
        boolean ours, first;
        synchronized (lock) {
            first = !stopped;
            stopped = true;
            ours = me == thread || me == requestThread;
            for (Connection c : open.values()) {
                // Only their input: a request that has arrived whole (its client sent it just now) is read,
                // served and answered; one still arriving ends there and is dropped silently.
                if (first && c.stage == Stage.RECEIVING) c.socket.shutdownInput();
                ours |= c.thread == me;
            }
            lock.notifyAll(); // the accepting thread may be waiting for room
        }
        if (first) socket.close();
        if (ours) return;
        long deadline = System.nanoTime() + options.closeTimeout().toNanos();
        try {
            if (thread.isAlive()) thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            List<Thread> serving = new ArrayList<>();
            synchronized (lock) {
                for (Connection c : open.values()) serving.add(c.thread);
            }
            for (Thread t : serving) {
                long left = deadline - System.nanoTime();
                if (left > 0) t.join(Duration.ofNanos(left));
            }
            requests.shutdown(); // a request it still runs (past the timeout) finishes; nothing new starts
            long left = deadline - System.nanoTime();
            if (left > 0) requests.awaitTermination(left, TimeUnit.NANOSECONDS);
            long still = serving.stream().filter(Thread::isAlive).count() + (thread.isAlive() ? 1 : 0);
            if (still > 0) {
                log(still + (still == 1 ? " request is" : " requests are") + " still in progress after "
                        + options.closeTimeout().toSeconds() + " s; not waiting for " + (still == 1 ? "it" : "them"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop waiting, as asked
        } finally {
            requests.shutdown(); // also when interrupted: else its thread would outlive the server
        }
    }

    @Override
    public String toString() {
        return "ControlServer[" + socket.path() + (stopped ? ", closed" : "") + "]";
    }
}
