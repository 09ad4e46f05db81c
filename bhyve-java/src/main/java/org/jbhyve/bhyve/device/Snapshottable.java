package org.jbhyve.bhyve.device;

import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

/**
 * A device's migration payload, as propolis and Firecracker keep it: a named, versioned record next
 * to the device. Saved and restored with every vCPU stopped and devices paused.
 *
 * <p>Versioning: bump {@link #stateVersion()} when the meaning of a field changes or a field becomes
 * required; adding a field that has a sensible default does not need a bump (readers default missing
 * fields and ignore unknown ones). {@link #restoreState} receives the version the record was written
 * with, already upgraded by the chunk registry to a version this build understands.
 */
public interface Snapshottable {
    /** The chunk name, e.g. {@code dev.com1} or {@code dev.hostbridge@pci.0.0.0}. */
    String stateName();

    /** The version of the record {@link #saveState()} writes. */
    int stateVersion();

    /** Oldest record version {@link #restoreState} accepts (older ones are refused with a clear error). */
    default int oldestStateVersion() { return stateVersion(); }

    /** Steps that upgrade records from {@link #oldestStateVersion()} to {@link #stateVersion()}, one per version. */
    default java.util.List<org.jbhyve.snapshot.format.ChunkUpgrader> stateUpgraders() { return java.util.List.of(); }

    StateRecord saveState();

    /** Restores from a record; a value that cannot be honoured is a {@link SnapshotFormatException}. */
    void restoreState(StateRecord state, int version) throws SnapshotFormatException;
}
