package org.jbhyve.bhyve.device;

/**
 * What a device does when the VM changes state (as in propolis): pause quiesces it (no more DMA,
 * in-flight requests drained, no interrupts raised), resume lets it go again, reset returns it to
 * power-on state, restored tells it that its state came from a snapshot and the VM is about to run.
 * All optional; called with every vCPU stopped. A pause that cannot be done throws and leaves the
 * device running.
 */
public interface Lifecycle {
    default void pause() { }

    default void resume() { }

    default void reset() { }

    /** The VM was restored from a snapshot and its vCPUs are about to run for the first time. */
    default void restored() { }
}
