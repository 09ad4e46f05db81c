package org.jbhyve.bhyve.devices.uart;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import jdk.net.ExtendedSocketOptions;
import org.jbhyve.bhyve.device.ConsoleClient;

/**
 * A serial port served over TCP ({@code lpc.comN.path=tcp=HOST:PORT}, bhyve's own syntax): a
 * listener bound exactly where the value says, one client at a time. A second client is told
 * {@code Socket already connected} and closed, as bhyve does; when the client goes away the
 * listener takes the next one. Guest output while no client is connected is dropped.
 *
 * <p>A client's input is read ahead of the guest ({@link ConsoleClient}), so a client that hangs up
 * is noticed even while the guest is not reading that port; the next client then takes the port,
 * and what the one before sent that the guest never read is dropped.
 *
 * <p>A client whose host or network vanished without a word (a laptop closed, a link cut) would otherwise
 * hold the port for good while the guest writes nothing: nothing tells an idle TCP connection that its
 * peer is gone. So each client gets TCP keepalive ({@link Keepalive#DEFAULT}: a probe after a minute of
 * silence, then every 10 s; six unanswered ones end it, about two minutes in all), and the next client
 * takes the port from one whose connection timed out. While guest output to it is unacknowledged the
 * kernel's retransmission timeout decides instead (about 15 minutes by default).
 *
 * <p>The address must be numeric: {@code tcp=127.0.0.1:4444} or {@code tcp=[::1]:4444}. Nothing
 * is resolved and nothing is bound to an address that was not given. Port 0 picks a free port
 * (see {@link #localAddress()}).
 */
public final class TcpBackend implements SerialBackend {
    static final byte[] BUSY_MESSAGE = "Socket already connected\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel server;
    private final InetSocketAddress bound;
    private final Consumer<String> log;
    private final Keepalive keepalive;
    private final OutputPump pump;
    private volatile ConsoleClient client;
    private volatile boolean closed;

    /**
     * Parses {@code HOST:PORT} or {@code [IPv6]:PORT} and binds a listener there.
     *
     * @throws IllegalArgumentException for a malformed address or port
     * @throws IOException if the address cannot be bound (in use, not a local address)
     */
    public static TcpBackend listen(String hostPort, Consumer<String> log) throws IOException {
        return listen(hostPort, log, Keepalive.DEFAULT);
    }

    /** {@link #listen(String, Consumer)} with other keepalive timing (tests use seconds, not minutes). */
    static TcpBackend listen(String hostPort, Consumer<String> log, Keepalive keepalive) throws IOException {
        InetSocketAddress address = parse(hostPort);
        ServerSocketChannel server = ServerSocketChannel.open(
                address.getAddress() instanceof Inet6Address ? java.net.StandardProtocolFamily.INET6
                        : java.net.StandardProtocolFamily.INET);
        try {
            server.bind(address, 1);
        } catch (IOException e) {
            server.close();
            throw new IOException("bind to " + format(address) + " failed: " + e.getMessage(), e);
        }
        return new TcpBackend(server, log, keepalive);
    }

    /**
     * TCP keepalive for a client: the first probe after {@code idleSeconds} without traffic, then one every
     * {@code intervalSeconds}; {@code probes} unanswered ones time the connection out.
     */
    record Keepalive(int idleSeconds, int intervalSeconds, int probes) {
        static final Keepalive DEFAULT = new Keepalive(60, 10, 6);

        /**
         * Turns it on for {@code c}. Where the platform cannot set the timing (it can on Linux and FreeBSD),
         * the system's keepalive defaults apply.
         */
        void applyTo(SocketChannel c) throws IOException {
            c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            setIfSupported(c, ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds);
            setIfSupported(c, ExtendedSocketOptions.TCP_KEEPINTERVAL, intervalSeconds);
            setIfSupported(c, ExtendedSocketOptions.TCP_KEEPCOUNT, probes);
        }

        private static void setIfSupported(SocketChannel c, SocketOption<Integer> option, int value) throws IOException {
            if (c.supportedOptions().contains(option)) c.setOption(option, value);
        }
    }

