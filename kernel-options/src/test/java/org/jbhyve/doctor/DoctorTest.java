package org.jbhyve.doctor;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DoctorTest {
    static final Platform WINDOWS = new Platform("Windows 11", "10.0", "amd64", Runtime.version(), "C:\\jdk", true,
            false, "bob");

    @Test
    void unsupportedOsRunsOnlyTheCommonChecks() {
        Report r = Doctor.probe(WINDOWS, () -> {
            throw new AssertionError();
        }, () -> {
            throw new AssertionError();
        }, Doctor.Options.DEFAULT);
        assertThat(r.results()).extracting(Result::check).containsExactly("jdk", "native-access", "platform");
        assertThat(r.result("platform").status()).isEqualTo(Status.FAIL);
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.text()).contains("summary: 2 OK, 0 WARN, 1 FAIL, 0 SKIP: something jbhyve needs is missing");
    }

    @Test
    void aCheckThatThrowsBecomesAFailure() {
        Check broken = new Check() {
            @Override
            public String id() { return "broken"; }

            @Override
            public Result run() { throw new IllegalStateException("boom"); }
        };
        List<Result> results = Doctor.runAll(List.of(broken));
        assertThat(results.getFirst().status()).isEqualTo(Status.FAIL);
        assertThat(results.getFirst().message()).contains("IllegalStateException: boom");
    }

    @Test
    void problemsMustCarryAFix() {
        assertThatThrownBy(() -> Result.fail("x", "broken", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Result.warn("x", "slow", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Result.ok("x", "fine").with("n", 1).with("skip", null).data()).isEqualTo(Map.of("n", 1));
    }

    @Test
    void commandLine() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        assertThat(Doctor.run(new String[] {"--bogus"}, new PrintStream(out), new PrintStream(err))).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument '--bogus'", "usage: bhyve-doctor");
        assertThat(Doctor.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--json", "--no-bench", "Exit status: 0");
    }

    @Test
    void jsonEscapes() {
        assertThat(Json.write(Map.of("k", "a\"b\\c\nd\u0001"))).isEqualTo("{\n  \"k\": \"a\\\"b\\\\c\\nd\\u0001\"\n}\n");
        assertThat(Json.write(List.of(1, 2.5, true, Status.OK))).isEqualTo("[\n  1,\n  2.5,\n  true,\n  \"OK\"\n]\n");
        assertThat(Json.write(Double.NaN)).isEqualTo("null\n");
    }
}
