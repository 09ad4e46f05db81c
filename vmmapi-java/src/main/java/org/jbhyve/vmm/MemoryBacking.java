package org.jbhyve.vmm;

/** How fresh (zeroed) guest RAM is backed on the host. For RAM from a file see {@link MemorySource.FilePrivate}. */
public enum MemoryBacking implements MemorySource {
    /** Private anonymous memory: the cheapest, nothing to share. */
    ANONYMOUS,
    /**
     * A memfd mapped shared: the RAM has a file descriptor, so it can be written to a snapshot with
     * sendfile-like copies, or shared with another process.
     */
    MEMFD
}
