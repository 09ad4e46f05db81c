package org.jbhyve.snapshot.ipc;

/** The peer did not send (or accept) the rest of a message within the time allowed. */
public class IpcTimeoutException extends IpcException {
    private static final long serialVersionUID = 1L;

    public IpcTimeoutException(String message) {
        super(message, "ETIMEDOUT");
    }
}
