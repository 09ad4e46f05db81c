package org.jbhyve.vmm;

import org.jbhyve.bindings.libc.Errno;

/**
 * A hypervisor call failed. The message names the call, the object it was made on and the errno by
 * name, e.g. {@code KVM_SET_USER_MEMORY_REGION on vm fd 7 failed: EINVAL (invalid argument)}.
 */
public class VmmException extends RuntimeException {
    private final String call;
    private final int errno;

    public VmmException(String message) {
        this(message, null, 0);
    }

    public VmmException(String message, String call, int errno) {
        super(message);
        this.call = call;
        this.errno = errno;
    }

    /** Builds the standard message for a failed native call. */
    public static VmmException failed(String call, String target, int errno) {
        return new VmmException(call + " on " + target + " failed: " + Errno.name(errno) + " ("
                + Errno.describe(errno) + ")", call, errno);
    }

    /** The native call (ioctl or function name) that failed, or null when this is not a native failure. */
    public String call() { return call; }

    /** The errno of the failure, or 0. */
    public int errno() { return errno; }
}
