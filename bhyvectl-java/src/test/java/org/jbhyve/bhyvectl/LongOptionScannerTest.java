package org.jbhyve.bhyvectl;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** getopt_long(3)'s rules for long options, as FreeBSD's libc applies them to bhyvectl's. */
class LongOptionScannerTest {
    private static final List<LongOptionScanner.Spec> SPECS = List.of(
            new LongOptionScanner.Spec("vm", true),
            new LongOptionScanner.Spec("checkpoint", true),
            new LongOptionScanner.Spec("force-poweroff", false),
            new LongOptionScanner.Spec("force-reset", false),
            new LongOptionScanner.Spec("get-stats", false),
            new LongOptionScanner.Spec("get", false), // a name that is a prefix of another
            new LongOptionScanner.Spec(LongOptionScanner.HELP, false));

    private static Map<String, String> scan(String... args) throws Exception {
        return LongOptionScanner.scan(SPECS, args);
    }

    @Test
    void valuesComeAfterAnEqualsSignOrAsTheNextArgumentWhateverItStartsWith() throws Exception {
        assertThat(scan("--vm=a", "--checkpoint", "-f", "--get-stats"))
                .containsExactly(Map.entry("vm", "a"), Map.entry("checkpoint", "-f"), Map.entry("get-stats", ""));
        assertThat(scan("--vm", "--get-stats")).containsExactly(Map.entry("vm", "--get-stats"));
        assertThat(scan("--vm=", "--checkpoint=a=b")).containsExactly(Map.entry("vm", ""), Map.entry("checkpoint", "a=b"));
    }

    /**
     * getopt_long would take a unique prefix, but unique among FreeBSD bhyvectl's options, not this
     * subset: --d is ambiguous there (--desc-base, ...) and would destroy the VM here.
     */
    @Test
    void namesAreWrittenInFullAndAPrefixSaysWhatItCouldBe() throws Exception {
        assertThat(scan("--get")).containsExactly(Map.entry("get", ""));
        assertThatThrownBy(() -> scan("--check=f")).hasMessage(
                "unknown option '--check': write the option's whole name (--checkpoint)");
        assertThatThrownBy(() -> scan("--force")).hasMessage(
                "unknown option '--force': write the option's whole name (--force-poweroff or --force-reset)");
        assertThatThrownBy(() -> scan("--get-")).hasMessageContaining("(--get-stats)");
    }

    @Test
    void theLastValueWinsAndHelpIsAlsoDashH() throws Exception {
        assertThat(scan("--vm=a", "--vm=b")).containsExactly(Map.entry("vm", "b"));
        assertThat(scan("-h")).containsKey(LongOptionScanner.HELP);
        assertThat(scan("--help")).containsKey(LongOptionScanner.HELP);
    }

    @Test
    void aDoubleDashEndsTheOptionsAndNothingMayFollowIt() throws Exception {
        assertThat(scan("--get-stats", "--")).containsExactly(Map.entry("get-stats", ""));
        assertThatThrownBy(() -> scan("--", "--vm=a")).hasMessage("unexpected argument '--vm=a'");
    }

    @Test
    void whatGetoptLongRefusesIsOneMessageNamingTheArgument() {
        assertThatThrownBy(() -> scan("--bogus")).hasMessage("unknown option '--bogus'");
        assertThatThrownBy(() -> scan("--=x")).hasMessage("unknown option '--='");
        assertThatThrownBy(() -> scan("-x")).hasMessage("unknown option '-x'");
        assertThatThrownBy(() -> scan("extra")).hasMessage("unexpected argument 'extra'");
        assertThatThrownBy(() -> scan("-")).hasMessage("unexpected argument '-'");
        assertThatThrownBy(() -> scan("--get-stats=yes")).hasMessage("option '--get-stats' takes no value (drop '=yes')");
        assertThatThrownBy(() -> scan("--vm=a", "--checkpoint")).hasMessage("option '--checkpoint' needs a value (--checkpoint=...)");
        assertThatThrownBy(() -> scan("--get-stats", "--force")).isInstanceOf(LongOptionScanner.UsageException.class);
    }
}
