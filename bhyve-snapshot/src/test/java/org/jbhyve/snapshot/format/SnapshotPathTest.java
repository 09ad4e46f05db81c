package org.jbhyve.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the writer does when the snapshot's name, or a temporary file's, is not a regular file, and what the
 * reader does with a name that is not one: refused with one sentence, nothing replaced, nothing waited for.
 * A FIFO is the case that must not hang: opening one for reading waits for a writer.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SnapshotPathTest {
    @TempDir
    Path dir;

    private static void mkfifo(Path p) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor()).isZero();
    }

    private static void writeTo(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            TestSnapshots.writeSample(file, arena, 1);
        }
    }

    private static UUID idOf(Path file) throws IOException {
        try (SnapshotReader r = SnapshotReader.open(file)) {
            return r.header().snapshotId();
        }
    }

    @Test
    void aFifoAtTheSnapshotsNameIsRefusedAndLeftInPlace() throws Exception {
        Path fifo = dir.resolve("vm.snap");
        mkfifo(fifo);
        assertThatThrownBy(() -> writeTo(fifo)).isInstanceOf(SnapshotWriteException.class)
                .hasMessage("cannot write snapshot " + fifo + ": it exists and is a FIFO, and a checkpoint replaces only"
                        + " a regular file; remove it or choose another name");
        assertThat(Files.getAttribute(fifo, "unix:mode") instanceof Integer m && (m & 0170000) == 0010000).isTrue();
        assertThat(TestSnapshots.temporaries(dir, "vm.snap")).isEmpty();
    }

    @Test
    void aDeviceNodeAtTheSnapshotsNameIsRefused() throws Exception {
        // A copy of /dev/null's node in the test's directory: a checkpoint to it must not become a file.
        Path node = dir.resolve("null");
        Process mknod = new ProcessBuilder("mknod", node.toString(), "c", "1", "3").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod needs root (CAP_MKNOD)");
        assertThatThrownBy(() -> writeTo(node)).isInstanceOf(SnapshotWriteException.class)
                .hasMessageContaining("it exists and is a character device");
        assertThat(Files.isRegularFile(node)).isFalse();
    }

    @Test
    void aSymbolicLinkIsNeitherFollowedNorReplaced() throws Exception {
        Path real = dir.resolve("real.snap");
        writeTo(real);
        UUID before = idOf(real);
        Path link = Files.createSymbolicLink(dir.resolve("vm.snap"), real.getFileName());
        assertThatThrownBy(() -> writeTo(link)).isInstanceOf(SnapshotWriteException.class)
                .hasMessage("cannot write snapshot " + link + ": it is a symbolic link, and a snapshot is put in place by"
                        + " renaming a new file over the old one, which would replace the link instead of the file it"
                        + " points to; name that file, or remove the link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(idOf(real)).isEqualTo(before);
        // a dangling link too
        Path dangling = Files.createSymbolicLink(dir.resolve("gone.snap"), Path.of("nowhere"));
        assertThatThrownBy(() -> writeTo(dangling)).hasMessageContaining("it is a symbolic link");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
    }

    @Test
    void aDirectoryIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("vm.snap"));
        assertThatThrownBy(() -> SnapshotWriter.create(sub, TestSnapshots.metadata("8M", 2)))
                .isInstanceOf(SnapshotWriteException.class)
                .hasMessageContaining("it exists and is a directory");
        assertThat(TestSnapshots.temporaries(dir, "vm.snap")).isEmpty();
    }

    @Test
    void aNameTakenByAFifoWhileTheSnapshotIsWrittenIsNotReplacedAtCommit() throws Exception {
        Path file = dir.resolve("vm.snap");
        try (Arena arena = Arena.ofConfined();
             SnapshotWriter w = SnapshotWriter.create(file, TestSnapshots.metadata("8M", 2))) {
            w.addChunk("vm", "", 1, true, TestSnapshots.vmRecord());
            w.addRamRegion("lowmem", 0, TestSnapshots.ram(arena, 8 << 20, 0.25, 1));
            mkfifo(file);
            assertThatThrownBy(w::commit).isInstanceOf(SnapshotWriteException.class)
                    .hasMessageContaining("it exists and is a FIFO");
        }
        assertThat(Files.isRegularFile(file)).isFalse();
        assertThat(TestSnapshots.temporaries(dir, "vm.snap")).isEmpty();
    }

    @Test
    void aFifoNamedLikeAStaleTemporaryFileIsLeftAloneWithoutWaiting() throws Exception {
        Path fifo = dir.resolve(".vm.snap.tmp.0000000000000000");
        mkfifo(fifo);
        Path stale = dir.resolve(".vm.snap.tmp.00000000000000ff");
        Files.write(stale, new byte[10]);
        long start = System.nanoTime();
        writeTo(dir.resolve("vm.snap"));
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
        assertThat(Files.exists(fifo)).as("not a file this writer made").isTrue();
        assertThat(Files.exists(stale)).as("a dead writer's temporary file").isFalse();
        assertThat(idOf(dir.resolve("vm.snap"))).isNotNull();
    }

    @Test
    void theReaderRefusesAFifoADirectoryAndADeviceWithoutWaiting() throws Exception {
        Path fifo = dir.resolve("fifo.snap");
        mkfifo(fifo);
        assertThatThrownBy(() -> SnapshotReader.open(fifo)).isInstanceOf(IOException.class)
                .hasMessage("cannot open snapshot " + fifo + ": it is a FIFO, not a regular file; name the snapshot file"
                        + " itself");
        assertThatThrownBy(() -> SnapshotReader.verify(fifo)).hasMessageContaining("it is a FIFO");
        assertThatThrownBy(() -> SnapshotReader.open(dir)).hasMessageContaining("it is a directory, not a regular file");
        assertThatThrownBy(() -> SnapshotReader.open(Path.of("/dev/zero")))
                .hasMessageContaining("it is a character device, not a regular file");
    }

    @Test
    void aNameIsMeasuredInBytes() {
        String e120 = "é".repeat(120); // 240 bytes in UTF-8, 120 chars
        assertThatThrownBy(() -> SnapshotWriter.create(dir.resolve(e120), TestSnapshots.metadata("8M", 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is longer than 233 bytes (UTF-8)");
    }

    @Test
    void aPathThroughALinkAndDotDotIsResolvedByTheKernelNotTidiedAway() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real/sub"));
        Path link = Files.createSymbolicLink(dir.resolve("lnk"), real);
        writeTo(link.resolve("../vm.snap"));
        // lnk/.. is real/, not dir/: the file lands where the kernel says the path points
        assertThat(Files.isRegularFile(dir.resolve("real/vm.snap"))).isTrue();
        assertThat(Files.exists(dir.resolve("vm.snap"))).isFalse();
    }
}
