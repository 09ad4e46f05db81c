package org.jbhyve.bhyve.devices.virtio;

import static org.jbhyve.bhyve.devices.virtio.Virtio.bit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.bhyve.devices.pci.PciAddress;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

/**
 * bhyve's {@code virtio-console}: a virtio console (type 3, PCI 1af4:1003, class simple
 * communications) with up to 16 ports, each bound to a UNIX socket the device listens on:
 * {@code -s N,virtio-console,NAME=/path/to/sock[,NAME2=/path2]} gives {@code port.0.name=NAME},
 * {@code port.0.path=/path/to/sock} and so on; a host program connects to the socket (one client
 * at a time) to talk to the guest's port. As a jbhyve extension a path naming an existing regular
 * file appends the port's output to it.
 *
 * <p>Like bhyve: 34 queues of 64 entries (receiveq/transmitq of port 0, the control pair, then the
 * pairs of ports 1-15), VIRTIO_CONSOLE_F_SIZE (80x25) and F_MULTIPORT offered (bhyve's capability
 * mask), max_nr_ports 16; F_EMERG_WRITE is offered as well (a byte written to emerg_wr goes to port
 * 0). With MULTIPORT the device announces every configured port when the driver says DEVICE_READY
 * (DEVICE_ADD, PORT_NAME) and reports a connected client with PORT_OPEN once the driver says the
 * port is ready; a client leaving is PORT_OPEN 0. Control messages wait (up to 256) for control
 * receive buffers instead of being dropped.
 *
 * <p>Guest output is copied out of the transmit ring on the notifying vCPU and queued to the port's
 * writer thread; without a client it is dropped, as in bhyve. Input from the client waits for
 * receive buffers (the client is flow-controlled, never dropped).
 */
public final class VirtioConsole extends VirtioPciDevice implements ConsolePort.Sink, AutoCloseable {
    public static final String EMULATION = "virtio-console";
    public static final int MAX_PORTS = 16;
    public static final int QUEUE_SIZE = 64;
    public static final int QUEUES = MAX_PORTS * 2 + 2;
    public static final int CONTROL_RX = 2, CONTROL_TX = 3;
    public static final int F_SIZE = 0, F_MULTIPORT = 1, F_EMERG_WRITE = 2;
    public static final int CONFIG_SIZE = 12;
    public static final int COLS = 80, ROWS = 25;
    // control events (virtio 1.2 section 5.3.6.2)
    public static final int DEVICE_READY = 0, DEVICE_ADD = 1, DEVICE_REMOVE = 2, PORT_READY = 3, CONSOLE_PORT = 4,
            RESIZE = 5, PORT_OPEN = 6, PORT_NAME = 7;
    private static final int CONTROL_BYTES = 8;
    private static final int MAX_PENDING_CONTROL = 256;
    private static final int CLASS_SIMPLE_COMM = 0x07;

    /** One configured port: host end and what the guest told about it. Guarded by lock(). */
    private static final class Port {
        final ConsolePort host;
        boolean portReady;
        boolean guestOpen;
        /** What the driver was last told with PORT_OPEN about the host end. */
        boolean hostOpenTold;
        boolean txBlocked;

        Port(ConsolePort host) {
            this.host = host;
        }
    }

    private final Port[] ports = new Port[MAX_PORTS];
    private final ArrayDeque<byte[]> pendingControl = new ArrayDeque<>();
    private boolean deviceReady;

    public static VirtioConsole create(ConfigTree config, String node, PciAddress address, Platform platform) {
        return new VirtioConsole(config, node, address, platform);
    }

    VirtioConsole(ConfigTree config, String node, PciAddress address, Platform platform) {
        super(EMULATION, address, platform, config,
                new Identity(Virtio.TYPE_CONSOLE, Virtio.LEGACY_ID_CONSOLE, CLASS_SIMPLE_COMM, 0),
                queueSizes(), bit(F_SIZE) | bit(F_MULTIPORT) | bit(F_EMERG_WRITE), CONFIG_SIZE);
        List<ConsolePort> opened = new ArrayList<>();
        try {
            for (String key : config.children(node + ".port")) {
                String portNode = node + ".port." + key;
                if (!config.isNode(portNode)) continue;
                int id;
                try {
                    id = Integer.decode(key);
                } catch (NumberFormatException e) {
                    id = -1;
                }
                if (id < 0 || id >= MAX_PORTS) {
                    throw new ConfigException(name() + ": invalid port " + key + " (ports are numbered 0 to " + (MAX_PORTS - 1) + ")");
                }
                String portName = config.get(portNode + ".name").orElseThrow(() -> new ConfigException(name()
                        + ": port " + key + " has no name (write NAME=/path/to/socket)"));
                String path = config.get(portNode + ".path").orElseThrow(() -> new ConfigException(name()
                        + ": port " + portName + " has no path (write " + portName + "=/path/to/socket)"));
                if (path.isEmpty()) throw new ConfigException(name() + ": port " + portName + " has an empty path");
                ConsolePort p = ConsolePort.open(id, portName, Path.of(path), this, name());
                opened.add(p);
                ports[id] = new Port(p);
            }
        } catch (RuntimeException e) {
            for (ConsolePort p : opened) p.close();
            throw e;
        }
        for (Port p : ports) if (p != null) p.host.start();
    }

