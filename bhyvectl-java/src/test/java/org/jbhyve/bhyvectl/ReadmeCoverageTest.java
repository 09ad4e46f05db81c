package org.jbhyve.bhyvectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every option bhyvectl accepts ({@link Main#OPTIONS}, the one list the scanner reads) is in README.md and
 * in {@code bhyvectl --help}: a new option without either fails here, naming it.
 */
class ReadmeCoverageTest {
    private static String readme() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("README.md");
            if (Files.isRegularFile(f) && Files.readString(f).startsWith("# jbhyve\n")) return Files.readString(f);
        }
        throw new AssertionError("no README.md starting with '# jbhyve' above " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyOptionIsInTheReadmeAndInTheHelp() throws IOException {
        String readme = readme();
        List<String> notInReadme = new ArrayList<>(), notInHelp = new ArrayList<>();
        for (LongOptionScanner.Spec spec : Main.OPTIONS) {
            String option = "--" + spec.name();
            if (spec.name().equals(LongOptionScanner.HELP)) continue;
            String written = spec.takesValue() ? option + "=" : option;
            // In backquotes, as the README writes commands: `bhyvectl --vm=NAME --checkpoint=PATH`, `--json`.
            if (!readme.matches("(?s).*`[^`\n]*" + java.util.regex.Pattern.quote(written) + "[^`\n]*`.*")) notInReadme.add(written);
            if (!Main.USAGE.contains(written)) notInHelp.add(written);
        }
        assertThat(notInReadme).as("bhyvectl options (Main.OPTIONS) that README.md never shows in backquotes").isEmpty();
        assertThat(notInHelp).as("bhyvectl options (Main.OPTIONS) missing from bhyvectl --help (Main.USAGE)").isEmpty();
    }
}
