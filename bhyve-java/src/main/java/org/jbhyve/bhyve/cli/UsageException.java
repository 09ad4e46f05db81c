package org.jbhyve.bhyve.cli;

import org.jbhyve.bhyve.config.ConfigException;

/**
 * A command line bhyve would refuse. The message names the argument and the fix; nothing has been
 * started. {@link #exitStatus()} is 4, bhyve's "exited due to an error".
 */
public final class UsageException extends ConfigException {
    private static final long serialVersionUID = 1L;

    /** bhyve(8): exit status 4 means the VM exited, or never started, because of an error. */
    public static final int EXIT_STATUS = 4;

    public UsageException(String message) {
        super(message);
    }

    public int exitStatus() {
        return EXIT_STATUS;
    }
}
