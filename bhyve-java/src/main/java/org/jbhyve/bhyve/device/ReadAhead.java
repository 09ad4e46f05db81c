package org.jbhyve.bhyve.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Input from one console client, read from its socket ahead of the guest: a reader thread puts what the
 * socket gives, and the device's delivery takes it at the guest's pace.
 *
 * <p>Why: a device that reads its socket only when the guest has room never sees the client hang up
 * while the guest is not reading (the end of the stream waits behind the unread bytes), so a client that
 * typed into a port nobody reads and left kept the port taken, and every later client was turned away.
 * Reading ahead, the end is seen as soon as the client's bytes fit here, and the port can take the next
 * client ({@link #ended()}).
 *
 * <p>Nothing is dropped: at {@code capacity} bytes {@link #put} waits for the guest, so a larger paste
 * is flow-controlled by the socket as before (a client that sent more than that to a guest that never
 * reads, and left, still holds the port until the guest reads, the guest writes to it (the write fails)
 * or the VM ends).
 */
public final class ReadAhead {
    private final int capacity;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int offsetInFirst;
    private int buffered;
    private boolean ended;
    private boolean discarded;

    public ReadAhead(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
    }

    /**
     * Appends {@code len} bytes, waiting while the buffer is full.
     *
     * @return false if the input was {@link #discard discarded} meanwhile (the bytes are not kept)
     */
    public synchronized boolean put(byte[] data, int off, int len) throws InterruptedException {
        if (len <= 0) return !discarded;
        while (!discarded && buffered > 0 && buffered + len > capacity) wait();
        if (discarded) return false;
        byte[] copy = new byte[len];
        System.arraycopy(data, off, copy, 0, len);
        chunks.add(copy);
        buffered += len;
        notifyAll();
        return true;
    }

    /**
     * The reader's loop: reads {@code channel} into this until it ends or fails (closing the channel from
     * another thread ends it too) or this is discarded, then marks the end. Runs on a thread of its own.
     */
    public void readFrom(ReadableByteChannel channel) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0 || !put(buf.array(), 0, n)) break;
            }
        } catch (IOException e) {
            // the client reset the connection, or its channel was closed here: the same as a hang-up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            end();
        }
    }

    /** The client hung up (or its socket failed): no more input comes. */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Whether the client has hung up, whether or not the guest has taken all it sent. */
    public synchronized boolean ended() {
        return ended || discarded;
    }

    /** Drops what is buffered and everything later, and wakes both sides: the client was replaced or closed. */
    public synchronized void discard() {
        discarded = true;
        chunks.clear();
        offsetInFirst = 0;
        buffered = 0;
        notifyAll();
    }

    /** Bytes waiting for the guest. */
    public synchronized int buffered() {
        return buffered;
    }

    /**
     * Moves up to {@code into.length} bytes into {@code into}, waiting up to {@code timeout} for some.
     *
     * @return how many (0 when the wait ran out), or -1 once the input ended and everything was taken, or
     *         was discarded
     */
    public synchronized int take(byte[] into, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (buffered == 0) {
            if (ended || discarded) return -1;
            long left = deadline - System.nanoTime();
            if (left <= 0) return 0;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        int n = 0;
        while (n < into.length && !chunks.isEmpty()) {
            byte[] first = chunks.peek();
            int k = Math.min(into.length - n, first.length - offsetInFirst);
            System.arraycopy(first, offsetInFirst, into, n, k);
            n += k;
            offsetInFirst += k;
            if (offsetInFirst == first.length) {
                chunks.poll();
                offsetInFirst = 0;
            }
        }
        buffered -= n;
        notifyAll();
        return n;
    }
}
