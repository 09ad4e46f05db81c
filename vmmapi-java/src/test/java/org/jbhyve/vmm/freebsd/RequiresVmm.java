package org.jbhyve.vmm.freebsd;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks tests that run guests on a real FreeBSD vmm (ci/freebsd/run-tests). They are skipped, with the
 * reason, only where there is no vmm: another operating system, or FreeBSD without vmm.ko loaded (a
 * FreeBSD VM under TCG cannot load it). Where vmm is there but unusable (not root) they run and fail with
 * the backend's own sentence, so a broken setup is never mistaken for a skip.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresVmm.Condition.class)
public @interface RequiresVmm {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String os = System.getProperty("os.name", "");
            if (!os.equals("FreeBSD")) {
                return ConditionEvaluationResult.disabled("needs FreeBSD's vmm; this is " + os
                        + " (ci/freebsd/run-tests runs these tests for real)");
            }
            LibVmmapi api = new LibVmmapi();
            if (!api.exists("/dev/vmmctl") && api.sysctlNumber("hw.vmm.maxcpu").isEmpty()) {
                return ConditionEvaluationResult.disabled("vmm.ko is not loaded on this FreeBSD host");
            }
            return ConditionEvaluationResult.enabled("vmm is loaded");
        }
    }
}