    private static int[] queueSizes() {
        int[] s = new int[QUEUES];
        java.util.Arrays.fill(s, QUEUE_SIZE);
        return s;
    }

    /** The port's receiveq (device to driver) and transmitq (driver to device) indices. */
    static int receiveQueue(int port) {
        return port == 0 ? 0 : 2 * (port + 1);
    }

    static int transmitQueue(int port) {
        return receiveQueue(port) + 1;
    }

    private static int portOfQueue(int q) {
        return q < 2 ? 0 : q / 2 - 1;
    }

    private boolean multiport() {
        return negotiated(F_MULTIPORT);
    }

    /** Whether port {@code id} is usable by the driver (port 0 always; others only with MULTIPORT). */
    private boolean portActive(int id) {
        return ports[id] != null && (id == 0 || multiport());
    }

    @Override
    protected byte[] deviceConfig() {
        ByteBuffer b = ByteBuffer.allocate(CONFIG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) COLS);
        b.putShort(2, (short) ROWS);
        b.putInt(4, MAX_PORTS);
        b.putInt(8, 0); // emerg_wr reads as 0
        return b.array();
    }

    @Override
    protected void writeDeviceConfig(int offset, int size, long value) {
        if (offset == 8 && negotiated(F_EMERG_WRITE)) {
            Port p = ports[0];
            synchronized (lock()) {
                if (p != null && p.host.room() > 0) p.host.write(new byte[] {(byte) value});
            }
            return;
        }
        super.writeDeviceConfig(offset, size, value);
    }

    @Override
    protected void queueNotified(VirtQueue q) {
        int i = q.index();
        synchronized (lock()) {
            if (i == CONTROL_RX) {
                flushControl();
            } else if (i == CONTROL_TX) {
                drainControl(q);
            } else if (i % 2 == 0) {
                lock().notifyAll(); // receive buffers: wake readers waiting for them
            } else {
                drainTransmit(portOfQueue(i), q);
            }
        }
    }

    // ---------------------------------------------------------------- guest output

    /** Takes the port's output off its transmitq into the host queue. Holds the lock. */
    private void drainTransmit(int id, VirtQueue q) {
        Port p = ports[id];
        boolean active = p != null && portActive(id);
        do {
            notifications(q, false);
            DescriptorChain c;
            while ((c = take(q)) != null) {
                long n = c.readableBytes();
                if (!active || !p.host.connected() || n == 0) {
                    giveBack(q, c, 0); // nobody to send to: dropped, as in bhyve
                    continue;
                }
                if (n > ConsolePort.OUTPUT_CAPACITY) {
                    warnOnce("tx-too-big", "port " + id + ": a " + n + "-byte output buffer was cut to "
                            + ConsolePort.OUTPUT_CAPACITY + " bytes");
                    n = ConsolePort.OUTPUT_CAPACITY;
                }
                if (n > p.host.room()) {
                    putBack(q, c);
                    p.txBlocked = true; // the writer calls back when it made room
                    notifications(q, true);
                    interruptIfNeeded(q);
                    return;
                }
                byte[] data = new byte[(int) n];
                c.read(0, data, 0, (int) n);
                p.host.write(data);
                giveBack(q, c, 0);
            }
            interruptIfNeeded(q);
        } while (notifications(q, true));
    }

    @Override
    public void outputDrained(ConsolePort host) {
        try {
            synchronized (lock()) {
                Port p = ports[host.id()];
                if (p == null || !p.txBlocked || gone()) return;
                p.txBlocked = false;
                drainTransmit(host.id(), queue(transmitQueue(host.id())));
            }
        } catch (RuntimeException e) {
            if (!memoryGone(e)) throw e;
        }
    }

    // ---------------------------------------------------------------- guest input

    @Override
    public void input(ConsolePort host, byte[] data, int length, BooleanSupplier wanted) {
        try {
            deliver(host, data, length, wanted);
        } catch (RuntimeException e) {
            if (!memoryGone(e)) throw e;
        }
    }

    private void deliver(ConsolePort host, byte[] data, int length, BooleanSupplier wanted) {
        int id = host.id();
        VirtQueue q = queue(receiveQueue(id));
        int off = 0;
        synchronized (lock()) {
            while (off < length && wanted.getAsBoolean() && host.connected() && portActive(id) && !gone()) {
                DescriptorChain c = take(q);
                if (c == null) {
                    try {
                        TimeUnit.MILLISECONDS.timedWait(lock(), 100); // until the guest gives receive buffers
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    continue;
                }
                int n = (int) Math.min(c.writableBytes(), length - off);
                c.write(0, data, off, n);
                giveBack(q, c, n);
                off += n;
                interruptIfNeeded(q);
            }
        }
    }

    // ---------------------------------------------------------------- control queues

    @Override
    public void connected(ConsolePort host, boolean connected) {
        try {
            synchronized (lock()) {
                if (!gone()) tellHostState(host.id());
            }
        } catch (RuntimeException e) {
            if (!memoryGone(e)) throw e;
        }
    }

    /** Sends PORT_OPEN if the driver's idea of the host end is out of date. Holds the lock. */
    private void tellHostState(int id) {
        Port p = ports[id];
        if (p == null || !deviceReady || !p.portReady || !multiport()) return;
        boolean open = p.host.connected();
        if (open == p.hostOpenTold) return;
        p.hostOpenTold = open;
        control(id, PORT_OPEN, open ? 1 : 0, null);
    }

    /** Queues a control message for the driver (MULTIPORT only). Holds the lock. */
    private void control(int id, int event, int value, byte[] payload) {
        if (!multiport()) return;
        int extra = payload == null ? 0 : payload.length;
        ByteBuffer b = ByteBuffer.allocate(CONTROL_BYTES + extra).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(id).putShort((short) event).putShort((short) value);
        if (payload != null) b.put(payload);
        if (pendingControl.size() >= MAX_PENDING_CONTROL) {
            warnOnce("control-overflow", "the driver gives no control receive buffers; control messages dropped");
            pendingControl.poll();
        }
        pendingControl.add(b.array());
        flushControl();
    }

    private void flushControl() {
        VirtQueue q = queue(CONTROL_RX);
        boolean any = false;
        while (!pendingControl.isEmpty()) {
            DescriptorChain c = take(q);
            if (c == null) break;
            byte[] msg = pendingControl.poll();
            int n = (int) Math.min(c.writableBytes(), msg.length);
            c.write(0, msg, 0, n);
            giveBack(q, c, n);
            any = true;
        }
        if (any) interruptIfNeeded(q);
    }

    private void drainControl(VirtQueue q) {
        do {
            notifications(q, false);
            DescriptorChain c;
            while ((c = take(q)) != null) {
                if (c.readableBytes() >= CONTROL_BYTES) {
                    byte[] m = new byte[CONTROL_BYTES];
                    c.read(0, m, 0, CONTROL_BYTES);
                    ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
                    handleControl(b.getInt(0), b.getShort(4) & 0xffff, b.getShort(6) & 0xffff);
                } else {
                    warnOnce("control-short", "control message of " + c.readableBytes() + " bytes ignored (8 needed)");
                }
                giveBack(q, c, 0);
            }
            interruptIfNeeded(q);
        } while (notifications(q, true));
    }

    private void handleControl(int id, int event, int value) {
        switch (event) {
            case DEVICE_READY -> {
                if (value != 1) {
                    warnOnce("device-not-ready", "the driver failed to set up the console (DEVICE_READY 0)");
                    return;
                }
                deviceReady = true;
                for (int i = 0; i < MAX_PORTS; i++) {
                    if (ports[i] == null) continue;
                    control(i, DEVICE_ADD, 1, null);
                    control(i, PORT_NAME, 1, ports[i].host.name().getBytes(StandardCharsets.UTF_8));
                }
            }
            case PORT_READY -> {
                if (id < 0 || id >= MAX_PORTS || ports[id] == null) {
                    // One key for every such port: a key per guest value would grow the set of reported
                    // problems (and the log) by one entry for each of 2^32 port numbers.
                    warnOnce("port-ready-unknown", "PORT_READY for port " + Integer.toUnsignedString(id)
                            + ", which the device never added (further ones are not logged)");
                    return;
                }
                Port p = ports[id];
                p.portReady = value == 1;
                p.hostOpenTold = false;
                tellHostState(id);
            }
            case PORT_OPEN -> {
                if (id >= 0 && id < MAX_PORTS && ports[id] != null) ports[id].guestOpen = value == 1;
            }
            default -> warnOnce("control-event", "control event " + event + " from the driver ignored (further unknown"
                    + " events are not logged)");
        }
    }

    @Override
    protected void deviceReset() {
        deviceReady = false;
        pendingControl.clear();
        for (Port p : ports) {
            if (p == null) continue;
            p.portReady = false;
            p.guestOpen = false;
            p.hostOpenTold = false;
            p.txBlocked = false;
        }
        lock().notifyAll();
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * The device record: {@code device_ready}, {@code control} (queued control messages) and per
     * configured port {@code id}, {@code port_ready}, {@code guest_open}, {@code host_open_told} (what
     * the last PORT_OPEN said) and {@code output} (guest
     * output not yet written to the host; it is written after restore).
     */
    @Override
    protected StateRecord saveDeviceState() {
        List<StateRecord> ps = new ArrayList<>();
        for (Port p : ports) {
            if (p == null) continue;
            ps.add(StateRecord.builder()
                    .putU8("id", p.host.id())
                    .putBool("port_ready", p.portReady)
                    .putBool("guest_open", p.guestOpen)
                    .putBool("host_open_told", p.hostOpenTold)
                    .putBytes("output", p.host.pendingOutput())
                    .build());
        }
        List<StateRecord> ctl = new ArrayList<>();
        for (byte[] m : pendingControl) ctl.add(StateRecord.builder().putBytes("message", m).build());
        return StateRecord.builder()
                .putBool("device_ready", deviceReady)
                .putRecords("control", ctl)
                .putRecords("ports", ps)
                .build();
    }

    @Override
    protected ModelRestore prepareDeviceRestore(StateReader device, int version) throws SnapshotFormatException {
        boolean ready = device.bool("device_ready");
        List<StateReader> ctl = device.records("control");
        if (ctl.size() > MAX_PENDING_CONTROL) throw device.invalid("control", ctl.size() + " messages, at most " + MAX_PENDING_CONTROL);
        // The longest message the device queues is PORT_NAME with the longest configured name (no limit
        // on its length): whatever the save can hold, the restore takes.
        int longestName = 256;
        for (Port p : ports) if (p != null) longestName = Math.max(longestName, p.host.name().getBytes(StandardCharsets.UTF_8).length);
        List<byte[]> messages = new ArrayList<>();
        for (StateReader m : ctl) messages.add(m.bytesAtMost("message", CONTROL_BYTES + longestName, "a control message"));
        List<StateReader> ps = device.records("ports");
        boolean[] seen = new boolean[MAX_PORTS];
        boolean[] portReady = new boolean[MAX_PORTS], guestOpen = new boolean[MAX_PORTS], told = new boolean[MAX_PORTS];
        byte[][] output = new byte[MAX_PORTS][];
        for (StateReader p : ps) {
            int id = p.u8In("id", 0, MAX_PORTS - 1);
            if (ports[id] == null) throw p.invalid("id", "port " + id + " is not configured on this VM's " + name());
            if (seen[id]) throw p.invalid("id", "port " + id + " is listed twice");
            seen[id] = true;
            portReady[id] = p.bool("port_ready");
            guestOpen[id] = p.bool("guest_open");
            told[id] = p.bool("host_open_told", false);
            output[id] = p.bytesAtMost("output", ConsolePort.OUTPUT_CAPACITY, "a port's output queue");
        }
        for (int i = 0; i < MAX_PORTS; i++) {
            if (ports[i] != null && !seen[i]) throw device.invalid("ports", "port " + i + " of this VM's " + name() + " is missing");
        }
        return () -> {
            deviceReady = ready;
            pendingControl.clear();
            pendingControl.addAll(messages);
            for (int i = 0; i < MAX_PORTS; i++) {
                if (ports[i] == null) continue;
                ports[i].portReady = portReady[i];
                ports[i].guestOpen = guestOpen[i];
                ports[i].hostOpenTold = told[i];
                ports[i].txBlocked = false;
                ports[i].host.write(output[i]);
            }
        };
    }

    /** After a restore the host side may differ: tell the driver whether each port has a client now. */
    @Override
    public void resume() {
        super.resume();
        synchronized (lock()) {
            for (int i = 0; i < MAX_PORTS; i++) tellHostState(i);
        }
    }

    /** Whether port {@code id} has a client (or is a file). */
    boolean portConnected(int id) {
        return ports[id] != null && ports[id].host.connected();
    }

    /** The path of port {@code id}'s socket or file, or null. */
    public Path portPath(int id) {
        return ports[id] == null ? null : ports[id].host.path();
    }

    @Override
    protected void vmGone() {
        close();
    }

    @Override
    public void close() {
        for (Port p : ports) if (p != null) p.host.close();
    }
}
