package org.jbhyve.bhyve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.cli.ParsedCommandLine;
import org.jbhyve.bhyve.runtime.VmRuntime;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bhyve -r} reads the snapshot's config first and maps its RAM and restores its state later, each by
 * name. A snapshot renamed over that name in between (a checkpoint to the same path does exactly that), or
 * the file rewritten in place, must not give the VM one file's config and another's RAM: the restore is
 * refused. Real /dev/kvm, the golden demo snapshot.
 */
@RequiresKvm
class RestoreFileIdentityKvmTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        Path golden = Path.of(RestoreFileIdentityKvmTest.class.getResource("/snapshots/format-1.0/demo-4m.snap").toURI());
        return Files.copy(golden, dir.resolve(name));
    }

    private Throwable restoreWhile(Path file, Runnable betweenOpenAndBuild) {
        ParsedCommandLine cmd = BhyveCommandLine.parse(new String[] {"-r", file.toString(), "-l", "com1,stdio", "-o",
                "control.dir=" + dir, "identity"});
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        AtomicBoolean ran = new AtomicBoolean();
        Throwable t = catchThrowable(() -> {
            try (VmRuntime vm = Main.restore(file, cmd, err, () -> {
                betweenOpenAndBuild.run();
                ran.set(true);
            })) {
                assertThat(vm).as("a VM was built").isNull();
            }
        });
        assertThat(ran).isTrue();
        return t;
    }

    @Test
    void aSnapshotRenamedOverTheNameBeforeTheRamIsMappedIsRefused() throws Exception {
        Path file = fixture("vm.snap");
        Path other = fixture("other.snap"); // the same bytes, another file
        Throwable t = restoreWhile(file, () -> {
            try {
                Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(t).hasMessage("cannot map guest RAM from " + file + ": it is no longer the file that was checked (it"
                + " was replaced or changed since it was opened); try again once nothing writes it");
    }

    @Test
    void aSnapshotRewrittenInPlaceIsRefused() throws Exception {
        Path file = fixture("vm.snap");
        Throwable t = restoreWhile(file, () -> {
            try {
                Files.write(file, Files.readAllBytes(file)); // same inode, same bytes, a new change time
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(t).hasMessageContaining("it is no longer the file that was checked");
    }

    @Test
    void aSnapshotRewrittenInPlaceWithItsModificationTimePutBackIsRefused() throws Exception {
        // rsync --inplace -t, or cp -p over it: same inode, same length, same mtime; only the change time tells.
        Path file = fixture("vm.snap");
        var mtime = Files.getLastModifiedTime(file);
        Throwable t = restoreWhile(file, () -> {
            try {
                Files.write(file, Files.readAllBytes(file));
                Files.setLastModifiedTime(file, mtime);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(t).hasMessageContaining("it is no longer the file that was checked");
    }
}
