package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.virtio.Virtio.*;
import static org.jbhyve.bhyve.devices.virtio.VirtioConsole.*;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jbhyve.bhyve.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virtio-console with port 0 on a UNIX socket (bhyve's {@code port1=/path}): guest output reaches the
 * connected client, client input reaches the guest's receive buffers, output without a client is
 * dropped, the MULTIPORT control protocol announces the port and its client, and a regular file as
 * the path collects the output.
 */
class VirtioConsoleTest {
    private static final long OUT = 0x400000, IN = 0x410000, CTL_IN = 0x420000, CTL_OUT = 0x430000;

    @TempDir
    Path dir;

    private VirtioHarness console(Path path) {
        return new VirtioHarness(VirtioHarness.config(EMULATION, VirtioHarness.NODE + ".port.0.name", "port1",
                VirtioHarness.NODE + ".port.0.path", path.toString()), (c, n, a, p) -> VirtioConsole.create(c, n, a, p));
    }

    private static GuestRing queue(VirtioHarness h, int q, long pfn) {
        h.lout(LEGACY_QUEUE_SEL, 2, q);
        GuestRing r = GuestRing.legacy(h.memory(), pfn, QUEUE_SIZE);
        h.lout(LEGACY_QUEUE_PFN, 4, (int) pfn);
        return r;
    }

    /** Legacy bring-up with {@code features}; rings for port 0 (and the control pair with MULTIPORT). */
    private static GuestRing[] bringUp(VirtioHarness h, int features) {
        h.lout(LEGACY_STATUS, 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        h.lout(LEGACY_GUEST_FEATURES, 4, features);
        GuestRing[] r = new GuestRing[4];
        r[0] = queue(h, 0, 0x100);
        r[1] = queue(h, 1, 0x110);
        if ((features & (1 << F_MULTIPORT)) != 0) {
            r[2] = queue(h, 2, 0x120);
            r[3] = queue(h, 3, 0x130);
        }
        h.lout(LEGACY_STATUS, 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
        return r;
    }

    private static void send(VirtioHarness h, GuestRing tx, int q, byte[] data, int slot) {
        h.memory().write(OUT + 0x100L * slot, data);
        tx.desc(slot, OUT + 0x100L * slot, data.length, 0, 0);
        tx.offer(slot);
        h.lout(LEGACY_QUEUE_NOTIFY, 2, q);
    }

    private static String readLine(SocketChannel c) throws Exception {
        StringBuilder sb = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(1);
        while (true) {
            b.clear();
            if (c.read(b) < 0) throw new AssertionError("closed after " + sb);
            char ch = (char) b.get(0);
            if (ch == '\n') return sb.toString();
            sb.append(ch);
        }
    }

    private static SocketChannel connect(VirtioHarness h, Path sock) throws Exception {
        SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock));
        assertThat(VirtioHarness.await(() -> ((VirtioConsole) h.dev).portConnected(0), 5000)).isTrue();
        return c;
    }

    @Test
    void guestOutputReachesTheSocketClientAndClientInputReachesTheGuest() throws Exception {
        Path sock = dir.resolve("con.sock");
        try (VirtioHarness h = console(sock)) {
            assertThat(h.cfgRead(org.jbhyve.bhyve.devices.pci.PciRegisters.DEVICE, 2)).isEqualTo(0x1003);
            assertThat(Files.exists(sock)).isTrue();
            GuestRing[] r = bringUp(h, 0);
            try (SocketChannel client = connect(h, sock)) {
                send(h, r[1], 1, "hello from the guest\n".getBytes(StandardCharsets.US_ASCII), 0);
                assertThat(readLine(client)).isEqualTo("hello from the guest");
                assertThat(r[1].usedIdx()).isEqualTo(1);
                assertThat(r[1].usedLength(0)).isZero();

                r[0].desc(0, IN, 64, DESC_F_WRITE, 0);
                r[0].offer(0);
                h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
                client.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)));
                assertThat(VirtioHarness.await(() -> r[0].usedIdx() == 1, 5000)).isTrue();
                assertThat(r[0].usedLength(0)).isEqualTo(5);
                byte[] got = new byte[5];
                h.memory().read(IN, got, 0, 5);
                assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("ping\n");
                assertThat(h.intx().raises()).isPositive();

                // A second client is turned away while the first is connected.
                try (SocketChannel second = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                    assertThat(second.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                }
            }
        }
        assertThat(Files.exists(sock)).as("the socket is removed on close").isFalse();
    }

    /**
     * A client that wrote into a port the guest gives no receive buffers for, and left, gives way to the
     * next client; it was kept (its end of stream waited behind the unread bytes) and every later client
     * was closed at once. What it sent goes with it.
     */
    @Test
    void aClientThatLeftWhileTheGuestReadNothingGivesWayToTheNext() throws Exception {
        Path sock = dir.resolve("con.sock");
        try (VirtioHarness h = console(sock)) {
            GuestRing[] r = bringUp(h, 0);
            try (SocketChannel first = connect(h, sock)) {
                first.write(ByteBuffer.wrap("from the first client\n".getBytes(StandardCharsets.US_ASCII)));
            }
            try (SocketChannel second = connectUntilAccepted(sock)) {
                assertTheGuestGetsOnly(h, r[0], second, "second\n");
            }
        }
    }

    /**
     * A client that writes and closes at once: what it sent reaches a guest that reads only later, also when
     * the guest writes to the port in between (a tty's echo, a prompt) and that write fails.
     */
    @Test
    void whatAClientSentBeforeItClosedSurvivesAFailedWriteToIt() throws Exception {
        Path sock = dir.resolve("con.sock");
        try (VirtioHarness h = console(sock)) {
            GuestRing[] r = bringUp(h, 0);
            try (SocketChannel client = connect(h, sock)) {
                client.write(ByteBuffer.wrap("typed\n".getBytes(StandardCharsets.US_ASCII)));
            }
            send(h, r[1], 1, "login: ".getBytes(StandardCharsets.US_ASCII), 0);
            assertThat(VirtioHarness.await(() -> r[1].usedIdx() == 1, 5000)).isTrue();
            Thread.sleep(500); // the port's writer tries the closed socket
            r[0].desc(0, IN, 64, DESC_F_WRITE, 0);
            r[0].offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(VirtioHarness.await(() -> r[0].usedIdx() == 1, 5000)).isTrue();
            byte[] got = new byte[r[0].usedLength(0)];
            h.memory().read(IN, got, 0, got.length);
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("typed\n");
            assertThat(VirtioHarness.await(() -> !((VirtioConsole) h.dev).portConnected(0), 5000))
                    .as("the client is gone once the guest took what it sent").isTrue();
        }
    }

    /**
     * A client that sent more than is read ahead to a guest that gives no receive buffers, and left: its end
     * is not seen (it waits behind the unread input), but a write to it fails, and then it gives way.
     */
    @Test
    void aClientAWriteToWhichFailedGivesWayToTheNext() throws Exception {
        Path sock = dir.resolve("con.sock");
        try (VirtioHarness h = console(sock)) {
            GuestRing[] r = bringUp(h, 0);
            try (SocketChannel first = connect(h, sock)) {
                first.write(ByteBuffer.wrap(new byte[org.jbhyve.bhyve.device.ConsoleClient.READ_AHEAD + 16 * 1024]));
            }
            send(h, r[1], 1, "login: ".getBytes(StandardCharsets.US_ASCII), 0);
            assertThat(VirtioHarness.await(() -> r[1].usedIdx() == 1, 5000)).isTrue();
            try (SocketChannel second = connectUntilAccepted(sock)) {
                assertTheGuestGetsOnly(h, r[0], second, "second\n");
            }
        }
    }

    /** Offers one receive buffer, has {@code client} send {@code text}, and checks that the guest gets it alone. */
    private static void assertTheGuestGetsOnly(VirtioHarness h, GuestRing rx, SocketChannel client, String text)
            throws Exception {
        rx.desc(0, IN, 64, DESC_F_WRITE, 0);
        rx.offer(0);
        h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
        client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        assertThat(VirtioHarness.await(() -> rx.usedIdx() == 1, 5000)).isTrue();
        byte[] got = new byte[rx.usedLength(0)];
        h.memory().read(IN, got, 0, got.length);
        assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    /** Connects until a connection is not closed at once (the port may not have noticed the last client leave). */
    private static SocketChannel connectUntilAccepted(Path sock) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock));
            c.configureBlocking(false);
            try (java.nio.channels.Selector s = java.nio.channels.Selector.open()) {
                c.register(s, java.nio.channels.SelectionKey.OP_READ);
                if (s.select(1000) == 0) { // nothing to read and not closed: taken
                    s.selectedKeys().clear();
                    c.keyFor(s).cancel();
                    s.selectNow();
                    c.configureBlocking(true);
                    return c;
                }
            }
            assertThat(c.read(ByteBuffer.allocate(1))).as("a turned-away client is closed").isEqualTo(-1);
            c.close();
            assertThat(System.nanoTime()).as("the next client is taken").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void outputWithoutAClientIsDropped() throws Exception {
        try (VirtioHarness h = console(dir.resolve("con.sock"))) {
            GuestRing[] r = bringUp(h, 0);
            send(h, r[1], 1, "nobody listens\n".getBytes(StandardCharsets.US_ASCII), 0);
            assertThat(r[1].usedIdx()).isEqualTo(1);
        }
    }

    private static List<int[]> controlMessages(VirtioHarness h, GuestRing rx, int from, int to) {
        List<int[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int slot = rx.usedId(i);
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            byte[] raw = new byte[8];
            h.memory().read(CTL_IN + 0x100L * slot, raw, 0, 8);
            b.put(raw).flip();
            out.add(new int[] {b.getInt(0), b.getShort(4), b.getShort(6), rx.usedLength(i)});
        }
        return out;
    }

    private static void control(VirtioHarness h, GuestRing tx, int slot, int id, int event, int value) {
        byte[] m = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(id).putShort((short) event)
                .putShort((short) value).array();
        h.memory().write(CTL_OUT + 0x100L * slot, m);
        tx.desc(slot, CTL_OUT + 0x100L * slot, 8, 0, 0);
        tx.offer(slot);
        h.lout(LEGACY_QUEUE_NOTIFY, 2, CONTROL_TX);
    }

    @Test
    void multiportAnnouncesThePortItsNameAndItsClient() throws Exception {
        Path sock = dir.resolve("con.sock");
        try (VirtioHarness h = console(sock)) {
            assertThat(h.lin(LEGACY_HOST_FEATURES, 4) & 7).isEqualTo(7);
            GuestRing[] r = bringUp(h, 1 << F_MULTIPORT);
            for (int i = 0; i < 8; i++) {
                r[2].desc(i, CTL_IN + 0x100L * i, 0x100, DESC_F_WRITE, 0);
                r[2].offer(i);
            }
            h.lout(LEGACY_QUEUE_NOTIFY, 2, CONTROL_RX);
            control(h, r[3], 0, 0, DEVICE_READY, 1);
            assertThat(r[2].usedIdx()).isEqualTo(2);
            List<int[]> msgs = controlMessages(h, r[2], 0, 2);
            assertThat(msgs.get(0)).containsExactly(0, DEVICE_ADD, 1, 8);
            assertThat(msgs.get(1)).containsExactly(0, PORT_NAME, 1, 8 + 5);
            byte[] name = new byte[5];
            h.memory().read(CTL_IN + 0x100L * r[2].usedId(1) + 8, name, 0, 5);
            assertThat(new String(name, StandardCharsets.US_ASCII)).isEqualTo("port1");

            control(h, r[3], 1, 0, PORT_READY, 1);
            assertThat(r[2].usedIdx()).as("no client yet: no PORT_OPEN").isEqualTo(2);
            try (SocketChannel client = connect(h, sock)) {
                assertThat(VirtioHarness.await(() -> r[2].usedIdx() == 3, 5000)).isTrue();
                assertThat(controlMessages(h, r[2], 2, 3).getFirst()).containsExactly(0, PORT_OPEN, 1, 8);
            }
            assertThat(VirtioHarness.await(() -> r[2].usedIdx() == 4, 5000)).isTrue();
            assertThat(controlMessages(h, r[2], 3, 4).getFirst()).containsExactly(0, PORT_OPEN, 0, 8);
        }
    }

    /**
     * A client that takes the port from one that hung up (with input the guest never read) is a new session
     * to the guest: PORT_OPEN 0 for the one before, then PORT_OPEN 1, as if it had been seen leaving at once.
     */
    @Test
    void aTakeoverTellsTheGuestTheClientBeforeLeftAndANewOneCame() throws Exception {
        Path sock = dir.resolve("con.sock");
        try (VirtioHarness h = console(sock)) {
            GuestRing[] r = bringUp(h, 1 << F_MULTIPORT);
            for (int i = 0; i < 8; i++) {
                r[2].desc(i, CTL_IN + 0x100L * i, 0x100, DESC_F_WRITE, 0);
                r[2].offer(i);
            }
            h.lout(LEGACY_QUEUE_NOTIFY, 2, CONTROL_RX);
            control(h, r[3], 0, 0, DEVICE_READY, 1);
            control(h, r[3], 1, 0, PORT_READY, 1);
            assertThat(r[2].usedIdx()).as("DEVICE_ADD, PORT_NAME").isEqualTo(2);
            try (SocketChannel first = connect(h, sock)) {
                assertThat(VirtioHarness.await(() -> r[2].usedIdx() == 3, 5000)).isTrue();
                first.write(ByteBuffer.wrap("unread\n".getBytes(StandardCharsets.US_ASCII))); // no receive buffers
            }
            try (SocketChannel second = connectUntilAccepted(sock)) {
                assertThat(VirtioHarness.await(() -> r[2].usedIdx() == 5, 5000)).isTrue();
                List<int[]> msgs = controlMessages(h, r[2], 2, 5);
                assertThat(msgs.get(0)).containsExactly(0, PORT_OPEN, 1, 8);
                assertThat(msgs.get(1)).as("the client before left").containsExactly(0, PORT_OPEN, 0, 8);
                assertThat(msgs.get(2)).as("a new one came").containsExactly(0, PORT_OPEN, 1, 8);
            }
        }
    }

    /**
     * Every control message naming a port the device never added, or an unknown event, is the guest's
     * word only: the device logs one line per kind, not one per distinct guest value. Keyed by the value,
     * each of the 2^32 port numbers added a log line and an entry to the device's set of reported
     * problems, which only grows: host memory and log the guest could fill at will.
     */
    @Test
    void bogusControlMessagesAreLoggedOncePerKindNotOncePerValue() throws Exception {
        Path sock = dir.resolve("con.sock");
        try (VirtioHarness h = console(sock)) {
            GuestRing[] r = bringUp(h, 1 << F_MULTIPORT);
            for (int i = 0; i < 200; i++) {
                control(h, r[3], i % QUEUE_SIZE, 1000 + i, PORT_READY, 1);
                control(h, r[3], (i + 1) % QUEUE_SIZE, 0, 100 + i, 0);
            }
            assertThat(r[3].usedIdx()).isEqualTo(400);
            assertThat(h.logs().stream().filter(l -> l.contains("PORT_READY for port"))).hasSize(1);
            assertThat(h.logs().stream().filter(l -> l.contains("from the driver ignored"))).hasSize(1);
        }
    }

    @Test
    void whenTheVmsMemoryIsGoneTheDeviceReleasesItsSocket() throws Exception {
        Path sock = dir.resolve("con.sock");
        VirtioHarness h = console(sock);
        GuestRing[] r = bringUp(h, 1 << F_MULTIPORT);
        r[2].desc(0, CTL_IN, 0x100, DESC_F_WRITE, 0);
        r[2].offer(0);
        control(h, r[3], 0, 0, DEVICE_READY, 1);
        control(h, r[3], 1, 0, PORT_READY, 1);
        h.platform.close(); // the VM ended; VmRuntime does not close PCI devices
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            // Telling the driver about the client touches the ring: the device notices and shuts down.
            assertThat(VirtioHarness.await(() -> !Files.exists(sock), 5000)).isTrue();
            assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void snapshotKeepsTheControlStateAndUnsentOutput() throws Exception {
        Path sock = dir.resolve("con.sock");
        org.jbhyve.snapshot.format.StateRecord saved;
        try (VirtioHarness h = console(sock)) {
            GuestRing[] r = bringUp(h, 1 << F_MULTIPORT);
            control(h, r[3], 0, 0, DEVICE_READY, 1); // no control buffers: DEVICE_ADD and PORT_NAME wait
            h.dev.pause();
            saved = h.dev.saveState();
        }
        org.jbhyve.snapshot.format.StateRecord device = saved.record("model").record("device");
        assertThat(device.bool("device_ready")).isTrue();
        assertThat(device.records("control")).hasSize(2);
        try (VirtioHarness h = console(sock)) {
            h.dev.pause();
            h.dev.restoreState(saved, h.dev.stateVersion());
            GuestRing crx = GuestRing.legacy(h.memory(), 0x120, QUEUE_SIZE); // restored ring, same RAM layout
            for (int i = 0; i < 2; i++) {
                crx.desc(i, CTL_IN + 0x100L * i, 0x100, DESC_F_WRITE, 0);
                crx.offer(i);
            }
            h.dev.resume();
            assertThat(crx.usedIdx()).as("the waiting control messages go out once buffers come").isEqualTo(2);
        }
    }

    /**
     * A driver that says DEVICE_READY and gives no control receive buffers leaves PORT_NAME queued, with
     * the port's name in it, however long the configured name is: a snapshot then holds it, and the
     * restore must take back what the save wrote (a cap of 256 name bytes refused it: a lost VM).
     */
    @Test
    void aQueuedPortNameOfAnyConfiguredLengthRestores() throws Exception {
        Path sock = dir.resolve("con.sock");
        String name = "p".repeat(300);
        VirtioHarness.Factory f = (c, n, a, p) -> VirtioConsole.create(c, n, a, p);
        org.jbhyve.snapshot.format.StateRecord saved;
        try (VirtioHarness h = new VirtioHarness(VirtioHarness.config(EMULATION, VirtioHarness.NODE + ".port.0.name", name,
                VirtioHarness.NODE + ".port.0.path", sock.toString()), f)) {
            GuestRing[] r = bringUp(h, 1 << F_MULTIPORT);
            control(h, r[3], 0, 0, DEVICE_READY, 1);
            h.dev.pause();
            saved = h.dev.saveState();
        }
        try (VirtioHarness h = new VirtioHarness(VirtioHarness.config(EMULATION, VirtioHarness.NODE + ".port.0.name", name,
                VirtioHarness.NODE + ".port.0.path", sock.toString()), f)) {
            h.dev.pause();
            h.dev.restoreState(org.jbhyve.snapshot.format.StateRecord.decode(saved.encode()), h.dev.stateVersion());
            assertThat(h.dev.saveState()).isEqualTo(saved);
        }
    }

    @Test
    void anExistingRegularFileCollectsTheOutput() throws Exception {
        Path log = dir.resolve("console.log");
        Files.writeString(log, "before\n");
        try (VirtioHarness h = console(log)) {
            GuestRing[] r = bringUp(h, 0);
            send(h, r[1], 1, "from the guest\n".getBytes(StandardCharsets.US_ASCII), 0);
            assertThat(VirtioHarness.await(() -> {
                try {
                    return Files.readString(log).equals("before\nfrom the guest\n");
                } catch (java.io.IOException e) {
                    return false;
                }
            }, 5000)).isTrue();
        }
    }

    @Test
    void socketPathsInUseOrOfTheWrongKindAreRefusedAndStaleOnesReplaced() throws Exception {
        Path sock = dir.resolve("busy.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(sock));
            assertThatThrownBy(() -> console(sock)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("another process listens on");
        }
        // `other` is closed but its socket file stays behind: a stale socket, replaced.
        assertThat(Files.exists(sock)).isTrue();
        try (VirtioHarness h = console(sock)) {
            assertThat(((VirtioConsole) h.dev).portPath(0)).isEqualTo(sock);
        }
        assertThatThrownBy(() -> console(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a socket or regular file");
        assertThatThrownBy(() -> new VirtioHarness(VirtioHarness.config(EMULATION, VirtioHarness.NODE + ".port.16.name",
                "x", VirtioHarness.NODE + ".port.16.path", dir.resolve("x").toString()), VirtioConsole::create))
                .isInstanceOf(ConfigException.class).hasMessageContaining("invalid port 16");
    }

    /**
     * A FIFO or a device node at a port's path is refused and left where it is: it used to be taken for a
     * stale socket (nothing accepts a connection there), deleted and replaced by the port's socket, so
     * {@code port1=/dev/null} would have removed the host's /dev/null.
     */
    @Test
    void aFifoOrDeviceNodeAtThePortsPathIsRefusedNotDeleted() throws Exception {
        Path fifo = dir.resolve("con.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> console(fifo)).isInstanceOf(ConfigException.class)
                .hasMessage("virtio-console@pci.0.3.0: port port1: " + fifo + " already exists and is a FIFO, not a socket"
                        + " or regular file (give an unused path for the socket)");
        assertThat(Files.getAttribute(fifo, "unix:mode") instanceof Integer m && (m & 0170000) == 0010000).isTrue();

        Path node = dir.resolve("null");
        Process mknod = new ProcessBuilder("mknod", node.toString(), "c", "1", "3").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod needs root (CAP_MKNOD)");
        assertThatThrownBy(() -> console(node)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(node + " already exists and is a character device, not a socket or regular file");
        assertThat(Files.getAttribute(node, "unix:mode") instanceof Integer m && (m & 0170000) == 0020000).isTrue();
    }
}
