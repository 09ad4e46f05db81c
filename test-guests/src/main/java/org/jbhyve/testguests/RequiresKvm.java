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
 * backend's own error, so a broken setup is never mistaken for a skip. With the environment variable
 * {@code JBHYVE_REQUIRE_KVM=1} (CI sets it: {@code .ci/run}) a missing /dev/kvm fails them too, so a run
 * that executed no KVM test can never pass as a green one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresKvm.Condition.class)
public @interface RequiresKvm {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return evaluate(Path.of("/dev/kvm"), System.getenv("JBHYVE_REQUIRE_KVM"));
        }

        static ConditionEvaluationResult evaluate(Path kvm, String requireKvm) {
            if (Files.exists(kvm)) return ConditionEvaluationResult.enabled(kvm + " exists");
            if ("1".equals(requireKvm)) {
                throw new IllegalStateException(kvm + " does not exist on this host, and JBHYVE_REQUIRE_KVM=1 says"
                        + " the KVM tests must run: run them on a host with KVM, or unset JBHYVE_REQUIRE_KVM to skip them");
            }
            return ConditionEvaluationResult.disabled(kvm + " does not exist on this host: KVM tests cannot run");
        }
    }
}
