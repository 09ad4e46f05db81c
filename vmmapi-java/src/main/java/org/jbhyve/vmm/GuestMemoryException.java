package org.jbhyve.vmm;

/**
 * A guest physical address range that is not guest RAM. Devices catch it and turn it into a device
 * error: an address that came from the guest is never trusted.
 */
public final class GuestMemoryException extends RuntimeException {
    private final long gpa;
    private final long length;

    public GuestMemoryException(long gpa, long length) {
        super("guest physical range [0x" + Long.toHexString(gpa) + ", +" + length + ") is not guest RAM");
        this.gpa = gpa;
        this.length = length;
    }

    public long gpa() { return gpa; }

    public long length() { return length; }
}
