package org.jbhyve.doctor.common;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Platform;
import org.jbhyve.doctor.Result;

/**
 * jbhyve calls libc, /dev/kvm and libvmmapi through FFM restricted methods. Without native access for the
 * unnamed module, JDK 25 prints a warning on the first such call, and with
 * {@code --illegal-native-access=deny} the call fails.
 */
public record NativeAccessCheck(Platform platform) implements Check {
    static final String FIX = "start java with --enable-native-access=ALL-UNNAMED (the bin/ launchers do)";

    @Override
    public String id() { return "native-access"; }

    @Override
    public Result run() {
        Result r;
        if (platform.nativeAccessEnabled()) {
            r = Result.ok(id(), "native access is enabled for jbhyve's classes (--enable-native-access=ALL-UNNAMED)");
        } else if (platform.nativeAccessDenied()) {
            r = Result.fail(id(), "native access is not enabled and the JVM runs with --illegal-native-access=deny:"
                    + " every call into libc, /dev/kvm or libvmmapi will fail", FIX);
        } else {
            r = Result.warn(id(), "native access is not enabled for jbhyve's classes: the JDK prints a warning on"
                    + " the first native call, and later JDKs will refuse it", FIX);
        }
        return r.with("enabled", platform.nativeAccessEnabled());
    }
}
