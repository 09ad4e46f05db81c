package org.jbhyve.bhyve.boot;

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
 * Marks tests that run guests on real /dev/kvm (vmmapi-java's annotation of the same name lives in
 * its test tree, out of reach here). Skipped, with the reason, only where the device does not
 * exist; a device that exists but cannot be opened fails the test with the backend's error.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresKvm.Condition.class)
@interface RequiresKvm {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return Files.exists(Path.of("/dev/kvm"))
                    ? ConditionEvaluationResult.enabled("/dev/kvm exists")
                    : ConditionEvaluationResult.disabled("/dev/kvm does not exist on this host: KVM tests cannot run");
        }
    }
}
