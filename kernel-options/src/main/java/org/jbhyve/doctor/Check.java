package org.jbhyve.doctor;

/**
 * One question about the host, answered with one {@link Result}. Checks read the host only through the
 * interface they are given ({@link org.jbhyve.doctor.linux.LinuxHost},
 * {@link org.jbhyve.doctor.freebsd.FreeBsdHost}, {@link Platform}), so tests can hand them a fake one.
 */
public interface Check {
    /** The identifier its result carries, e.g. {@code kvm-device}. */
    String id();

    Result run();
}
