package org.jbhyve.bhyvectl;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** POSIX dirname/basename, as bhyvectl splits --checkpoint/--suspend paths. */
class CheckpointTargetTest {
    @ParameterizedTest(name = "{0} -> {1} + {2}")
    @CsvSource(delimiter = '|', value = {
            "snap1|.|snap1",
            "/vms/snap1|/vms|snap1",
            "/vms/a/b|/vms/a|b",
            "vms/snap1|vms|snap1",
            "./snap1|.|snap1",
            "../snap1|..|snap1",
            "/snap1|/|snap1",
            "//snap1|/|snap1",
            "/vms//snap1|/vms|snap1",
            "/vms/a/|/vms|a",
            "/vms/a//|/vms|a",
            "/|/|/",
            "///|/|/",
            ".|.|.",
            "..|.|..",
            "a/..|a|..",
    })
    void splitsLikePosix(String path, String dir, String base) {
        CheckpointTarget t = CheckpointTarget.of(path);
        assertThat(t.directory()).isEqualTo(dir);
        assertThat(t.fileName()).isEqualTo(base);
    }

    @ParameterizedTest
    @CsvSource({"/", ".", "..", "a/.."})
    void directoriesAreNotFileNames(String path) {
        assertThat(CheckpointTarget.of(path).problem()).contains("is a directory");
    }

    @ParameterizedTest
    @CsvSource({"snap1", "/vms/s.ckp", "é"})
    void fileNamesAreFine(String path) {
        assertThat(CheckpointTarget.of(path).problem()).isNull();
    }

    @org.junit.jupiter.api.Test
    void longNamesAreRefused() {
        assertThat(CheckpointTarget.of("/x/" + "a".repeat(255)).problem()).isNull();
        assertThat(CheckpointTarget.of("/x/" + "a".repeat(256)).problem()).contains("256 bytes");
        assertThat(CheckpointTarget.of("").fileName()).isEqualTo(".");
    }
}
