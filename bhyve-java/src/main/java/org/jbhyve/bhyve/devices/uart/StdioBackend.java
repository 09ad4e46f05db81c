package org.jbhyve.bhyve.devices.uart;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jbhyve.bindings.libc.libc_h;

/**
 * The process's standard input and output ({@code lpc.comN.path=stdio}). If stdin is a terminal
 * it is put into raw mode, as bhyve does, and restored on {@link #close} or when the JVM exits.
 * Only one serial port per process can own stdio.
 */
public final class StdioBackend implements SerialBackend {
    private static final AtomicBoolean CLAIMED = new AtomicBoolean();
    private static volatile boolean terminalRaw;

    private final InputStream in;
    private final OutputPump out;
    private final Consumer<String> log;
    private final Runnable restoreTerminal;
    private final boolean releasesClaim;
    private volatile boolean closed;
    private volatile SerialBackend.Receiver receiver;

    /**
     * Claims the process's stdio.
     *
     * @throws IllegalStateException if another serial port already uses stdio
     */
    public static StdioBackend open(Consumer<String> log) {
        if (!CLAIMED.compareAndSet(false, true)) {
            throw new IllegalStateException("stdio is already used by another serial port");
        }
        Runnable restore = enterRawMode();
        return new StdioBackend(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                restore, log, true);
    }

    /**
     * Whether the process's terminal is in raw mode right now. Diagnostics printed meanwhile must
     * end lines with CR LF, as bhyve's EPRINTLN does, or they staircase across the screen.
     */
    public static boolean terminalInRawMode() {
        return terminalRaw;
    }

    /** A backend over arbitrary streams (the terminal handling left to the caller). */
    static StdioBackend over(InputStream in, OutputStream out, Consumer<String> log) {
        return new StdioBackend(in, out, () -> { }, log, false);
    }

    private StdioBackend(InputStream in, OutputStream out, Runnable restoreTerminal, Consumer<String> log,
                         boolean releasesClaim) {
        this.in = in;
        this.log = log;
        this.restoreTerminal = restoreTerminal;
        this.releasesClaim = releasesClaim;
        this.out = new OutputPump("serial-stdout", OutputPump.DEFAULT_CAPACITY, (b, off, len) -> {
            out.write(b, off, len);
            out.flush();
        }, log);
    }

    /** Raw mode if stdin is a terminal; returns how to undo it (idempotent). */
    private static Runnable enterRawMode() {
        // Asking the C library first spares starting an stty process (tens of milliseconds on a busy
        // host, on the critical path of a restore) when stdin is a pipe or a file.
        if (libc_h.isatty(0) == 0) return () -> { };
        Optional<String> saved = Stty.save(Stty.Target.STDIN);
        if (saved.isEmpty()) return () -> { }; // not a terminal: nothing to change
        terminalRaw = Stty.makeRaw(Stty.Target.STDIN);
        AtomicBoolean restored = new AtomicBoolean();
        Runnable restore = () -> {
            if (restored.compareAndSet(false, true)) {
                Stty.restore(Stty.Target.STDIN, saved.get());
                terminalRaw = false;
            }
        };
        // A JVM that exits without closing the VM must still hand the user back a sane terminal.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(restore));
        return restore;
    }

    @Override
    public void start(SerialBackend.Receiver receiver) {
        this.receiver = receiver;
        if (releasesClaim) {
            ProcessStdin.attach(in, receiver, log);
            return;
        }
        // Reads of a stream cannot be interrupted; the thread is a daemon and is abandoned on close.
        Thread.ofPlatform().name("serial-stdin").daemon().start(() -> {
            try {
                InputPump.forward(in, receiver, () -> closed);
            } catch (IOException e) {
                if (!closed) log.accept("reading stdin failed (" + e.getMessage() + "); no more serial input");
            }
        });
    }

    /**
     * The process's stdin has one reader thread for the life of the process, handing bytes to the
     * UART that owns stdio now. A read of stdin cannot be interrupted, so a reader per backend would
     * outlive a closed backend and take input meant for the next one (a standby bhyve drops the
     * machine it prepared and builds another). Input that comes while no UART owns stdio waits.
     */
    private static final class ProcessStdin implements SerialBackend.Receiver {
        private static final ProcessStdin INSTANCE = new ProcessStdin();
        private volatile SerialBackend.Receiver owner;
        private boolean reading;

        static synchronized void attach(InputStream in, SerialBackend.Receiver receiver, Consumer<String> log) {
            INSTANCE.owner = receiver;
            if (INSTANCE.reading) return;
            INSTANCE.reading = true;
            Thread.ofPlatform().name("serial-stdin").daemon().start(() -> {
                try {
                    InputPump.forward(in, INSTANCE, () -> false);
                } catch (IOException e) {
                    log.accept("reading stdin failed (" + e.getMessage() + "); no more serial input");
                }
            });
        }

        static void detach(SerialBackend.Receiver receiver) {
            synchronized (ProcessStdin.class) {
                if (INSTANCE.owner == receiver) INSTANCE.owner = null;
            }
        }

        @Override
        public boolean awaitRoom(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
            SerialBackend.Receiver r = owner;
            if (r != null) return r.awaitRoom(timeout, unit);
            unit.sleep(timeout);
            return false;
        }

        @Override
        public void receive(byte b) {
            SerialBackend.Receiver r = owner;
            if (r != null) r.receive(b);
        }
    }

    @Override
    public void write(byte b) {
        out.offer(b);
    }

    /** Waits until queued output has been written (for tests and orderly shutdown). */
    boolean awaitDrained(long timeoutMillis) throws InterruptedException {
        return out.awaitDrained(timeoutMillis);
    }

    @Override
    public String describe() {
        return "stdio";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            out.awaitDrained(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.close();
        restoreTerminal.run();
        if (releasesClaim) {
            ProcessStdin.detach(receiver);
            CLAIMED.set(false);
        }
    }
}
