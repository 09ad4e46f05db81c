package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.device.ConsoleClient;
import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.libc_h;

/**
 * The host end of one virtio-console port: a UNIX socket the device listens on (bhyve's
 * {@code NAME=/path/to/socket}: one client at a time, later ones are closed at once), or, as a jbhyve
 * extension, an existing regular file that output is appended to (no input).
 *
 * <p>Output from the guest is queued here (at most {@link #OUTPUT_CAPACITY} bytes) and written by
 * the port's writer thread, so a slow client never blocks a vCPU; while the queue is full the device
 * leaves the guest's buffers on the ring. Without a client, output is dropped, as in bhyve. Input is
 * read ahead of the guest by a reader thread ({@link ConsoleClient}) and handed to {@link Sink#input} by
 * another, which blocks until the guest has buffers for it. Reading ahead, a client that hangs up is
 * noticed even while the guest reads nothing: the next client then takes the port (what the one
 * before sent that the guest never read is dropped) instead of being closed at once.
 */
final class ConsolePort implements AutoCloseable {
    /** Bytes of guest output queued for the host before the device stops taking more. */
    static final int OUTPUT_CAPACITY = 256 << 10;

    /** What the port tells the device. */
    interface Sink {
        /**
         * Bytes from the host for the guest; blocks until they are delivered, the port closes, or
         * {@code wanted} turns false (the client that sent them gave way to another).
         */
        void input(ConsolePort port, byte[] data, int length, BooleanSupplier wanted);

        /** A client connected or went away. */
        void connected(ConsolePort port, boolean connected);

        /** Output queue space was freed (the device may take more output from the guest). */
        void outputDrained(ConsolePort port);
    }

    private final int id;
    private final String name;
    private final Path path;
    private final Sink sink;
    private final boolean file;
    private final ServerSocketChannel server;
    private final FileChannel fileChannel;
    private final ArrayDeque<byte[]> output = new ArrayDeque<>();
    private int queued;
    private ConsoleClient client;
    private volatile boolean closed;
    private final Thread writer;
    private final Thread acceptor;

    private ConsolePort(int id, String name, Path path, Sink sink, boolean file, ServerSocketChannel server,
            FileChannel fileChannel, String owner) {
        this.id = id;
        this.name = name;
        this.path = path;
        this.sink = sink;
        this.file = file;
        this.server = server;
        this.fileChannel = fileChannel;
        this.writer = Thread.ofPlatform().daemon().name(owner + " port" + id + " out").unstarted(this::writeLoop);
        this.acceptor = file ? null : Thread.ofPlatform().daemon().name(owner + " port" + id + " accept").unstarted(this::acceptLoop);
    }

    /**
     * Opens the port's host end: an existing regular file is appended to; anything else is a UNIX
     * socket path to listen on (a stale socket nobody listens on is replaced).
     */
    static ConsolePort open(int id, String name, Path path, Sink sink, String owner) {
        try {
            BasicFileAttributes a = Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                    ? Files.readAttributes(path, BasicFileAttributes.class) : null;
            if (a != null && a.isRegularFile()) {
                FileChannel fc = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                return new ConsolePort(id, name, path, sink, true, null, fc, owner);
            }
            if (a != null) {
                // Only a socket may be replaced: "other" is also a FIFO or a device node (/dev/null), which
                // must never be deleted to make room for the socket.
                String kind = a.isOther() ? otherKind(path) : a.isDirectory() ? "a directory" : "a symbolic link";
                if (kind != null || !stale(path)) {
                    throw new ConfigException(owner + ": port " + name + ": " + path + " already exists and is "
                            + (kind == null ? "a socket another process listens on" : kind + ", not a socket or regular file")
                            + " (give an unused path for the socket)");
                }
                Files.delete(path);
            }
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                s.bind(UnixDomainSocketAddress.of(path), 1);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            return new ConsolePort(id, name, path, sink, false, s, null, owner);
        } catch (ConfigException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(owner + ": port " + name + ": cannot listen on " + path + ": " + e.getMessage());
        }
    }

