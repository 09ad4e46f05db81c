package org.jbhyve.bhyvectl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launchers' shell functions (bin/lib/jdk.sh, bin/lib/run-java.sh), which use bash builtins only so
 * that a start forks no helper process: reading a JDK's feature version from its release file, and
 * finding a module's jar among its sources and tests jars.
 */
class LauncherScriptsTest {
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** Runs {@code script} in bash with the launcher libraries sourced; returns stdout (stderr appended). */
    private static String bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". bin/lib/jdk.sh; . bin/lib/run-java.sh; " + script)
                .directory(TOP.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private Path jdk(String name, String release) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        if (release != null) Files.writeString(home.resolve("release"), release);
        return home;
    }

    @Test
    void theFeatureVersionComesFromTheReleaseFile() throws Exception {
        Path j25 = jdk("j25", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\nJAVA_VERSION_DATE=\"2026-04-21\"\n");
        Path j17 = jdk("j17", "JAVA_VERSION=\"17.0.15\"\n");
        Path j8 = jdk("j8", "JAVA_VERSION=\"1.8.0_392\"\n");
        Path j26 = jdk("j26", "JAVA_VERSION=\"26\"\n");
        Path none = jdk("none", null);
        Path odd = jdk("odd", "JAVA_VERSION_DATE=\"2026-04-21\"\nJAVA_VERSION=unquoted\n");
        Path nonl = jdk("nonl", "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"25.0.1\""); // no newline at the end
        String out = bash("for d in " + String.join(" ", List.of(j25, j17, j8, j26, none, odd, nonl).stream()
                .map(Path::toString).toList()) + "; do jbhyve_read_java_major \"$d\"; echo \"${d##*/} $? [$JBHYVE_MAJOR]\"; done;"
                + " jbhyve_java_major " + j25 + "; jbhyve_java_major " + none + "; echo \"printed $?\"");
        assertThat(out.lines().toList()).containsExactly(
                "j25 0 [25]", "j17 0 [17]", "j8 0 [1]", "j26 0 [26]", "none 1 []", "odd 1 []", "nonl 0 [25]", "25",
                "printed 1");
    }

    @Test
    void theModuleJarIsNotASourcesOrTestsJarWhereverTheCheckoutIs() throws Exception {
        Path top = Files.createDirectories(dir.resolve("tests/checkout")); // "tests" in the path
        Path target = Files.createDirectories(top.resolve("m/target"));
        for (String jar : List.of("m-1.0-sources.jar", "m-1.0-tests.jar", "m-1.0.jar")) Files.createFile(target.resolve(jar));
        String out = bash("jbhyve_module_jar m " + top + "; echo \"$? $JBHYVE_JAR\"; jbhyve_module_jar x " + top
                + "; echo \"$? [$JBHYVE_JAR]\"");
        assertThat(out.lines().toList()).containsExactly("0 " + target.resolve("m-1.0.jar"), "1 []");
    }

    /** bhyvectl's commands are short-lived and run on C1 alone; bhyve, whose VMs run for hours, keeps C2. */
    @Test
    void onlyBhyvectlRunsWithoutC2() throws Exception {
        String out = bash("for m in bhyvectl-java bhyve-java; do jbhyve_java_command $m /top /top/$m/target/$m.jar;"
                + " printf '%s %s\\n' $m \"${JBHYVE_JAVA[*]}\"; done");
        assertThat(out.lines().filter(l -> l.startsWith("bhyvectl-java ")).findFirst().orElseThrow())
                .contains("-XX:CompilationMode=quick-only");
        assertThat(out.lines().filter(l -> l.startsWith("bhyve-java ")).findFirst().orElseThrow())
                .doesNotContain("CompilationMode");
    }

    /**
     * bin/bhyve, not bin/bhyvectl: this module's own jar does not exist yet while its tests run, and a
     * launcher without its jar builds it. bhyve-java is a dependency, packaged before these tests.
     */
    @Test
    void aLauncherRunFromItsOwnDirectoryFindsItsLibraries() throws Exception {
        try (var target = Files.list(TOP.resolve("bhyve-java/target"))) {
            assumeTrue(target.anyMatch(p -> p.getFileName().toString().matches("bhyve-java-.*\\.jar")),
                    "bhyve-java is not packaged in this build (mvn test?): the launcher needs its jar; run ./mvnw install");
        }
        Process p = new ProcessBuilder("bash", "bhyve", "-h").directory(TOP.resolve("bin").toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain("building").startsWith("Usage: bhyve");

        // Installed as a symlink elsewhere (/usr/sbin/bhyve -> .../bin/bhyve), run from another directory.
        Path link = Files.createSymbolicLink(dir.resolve("bhyve"), TOP.resolve("bin/bhyve"));
        Process q = new ProcessBuilder(link.toString(), "-h").directory(dir.toFile()).redirectErrorStream(true).start();
        String viaLink = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(viaLink).startsWith("Usage: bhyve");
    }
}
