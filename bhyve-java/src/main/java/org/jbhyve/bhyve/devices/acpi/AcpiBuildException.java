package org.jbhyve.bhyve.devices.acpi;

/** The firmware tables for this machine cannot be built or do not fit where they must go. */
public final class AcpiBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AcpiBuildException(String message) {
        super(message);
    }

    public AcpiBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
