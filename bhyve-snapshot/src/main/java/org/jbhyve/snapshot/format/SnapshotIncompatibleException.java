package org.jbhyve.snapshot.format;

/**
 * The snapshot is intact but this build cannot restore it: its format major version is newer than
 * this reader's, or a required chunk is of an unknown kind, newer than this build reads, or older than
 * the oldest version it still upgrades. The message says which chunk and what to do, e.g.
 * {@code snapshot /x/s1: chunk 'dev.virtio-blk@pci.0.2.0' is version 3; this jbhyve reads up to version
 * 2: use a newer jbhyve to restore it}.
 */
public class SnapshotIncompatibleException extends SnapshotFormatException {
    private static final long serialVersionUID = 1L;

    public SnapshotIncompatibleException(String file, String problem) {
        super(file, problem);
    }
}
