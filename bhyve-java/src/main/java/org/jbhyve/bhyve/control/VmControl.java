package org.jbhyve.bhyve.control;

import java.util.Map;

/**
 * What the control socket asks of a running VM. Implemented by the runtime; every method returns when
 * the request is done (or failed). {@link ControlServer} calls the methods that change the VM
 * ({@link #checkpoint}, {@link #restore}, {@link #destroy}, {@link #forcePoweroff}, {@link #forceReset})
 * one at a time, all on the same thread, which lives as long as the control server (so what they tie to
 * their thread, such as the lease a restore takes on its snapshot file, outlives the request).
 * {@link #stats} is called on the thread of the connection that asked, at any time, from several
 * threads, while one of the others runs: it must only read state that is safe to read then (volatile or
 * final fields).
 *
 * <p>{@link ControlServer} sends its reply after the method returns, so no method may end the process
 * itself: the ones that end the VM ({@code suspend}, {@link #destroy}, {@link #forcePoweroff},
 * {@link #forceReset}) mark it ended and return; the main thread then sees the end, closes the
 * control server (which waits for the reply to go out) and exits. Failures are reported by throwing:
 * {@link ControlException} to choose the reply's error code, anything else is mapped (an
 * {@code IllegalStateException} to EBUSY, an {@code IllegalArgumentException} to EINVAL, a
 * {@code SnapshotWriteException} to its errno, the rest to EIO), its message becoming the reply's.
 */
public interface VmControl {
    /**
     * Writes a snapshot named {@code name} in the directory {@code dirFd} refers to (the descriptor
     * bhyvectl passed; the implementation must not close it). With {@code suspend}, the VM exits
     * with status 0 after a successful save; otherwise it keeps running.
     *
     * @return a one-line description of what was written (path, size)
     * @throws Exception with a message a person can act on when the checkpoint failed (the VM keeps
     *                   running in that case)
     */
    String checkpoint(int dirFd, String name, boolean suspend) throws Exception;

    /**
     * Builds the VM snapshot {@code path} (an absolute path) describes and starts it: what a standby
     * bhyve does (bhyvectl --restore). A bhyve that already runs a VM refuses.
     *
     * @return a one-line description of what was restored
     * @throws Exception with a message a person can act on when the snapshot cannot be restored (a
     *                   standby then stays ready for another request)
     */
    default String restore(String path) throws Exception {
        throw new ControlException(ControlProtocol.EBUSY, "this bhyve already runs a VM; restore asks a standby bhyve "
                + "(started with -o restore.standby=true) to build one");
    }

    /**
     * Ends the VM at once (bhyvectl --destroy); bhyve exits with status 4. This and the two below throw
     * (an {@code IllegalStateException}, saying the status bhyve exits with) when the VM has ended already,
     * e.g. suspended by a checkpoint that was served first: its exit status then stands.
     */
    void destroy();

    /** Ends the VM as if it powered off (bhyvectl --force-poweroff): exit status 1. */
    void forcePoweroff();

    /** Ends the VM as if it reset (bhyvectl --force-reset): exit status 0. */
    void forceReset();

    /** Counters for bhyvectl --get-stats: name to value, in a stable order. */
    Map<String, Long> stats();
}
