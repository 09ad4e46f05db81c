package org.jbhyve.snapshot.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast 256 MiB of touched guest memory is saved, against the same bytes written sequentially by
 * FileChannel and forced to disk. A measurement, printed for the record; the assertion only catches a
 * writer that is grossly slower than the disk (benchmarks, not tests, hold speed targets).
 */
class SnapshotWriterThroughputTest {
    @TempDir
    Path dir;

    @Test
    void savingTouchedMemoryRunsAtDiskSpeed() throws Exception {
        long size = 256L << 20;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(size, 4096);
            for (long p = 0; p < size; p += 4096) ram.set(java.lang.foreign.ValueLayout.JAVA_LONG, p, p * 0x9e3779b97f4a7c15L | 1);

            double baseline = Double.MAX_VALUE, writer = Double.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                Path raw = dir.resolve("raw");
                long t0 = System.nanoTime();
                try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    var buf = ram.asByteBuffer();
                    while (buf.hasRemaining()) ch.write(buf);
                    ch.force(true);
                }
                baseline = Math.min(baseline, (System.nanoTime() - t0) / 1e9);
                Files.delete(raw);

                Path snap = dir.resolve("snap");
                t0 = System.nanoTime();
                try (SnapshotWriter w = SnapshotWriter.create(snap, TestSnapshots.metadata("256M", 1))) {
                    w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                    w.addRamRegion("lowmem", 0, ram);
                    w.commit();
                }
                writer = Math.min(writer, (System.nanoTime() - t0) / 1e9);
                Files.delete(snap);
            }
            double mib = size / (double) (1 << 20);
            System.out.printf("256 MiB touched: FileChannel write+force %.0f MiB/s (%.3f s), SnapshotWriter %.0f MiB/s"
                    + " (%.3f s, scan + CRC32C + pwrite + fsync + rename)%n", mib / baseline, baseline, mib / writer, writer);
            assertThat(writer).isLessThan(3 * baseline + 1.0);
        }
    }
}
