package org.jbhyve.bhyve.control;

/**
 * A {@link VmControl} request that failed with a specific reply code, e.g.
 * {@code new ControlException(ControlProtocol.EBUSY, "the VM is paused for a checkpoint already")}.
 * Other exceptions from a {@link VmControl} method are mapped by {@link ControlHandler}.
 */
public class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int error;

    /**
     * @param error   the reply's {@code error} number, one of {@link ControlProtocol}'s codes (not 0)
     * @param message one sentence a person can act on
     */
    public ControlException(int error, String message) {
        super(message);
        if (error <= 0) throw new IllegalArgumentException("error code must be positive, not " + error);
        this.error = error;
    }

    public ControlException(int error, String message, Throwable cause) {
        super(message, cause);
        if (error <= 0) throw new IllegalArgumentException("error code must be positive, not " + error);
        this.error = error;
    }

    /** The reply's {@code error} number. */
    public int error() {
        return error;
    }
}
