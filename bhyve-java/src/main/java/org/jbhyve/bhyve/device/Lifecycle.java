package org.jbhyve.bhyve.device;

/**
 * What a device does when the VM changes state (as in propolis): pause quiesces it (no more DMA,
 * in-flight requests drained, no interrupts raised), resume lets it go again, reset returns it to
 * power-on state. All optional; called with every vCPU stopped.
 */
public interface Lifecycle {
    default void pause() { }

    default void resume() { }

    default void reset() { }
}
