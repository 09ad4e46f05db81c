package org.jbhyve.doctor;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Facts about the JVM and the operating system the probe runs on.
 *
 * @param osName              {@code os.name}, e.g. {@code Linux} or {@code FreeBSD}
 * @param osVersion           {@code os.version}
 * @param osArch              {@code os.arch}, e.g. {@code amd64}
 * @param javaVersion         the running JDK's version
 * @param javaHome            {@code java.home}
 * @param nativeAccessEnabled whether the unnamed module (where jbhyve's classes live) may call native code
 *                            without a warning ({@code --enable-native-access=ALL-UNNAMED})
 * @param nativeAccessDenied  whether the JVM was started with {@code --illegal-native-access=deny}, so FFM
 *                            calls from a module without native access fail instead of warning
 * @param user                {@code user.name}
 */
public record Platform(String osName, String osVersion, String osArch, Runtime.Version javaVersion,
                       String javaHome, boolean nativeAccessEnabled, boolean nativeAccessDenied, String user) {

    public enum Os { LINUX, FREEBSD, OTHER }

    /** The JVM this code runs in. */
    public static Platform current() {
        List<String> jvmArgs;
        try {
            jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException | LinkageError e) {
            jvmArgs = List.of();
        }
        boolean deny = jvmArgs.stream().anyMatch(a -> a.equals("--illegal-native-access=deny"));
        return new Platform(System.getProperty("os.name", "unknown"), System.getProperty("os.version", ""),
                System.getProperty("os.arch", "unknown"), Runtime.version(), System.getProperty("java.home", ""),
                Platform.class.getModule().isNativeAccessEnabled(), deny, System.getProperty("user.name", "?"));
    }

    public Os os() {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.equals("linux")) return Os.LINUX;
        if (n.equals("freebsd")) return Os.FREEBSD;
        return Os.OTHER;
    }

    /** Whether the CPU architecture is x86-64 (Java calls it {@code amd64}; some JDKs say {@code x86_64}). */
    public boolean isX86_64() {
        return osArch.equals("amd64") || osArch.equals("x86_64");
    }
}
