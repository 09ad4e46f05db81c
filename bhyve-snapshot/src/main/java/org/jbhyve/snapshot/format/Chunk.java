package org.jbhyve.snapshot.format;

/**
 * A chunk as the reader delivers it.
 *
 * @param entry   what the manifest says about it
 * @param record  its state, upgraded to {@link #version}; null when {@link Status#SKIPPED} or {@link Status#DAMAGED}
 * @param version the version of {@link #record}: the stored one, or the current one after an upgrade
 * @param status  how it was read
 * @param note    why it was skipped or is damaged, or how it was upgraded; null when read as stored
 */
public record Chunk(ChunkEntry entry, StateRecord record, int version, Status status, String note) {

    public enum Status {
        /** Read as stored (its version is current, or no registry was given). */
        READ,
        /** Read and upgraded from an older version to the current one. */
        UPGRADED,
        /** Optional, and not readable by this build (unknown kind, too new or too old): left out, with a warning. */
        SKIPPED,
        /** Fails its checksum or cannot be decoded; delivered only to inspection ({@link ReadOptions#showDamage}). */
        DAMAGED
    }

    public String name() {
        return entry.name();
    }

    public String instance() {
        return entry.instance();
    }
}
