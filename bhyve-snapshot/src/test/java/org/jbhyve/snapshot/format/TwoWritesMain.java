package org.jbhyve.snapshot.format;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * The child process of {@link SnapshotWriterFaultTest#aFailedReadOfJavaSecurityDoesNotBreakLaterCheckpoints}:
 * the first two snapshots a fresh JVM writes to {@code DIR/s}, each reported as "write N: ok" or
 * "write N: failed: EXCEPTION".
 */
public final class TwoWritesMain {
    private TwoWritesMain() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]).resolve("s");
        for (int n = 1; n <= 2; n++) {
            try (Arena arena = Arena.ofConfined();
                 SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("2M", 1))) {
                w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                w.addRamRegion("lowmem", 0, TestSnapshots.ram(arena, 2 << 20, 0.02, n));
                w.commit();
                System.out.println("write " + n + ": ok");
            } catch (Throwable e) { // NoClassDefFoundError included: that is what this child looks for
                System.out.println("write " + n + ": failed: " + e);
            }
        }
    }
}
