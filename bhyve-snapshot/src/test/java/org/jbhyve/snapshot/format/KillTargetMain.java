package org.jbhyve.snapshot.format;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The child process of {@link SnapshotAtomicityTest#killDash9AtRandomMomentsNeverLeavesABadSnapshot}:
 * writes snapshot {@code DIR/NAME} of {@code MIB} MiB over and over until killed, printing "started"
 * once and "committed N" after each commit.
 */
public final class KillTargetMain {
    private KillTargetMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).resolve(args[1]);
        long size = Long.parseLong(args[2]) << 20;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(size, 4096);
            System.out.println("started");
            System.out.flush();
            for (int i = 0; ; i++) {
                // Cheap to fill, so the child spends its time writing and committing and the kills land in
                // every phase: a prefix of RAM (a quarter to all of it) changes with i, in a few long runs.
                long end = size * (1 + i % 4) / 4;
                for (long p = 0; p < end; p += 4096) {
                    ram.set(java.lang.foreign.ValueLayout.JAVA_LONG, p, (p + 1) * 31 + i);
                }
                try (SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata(args[2] + "M", 2))) {
                    w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
                    w.addChunk("vcpu", "0", 1, true, TestSnapshots.vcpuRecord(0));
                    w.addChunk("vcpu", "1", 1, true, TestSnapshots.vcpuRecord(1));
                    w.addRamRegion("lowmem", 0, ram);
                    w.addChunk("dev.com1", "", 1, true, TestSnapshots.comRecord());
                    w.commit();
                }
                System.out.println("committed " + i);
                System.out.flush();
            }
        }
    }
}
