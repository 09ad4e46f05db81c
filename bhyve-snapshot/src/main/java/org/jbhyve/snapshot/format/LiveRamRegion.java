package org.jbhyve.snapshot.format;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

/**
 * A RAM region copied into the snapshot while the guest still runs (a live checkpoint, started with
 * {@link SnapshotWriter#beginLiveRamRegion}). The file ends up exactly as
 * {@link SnapshotWriter#addRamRegion} would have written it from the memory as it is when
 * {@link #finish()} is called:
 *
 * <ol>
 *   <li>{@link #copyAll} writes every non-zero page and the CRC of every block, as the paused writer
 *       does, while the guest may be changing them;</li>
 *   <li>{@link #copyPages} writes the pages the guest wrote since (from the hypervisor's dirty log):
 *       non-zero ones are written, ones that became zero are overwritten with zeros, and then the blocks
 *       holding them are summed again from memory;</li>
 *   <li>{@link #finish()}, with the guest paused and its last written pages copied by a last
 *       {@link #copyPages}, adds the region to the snapshot.</li>
 * </ol>
 *
 * <p>Why that is exact: a page the guest changes after the dirty log started is in some later log, so it
 * is written again, and its block summed again, after its last change. A page never in a later log has
 * not changed since it was last written and its block last summed, so that copy and that CRC stand. A
 * block is summed while the guest may still change it; such a change is in the next log, so the block is
 * summed again. So the pause only sums the blocks of the pages in the last log.
 *
 * <p>Not thread-safe: one thread copies, then finishes. A failed write abandons the whole snapshot.
 */
public final class LiveRamRegion {
    private static final long PAGE = SnapshotFormat.PAGE_SIZE;
    private static final long BLOCK = SnapshotFormat.BLOCK_SIZE;
    /** Longest run of pages written with one pwrite. */
    private static final long MAX_RUN = 64L << 20;

    private final SnapshotWriter writer;
    private final RamRegion placement;
    private final MemorySegment memory;
    private final String what;
    private final long pages;
    private final int[] crcs;
    /** Pages whose non-zero content is in the file (bit p%64 of word p/64). */
    private final long[] inFile;
    /** Blocks written by the {@link #copyPages} in progress: summed again at its end. */
    private final BitSet touchedBlocks = new BitSet();
    private boolean copiedAll;
    private boolean stopped;
    private boolean finished;
    private long bytesWritten;

    LiveRamRegion(SnapshotWriter writer, RamRegion placement, MemorySegment memory, String what) {
        this.writer = writer;
        this.placement = placement;
        this.memory = memory;
        this.what = what;
        this.pages = placement.size() / PAGE;
        this.crcs = new int[(int) ((placement.size() + BLOCK - 1) / BLOCK)];
        this.inFile = new long[words(pages)];
    }

    /** Words of a page bitmap for {@code pages} pages. */
    public static int words(long pages) {
        return (int) ((pages + 63) / 64);
    }

    /** Name, guest address, size and file offset of the region ({@code populatedPages} is 0 until finished). */
    public RamRegion placement() {
        return placement;
    }

    /** Bytes written to the file so far (page data and zeroed pages). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * The first pass: scans the region and writes every non-zero page, as {@link SnapshotWriter#addRamRegion}
     * does. {@code blocksWithData} as there (null: read every block). Start the dirty log before this, so
     * that whatever the guest changes while it runs is in a later {@link #copyPages}. {@code stop} is asked
     * before each 2 MiB block; once it says true the pass ends early, the region is unusable, and the
     * caller abandons the snapshot (a VM that ended need not wait for a pass over all its RAM).
     *
     * @return the bytes written
     */
    public long copyAll(BitSet blocksWithData, java.util.function.BooleanSupplier stop) throws IOException {
        check(!copiedAll, "copyAll was already called");
        copiedAll = true;
        long before = bytesWritten;
        java.util.function.BooleanSupplier stopping = () -> {
            if (!stop.getAsBoolean()) return false;
            stopped = true;
            return true;
        };
        try {
            long populated = writer.writeRam(memory, placement.fileOffset(), crcs, what, blocksWithData, inFile,
                    stopping);
            bytesWritten += populated * PAGE;
        } catch (Fs.ErrnoException e) {
            throw writer.failLive(e, what);
        } catch (RuntimeException | Error e) {
            writer.abortLive();
            throw e;
        }
        return bytesWritten - before;
    }

