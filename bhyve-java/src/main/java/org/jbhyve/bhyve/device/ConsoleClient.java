package org.jbhyve.bhyve.device;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * One client of a console socket (a TCP COM port, a virtio-console port): its socket, what it sent that the
 * guest has not taken ({@link ReadAhead}), and whether writing to it failed. A port serves one client at a
 * time; a new one may take the port from this one once it is {@link #gone()}.
 */
public final class ConsoleClient {
    /** How much of a client's input is read ahead of the guest: more than anyone types, and a fair paste. */
    public static final int READ_AHEAD = 64 << 10;

    private final SocketChannel channel;
    private final ReadAhead input = new ReadAhead(READ_AHEAD);
    private volatile boolean outputFailed;

    public ConsoleClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** The reader's loop: its socket into its read-ahead until it hangs up. Runs on a thread of its own. */
    public void readAhead() {
        input.readFrom(channel);
    }

    public SocketChannel channel() {
        return channel;
    }

    public ReadAhead input() {
        return input;
    }

    /** Whether a write to it failed: guest output for it is dropped from then on; its input still goes in. */
    public boolean outputFailed() {
        return outputFailed;
    }

    /** A write to it failed (it hung up). */
    public void failOutput() {
        outputFailed = true;
    }

    /**
     * Whether it has hung up, as far as can be told: its input ended, or a write to it failed (a guest that
     * reads nothing may hold the end of its input back, {@link ReadAhead}).
     */
    public boolean gone() {
        return input.ended() || outputFailed;
    }

    /** Drops its unread input and closes its socket. */
    public void close() {
        input.discard();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
