package org.jbhyve.bhyve;

import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The AOT cache's training run does everything it should: a training that stopped early would still
 * leave a cache, a smaller one, and bin/bhyve would only start more slowly, which nobody would see.
 */
@RequiresKvm
class AotTrainingKvmTest {
    @Test
    void theTrainingRunsEveryStepToTheEnd() {
        assertThatCode(AotTraining::train).doesNotThrowAnyException();
    }
}
