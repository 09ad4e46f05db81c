package org.jbhyve.snapshot.format;

/**
 * Turns a chunk's record of one version into the record of the next version (one step: v to v+1).
 * A missing field the new version needs gets its default here; a field that changed meaning is
 * converted; a removed field may simply be left (readers ignore unknown fields) or dropped.
 */
@FunctionalInterface
public interface ChunkUpgrader {
    StateRecord upgrade(StateRecord previous) throws SnapshotFormatException;
}
