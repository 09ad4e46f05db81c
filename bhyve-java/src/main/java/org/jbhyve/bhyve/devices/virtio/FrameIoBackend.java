package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A {@link NetBackend} whose frames go through a {@link FrameIo}: the tap backends, which differ only
 * in how they open their descriptor and in what header and offloads it carries.
 */
abstract sealed class FrameIoBackend implements NetBackend permits TapBackend, FreeBsdTapBackend {
    private final String name;
    /** The frame descriptor and its wake pipe; subclasses use it for their ioctls. */
    final FrameIo io;

    FrameIoBackend(String name, FrameIo io) {
        this.name = name;
        this.io = io;
    }

    @Override
    public final void send(MemorySegment frame) throws IOException {
        io.send(frame);
    }

    @Override
    public final int receive(MemorySegment buffer, int timeoutMillis) throws IOException {
        return io.receive(buffer, timeoutMillis);
    }

    @Override
    public final void wakeup() {
        io.wakeup();
    }

    /** The interface name. */
    @Override
    public final String name() {
        return name;
    }

    /**
     * Closes the descriptor, once the receiving thread has stopped. A Linux tap interface goes away
     * unless it is persistent; a FreeBSD {@code tap} interface goes down, a {@code vmnet} one stays up.
     */
    @Override
    public final void close() {
        io.close();
    }
}
