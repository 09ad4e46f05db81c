package org.jbhyve.bhyve.runtime;

import java.nio.file.Path;

/** Where a checkpoint goes: a path, or a directory descriptor plus a name (what bhyvectl sends). */
public sealed interface SnapshotTarget {
    record File(Path path) implements SnapshotTarget {}

    record InDirectory(int dirFd, String name) implements SnapshotTarget {}
}
