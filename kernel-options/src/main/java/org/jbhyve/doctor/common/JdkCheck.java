package org.jbhyve.doctor.common;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Platform;
import org.jbhyve.doctor.Result;

/** jbhyve is compiled for Java 25 (the FFM API as finalized, and language features of 25). */
public record JdkCheck(Platform platform) implements Check {
    public static final int REQUIRED = 25;

    @Override
    public String id() { return "jdk"; }

    @Override
    public Result run() {
        int feature = platform.javaVersion().feature();
        Result r = feature >= REQUIRED
                ? Result.ok(id(), "JDK " + platform.javaVersion() + " at " + platform.javaHome()
                        + " (jbhyve needs " + REQUIRED + " or later)")
                : Result.fail(id(), "JDK " + platform.javaVersion() + " at " + platform.javaHome()
                        + " is too old: jbhyve needs " + REQUIRED + " or later",
                        "install a JDK 25 (Temurin 25 on Linux; pkg install openjdk25 on FreeBSD) and set JAVA_HOME to it;"
                                + " bin/ launchers then find it");
        return r.with("version", platform.javaVersion().toString()).with("feature", feature)
                .with("javaHome", platform.javaHome());
    }
}
