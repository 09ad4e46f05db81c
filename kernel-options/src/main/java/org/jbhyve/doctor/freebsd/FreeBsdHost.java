package org.jbhyve.doctor.freebsd;

import java.util.Optional;

/**
 * What the FreeBSD checks read from the host. {@link RealFreeBsdHost} asks the running system (sysctl(8),
 * kldstat(8), files, FFM calls); tests pass fakes that return documented facts.
 */
public interface FreeBsdHost {
    /** {@code sysctl -n NAME}: the value as sysctl(8) prints it, or empty when the OID does not exist. */
    Optional<String> sysctl(String name);

    /** {@code kldstat -q -m MODULE} succeeded: the module is loaded or compiled into the kernel. */
    boolean kldLoaded(String module);

    boolean exists(String path);

    /** Whether this process may open {@code path} read-write. */
    boolean canReadWrite(String path);

    /** The text of a file (e.g. {@code /var/run/dmesg.boot}), or empty. */
    Optional<String> readFile(String path);

    boolean isRoot();

    String user();

    /** Which libvmmapi the bindings load, or why none. */
    Libvmmapi libvmmapi();

    /** Creates a throwaway VM and asks its kernel for snapshot support; see {@link SnapshotProbe}. */
    SnapshotProbe.Outcome probeSnapshot();

    /**
     * @param name    the soname or path that was loaded, or null
     * @param problem why none was loaded, or null
     */
    record Libvmmapi(String name, String problem) {
        public static Libvmmapi found(String name) {
            return new Libvmmapi(name, null);
        }

        public static Libvmmapi missing(String problem) {
            return new Libvmmapi(null, problem);
        }
    }
}
