package org.jbhyve.doctor.linux;

import java.util.Optional;

/** What the Linux checks read from the host; {@link RealLinuxHost} is this machine, tests pass fakes. */
public interface LinuxHost {
    /** The text of a (small) file, or empty when it does not exist or cannot be read. */
    Optional<String> readFile(String path);

    boolean exists(String path);

    /** Permissions, owner and group of a file, e.g. {@code rw-rw---- root:kvm}, or empty. */
    Optional<String> describe(String path);

    /** The group owning a file, or empty. */
    Optional<String> group(String path);

    /** The user the probe runs as. */
    String user();

    /** What opening {@code /dev/kvm} and asking it told; computed once. */
    KvmFacts kvm();

    /**
     * Runs tiny test guests to measure how fast guest exits and guest code are here; throws when no VM
     * can be created. Takes about a second where guest code is slow.
     */
    GuestSpeed measureGuestSpeed();
}
