package org.jbhyve.vmm;

/** How guest RAM is backed on the host. */
public enum MemoryBacking {
    /** Private anonymous memory: the cheapest, nothing to share. */
    ANONYMOUS,
    /**
     * A memfd mapped shared: the RAM has a file descriptor, so it can be written to a snapshot with
     * sendfile-like copies, or shared with another process.
     */
    MEMFD
}
