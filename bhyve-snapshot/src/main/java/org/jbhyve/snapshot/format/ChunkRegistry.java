package org.jbhyve.snapshot.format;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The chunk kinds a restoring jbhyve reads, each with the range of versions it accepts and the steps
 * that upgrade an older record to the current one (docs/snapshot-format.md, "Compatibility").
 *
 * <p>A chunk's <em>kind</em> is its name up to the first {@code '@'}: {@code dev.virtio-blk@pci.0.2.0}
 * is of kind {@code dev.virtio-blk}, so a device model registers once for all its slots. A kind may
 * also be registered under a full name; the full name wins.
 *
 * <pre>{@code
 * ChunkRegistry registry = new ChunkRegistry()
 *         .register("vm", 1, 1)
 *         .register("vcpu", 1, 1)
 *         // version 2 added "fifo_depth"; version 1 records get the old fixed depth
 *         .register("dev.com", 1, 2, v1 -> v1.toBuilder().putU32("fifo_depth", 16).build());
 * }</pre>
 */
public final class ChunkRegistry {
    private final Map<String, Kind> kinds = new LinkedHashMap<>();

    /**
     * One registered kind: reads versions {@code oldest..current}; {@code upgraders.get(i)} turns version
     * {@code oldest + i} into {@code oldest + i + 1}. A kind that is not {@code taken} is one the reader's
     * program knows but will not use ({@link #registerUntaken}): its chunks are read as stored, whatever
     * their version.
     */
    public record Kind(String name, int oldest, int current, List<ChunkUpgrader> upgraders, boolean taken) {
        public Kind {
            upgraders = List.copyOf(upgraders);
        }

        /** Upgrades {@code record} from {@code fromVersion} to {@link #current}, step by step. */
        StateRecord upgrade(StateRecord record, int fromVersion, String chunkLabel) throws SnapshotFormatException {
            StateRecord r = record;
            for (int v = fromVersion; v < current; v++) {
                ChunkUpgrader step = upgraders.get(v - oldest);
                try {
                    r = Objects.requireNonNull(step.upgrade(r), "the upgrader returned null");
                } catch (SnapshotFormatException e) {
                    throw new SnapshotFormatException(chunkLabel + " cannot be upgraded from version " + v + " to "
                            + (v + 1) + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    throw new SnapshotFormatException(null, chunkLabel + " cannot be upgraded from version " + v
                            + " to " + (v + 1) + ": " + e, e);
                }
            }
            return r;
        }
    }

    /**
     * Registers {@code kind} (a chunk name, or the part of it before {@code '@'}) as readable from version
     * {@code oldest} to {@code current}, with exactly {@code current - oldest} upgraders: the first turns
     * {@code oldest} into {@code oldest + 1}, and so on.
     */
    public ChunkRegistry register(String kind, int oldest, int current, ChunkUpgrader... upgraders) {
        Objects.requireNonNull(kind, "kind");
        if (!ChunkNames.validName(kind)) throw new IllegalArgumentException("invalid chunk kind '" + kind + "'");
        if (kind.equals(SnapshotFormat.RAM_CRC_CHUNK)) {
            throw new IllegalArgumentException("'" + kind + "' belongs to the container; it cannot be registered");
        }
        if (oldest < 1 || current < oldest) {
            throw new IllegalArgumentException("chunk kind '" + kind + "': versions must satisfy 1 <= oldest (" + oldest
                    + ") <= current (" + current + ")");
        }
        if (upgraders.length != current - oldest) {
            throw new IllegalArgumentException("chunk kind '" + kind + "' reads versions " + oldest + " to " + current
                    + " and so needs " + (current - oldest) + " upgraders, not " + upgraders.length);
        }
        for (ChunkUpgrader u : upgraders) Objects.requireNonNull(u, "upgrader");
        if (kinds.containsKey(kind)) throw new IllegalArgumentException("chunk kind '" + kind + "' is already registered");
        kinds.put(kind, new Kind(kind, oldest, current, Arrays.asList(upgraders), true));
        return this;
    }

    /**
     * Registers {@code kind} as known to this program but not taken by this restore (a device model the
     * VM being restored does not have), unless it is registered already. Its chunks are read as stored,
     * at any version, so that the restore can refuse them for what they are, state nothing in this VM
     * takes, rather than as a kind this program does not know (docs/snapshot-format.md §9.2).
     */
    public ChunkRegistry registerUntaken(String kind) {
        Objects.requireNonNull(kind, "kind");
        if (!ChunkNames.validName(kind) || kind.equals(SnapshotFormat.RAM_CRC_CHUNK)) {
            throw new IllegalArgumentException("invalid chunk kind '" + kind + "'");
        }
        kinds.putIfAbsent(kind, new Kind(kind, 1, 1, List.of(), false));
        return this;
    }

    /** The kind a chunk named {@code chunkName} belongs to: the exact name first, then the part before '@'. */
    public Optional<Kind> lookup(String chunkName) {
        Kind k = kinds.get(chunkName);
        if (k != null) return Optional.of(k);
        int at = chunkName.indexOf('@');
        return at > 0 ? Optional.ofNullable(kinds.get(chunkName.substring(0, at))) : Optional.empty();
    }

    /** The registered kinds in registration order. */
    public List<Kind> kinds() {
        return List.copyOf(kinds.values());
    }
}