    /** bhyve's forms: {@code [IPv6]:PORT}, or {@code IPv4:PORT}; numeric only. */
    static InetSocketAddress parse(String hostPort) {
        String host, port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf("]:");
            if (close < 0) throw new IllegalArgumentException("expected [IPv6-address]:port");
            host = hostPort.substring(1, close);
            port = hostPort.substring(close + 2);
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("expected address:port");
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
        }
        InetAddress addr;
        try {
            addr = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + host + "' is not a numeric IP address");
        }
        if (!hostPort.startsWith("[") && !(addr instanceof Inet4Address)) {
            throw new IllegalArgumentException("an IPv6 address must be written in brackets: [" + host + "]:" + port);
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + port + "' is not a port number");
        }
        int p = Integer.parseInt(port);
        if (p > 65535) throw new IllegalArgumentException("port " + p + " is above 65535");
        return new InetSocketAddress(addr, p);
    }

    private static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private TcpBackend(ServerSocketChannel server, Consumer<String> log, Keepalive keepalive) throws IOException {
        this.server = server;
        this.bound = (InetSocketAddress) server.getLocalAddress();
        this.log = log;
        this.keepalive = keepalive;
        this.pump = new OutputPump("serial-out tcp " + format(bound), OutputPump.DEFAULT_CAPACITY,
                this::sendToClient, log);
    }

    /** Where the listener is bound (the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return bound;
    }

    /** Whether a client is connected right now. */
    public boolean hasClient() {
        return client != null;
    }

    @Override
    public void start(SerialBackend.Receiver receiver) {
        Thread.ofPlatform().name("serial-accept tcp " + format(bound)).daemon().start(() -> acceptLoop(receiver));
    }

    private void acceptLoop(SerialBackend.Receiver receiver) {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) log.accept("accepting on " + format(bound) + " failed (" + e.getMessage()
                        + "); no more clients");
                return;
            }
            try {
                keepalive.applyTo(c);
            } catch (IOException e) {
                // the client is already gone (the reader will see that); serve it as any other
            }
            ConsoleClient k = new ConsoleClient(c), gone;
            synchronized (this) {
                gone = client;
                if (gone != null && !gone.gone()) k = null; // one that hung up gives way
                else client = k;
            }
            if (k == null) {
                turnAway(c);
                continue;
            }
            // The client before hung up while the guest was not reading: it gives way, and its unread input
            // goes with it.
            if (gone != null) disconnect(gone);
            ConsoleClient serving = k;
            Thread.ofPlatform().name("serial-read tcp " + format(bound)).daemon().start(serving::readAhead);
            Thread.ofPlatform().name("serial-in tcp " + format(bound)).daemon().start(() -> serve(serving, receiver));
        }
    }

    private static void turnAway(SocketChannel c) {
        try (c) {
            c.write(ByteBuffer.wrap(BUSY_MESSAGE));
        } catch (IOException ignored) {
            // the unwanted client went away first; nothing to tell it
        }
    }


    /** Hands the client's input to the guest; the client is done once it hung up and the guest took it all. */
    private void serve(ConsoleClient k, SerialBackend.Receiver receiver) {
        try {
            InputPump.forward(k.input(), receiver, () -> closed || client != k);
        } finally {
            disconnect(k);
        }
    }

    private void disconnect(ConsoleClient k) {
        synchronized (this) {
            if (client == k) client = null;
        }
        k.close();
    }

    /**
     * Output goes to the current client; with none, or when it fails, the bytes are dropped. A failed write
     * does not end the client: it hung up (the reader sees that too), and what it sent before, which the
     * guest may be reading now and echoing, still goes to the guest; its delivery ends it after that.
     */
    private void sendToClient(byte[] b, int off, int len) {
        ConsoleClient k = client;
        if (k == null || k.outputFailed()) return;
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        try {
            while (buf.hasRemaining()) k.channel().write(buf);
        } catch (IOException e) {
            k.failOutput();
        }
    }

    @Override
    public void write(byte b) {
        if (client != null) pump.offer(b);
    }

    /** Waits until queued output has been sent (for tests and orderly shutdown). */
    boolean awaitDrained(long timeoutMillis) throws InterruptedException {
        return pump.awaitDrained(timeoutMillis);
    }

    @Override
    public String describe() {
        return "tcp " + format(bound);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pump.close();
        try {
            server.close();
        } catch (IOException ignored) {
            // shutting down
        }
        ConsoleClient k = client;
        if (k != null) disconnect(k);
    }
}
