package org.jbhyve.snapshot.format;

import java.util.function.Consumer;

/**
 * How {@link SnapshotReader#open} reads a snapshot.
 *
 * @param registry  the chunk kinds this build restores, with their version ranges and upgraders; null to
 *                  read every chunk as stored without compatibility decisions (inspect, verify)
 * @param verifyRam also read all of RAM and check its block CRCs before returning (slow for big guests;
 *                  restore does not, see docs/snapshot-format.md, "Guest RAM")
 * @param warnings  where skipped-chunk warnings go besides {@link SnapshotReader#warnings()}; null for
 *                  the {@code System.Logger} of this package
 * @param showDamage for inspection only: a chunk that fails its checksum or cannot be decoded is delivered
 *                  as {@link Chunk.Status#DAMAGED} (no record) instead of refusing the file, so that the
 *                  rest can still be shown; {@link SnapshotReader#damage()} lists what is wrong. The header,
 *                  the manifest and the layout must still be sound.
 */
public record ReadOptions(ChunkRegistry registry, boolean verifyRam, Consumer<String> warnings, boolean showDamage) {

    /** Every chunk as stored, no RAM verification. */
    public static ReadOptions inspect() {
        return new ReadOptions(null, false, null, false);
    }

    /** Restore: chunks checked against and upgraded through {@code registry}. */
    public static ReadOptions restore(ChunkRegistry registry) {
        return new ReadOptions(java.util.Objects.requireNonNull(registry, "registry"), false, null, false);
    }

    public ReadOptions withVerifyRam(boolean verify) {
        return new ReadOptions(registry, verify, warnings, showDamage);
    }

    public ReadOptions withWarnings(Consumer<String> sink) {
        return new ReadOptions(registry, verifyRam, sink, showDamage);
    }

    /** Inspection of a damaged file: see {@link #showDamage}. Only without a registry (nothing is restored). */
    public ReadOptions withShowDamage(boolean show) {
        if (show && registry != null) throw new IllegalArgumentException("a restore never reads damaged chunks");
        return new ReadOptions(registry, verifyRam, warnings, show);
    }
}
