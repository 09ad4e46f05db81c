package org.jbhyve.bhyve.devices.uart;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Guest output on its way to a host stream: a bounded ring buffer filled by vCPU threads without
 * blocking, and a writer thread that drains it into a {@link Sink}. When the ring is full (the host
 * side is slower than the guest) new bytes are dropped; when the sink fails for good (the host
 * side is gone) everything after is dropped. Each of these is logged once.
 */
final class OutputPump implements AutoCloseable {
    /** Where the bytes go. May block; runs on the pump's own thread. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] buffer, int offset, int length) throws IOException;
    }

    static final int DEFAULT_CAPACITY = 64 * 1024;

    private final Sink sink;
    private final Consumer<String> log;
    private final byte[] ring;
    private int head, count;
    private boolean closed, dead, reportedFull;
    /** Bytes taken from the ring and not yet written: drained means ring empty AND nothing in flight. */
    private int inFlight;
    private final Thread writer;

    OutputPump(String threadName, int capacity, Sink sink, Consumer<String> log) {
        this.sink = sink;
        this.log = log;
        this.ring = new byte[capacity];
        this.writer = Thread.ofPlatform().name(threadName).daemon().start(this::drain);
    }

    /** Queues one byte; never blocks. Returns false if it was dropped. */
    synchronized boolean offer(byte b) {
        if (closed || dead) return false;
        if (count == ring.length) {
            if (!reportedFull) {
                reportedFull = true;
                log.accept("host side is not keeping up with serial output; dropping output while the "
                        + ring.length + "-byte buffer is full");
            }
            return false;
        }
        ring[(head + count) % ring.length] = b;
        count++;
        if (count == 1) notifyAll();
        return true;
    }

    /** Waits until everything queued has been handed to the sink (for orderly shutdown and tests). */
    synchronized boolean awaitDrained(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while ((count > 0 || inFlight > 0) && !dead && !closed) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return count == 0 && inFlight == 0;
    }

    private void drain() {
        byte[] chunk = new byte[4096];
        while (true) {
            int n;
            synchronized (this) {
                while (count == 0 && !closed) {
                    notifyAll(); // wake awaitDrained
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
                n = Math.min(count, Math.min(chunk.length, ring.length - head)); // contiguous part only
                System.arraycopy(ring, head, chunk, 0, n);
                head = (head + n) % ring.length;
                count -= n;
                inFlight = n;
            }
            try {
                sink.write(chunk, 0, n);
                synchronized (this) {
                    inFlight = 0;
                    notifyAll();
                }
            } catch (IOException e) {
                synchronized (this) {
                    dead = true;
                    count = 0;
                    inFlight = 0;
                    notifyAll();
                }
                if (!closed) log.accept("serial output failed (" + e.getMessage() + "); dropping further output");
                return;
            }
        }
    }

    /** How long close() waits for queued guest output to reach the host (e.g. the last lines before poweroff). */
    static final long CLOSE_DRAIN_MILLIS = 2000;

    @Override
    public void close() {
        try {
            awaitDrained(CLOSE_DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        writer.interrupt();
    }
}
