package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** checkpoint.live is checked when bhyve starts, before any VM exists (no KVM needed). */
class LiveCheckpointOptionTest {

    @Test
    void aValueThatIsNotABooleanStopsBhyveWithOneLineNamingTheKey() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"-c", "1", "-m", "32M", "-s", "0,hostbridge", "-o", "checkpoint.live=maybe",
                        "vm1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(ExitStatus.ERROR.code());
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly("bhyve: config variable checkpoint.live must be true or false, not 'maybe'");
        assertThat(VmRuntime.LIVE_CHECKPOINT_KEY).isEqualTo("checkpoint.live");
    }
}
