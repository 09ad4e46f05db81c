package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.jbhyve.bhyve.config.ConfigException;

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

    /**
     * Refuses a name that cannot be a network interface's: empty, {@code ifnamsiz} bytes or more (the
     * NUL needs one), or holding a '/' (a path, not a name) or a ':' (an alias).
     *
     * @throws ConfigException naming the device {@code who} and the rule
     */
    static void checkInterfaceName(String name, int ifnamsiz, String who) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes >= ifnamsiz || name.indexOf('/') >= 0 || name.indexOf(':') >= 0) {
            throw new ConfigException(who + ": \"" + name + "\" is not a valid interface name (1 to "
                    + (ifnamsiz - 1) + " characters, no '/' or ':')");
        }
    }
}
