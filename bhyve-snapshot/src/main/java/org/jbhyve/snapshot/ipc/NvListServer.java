package org.jbhyve.snapshot.ipc;

import org.jbhyve.snapshot.nv.NvException;
import org.jbhyve.snapshot.nv.NvList;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The accept loop of bhyve's "checkpoint thread": accept a connection, receive one nvlist, hand it
 * to the handler, close the connection (no reply is sent, as in bhyve). A malformed message, a peer
 * that stalls or closes early, or a failing handler is reported to the error listener and the loop
 * goes on with the next connection. The message's descriptors are closed after the handler returns
 * (as {@code nvlist_destroy} would): a handler that keeps one must {@code dup} it.
 *
 * <p>Runs on one platform daemon thread. {@link #close()} stops it and closes the server socket.
 */
public final class NvListServer implements AutoCloseable {

    /** Handles one received message. */
    @FunctionalInterface
    public interface Handler {
        void handle(NvList message) throws Exception;
    }

    /** Told about every message that was refused and every handler failure. */
    @FunctionalInterface
    public interface ErrorListener {
        void onError(String what, Exception error);
    }

    private static final Duration ACCEPT_SLICE = Duration.ofMillis(250);

    private final UnixServerSocket socket;
    private final int expectedFlags;
    private final Duration receiveTimeout;
    private final Handler handler;
    private final ErrorListener errors;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param socket         the listening socket; closed by {@link #close()}
     * @param expectedFlags  the nvlist flags messages must have (bhyve: 0)
     * @param receiveTimeout how long a client may take to send its whole message
     */
    public NvListServer(UnixServerSocket socket, int expectedFlags, Duration receiveTimeout, Handler handler,
                        ErrorListener errors) {
        this.socket = Objects.requireNonNull(socket);
        this.expectedFlags = expectedFlags;
        this.receiveTimeout = Objects.requireNonNull(receiveTimeout);
        this.handler = Objects.requireNonNull(handler);
        this.errors = Objects.requireNonNull(errors);
    }

    /** Starts the loop on a daemon thread with this name (bhyve calls its own "checkpoint thread"). */
    public synchronized NvListServer start(String threadName) {
        if (thread != null) throw new IllegalStateException("already started");
        thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::run);
        return this;
    }

    private void run() {
        while (!stopped && !socket.isClosed()) {
            Optional<UnixSocket> connection;
            try {
                connection = socket.accept(ACCEPT_SLICE);
            } catch (IpcException e) {
                if (stopped || socket.isClosed()) break;
                errors.onError("accept failed on " + socket.path(), e);
                pause();
                continue;
            }
            connection.ifPresent(this::serve);
        }
    }

    private void serve(UnixSocket connection) {
        try (connection) {
            NvList message;
            try {
                message = connection.receive(expectedFlags, receiveTimeout);
            } catch (NvException | IpcException e) {
                rejected.incrementAndGet();
                errors.onError("refused a message on " + socket.path() + ": " + e.getMessage(), e);
                return;
            }
            try {
                handler.handle(message);
                handled.incrementAndGet();
            } catch (Exception e) {
                errors.onError("handler failed on a message from " + socket.path() + ": " + e.getMessage(), e);
            } finally {
                NvSocket.closeDescriptors(message);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Messages handed to the handler without error. */
    public long handled() {
        return handled.get();
    }

    /** Messages refused (malformed, too large, stalled, closed early). */
    public long rejected() {
        return rejected.get();
    }

    /** Stops the loop, waits for it (a handler in progress is allowed to finish), closes the socket. */
    @Override
    public void close() {
        stopped = true;
        socket.close();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
