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

    /**
     * Pauses each of {@code parts} in order; if one cannot pause, resumes those already paused and
     * throws its failure, so that nothing is left half-paused.
     */
    static void pauseAll(java.util.List<? extends Lifecycle> parts) {
        int paused = 0;
        try {
            for (Lifecycle l : parts) {
                l.pause();
                paused++;
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < paused; i++) parts.get(i).resume();
            throw e;
        }
    }
}
