package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Where virtio-net's frames go and come from. A backend either passes a virtio-net header with each
 * frame ({@link #headerBytes()} = {@link VirtioNet#BACKEND_HEADER_BYTES}, the 12-byte layout with
 * {@code num_buffers}, which it ignores) and can then carry checksum and segmentation offload
 * metadata, or passes bare Ethernet frames (0).
 *
 * <p>{@link #send} is called by one thread at a time, {@link #receive} by one (other) thread.
 */
interface NetBackend extends AutoCloseable {
    /** The bytes of virtio-net header before every frame sent and received: 0 or 12. */
    int headerBytes();

    /** Whether the backend can take the TUN_F_* offloads ({@link #setOffloads}) and GSO frames from the guest. */
    boolean offloads();

    /**
     * Which offloads the reader (the guest) accepts in received frames: a mask of
     * {@code org.jbhyve.bindings.linux.tun.tun_h.TUN_F_*}. Only called when {@link #offloads()}.
     */
    void setOffloads(int tunFlags) throws IOException;

    /** Sends one frame (header first, if any). A frame the backend cannot take now is dropped. */
    void send(MemorySegment frame) throws IOException;

    /**
     * Waits up to {@code timeoutMillis} for a frame and reads it into {@code buffer}.
     *
     * @return its length in bytes (header included), or 0 if none came in time or {@link #wakeup} was called
     */
    int receive(MemorySegment buffer, int timeoutMillis) throws IOException;

    /** Makes a {@link #receive} waiting now (or the next one) return early. */
    void wakeup();

    /** For messages: the interface name. */
    String name();

    @Override
    void close();
}
