package org.jbhyve.snapshot.format;

/**
 * One range of guest RAM stored in the snapshot (docs/snapshot-format.md, "Guest RAM"): guest physical
 * address {@code gpa} to {@code gpa + size} is at file offset {@code fileOffset} to
 * {@code fileOffset + size}, byte for byte, with all-zero pages left as holes.
 *
 * @param name           a label such as {@code lowmem} or {@code highmem}
 * @param gpa            guest physical base address (a multiple of 4 KiB)
 * @param size           bytes (a multiple of 4 KiB)
 * @param fileOffset     where the region starts in the file (a multiple of 2 MiB)
 * @param populatedPages how many 4 KiB pages were non-zero when saved (the rest are holes)
 */
public record RamRegion(String name, long gpa, long size, long fileOffset, long populatedPages) {

    /** Number of 2 MiB checksum blocks (the last one may be shorter). */
    public int blockCount() {
        return (int) ((size + SnapshotFormat.BLOCK_SIZE - 1) / SnapshotFormat.BLOCK_SIZE);
    }

    public long pageCount() {
        return size / SnapshotFormat.PAGE_SIZE;
    }
}
