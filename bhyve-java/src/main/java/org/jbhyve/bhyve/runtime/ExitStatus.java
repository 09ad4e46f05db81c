package org.jbhyve.bhyve.runtime;

/** bhyve(8)'s exit statuses: how the VM ended. */
public enum ExitStatus {
    /** The guest rebooted (bhyve exits; its supervisor starts it again). */
    REBOOT(0),
    /** The guest powered off. */
    POWEROFF(1),
    /** The guest halted. */
    HALT(2),
    /** A vCPU triple-faulted. */
    TRIPLE_FAULT(3),
    /** An error: bad configuration, an unhandled exit, a failed device. */
    ERROR(4);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    /** The process exit status bhyve uses. */
    public int code() { return code; }
}
