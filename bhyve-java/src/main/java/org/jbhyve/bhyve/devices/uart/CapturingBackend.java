package org.jbhyve.bhyve.devices.uart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory host side: keeps everything the guest transmits and lets the caller type input.
 * For tests and for the VMM itself (e.g. to watch a test guest's COM1 for a marker line).
 *
 * <p>Output is kept up to a cap ({@link #DEFAULT_CAPACITY} by default); past it the oldest half is
 * discarded, so a chatty guest cannot exhaust host memory.
 */
public final class CapturingBackend implements SerialBackend {
    public static final int DEFAULT_CAPACITY = 1 << 20;

    private final int capacity;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private long discarded;
    private volatile SerialBackend.Receiver receiver;

    public CapturingBackend() {
        this(DEFAULT_CAPACITY);
    }

    public CapturingBackend(int capacity) {
        if (capacity < 2) throw new IllegalArgumentException("capacity must be at least 2 bytes");
        this.capacity = capacity;
    }

    @Override
    public void start(SerialBackend.Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public synchronized void write(byte b) {
        if (output.size() >= capacity) {
            byte[] all = output.toByteArray();
            int keep = capacity / 2;
            output.reset();
            output.write(all, all.length - keep, keep);
            discarded += all.length - keep;
        }
        output.write(b);
        notifyAll();
    }

    /** Everything transmitted so far (minus what the cap discarded). */
    public synchronized byte[] output() {
        return output.toByteArray();
    }

    /** The output decoded as ISO-8859-1, one char per byte. */
    public synchronized String outputString() {
        return output.toString(StandardCharsets.ISO_8859_1);
    }

    /** How many of the oldest bytes the cap has discarded. */
    public synchronized long discardedBytes() {
        return discarded;
    }

    /** Forgets the output collected so far. */
    public synchronized void clearOutput() {
        output.reset();
    }

    /** Waits until the output contains {@code text}; false on timeout. */
    public synchronized boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!outputString().contains(text)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Delivers {@code bytes} to the guest at once, without waiting for room: what arrives while the
     * receive FIFO is full is lost with an overrun, exactly as on a wire without flow control.
     */
    public void inject(byte[] bytes) {
        SerialBackend.Receiver r = requireStarted();
        for (byte b : bytes) r.receive(b);
    }

    public void inject(String text) {
        inject(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Delivers {@code bytes} the way the host backends do, waiting for FIFO room before each byte,
     * so nothing is lost while the guest keeps reading. Returns false if the guest stopped reading
     * for longer than {@code perByteTimeout}; the bytes not yet delivered are then dropped.
     */
    public boolean type(byte[] bytes, Duration perByteTimeout) throws InterruptedException {
        SerialBackend.Receiver r = requireStarted();
        for (byte b : bytes) {
            if (!r.awaitRoom(perByteTimeout.toNanos(), TimeUnit.NANOSECONDS)) return false;
            r.receive(b);
        }
        return true;
    }

    private SerialBackend.Receiver requireStarted() {
        SerialBackend.Receiver r = receiver;
        if (r == null) throw new IllegalStateException("the backend is not attached to a UART yet");
        return r;
    }

    @Override
    public String describe() {
        return "capture";
    }

    @Override
    public void close() { }
}