    /**
     * What a path that is neither a regular file, a directory nor a link is, following links: null for a
     * socket, else "a FIFO", "a character device", ... Anything that cannot be told is not a socket.
     */
    private static String otherKind(Path path) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (IOException | RuntimeException e) {
            return "not known to be a socket";
        }
        return (mode & libc_h.S_IFMT) == libc_h.S_IFSOCK ? null : FileStat.kindOf(mode);
    }

    /** A socket file that refuses connections: left over from an earlier run. */
    private static boolean stale(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    void start() {
        writer.start();
        if (acceptor != null) acceptor.start();
    }

    int id() { return id; }

    String name() { return name; }

    Path path() { return path; }

    boolean isFile() { return file; }

    /** True when output has somewhere to go (a connected client, or the file). */
    synchronized boolean connected() {
        return file || client != null;
    }

    /** Bytes that fit into the output queue now. */
    synchronized int room() {
        return OUTPUT_CAPACITY - queued;
    }

    synchronized int queued() {
        return queued;
    }

    /** Queues guest output (the caller checked {@link #room()}). Dropped without a client. */
    synchronized void write(byte[] data) {
        if (!connected() || data.length == 0 || (client != null && client.outputFailed())) return;
        output.add(data);
        queued += data.length;
        notifyAll();
    }

    /** The queued output, for a snapshot. */
    synchronized byte[] pendingOutput() {
        ByteBuffer b = ByteBuffer.allocate(queued);
        for (byte[] chunk : output) b.put(chunk);
        return b.array();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            ConsoleClient gone;
            boolean taken;
            synchronized (this) {
                gone = client;
                // One client at a time, as bhyve; but one that hung up gives way (with its unread input).
                taken = !closed && (gone == null || gone.gone());
            }
            // The guest sees the client before leave (PORT_OPEN 0) before the new one comes (PORT_OPEN 1), as
            // if it had been noticed leaving at once: a guest agent starts a new session.
            if (taken && gone != null) disconnect(gone);
            ConsoleClient k = null;
            synchronized (this) {
                if (taken && client == null && !closed) {
                    k = new ConsoleClient(c);
                    client = k;
                }
            }
            if (k == null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
                continue;
            }
            sink.connected(this, true);
            ConsoleClient serving = k;
            String in = acceptor.getName().replace("accept", "in");
            Thread.ofPlatform().daemon().name(in.replace(" in", " read")).start(serving::readAhead);
            Thread.ofPlatform().daemon().name(in).start(() -> deliver(serving));
        }
    }


    /** Hands the client's input to the device; the client is done once it hung up and the guest took it all. */
    private void deliver(ConsoleClient k) {
        byte[] buf = new byte[4096];
        BooleanSupplier current = () -> !closed && isClient(k);
        try {
            int n;
            while (current.getAsBoolean() && (n = k.input().take(buf, 1, TimeUnit.SECONDS)) >= 0) {
                if (n > 0) sink.input(this, buf, n, current);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnect(k);
    }

    /** Writing to {@code k} failed: its queued output, and all later, is dropped. */
    private synchronized void failOutput(ConsoleClient k) {
        k.failOutput();
        if (client == k) dropOutput();
    }

    private synchronized boolean isClient(ConsoleClient k) {
        return client == k;
    }

    /** Drops queued output (its client is gone). Holds the lock. */
    private void dropOutput() {
        output.clear();
        queued = 0;
        notifyAll();
    }

    private void disconnect(ConsoleClient k) {
        boolean was;
        synchronized (this) {
            was = client == k;
            if (was) {
                client = null;
                dropOutput();
            }
        }
        k.close();
        if (was && !closed) {
            sink.connected(this, false);
            sink.outputDrained(this);
        }
    }

    private void writeLoop() {
        while (!closed) {
            byte[] chunk;
            ConsoleClient c;
            synchronized (this) {
                while (output.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
                chunk = output.peek();
                c = client;
            }
            try {
                ByteBuffer b = ByteBuffer.wrap(chunk);
                if (file) {
                    while (b.hasRemaining()) fileChannel.write(b);
                } else if (c != null && !c.outputFailed()) {
                    while (b.hasRemaining()) c.channel().write(b);
                }
            } catch (ClosedChannelException e) {
                if (c != null) disconnect(c); // closed here: replaced, or the port closes
            } catch (IOException e) {
                // The client hung up. What it sent before may still be on its way to the guest (which may be
                // echoing it right now): only its output ends here; its delivery ends it once that is taken.
                if (c != null) failOutput(c);
                else if (file) closed = true; // the file is gone for good
            }
            synchronized (this) {
                if (output.peek() == chunk) {
                    output.poll();
                    queued -= chunk.length;
                }
            }
            sink.outputDrained(this);
        }
    }

    @Override
    public void close() {
        closed = true;
        ConsoleClient c;
        synchronized (this) {
            c = client;
            client = null;
            notifyAll();
        }
        if (c != null) c.close();
        try {
            if (server != null) {
                server.close();
                Files.deleteIfExists(path);
            }
            if (fileChannel != null) fileChannel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
