package org.jbhyve.bhyve.runtime;

import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every snapshot any past format version wrote (src/test/resources/snapshots/) still verifies,
 * restores, and its guest carries on counting from the saved counter.
 */
@RequiresKvm
class GoldenSnapshotKvmTest {
    private static final Duration T = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    static List<Path> fixtures() throws Exception {
        var url = GoldenSnapshotKvmTest.class.getResource("/snapshots");
        assertThat(url).as("test resource directory snapshots/ with the golden fixtures").isNotNull();
        try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".snap")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenSnapshotRestoresAndTheGuestContinues() throws Exception {
        List<Path> fixtures = fixtures();
        assertThat(fixtures).as("at least the format 1.0 fixture").isNotEmpty();
        return fixtures.stream().map(f -> DynamicTest.dynamicTest(f.getParent().getFileName() + "/" + f.getFileName(),
                () -> restoreAndContinue(f)));
    }

    private void restoreAndContinue(Path fixture) throws Exception {
        SnapshotReader.verify(fixture);
        try (BhyveRun run = BhyveRun.restore(fixture, List.of("-o", "control.dir=" + dir))) {
            long counter = run.runtime.vm().memory().readLong(TestGuests.DEMO_TICKS_ADDRESS);
            assertThat(counter).as("the demo's counter in the fixture").isPositive();
            run.awaitOutput(o -> o.contains("tick " + (counter + 1) + "\n"), T);
            assertThat(run.output()).doesNotContain("jbhyve demo guest");
            run.type("q");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

}
