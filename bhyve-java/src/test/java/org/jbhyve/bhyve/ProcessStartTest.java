package org.jbhyve.bhyve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessStartTest {

    @Test
    void readsTheStartTimeAfterACommandNameWithSpacesAndParentheses() {
        // fields 1-21, then starttime (22) = 12345 ticks, then more
        String stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 12345 1000 50 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessStart.startSinceBootNanos(stat)).isEqualTo(123_450_000_000L);
    }

    @Test
    @EnabledOnOs(OS.LINUX) // /proc/self/stat and CLOCK_BOOTTIME; elsewhere the JDK's figure is used
    void theProcessStartedShortlyBeforeTheJvm() throws Exception {
        // The Linux path itself (ProcessStart.nanos() would fall back to the JDK's figure if it failed).
        long sinceStartMillis = (System.nanoTime() - ProcessStart.linuxNanos()) / 1_000_000;
        long jvmUptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        // The exec comes before the JVM's own start, by the JVM's creation time (tens of ms), never by the
        // up-to-a-second error of the JDK's whole-second boot time; 20 ms covers the clock tick of /proc.
        assertThat(sinceStartMillis).isBetween(jvmUptimeMillis - 20, jvmUptimeMillis + 500);
    }
}
