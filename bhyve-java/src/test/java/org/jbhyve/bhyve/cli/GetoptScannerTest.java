package org.jbhyve.bhyve.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** BSD getopt(3) on bhyve's option string, as GetoptScanner implements it. */
class GetoptScannerTest {

    private static GetoptScanner.Scanned scan(String... args) {
        return GetoptScanner.scan(args);
    }

    private static List<String> options(GetoptScanner.Scanned s) {
        return s.options().stream().map(GetoptScanner.Option::display).toList();
    }

    @Test
    void flagsClusterAndAnArgumentIsTheRestOfTheWordOrTheNextWord() {
        GetoptScanner.Scanned s = scan("-AHc2", "-m", "1G", "-Po=x", "vm", "-H");
        assertThat(options(s)).containsExactly("-A", "-H", "-c 2", "-m 1G", "-P", "-o =x");
        assertThat(s.operands()).as("scanning stops at the first operand").containsExactly("vm", "-H");
        assertThat(s.error()).isNull();
    }

    @Test
    void anArgumentMayLookLikeAnOptionOrBeEmpty() {
        assertThat(options(scan("-c", "-H", "-s", "", "vm"))).containsExactly("-c -H", "-s ''");
    }

    @Test
    void doubleDashEndsTheOptionsAndASingleDashIsAnOperand() {
        GetoptScanner.Scanned s = scan("-H", "--", "-w", "vm");
        assertThat(options(s)).containsExactly("-H");
        assertThat(s.operands()).containsExactly("-w", "vm");
        assertThat(scan("-", "-H").operands()).containsExactly("-", "-H");
        assertThat(scan().operands()).isEmpty();
    }

    @Test
    void anErrorKeepsTheOptionsBeforeIt() {
        GetoptScanner.Scanned s = scan("-w", "-HZ", "vm");
        assertThat(options(s)).containsExactly("-w", "-H");
        assertThat(s.error()).hasMessage("unknown option -Z (run 'bhyve -h' for the options)");
        assertThat(scan("-H", "-m").error()).hasMessage("option -m requires an argument (run 'bhyve -h' for the options)");
        assertThat(scan("--memory=1G").error()).hasMessageStartingWith("unknown option --memory=1G");
    }
}
