package org.jbhyve.bhyve.devices.uart;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code lpc.comN.path=tcp=HOST:PORT}: a real listener on the loopback interface. */
class TcpBackendTest {
    static final int BASE = 0x2f8;

    @Test
    void parsesBhyvesAddressFormsNumericOnly() {
        assertThat(TcpBackend.parse("127.0.0.1:4444")).isEqualTo(new InetSocketAddress("127.0.0.1", 4444));
        assertThat(TcpBackend.parse("[::1]:23").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(TcpBackend.parse("0.0.0.0:0").getPort()).isZero();
        assertThatThrownBy(() -> TcpBackend.parse("localhost:4444")).hasMessageContaining("not a numeric IP");
        assertThatThrownBy(() -> TcpBackend.parse("::1:4444")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> TcpBackend.parse("127.0.0.1")).hasMessageContaining("address:port");
        assertThatThrownBy(() -> TcpBackend.parse("127.0.0.1:")).hasMessageContaining("not a port");
        assertThatThrownBy(() -> TcpBackend.parse("127.0.0.1:65536")).hasMessageContaining("above 65535");
        assertThatThrownBy(() -> TcpBackend.parse("127.0.0.1:-1")).hasMessageContaining("not a port");
        assertThatThrownBy(() -> TcpBackend.parse("[::1:4444")).hasMessageContaining("[IPv6-address]:port");
        assertThatThrownBy(() -> TcpBackend.parse(":4444")).hasMessageContaining("address:port");
    }

    @Test
    void aClientTalksToTheGuestAndASecondOneIsTurnedAway() throws Exception {
        try (FakePlatform p = new FakePlatform();
             TcpBackend tcp = TcpBackend.listen("127.0.0.1:0", m -> p.log("com2", m));
             Uart16550 uart = new Uart16550(p, "com2", BASE, 3, tcp)) {
            assertThat(uart.backend()).isSameAs(tcp);
            assertThat(tcp.localAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            p.outb(BASE, '-'); // no client yet: dropped, not queued for later
            try (Socket client = connect(tcp)) {
                awaitClient(tcp);
                client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertThat(readFromGuest(p, BASE, 5)).isEqualTo("hello");
                for (char c : "world\n".toCharArray()) p.outb(BASE, c);
                assertThat(readExactly(client.getInputStream(), 6)).isEqualTo("world\n");

                try (Socket second = connect(tcp)) {
                    String busy = new String(second.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(busy).isEqualTo("Socket already connected\n");
                }
            }
            // After the first client leaves, the next one is served.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (tcp.hasClient() && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(tcp.hasClient()).isFalse();
            try (Socket third = connect(tcp)) {
                awaitClient(tcp);
                p.outb(BASE, '3');
                assertThat(readExactly(third.getInputStream(), 1)).isEqualTo("3");
            }
        }
    }

    /**
     * A client that typed into a port the guest does not read, and left, gives way to the next client; it
     * was kept (its end of stream waited behind the unread bytes) and every later client was turned away.
     */
    @Test
    void aClientThatLeftWhileTheGuestReadNothingGivesWayToTheNext() throws Exception {
        try (FakePlatform p = new FakePlatform();
             TcpBackend tcp = TcpBackend.listen("127.0.0.1:0", m -> p.log("com2", m));
             Uart16550 uart = new Uart16550(p, "com2", BASE, 3, tcp)) {
            byte[] typed = new byte[100];
            java.util.Arrays.fill(typed, (byte) 'a');
            try (Socket first = connect(tcp)) {
                awaitClient(tcp);
                first.getOutputStream().write(typed); // one fits into RBR (no FIFO enabled); the guest reads none
            }
            // Before the second client comes, the first one's delivery has put that byte there (else the
            // second could take the port first, its input dropped with the rest, and the guest sees no 'a').
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((p.inb(BASE + 5) & 1) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
            assertThat(p.inb(BASE + 5) & 1).as("data ready: the first client's byte is in RBR").isEqualTo(1);
            Socket second = connectUntilAccepted(tcp);
            try (Socket taken = second) {
                second.getOutputStream().write("second".getBytes(StandardCharsets.US_ASCII));
                // What the UART already held stays there; the rest of the first client's input is dropped.
                assertThat(readFromGuest(p, BASE, 1 + 6)).isEqualTo("asecond");
            }
        }
    }

    /**
     * {@code echo text | nc -q0}: a client that sends and closes at once. A guest that reads later echoes
     * what it reads, as a tty does; the echo fails (the client is gone), and that must not throw away what
     * the client sent and the guest has not read yet.
     */
    @Test
    void whatAClientSentBeforeItClosedReachesAGuestThatEchoesWhileReading() throws Exception {
        try (FakePlatform p = new FakePlatform();
             TcpBackend tcp = TcpBackend.listen("127.0.0.1:0", m -> p.log("com2", m));
             Uart16550 uart = new Uart16550(p, "com2", BASE, 3, tcp)) {
            StringBuilder sent = new StringBuilder();
            for (int i = 0; i < 1000; i++) sent.append((char) ('a' + i % 26));
            try (Socket client = connect(tcp)) {
                awaitClient(tcp);
                client.getOutputStream().write(sent.toString().getBytes(StandardCharsets.US_ASCII));
            }
            StringBuilder got = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.length() < sent.length() && System.nanoTime() < deadline) {
                if ((p.inb(BASE + 5) & 1) != 0) {
                    int c = p.inb(BASE);
                    got.append((char) c);
                    p.outb(BASE, c); // the tty's echo, to a client that has gone
                } else {
                    Thread.sleep(1);
                }
            }
            assertThat(got).hasToString(sent.toString());
        }
    }

    /**
     * Once the next client has taken the port, the guest gets nothing more of what the client before sent:
     * also not the rest of what that client's delivery had already taken, while the guest keeps reading.
     */
    @Test
    void afterTheNextClientTookThePortTheOneBeforeDeliversNoMore() throws Exception {
        try (FakePlatform p = new FakePlatform();
             TcpBackend tcp = TcpBackend.listen("127.0.0.1:0", m -> p.log("com2", m));
             Uart16550 uart = new Uart16550(p, "com2", BASE, 3, tcp)) {
            byte[] typed = new byte[1000];
            java.util.Arrays.fill(typed, (byte) 'a');
            try (Socket first = connect(tcp)) {
                awaitClient(tcp);
                first.getOutputStream().write(typed);
            }
            // The guest reads a byte every 20 ms: slow, but never so slow that a wait for room runs out.
            int before = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (before < 5 && System.nanoTime() < deadline) {
                if ((p.inb(BASE + 5) & 1) != 0 && p.inb(BASE) == 'a') before++;
                Thread.sleep(20);
            }
            assertThat(before).as("the first client's bytes reach the guest").isEqualTo(5);
            // The guest writes '.' until a second client sees one: from then on the port is its. One turned away
            // (the port has not seen the first hang up yet) tries again.
            Socket second = null;
            while (second == null && System.nanoTime() < deadline) {
                Socket s = connect(tcp);
                InputStream fromGuest = s.getInputStream();
                int seen = -1;
                while (seen < 0 && System.nanoTime() < deadline) {
                    if ((p.inb(BASE + 5) & 1) != 0) p.inb(BASE);
                    p.outb(BASE, '.');
                    if (fromGuest.available() > 0) seen = fromGuest.read();
                    else Thread.sleep(20);
                }
                if (seen == '.') second = s;
                else s.close();
            }
            assertThat(second).as("a second client takes the port (the first hung up)").isNotNull();
            try (Socket taken = second) {
                int more = 0;
                for (int i = 0; i < 50; i++) {
                    if ((p.inb(BASE + 5) & 1) != 0 && p.inb(BASE) == 'a') more++;
                    Thread.sleep(20);
                }
                assertThat(more).as("bytes of the first client after the second took the port (one may sit in RBR)")
                        .isLessThanOrEqualTo(2);
            }
        }
    }

    /**
     * A client that sent more than is read ahead to a guest that reads nothing, and left: its end is not seen
     * (it waits behind the unread input), but a write to it fails, and then it gives way to the next client.
     */
    @Test
    void aClientAWriteToWhichFailedGivesWayToTheNext() throws Exception {
        try (FakePlatform p = new FakePlatform();
             TcpBackend tcp = TcpBackend.listen("127.0.0.1:0", m -> p.log("com2", m));
             Uart16550 uart = new Uart16550(p, "com2", BASE, 3, tcp)) {
            try (Socket first = connect(tcp)) {
                awaitClient(tcp);
                first.getOutputStream().write(new byte[2 * org.jbhyve.bhyve.device.ConsoleClient.READ_AHEAD]);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((p.inb(BASE + 5) & 1) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
            assertThat(p.inb(BASE + 5) & 1).as("data ready: the first client's byte is in RBR").isEqualTo(1);
            for (int i = 0; i < 5; i++) { // the first write may still go out; the peer's reset fails the next
                p.outb(BASE, 'x');
                assertThat(tcp.awaitDrained(5000)).isTrue();
                Thread.sleep(20);
            }
            try (Socket second = connectUntilAccepted(tcp)) {
                second.getOutputStream().write("second".getBytes(StandardCharsets.US_ASCII));
                assertThat(readFromGuest(p, BASE, 1 + 6)).as("what the UART held, then the second client's")
                        .isEqualTo("\0second");
            }
        }
    }

    /**
     * A client whose host vanished without a word (no FIN, no reset: a laptop closed, a link cut) gives way
     * once TCP keepalive times it out; before, it held the port for good while the guest wrote nothing. The
     * client runs in a network namespace of its own, over a veth pair, and then its address is removed:
     * the VMM's probes reach a host that neither answers nor resets. Keepalive is 1 s, 1 s, 2 probes here.
     * Needs root and ip(8), as CI has; skipped elsewhere.
     */
    @Test
    void aClientWhoseHostVanishedGivesWayOnceKeepaliveTimesItOut() throws Exception {
        long pid = ProcessHandle.current().pid();
        String ns = "jbk" + pid, host = "jbka" + pid % 100000, far = "jbkb" + pid % 100000;
        String net = "10.231." + pid % 250 + ".";
        Assumptions.assumeTrue(runs("ip", "netns", "add", ns), "needs root and ip(8) to make a network namespace");
        Process client = null;
        try {
            assertThat(runs("ip", "link", "add", host, "type", "veth", "peer", "name", far, "netns", ns)).isTrue();
            assertThat(runs("ip", "addr", "add", net + "1/30", "dev", host)).isTrue();
            assertThat(runs("ip", "link", "set", host, "up")).isTrue();
            assertThat(runs("ip", "netns", "exec", ns, "ip", "addr", "add", net + "2/30", "dev", far)).isTrue();
            assertThat(runs("ip", "netns", "exec", ns, "ip", "link", "set", far, "up")).isTrue();
            try (FakePlatform p = new FakePlatform();
                 TcpBackend tcp = TcpBackend.listen(net + "1:0", m -> p.log("com2", m),
                         new TcpBackend.Keepalive(1, 1, 2));
                 Uart16550 uart = new Uart16550(p, "com2", BASE, 3, tcp)) {
                client = new ProcessBuilder("ip", "netns", "exec", ns, "bash", "-c",
                        "exec 3<>/dev/tcp/" + net + "1/" + tcp.localAddress().getPort() + " && sleep 60")
                        .redirectErrorStream(true).start();
                awaitClient(tcp);
                assertThat(runs("ip", "netns", "exec", ns, "ip", "addr", "flush", "dev", far)).isTrue();
                try (Socket next = connectUntilAccepted(tcp)) {
                    next.getOutputStream().write("next".getBytes(StandardCharsets.US_ASCII));
                    assertThat(readFromGuest(p, BASE, 4)).isEqualTo("next");
                }
            }
        } finally {
            if (client != null) client.destroyForcibly().waitFor();
            runs("ip", "link", "del", host);
            runs("ip", "netns", "del", ns);
        }
    }

    private static boolean runs(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** Connects until a connection is not turned away (the port may not have noticed the last client leave yet). */
    private static Socket connectUntilAccepted(TcpBackend tcp) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Socket s = connect(tcp);
            s.setSoTimeout(1000);
            try {
                int b = s.getInputStream().read();
                s.close();
                assertThat(b).as("a turned-away client is told so").isEqualTo((int) 'S');
            } catch (java.net.SocketTimeoutException accepted) {
                s.setSoTimeout(5000);
                return s;
            }
            assertThat(System.nanoTime()).as("the next client is taken").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void closingReleasesThePort() throws Exception {
        int port;
        try (TcpBackend tcp = TcpBackend.listen("127.0.0.1:0", m -> { })) {
            port = tcp.localAddress().getPort();
        }
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void fromConfigReportsBadValuesAndBusyPortsAsConfigErrorsNamingTheKey() throws Exception {
        try (FakePlatform p = new FakePlatform(); ServerSocket taken = new ServerSocket(0, 1,
                InetAddress.getByName("127.0.0.1"))) {
            ConfigTree cfg = new ConfigTree();
            cfg.set("lpc.com1.path", "tcp=localhost:4444");
            assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("lpc.com1.path=tcp=localhost:4444")
                    .hasMessageContaining("numeric");
            cfg.set("lpc.com1.path", "tcp=127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("lpc.com1.path=tcp=127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("cannot listen");
            assertThat(p.io().find(0x3f8)).as("nothing registered on failure").isNull();

            cfg.set("lpc.com1.path", "tcp=127.0.0.1:0");
            try (Uart16550 uart = Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p)) {
                assertThat(uart.backend()).isInstanceOf(TcpBackend.class);
                assertThat(uart.name()).isEqualTo("com1");
            }
        }
    }

    private static Socket connect(TcpBackend tcp) throws IOException {
        Socket s = new Socket(tcp.localAddress().getAddress(), tcp.localAddress().getPort());
        s.setSoTimeout(5000);
        return s;
    }

    private static void awaitClient(TcpBackend tcp) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!tcp.hasClient() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(tcp.hasClient()).isTrue();
    }

    static String readFromGuest(FakePlatform p, int base, int n) throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sb.length() < n && System.nanoTime() < deadline) {
            if ((p.inb(base + 5) & 1) != 0) sb.append((char) p.inb(base));
            else Thread.sleep(1);
        }
        return sb.toString();
    }

    static String readExactly(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }
}