    /**
     * Writes the pages set in {@code dirty} (bit {@code p % 64} of word {@code p / 64} is region page
     * {@code p}; exactly {@link #words(long) words(pages)} words), as they are in memory now.
     *
     * @return how many pages were set
     */
    public long copyPages(long[] dirty) throws IOException {
        check(copiedAll, "copyAll must come first");
        check(!stopped, "copyAll was stopped");
        check(!finished, "the region is already finished");
        if (dirty.length != inFile.length) {
            throw new IllegalArgumentException("dirty page bitmap of " + dirty.length + " words for a region of " + pages
                    + " pages (" + inFile.length + " words)");
        }
        MemorySegment zero = SnapshotWriter.zeros();
        long count = 0, runStart = -1, runEnd = -1;
        try {
            for (int w = 0; w < dirty.length; w++) {
                for (long bits = dirty[w]; bits != 0; bits &= bits - 1) {
                    long page = (long) w * 64 + Long.numberOfTrailingZeros(bits);
                    if (page >= pages) throw new IllegalArgumentException("dirty page " + page + " is past the region's "
                            + pages + " pages");
                    count++;
                    long at = page * PAGE;
                    touchedBlocks.set((int) (at / BLOCK));
                    long bit = 1L << (page & 63);
                    if (MemorySegment.mismatch(memory, at, at + PAGE, zero, 0, PAGE) >= 0) {
                        if (runStart >= 0 && (runEnd != at || runEnd - runStart >= MAX_RUN)) {
                            write(memory, runStart, runEnd);
                            runStart = -1;
                        }
                        if (runStart < 0) runStart = at;
                        runEnd = at + PAGE;
                        inFile[w] |= bit;
                    } else if ((inFile[w] & bit) != 0) { // was written non-zero, is zero now
                        write(zero, 0, PAGE, at);
                        inFile[w] &= ~bit;
                    }
                }
            }
            if (runStart >= 0) write(memory, runStart, runEnd);
            sumTouchedBlocks();
        } catch (Fs.ErrnoException e) {
            throw writer.failLive(e, what);
        } catch (RuntimeException | Error e) {
            writer.abortLive();
            throw e;
        }
        return count;
    }

    /** Sums again, from memory, the blocks this {@link #copyPages} wrote pages of. */
    private void sumTouchedBlocks() {
        for (int b = touchedBlocks.nextSetBit(0); b >= 0; b = touchedBlocks.nextSetBit(b + 1)) {
            long start = b * BLOCK;
            crcs[b] = SnapshotWriter.crc32c(memory.asSlice(start, Math.min(BLOCK, placement.size() - start)));
        }
        touchedBlocks.clear();
    }

    private void write(MemorySegment from, long start, long end) throws Fs.ErrnoException {
        write(from, start, end - start, start);
    }

    private void write(MemorySegment from, long start, long length, long regionOffset) throws Fs.ErrnoException {
        long fileOffset = placement.fileOffset() + regionOffset;
        Fs.pwriteFully(writer.fileDescriptor(), from.asSlice(start, length), fileOffset,
                what + " at file offset 0x" + Long.toHexString(fileOffset));
        bytesWritten += length;
    }

    /**
     * Ends the region, with the guest paused and every page it wrote since the previous {@link #copyPages}
     * copied by a last one: the memory equals the file now. Adds the region to the snapshot, as
     * {@link SnapshotWriter#addRamRegion} would have.
     */
    public RamRegion finish() {
        check(copiedAll, "copyAll must come first");
        check(!stopped, "copyAll was stopped");
        check(!finished, "the region is already finished");
        finished = true;
        long populated = 0;
        for (long word : inFile) populated += Long.bitCount(word);
        return writer.finishLive(this, new RamRegion(placement.name(), placement.gpa(), placement.size(),
                placement.fileOffset(), populated), crcs);
    }

    private void check(boolean condition, String problem) {
        if (!condition) throw new IllegalStateException("live RAM region '" + placement.name() + "': " + problem);
    }
}
