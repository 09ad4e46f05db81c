package org.jbhyve.snapshot.ipc;

import java.io.IOException;
import java.util.Optional;

/**
 * A failure of the checkpoint socket transport: a system call that failed (the message names the
 * call, the socket or path, and the errno), a peer that closed the connection early, a path that is
 * in use. Malformed nvlist content is reported as {@link org.jbhyve.snapshot.nv.NvException} instead.
 */
public class IpcException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String errno;

    public IpcException(String message) {
        this(message, null, null);
    }

    public IpcException(String message, String errno) {
        this(message, errno, null);
    }

    public IpcException(String message, String errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The errno name ("ECONNREFUSED") when a system call failed. */
    public Optional<String> errno() {
        return Optional.ofNullable(errno);
    }
}
