package org.jbhyve.snapshot.format;

import org.jbhyve.bindings.libc.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system calls of a snapshot write failed through {@link Fs#faults}, as strace's fault injection does to
 * a running VM's checkpoint: EINTR, a signal that came before the call did anything, is retried and the
 * snapshot is written.
 */
class SnapshotWriterFaultTest {
    private static final String NAME = "s";
    /** What a writer that died (kill -9) left: the next writer removes it, with openat, fstat, flock, unlinkat. */
    private static final String STALE = "." + NAME + ".tmp.0123456789abcdef";
    private static final Set<PosixFilePermission> MODE_0600 =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    @TempDir
    Path dir;

    @AfterEach
    void noMoreFaults() {
        Fs.faults = null;
    }

    /** Writes a small snapshot over {@code dir/s}, by path or through a directory descriptor as bhyvectl sends it. */
    private void write(Arena arena, boolean throughDirFd) throws IOException {
        MemorySegment ram = TestSnapshots.ram(arena, 2 << 20, 0.02, 7);
        int dirFd = throughDirFd ? TestSnapshots.openDirectory(dir) : -1;
        try (SnapshotWriter w = throughDirFd ? SnapshotWriter.create(dirFd, NAME, TestSnapshots.metadata("2M", 1))
                : SnapshotWriter.create(dir.resolve(NAME), TestSnapshots.metadata("2M", 1))) {
            w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
            w.addRamRegion("lowmem", 0, ram);
            w.addChunk("dev.com1", "", 1, false, TestSnapshots.comRecord());
            w.commit();
        } finally {
            if (dirFd >= 0) TestSnapshots.close(dirFd);
        }
    }

    private void setUp(Arena arena) throws IOException {
        TestSnapshots.writeSample(dir.resolve(NAME), arena, 1);
        Files.writeString(dir.resolve(STALE), "left by a writer that was killed");
    }

    @Test
    void everyCallInterruptedBeforeItDidAnythingIsMadeAgain() throws Exception {
        for (boolean throughDirFd : new boolean[] {false, true}) {
            try (Arena arena = Arena.ofConfined()) {
                setUp(arena);
                // Every call fails with EINTR the first time it is made, and works the second.
                Map<String, Integer> seen = new HashMap<>();
                Fs.faults = call -> seen.merge(call, 1, Integer::sum) % 2 == 1 ? Errno.EINTR : 0;
                write(arena, throughDirFd);
                Fs.faults = null;
                assertThat(seen.keySet()).as("the write path's calls")
                        .contains("openat", "fstat", "fstatat", "flock", "unlinkat", "ftruncate", "pwrite", "fsync",
                                "renameat");
                SnapshotReader.verify(dir.resolve(NAME));
                assertThat(Files.getPosixFilePermissions(dir.resolve(NAME))).isEqualTo(MODE_0600);
                assertThat(TestSnapshots.temporaries(dir, NAME)).as("the stale temporary is removed too").isEmpty();
            }
        }
    }
}
