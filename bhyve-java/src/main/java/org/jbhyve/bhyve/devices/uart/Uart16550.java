package org.jbhyve.bhyve.devices.uart;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * An NS16550A UART as found at COM1-COM4 on a PC: eight byte registers at {@code port..port+7}
 * and one ISA interrupt line.
 *
 * <p>What is modelled: RBR/THR, IER, IIR with the 16550 priority order (line status, then
 * received data or FIFO timeout, then THR empty, then modem status), FCR (FIFO enable, receiver
 * and transmitter reset, DMA mode bit, receive trigger level 1/4/8/14), LCR with DLAB selecting
 * DLL/DLM, MCR with loopback (TX wired to RX, DTR/RTS/OUT1/OUT2 wired to DSR/CTS/RI/DCD), LSR
 * (DR, OE, THRE, TEMT), MSR with delta bits, and SCR.
 *
 * <p>Modelling choices, and why:
 * <ul>
 * <li>The transmitter is infinitely fast: a byte written to THR goes straight to the backend's
 *     queue, so THR and the transmit FIFO are always empty (THRE and TEMT always read 1) and the
 *     THR-empty interrupt, cleared by the write, is immediately due again. bhyve does the same.
 *     Host-side backpressure is the backend's business; it drops rather than block a vCPU.</li>
 * <li>Below the trigger level, received data is reported as a character timeout at once (there
 *     is no character clock to wait four character times on); at or above it, as data
 *     available. With the FIFO disabled it is always data available.</li>
 * <li>The interrupt output is a level, as a 16550's INTR pin is (high while an enabled interrupt
 *     is pending, low otherwise); the ISA IRQ it drives is edge-triggered at the interrupt
 *     controller, so the guest is interrupted when it rises. (bhyve instead pulses the IRQ each time
 *     its UART finds an interrupt pending, and never lowers it.) The line is gated as on PC
 *     hardware: it reaches the interrupt controller only while MCR.OUT2 is set, and never in
 *     loopback mode, where the chip forces its OUT2 pin inactive. Two COM ports on one IRQ share it
 *     wired-OR (SharedInterruptLine).</li>
 * <li>When not in loopback the modem inputs read DCD and DSR set, so a guest's tty open never
 *     waits for carrier (bhyve does the same).</li>
 * </ul>
 *
 * <p>Every register access comes from the guest and is taken at face value only after masking to
 * the register's width; wider accesses are split into byte accesses of consecutive registers, and
 * bytes past the eighth register read as all ones and ignore writes.
 *
 * <p>Saved state (chunk {@code dev.com1} .. {@code dev.com4}, named after the config node the port
 * was built from; version 1) is every guest-visible register and latch: {@code ier lcr mcr fcr scr
 * dll dlm msr lsr iir} (u8; {@code lsr} and {@code iir} are what a guest read would return, kept
 * for inspection and checked against the other fields on restore), {@code rbr} (u8, the last
 * character read, which RBR keeps showing), {@code rx_fifo} (bytes, oldest first), {@code tx_fifo}
 * (bytes; always empty here, since the transmitter is infinitely fast; bytes found there on restore
 * are sent at once, as this model's transmitter would have), {@code overrun} and
 * {@code thre_pending} (bool) and {@code irq_level} (bool, the line level the device drives).
 * The host side (a connected TCP client, the tty) is not guest state and is not saved: the
 * restored UART talks to whatever backend the new VM was configured with.
 */
public final class Uart16550 implements IoHandler, Lifecycle, Snapshottable, AutoCloseable {
    /** Number of I/O ports the UART decodes. */
    public static final int PORT_COUNT = 8;
    /** Receive FIFO depth with FCR.FIFO_ENABLE set; without it the "FIFO" is the one RBR. */
    public static final int FIFO_SIZE = 16;

    // Register offsets.
    static final int REG_DATA = 0, REG_IER = 1, REG_IIR_FCR = 2, REG_LCR = 3, REG_MCR = 4, REG_LSR = 5,
            REG_MSR = 6, REG_SCR = 7;

    // IER bits.
    static final int IER_RX_DATA = 0x01, IER_THR_EMPTY = 0x02, IER_LINE_STATUS = 0x04, IER_MODEM_STATUS = 0x08;

    // IIR values.
    static final int IIR_NONE = 0x01, IIR_MODEM_STATUS = 0x00, IIR_THR_EMPTY = 0x02, IIR_RX_DATA = 0x04,
            IIR_LINE_STATUS = 0x06, IIR_RX_TIMEOUT = 0x0c, IIR_FIFOS_ENABLED = 0xc0;

    // FCR bits.
    static final int FCR_ENABLE = 0x01, FCR_RX_RESET = 0x02, FCR_TX_RESET = 0x04, FCR_DMA_MODE = 0x08,
            FCR_TRIGGER = 0xc0;

    static final int LCR_DLAB = 0x80;

    // MCR bits.
    static final int MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOPBACK = 0x10;

    // LSR bits.
    static final int LSR_DATA_READY = 0x01, LSR_OVERRUN = 0x02, LSR_THR_EMPTY = 0x20, LSR_TX_EMPTY = 0x40;

    // MSR bits.
    static final int MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08, MSR_CTS = 0x10,
            MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80, MSR_DELTAS = 0x0f;

    /** 1.8432 MHz crystal / 16 / 9600 baud: the divisor a PC BIOS leaves behind. */
    static final int DEFAULT_DIVISOR = 1_843_200 / 16 / 9600;

    private final String name;
    private final int base;
    private final InterruptLine line;
    private final SerialBackend backend;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever room may have appeared for host input (see {@link SerialBackend.Receiver}). */
    private final Condition roomForInput = lock.newCondition();

    // Registers, all guarded by lock.
    private int ier, lcr, mcr, fcr, scr, dll, dlm;
    private int msr;
    private boolean overrun;
    private boolean thrEmptyInterruptPending;
    private int rbrLatch;
    private final byte[] rxFifo = new byte[FIFO_SIZE];
    private int rxHead, rxCount;

    private boolean lineAsserted;
    private boolean paused;

    /**
     * Creates the UART, claims {@code port..port+7} on the platform's I/O bus and starts the
     * backend. {@code name} labels diagnostics (e.g. {@code com1}).
     */
    public Uart16550(Platform platform, String name, int port, int irq, SerialBackend backend) {
        this.name = name;
        this.base = port;
        this.line = platform.irq(irq);
        this.backend = backend;
        resetRegisters();
        platform.io().register(port, PORT_COUNT, name, this);
        backend.start(new BackendReceiver());
    }

    /**
     * Creates the UART bhyve's {@code -l comN[,path]} asks for, from {@code <node>.path}:
     * unset: no host side (output dropped); {@code stdio}: the process's terminal; {@code
     * tcp=HOST:PORT} or {@code tcp=[IPv6]:PORT}: a TCP listener bound exactly there that serves one
     * client at a time; anything else: a path, opened read/write if it is a tty or other device
     * ({@code /dev/nmdm0A}, a pty) and write-only (appending) if it is a regular file.
     *
     * @param node the config node, e.g. {@code lpc.com1}
     * @throws ConfigException naming the key, the value and the fix when the backend cannot be set up
     */
    public static Uart16550 fromConfig(ConfigTree cfg, String node, int port, int irq, Platform platform) {
        String key = node + ".path";
        String device = node.substring(node.lastIndexOf('.') + 1);
        Consumer<String> log = message -> platform.log(device, message);
        Optional<String> path = cfg.get(key);
        SerialBackend backend = path.isPresent() ? openBackend(key, path.get(), log) : SerialBackend.NONE;
        try {
            return new Uart16550(platform, device, port, irq, backend);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static SerialBackend openBackend(String key, String value, Consumer<String> log) {
        if (value.isEmpty()) {
            throw new ConfigException(key + " is empty: give stdio, tcp=HOST:PORT or a device or file path");
        }
        if (value.equals("stdio")) {
            try {
                return StdioBackend.open(log);
            } catch (IllegalStateException e) {
                throw new ConfigException(key + "=stdio: " + e.getMessage()
                        + " (only one serial port can use stdio; give the others a path or tcp=HOST:PORT)");
            }
        }
        if (value.startsWith("tcp=")) {
            try {
                return TcpBackend.listen(value.substring("tcp=".length()), log);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + "=" + value + ": " + e.getMessage()
                        + " (write tcp=IPv4:PORT or tcp=[IPv6]:PORT with a numeric address)");
            } catch (IOException e) {
                throw new ConfigException(key + "=" + value + ": cannot listen: " + describe(e)
                        + " (pick a free port on an address of this host)");
            }
        }
        try {
            return PathBackend.open(Path.of(value), log);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(key + "=" + value + ": " + describe(e)
                    + " (give an existing tty or nmdm(4) device, a file to log to with its directory, stdio or"
                    + " tcp=HOST:PORT)");
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    public String name() { return name; }

    public SerialBackend backend() { return backend; }

    // ---- guest register access ----

    @Override
    public int in(int port, int size) {
        int value = 0;
        lock.lock();
        try {
            for (int i = 0; i < size; i++) {
                int offset = port - base + i;
                int b = offset >= 0 && offset < PORT_COUNT ? readRegister(offset) : 0xff;
                value |= b << (8 * i);
            }
            updateLine();
        } finally {
            lock.unlock();
        }
        return value;
    }

    @Override
    public void out(int port, int size, int value) {
        lock.lock();
        try {
            for (int i = 0; i < size; i++) {
                int offset = port - base + i;
                if (offset >= 0 && offset < PORT_COUNT) writeRegister(offset, (value >>> (8 * i)) & 0xff);
            }
            updateLine();
        } finally {
            lock.unlock();
        }
    }

    private int readRegister(int offset) {
        if ((lcr & LCR_DLAB) != 0) {
            if (offset == REG_DATA) return dll;
            if (offset == REG_IER) return dlm;
        }
        return switch (offset) {
            case REG_DATA -> readReceiveBuffer();
            case REG_IER -> ier;
            case REG_IIR_FCR -> readInterruptIdentification();
            case REG_LCR -> lcr;
            case REG_MCR -> mcr;
            case REG_LSR -> readLineStatus();
            case REG_MSR -> {
                int v = msr;
                msr &= ~MSR_DELTAS; // reading MSR acknowledges the modem status interrupt
                yield v;
            }
            case REG_SCR -> scr;
            default -> 0xff;
        };
    }

    private void writeRegister(int offset, int value) {
        if ((lcr & LCR_DLAB) != 0) {
            if (offset == REG_DATA) {
                dll = value;
                return;
            }
            if (offset == REG_IER) {
                dlm = value;
                return;
            }
        }
        switch (offset) {
            case REG_DATA -> transmit((byte) value);
            case REG_IER -> {
                // Enabling the THR-empty interrupt while THR is empty (always, here) raises it at
                // once; Linux's 8250 driver probes for exactly this behaviour.
                if ((ier & IER_THR_EMPTY) == 0 && (value & IER_THR_EMPTY) != 0) thrEmptyInterruptPending = true;
                ier = value & 0x0f;
            }
            case REG_IIR_FCR -> writeFifoControl(value);
            case REG_LCR -> lcr = value;
            case REG_MCR -> writeModemControl(value & 0x1f);
            case REG_SCR -> scr = value;
            default -> { } // LSR and MSR are read-only
        }
    }

    private int readReceiveBuffer() {
        if (rxCount > 0) {
            rbrLatch = rxFifo[rxHead] & 0xff;
            rxHead = (rxHead + 1) % FIFO_SIZE;
            rxCount--;
            roomForInput.signalAll();
        }
        // With nothing new received, RBR still holds the last character, as on hardware.
        return rbrLatch;
    }

    private int readInterruptIdentification() {
        int reason = interruptReason();
        // Reading IIR acknowledges a THR-empty interrupt, but only when it is the one reported.
        if (reason == IIR_THR_EMPTY) thrEmptyInterruptPending = false;
        return reason | (fifoEnabled() ? IIR_FIFOS_ENABLED : 0);
    }

    private int readLineStatus() {
        int v = lineStatus();
        overrun = false; // error bits clear on read, which acknowledges the line status interrupt
        return v;
    }

    private void transmit(byte b) {
        if ((mcr & MCR_LOOPBACK) != 0) {
            pushReceived(b);
        } else {
            backend.write(b);
        }
        // The write cleared the THR-empty condition and the infinitely fast transmitter emptied THR
        // again, so the interrupt is due once more.
        thrEmptyInterruptPending = true;
    }

    private void writeFifoControl(int value) {
        boolean enable = (value & FCR_ENABLE) != 0;
        if (enable != fifoEnabled()) {
            clearReceiveFifo(); // switching between 16450 and FIFO mode empties the FIFOs
        }
        if (!enable) {
            fcr = 0; // the other bits only take effect with FIFO_ENABLE set
        } else {
            if ((value & FCR_RX_RESET) != 0) clearReceiveFifo();
            // FCR_TX_RESET: the transmit FIFO is always empty here, so there is nothing to clear.
            fcr = value & (FCR_ENABLE | FCR_DMA_MODE | FCR_TRIGGER);
        }
        roomForInput.signalAll();
    }

    private void writeModemControl(int value) {
        boolean loopbackChanged = ((mcr ^ value) & MCR_LOOPBACK) != 0;
        mcr = value;
        int inputs = modemInputs(value);
        if (((inputs ^ msr) & MSR_CTS) != 0) msr |= MSR_DCTS;
        if (((inputs ^ msr) & MSR_DSR) != 0) msr |= MSR_DDSR;
        if (((inputs ^ msr) & MSR_DCD) != 0) msr |= MSR_DDCD;
        if ((msr & MSR_RI) != 0 && (inputs & MSR_RI) == 0) msr |= MSR_TERI; // trailing edge of ring
        msr = (msr & MSR_DELTAS) | inputs;
        if (loopbackChanged) roomForInput.signalAll();
    }

    /** The modem input lines as the UART sees them for a given MCR. */
    private static int modemInputs(int mcr) {
        if ((mcr & MCR_LOOPBACK) == 0) return MSR_DCD | MSR_DSR;
        int in = 0;
        if ((mcr & MCR_RTS) != 0) in |= MSR_CTS;
        if ((mcr & MCR_DTR) != 0) in |= MSR_DSR;
        if ((mcr & MCR_OUT1) != 0) in |= MSR_RI;
        if ((mcr & MCR_OUT2) != 0) in |= MSR_DCD;
        return in;
    }

    private boolean fifoEnabled() {
        return (fcr & FCR_ENABLE) != 0;
    }

    private int receiveCapacity() {
        return fifoEnabled() ? FIFO_SIZE : 1;
    }

    private static int triggerLevel(int fcr) {
        return switch ((fcr & FCR_TRIGGER) >> 6) {
            case 0 -> 1;
            case 1 -> 4;
            case 2 -> 8;
            default -> 14;
        };
    }

    private void clearReceiveFifo() {
        rxHead = 0;
        rxCount = 0;
    }

    /** Puts a received byte into the FIFO; a full FIFO is an overrun. */
    private void pushReceived(byte b) {
        if (rxCount < receiveCapacity()) {
            rxFifo[(rxHead + rxCount) % FIFO_SIZE] = b;
            rxCount++;
            return;
        }
        overrun = true;
        if (!fifoEnabled()) {
            // 16450 mode: the new character overwrites the unread one in RBR.
            rxFifo[rxHead] = b;
        }
        // FIFO mode: the character in the shift register is lost; the FIFO keeps what it has.
    }

    /** The highest-priority pending interrupt, as IIR bits 3..0. */
    private int interruptReason() {
        return interruptReason(ier, fcr, msr, overrun, thrEmptyInterruptPending, rxCount);
    }

    private static int interruptReason(int ier, int fcr, int msr, boolean overrun, boolean thrEmptyPending,
            int rxCount) {
        if (overrun && (ier & IER_LINE_STATUS) != 0) return IIR_LINE_STATUS;
        if (rxCount > 0 && (ier & IER_RX_DATA) != 0) {
            return (fcr & FCR_ENABLE) == 0 || rxCount >= triggerLevel(fcr) ? IIR_RX_DATA : IIR_RX_TIMEOUT;
        }
        if (thrEmptyPending && (ier & IER_THR_EMPTY) != 0) return IIR_THR_EMPTY;
        if ((msr & MSR_DELTAS) != 0 && (ier & IER_MODEM_STATUS) != 0) return IIR_MODEM_STATUS;
        return IIR_NONE;
    }

    /** Drives the interrupt line to match the registers; only changes are passed on. */
    private void updateLine() {
        if (paused) return; // a paused device raises nothing; resume() re-evaluates
        boolean gated = (mcr & MCR_OUT2) != 0 && (mcr & MCR_LOOPBACK) == 0;
        boolean want = gated && interruptReason() != IIR_NONE;
        if (want != lineAsserted) {
            lineAsserted = want;
            line.set(want);
        }
    }

    private void resetRegisters() {
        ier = 0;
        lcr = 0;
        mcr = 0;
        fcr = 0;
        scr = 0;
        dll = DEFAULT_DIVISOR & 0xff;
        dlm = DEFAULT_DIVISOR >> 8;
        msr = modemInputs(0);
        overrun = false;
        thrEmptyInterruptPending = false;
        rbrLatch = 0;
        clearReceiveFifo();
    }

    // ---- snapshot ----

    static final int STATE_VERSION = 1;

    @Override
    public String stateName() {
        return "dev." + name;
    }

    @Override
    public int stateVersion() {
        return STATE_VERSION;
    }

    @Override
    public StateRecord saveState() {
        lock.lock();
        try {
            byte[] fifo = new byte[rxCount];
            for (int i = 0; i < rxCount; i++) fifo[i] = rxFifo[(rxHead + i) % FIFO_SIZE];
            return StateRecord.builder()
                    .putU8("ier", ier)
                    .putU8("lcr", lcr)
                    .putU8("mcr", mcr)
                    .putU8("fcr", fcr)
                    .putU8("scr", scr)
                    .putU8("dll", dll)
                    .putU8("dlm", dlm)
                    .putU8("msr", msr)
                    .putU8("lsr", lineStatus())
                    .putU8("iir", interruptReason() | (fifoEnabled() ? IIR_FIFOS_ENABLED : 0))
                    .putU8("rbr", rbrLatch)
                    .putBytes("rx_fifo", fifo)
                    .putBytes("tx_fifo", new byte[0])
                    .putBool("overrun", overrun)
                    .putBool("thre_pending", thrEmptyInterruptPending)
                    .putBool("irq_level", lineAsserted)
                    .build();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restores the registers, both FIFOs and the interrupt state, then drives the interrupt line to
     * the saved level (and, unless paused, to what the registers call for). Everything is checked
     * before anything changes: a refused record leaves the UART as it was.
     */
    @Override
    public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader r = StateReader.open(this, state, version);
        int newIer = r.u8Bits("ier", 0x0f);
        int newLcr = r.u8("lcr");
        int newMcr = r.u8Bits("mcr", 0x1f);
        int newFcr = r.u8Bits("fcr", FCR_ENABLE | FCR_DMA_MODE | FCR_TRIGGER);
        if ((newFcr & FCR_ENABLE) == 0 && newFcr != 0) {
            throw r.invalid("fcr", String.format("0x%02x: DMA mode and trigger bits are only kept with FIFO_ENABLE set",
                    newFcr));
        }
        int newScr = r.u8("scr");
        int newDll = r.u8("dll");
        int newDlm = r.u8("dlm");
        int newMsr = r.u8("msr");
        if ((newMsr & ~MSR_DELTAS) != modemInputs(newMcr)) {
            throw r.invalid("msr", String.format("0x%02x: the modem inputs (bits 7..4) must be 0x%02x for MCR 0x%02x",
                    newMsr, modemInputs(newMcr), newMcr));
        }
        int newRbr = r.u8("rbr");
        int capacity = (newFcr & FCR_ENABLE) != 0 ? FIFO_SIZE : 1;
        byte[] fifo = r.bytesAtMost("rx_fifo", capacity, (newFcr & FCR_ENABLE) != 0
                ? "the 16-byte receive FIFO" : "RBR with the FIFO disabled");
        byte[] tx = r.bytesAtMost("tx_fifo", FIFO_SIZE, "the 16-byte transmit FIFO");
        boolean newOverrun = r.bool("overrun");
        boolean newThre = r.bool("thre_pending");
        boolean level = r.bool("irq_level");
        int lsr = r.u8Bits("lsr", LSR_DATA_READY | LSR_OVERRUN | LSR_THR_EMPTY | LSR_TX_EMPTY);
        if (((lsr & LSR_DATA_READY) != 0) != (fifo.length > 0)) {
            throw r.invalid("lsr", String.format("0x%02x: DR must be %s with %d bytes in rx_fifo",
                    lsr, fifo.length > 0 ? "set" : "clear", fifo.length));
        }
        if (((lsr & LSR_OVERRUN) != 0) != newOverrun) {
            throw r.invalid("lsr", String.format("0x%02x: OE disagrees with field 'overrun' (%s)", lsr, newOverrun));
        }
        if ((lsr & (LSR_THR_EMPTY | LSR_TX_EMPTY)) != (LSR_THR_EMPTY | LSR_TX_EMPTY)) {
            // Transmission is immediate here, so the transmitter always reads empty.
            throw r.invalid("lsr", String.format("0x%02x: THRE and TEMT are always set on this UART", lsr));
        }
        int iir = r.u8("iir");
        int expectedIir = interruptReason(newIer, newFcr, newMsr, newOverrun, newThre, fifo.length)
                | ((newFcr & FCR_ENABLE) != 0 ? IIR_FIFOS_ENABLED : 0);
        if (iir != expectedIir) {
            throw r.invalid("iir", String.format("0x%02x, but the saved registers give 0x%02x", iir, expectedIir));
        }

        lock.lock();
        try {
            ier = newIer;
            lcr = newLcr;
            mcr = newMcr;
            fcr = newFcr;
            scr = newScr;
            dll = newDll;
            dlm = newDlm;
            msr = newMsr;
            rbrLatch = newRbr;
            overrun = newOverrun;
            thrEmptyInterruptPending = newThre;
            rxHead = 0;
            rxCount = fifo.length;
            System.arraycopy(fifo, 0, rxFifo, 0, fifo.length);
            // What was queued for transmission goes out now, as this transmitter would have sent it
            // (in loopback, into the receiver).
            for (byte b : tx) {
                if ((mcr & MCR_LOOPBACK) != 0) pushReceived(b);
                else backend.write(b);
            }
            // Re-drive the line: the new VM's interrupt controller must see the saved level. A line
            // this UART did not raise is left alone (COM1 and COM3 share IRQ 4).
            if (level) line.assertLine();
            else if (lineAsserted) line.deassertLine();
            lineAsserted = level;
            updateLine();
            roomForInput.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** LSR as a read would return it, without the read's side effect. */
    private int lineStatus() {
        int v = LSR_THR_EMPTY | LSR_TX_EMPTY;
        if (rxCount > 0) v |= LSR_DATA_READY;
        if (overrun) v |= LSR_OVERRUN;
        return v;
    }

    // ---- lifecycle ----

    @Override
    public void reset() {
        lock.lock();
        try {
            resetRegisters();
            if (lineAsserted) {
                lineAsserted = false;
                line.deassertLine();
            }
            roomForInput.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void pause() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resume() {
        lock.lock();
        try {
            paused = false;
            updateLine();
            roomForInput.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the backend. The I/O ports stay registered (the bus has no owner-based removal). */
    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return String.format("%s at 0x%x (%s)", name, base, backend.describe());
    }

    /** How backends hand host input to the guest; runs on backend threads. */
    private final class BackendReceiver implements SerialBackend.Receiver {
        @Override
        public boolean awaitRoom(long timeout, TimeUnit unit) throws InterruptedException {
            long nanos = unit.toNanos(timeout);
            lock.lock();
            try {
                while (!hasRoom()) {
                    if (nanos <= 0) return false;
                    nanos = roomForInput.awaitNanos(nanos);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        private boolean hasRoom() {
            if (paused) return false;
            // In loopback the RX pin is disconnected: host input is read and discarded at once.
            return (mcr & MCR_LOOPBACK) != 0 || rxCount < receiveCapacity();
        }

        @Override
        public void receive(byte b) {
            lock.lock();
            try {
                if ((mcr & MCR_LOOPBACK) != 0) return;
                pushReceived(b);
                updateLine();
            } finally {
                lock.unlock();
            }
        }
    }
}
