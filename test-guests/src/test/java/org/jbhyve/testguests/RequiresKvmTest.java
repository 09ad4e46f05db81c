package org.jbhyve.testguests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where KVM tests skip, and where (JBHYVE_REQUIRE_KVM=1, as CI runs) a missing /dev/kvm fails them instead. */
class RequiresKvmTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDeviceSkipsUnlessKvmIsRequiredThenItFails() throws Exception {
        Path missing = dir.resolve("kvm");
        assertThat(RequiresKvm.Condition.evaluate(missing, null).isDisabled()).isTrue();
        assertThat(RequiresKvm.Condition.evaluate(missing, "0").isDisabled()).isTrue();
        assertThatThrownBy(() -> RequiresKvm.Condition.evaluate(missing, "1"))
                .hasMessageContaining("does not exist").hasMessageContaining("JBHYVE_REQUIRE_KVM=1");
        Path present = Files.createFile(missing);
        assertThat(RequiresKvm.Condition.evaluate(present, "1").isDisabled()).isFalse();
        assertThat(RequiresKvm.Condition.evaluate(present, null).isDisabled()).isFalse();
    }
}
