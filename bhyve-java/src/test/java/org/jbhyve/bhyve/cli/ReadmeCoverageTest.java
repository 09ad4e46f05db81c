package org.jbhyve.bhyve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The README documents every option bhyve takes and every device it knows: the option letters come from
 * the scanner's option string and the devices from {@link Emulations}, the one place each is declared,
 * so a new option or emulation without a README entry (and a bhyve -h line) fails here, naming it.
 */
class ReadmeCoverageTest {
    /** The checkout's README.md: the first one above the working directory that is jbhyve's. */
    static String readme() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("README.md");
            if (Files.isRegularFile(f) && Files.readString(f).startsWith("# jbhyve\n")) return Files.readString(f);
        }
        throw new AssertionError("no README.md starting with '# jbhyve' above " + Path.of("").toAbsolutePath());
    }

    /** The text of the section headed {@code heading} up to the next heading of the same or a higher level. */
    static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README.md has a section '%s'", heading).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = start + heading.length() + 2;
        while (true) {
            int next = readme.indexOf("\n#", end);
            if (next < 0) return readme.substring(start);
            String rest = readme.substring(next + 1);
            int hashes = rest.indexOf(' ');
            if (hashes > 0 && hashes <= level.length() - 1 && rest.substring(0, hashes).chars().allMatch(c -> c == '#')) {
                return readme.substring(start, next);
            }
            end = next + 1;
        }
    }

    @Test
    void everyOptionLetterIsInTheReadmeAndInBhyveH() throws IOException {
        String commandLine = section(readme(), "## bhyve command line");
        String usage = Usage.text("bhyve");
        List<String> notInReadme = new ArrayList<>(), notInUsage = new ArrayList<>();
        for (char letter : (GetoptScanner.FLAGS + GetoptScanner.WITH_ARGUMENT).toCharArray()) {
            String option = "-" + letter;
            if (!commandLine.contains("`" + option + "`") && !commandLine.contains("`" + option + " ")) notInReadme.add(option);
            if (!usage.contains("\n       " + option + ":")) notInUsage.add(option);
        }
        assertThat(notInReadme).as("options bhyve accepts (GetoptScanner) that README.md's 'bhyve command line'"
                + " section does not mention as `-X`").isEmpty();
        assertThat(notInUsage).as("options bhyve accepts (GetoptScanner) without a '-X:' line in bhyve -h (Usage)")
                .isEmpty();
    }

    @Test
    void everyEmulationIsListedAsImplementedOrNot() throws IOException {
        String readme = readme();
        String emulations = section(readme, "### Implemented emulations");
        int cut = emulations.indexOf("Every other bhyve");
        assertThat(cut).as("the 'Implemented emulations' section names the unimplemented ones after 'Every other bhyve'")
                .isPositive();
        String implemented = emulations.substring(0, cut), notYet = emulations.substring(cut);
        int lpcStart = implemented.indexOf("LPC");
        String pciImplemented = implemented.substring(0, lpcStart), lpcImplemented = implemented.substring(lpcStart);
        List<String> wrong = new ArrayList<>();
        for (Emulations.Pci e : Emulations.pci()) {
            boolean listed = e.implemented() ? pciImplemented.contains("`" + e.name() + "`") : notYet.contains(e.name());
            if (!listed) wrong.add("-s " + e.name() + (e.implemented() ? " (implemented)" : " (not yet)"));
        }
        String newKeys = section(readme, "### New config keys and option values");
        for (Emulations.Lpc d : Emulations.lpc()) {
            boolean listed = d.implemented() ? lpcImplemented.contains("`" + d.name()) || lpcImplemented.contains(d.name() + "`")
                    : notYet.contains("`-l " + d.name() + "`");
            // jbhyve's own devices (their description says so) are new option values: they need a row there too.
            if (d.description().startsWith("jbhyve")) listed &= newKeys.contains("`-l " + d.name());
            if (!listed) wrong.add("-l " + d.name() + (d.implemented() ? " (implemented)" : " (not yet)"));
        }
        assertThat(wrong).as("emulations (Emulations) that README.md's 'Implemented emulations' section does not list"
                + " where they belong (implemented ones in backquotes before 'Every other bhyve', the others after it;"
                + " jbhyve's own also in 'New config keys and option values')").isEmpty();
    }
}
