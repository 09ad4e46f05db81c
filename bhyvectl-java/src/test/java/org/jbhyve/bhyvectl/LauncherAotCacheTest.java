package org.jbhyve.bhyvectl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bin/bhyve and the JDK AOT cache the build makes (bhyve-java/target/bhyve-java.aot, bin/lib/aot-train.sh):
 * used while fresh, left out when a jar is newer or JBHYVE_AOT=off, and really mapped by the JVM. Runs
 * on a copy of the launcher and bhyve-java's target/ (timestamps kept), so that the tree under test is
 * never touched; the copy being elsewhere (on tmpfs when there is one) also shows that the cache
 * survives a moved installation. bhyve-java is packaged before this module (it is a dependency), so
 * the cache must exist, unless the build was told not to make one (-Djbhyve.aot.skip=true).
 */
class LauncherAotCacheTest {
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static final String AOT = "bhyve-java/target/bhyve-java.aot";

    @TempDir
    static Path tempDir;
    static Path copy;

    @BeforeAll
    static void copyTheLauncherAndBhyveJava() throws Exception {
        assumeFalse(Boolean.getBoolean("jbhyve.aot.skip"), "built with -Djbhyve.aot.skip=true: there is no AOT cache to test");
        try (var target = Files.list(TOP.resolve("bhyve-java/target"))) {
            assumeTrue(target.anyMatch(p -> p.getFileName().toString().matches("bhyve-java-.*\\.jar")),
                    "bhyve-java is not packaged in this build (mvn test?): the launcher needs its jar; run ./mvnw install");
        }
        assertThat(TOP.resolve(AOT)).as("the build makes %s when it packages bhyve-java (unless -Djbhyve.aot.skip=true); "
                + "see bhyve-java/target/aot-training.log", AOT).isRegularFile();
        // On tmpfs when there is one: another file system lists a directory in another order, which
        // broke a cache whose class path said "lib/*".
        Path shm = Path.of("/dev/shm");
        copy = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "jbhyve-launcher-") : tempDir;
        Files.createDirectories(copy.resolve("bhyve-java"));
        run(List.of("cp", "-rp", TOP.resolve("bin").toString(), copy.toString()), Map.of());
        Path target = copy.resolve("bhyve-java/target");
        Files.createDirectories(target);
        try (var jars = Files.list(TOP.resolve("bhyve-java/target"))) {
            for (Path p : jars.filter(p -> p.getFileName().toString().matches("bhyve-java-.*\\.jar|lib|bhyve-java\\.aot")).toList()) {
                run(List.of("cp", "-rp", p.toString(), target.toString()), Map.of());
            }
        }
    }

    @Test
    void aFreshCacheIsUsedAndTheJvmMapsIt() throws Exception {
        List<String> java = javaCommand(Map.of());
        assertThat(java).contains("-XX:AOTCache=" + copy.resolve(AOT));
        // -XX:AOTMode=on: the JVM exits with an error instead of running without a cache it cannot map.
        List<String> strict = new ArrayList<>(java.subList(0, java.size() - 2));
        strict.add("-XX:AOTMode=on");
        strict.add("-Xlog:aot=error:stderr");
        strict.addAll(List.of("org.jbhyve.bhyve.Main", "-h"));
        Result r = run(strict, Map.of());
        assertThat(r.status).as("bhyve -h with -XX:AOTMode=on; stderr: %s", r.err).isZero();
        assertThat(r.err).contains("Usage: bhyve");
    }

    @Test
    void aJarNewerThanTheCacheOrJbhyveAotOffLeavesItOut() throws Exception {
        assertThat(javaCommand(Map.of("JBHYVE_AOT", "off"))).noneMatch(a -> a.startsWith("-XX:AOTCache"));
        Path lib;
        try (var jars = Files.list(copy.resolve("bhyve-java/target/lib"))) {
            lib = jars.findFirst().orElseThrow();
        }
        FileTime was = Files.getLastModifiedTime(lib);
        Files.setLastModifiedTime(lib, FileTime.from(Instant.now().plusSeconds(60)));
        try {
            assertThat(javaCommand(Map.of())).noneMatch(a -> a.startsWith("-XX:AOTCache"));
        } finally {
            Files.setLastModifiedTime(lib, was);
        }
        assertThat(javaCommand(Map.of())).anyMatch(a -> a.startsWith("-XX:AOTCache"));
    }

    @Test
    void jvmLogOutputGoesToStderrNotToAGuestConsoleOnStdout() throws Exception {
        assertThat(javaCommand(Map.of())).containsSubsequence("-Xlog:disable", "-Xlog:all=warning,aot*=off:stderr");
    }

    @Test
    void theClassPathNamesEveryJarInSortedOrder() throws Exception {
        List<String> java = javaCommand(Map.of());
        List<String> entries = List.of(java.get(java.indexOf("-cp") + 1).split(":"));
        assertThat(entries).noneMatch(e -> e.contains("*"));
        List<String> libs = entries.subList(1, entries.size());
        assertThat(libs).isSorted().hasSizeGreaterThan(3).allMatch(e -> e.startsWith(copy.resolve("bhyve-java/target/lib") + "/"));
    }

    @AfterAll
    static void removeTheCopy() throws IOException {
        if (copy != null && !copy.equals(tempDir)) {
            try (var paths = Files.walk(copy)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What bin/bhyve would run for {@code bhyve -h} (JBHYVE_PRINT_JAVA=1). */
    private static List<String> javaCommand(Map<String, String> env) throws Exception {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("JBHYVE_PRINT_JAVA", "1");
        Result r = run(List.of(copy.resolve("bin/bhyve").toString(), "-h"), e);
        assertThat(r.status).as("bin/bhyve with JBHYVE_PRINT_JAVA=1; stderr: %s", r.err).isZero();
        List<String> lines = r.out.lines().toList();
        assertThat(lines).endsWith("org.jbhyve.bhyve.Main", "-h");
        return lines;
    }

    private record Result(int status, String out, String err) {}

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("launcher", ".out"), err = Files.createTempFile("launcher", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
