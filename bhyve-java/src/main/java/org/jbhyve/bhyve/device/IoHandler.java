package org.jbhyve.bhyve.device;

/**
 * A device's port I/O registers. {@code port} is the absolute port; {@code size} is 1, 2 or 4.
 * Values are zero-extended; an IN answers with the low {@code size} bytes of the result.
 * Called on vCPU threads: a handler must be thread-safe if more than one vCPU can reach it.
 */
public interface IoHandler {
    int in(int port, int size);

    void out(int port, int size, int value);
}
