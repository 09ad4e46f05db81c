package org.jbhyve.bhyve;

import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.libc.timespec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * When this process started (the launcher's exec, before the JVM), on the {@link System#nanoTime()}
 * clock: the origin of "the guest runs again N ms after bhyve started".
 *
 * <p>Why not {@link ProcessHandle.Info#startInstant()}: on Linux the JDK adds the process's start
 * (in clock ticks since boot) to the boot time from {@code /proc/stat}'s {@code btime}, which is whole
 * seconds, so its answer is up to a second early (a restore that took 0.6 s was reported as 1.3 s).
 * On Linux this class measures both ends on the boot-time clock instead: {@code /proc/self/stat}'s
 * start time against {@code clock_gettime(CLOCK_BOOTTIME)}, good to the 10 ms of a clock tick.
 * Elsewhere (FreeBSD reports the start in microseconds) the JDK's answer is used.
 */
final class ProcessStart {
    private ProcessStart() {}

    /** Linux's {@code CLOCK_BOOTTIME} ({@code <linux/time.h>}). */
    private static final int CLOCK_BOOTTIME = 7;
    /** Linux's USER_HZ, the unit of {@code /proc/PID/stat}'s times: 100 in every Linux ABI jbhyve runs on. */
    private static final long TICKS_PER_SECOND = 100;
    /** Field 22 of {@code /proc/PID/stat}, counted from the first field after the command name's ')'. */
    private static final int START_TIME_FIELD = 22 - 3;

    /** This process's start on the {@link System#nanoTime()} clock. */
    static long nanos() {
        if (System.getProperty("os.name", "").equals("Linux")) {
            try {
                return linuxNanos();
            } catch (IOException | RuntimeException | LinkageError e) {
                // fall through to the JDK's coarser figure
            }
        }
        return ProcessHandle.current().info().startInstant()
                .map(start -> System.nanoTime() - Duration.between(start, Instant.now()).toNanos())
                .orElse(System.nanoTime());
    }

    /**
     * The Linux way, without a fallback. The boot clock is read first and {@link System#nanoTime()}
     * right after it, so that the first call's native linking (milliseconds, once) is not counted.
     */
    static long linuxNanos() throws IOException {
        long boot = bootClockNanos();
        long now = System.nanoTime();
        return now - (boot - startSinceBootNanos());
    }

    /** Parses {@code /proc/self/stat}'s start time (the command name may hold spaces and parentheses). */
    static long startSinceBootNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[START_TIME_FIELD]) * (1_000_000_000L / TICKS_PER_SECOND);
    }

    private static long startSinceBootNanos() throws IOException {
        return startSinceBootNanos(Files.readString(Path.of("/proc/self/stat")));
    }

    private static long bootClockNanos() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment now = timespec.allocate(arena);
            if (libc_h.clock_gettime(libc_h.allocateErrnoState(arena), CLOCK_BOOTTIME, now) != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_BOOTTIME) failed");
            }
            return timespec.tv_sec(now) * 1_000_000_000L + timespec.tv_nsec(now);
        }
    }
}
