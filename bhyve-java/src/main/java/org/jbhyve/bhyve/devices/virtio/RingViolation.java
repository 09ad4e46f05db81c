package org.jbhyve.bhyve.devices.virtio;

/**
 * The guest broke the virtqueue rules: a ring index, descriptor address, length, flag or chain that
 * no correct driver produces. The message says what was wrong and where, for the one log line the
 * device writes before it stops using the queue.
 */
public final class RingViolation extends Exception {
    public RingViolation(String message) {
        super(message, null, false, false);
    }
}
