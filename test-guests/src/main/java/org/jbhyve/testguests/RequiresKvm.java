package org.jbhyve.testguests;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Marks tests that run guests on real /dev/kvm. They are skipped, with the reason, only where the
 * device does not exist; where it exists but cannot be opened the tests run and fail with the
 * backend's own error, so a broken setup is never mistaken for a skip.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresKvm.Condition.class)
public @interface RequiresKvm {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return Files.exists(Path.of("/dev/kvm"))
                    ? ConditionEvaluationResult.enabled("/dev/kvm exists")
                    : ConditionEvaluationResult.disabled("/dev/kvm does not exist on this host: KVM tests cannot run");
        }
    }
}
