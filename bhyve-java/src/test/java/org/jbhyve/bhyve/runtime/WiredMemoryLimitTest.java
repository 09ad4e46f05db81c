package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.jbhyve.bhyve.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bhyve -S asks for more guest RAM than the host has available: refused in one line before anything is
 * locked. It used to mlock regardless, which for root reads in page after page until the OOM killer comes
 * (-m 30G -S on a 23 GiB host had taken 17 GiB when it was stopped). No KVM needed.
 */
class WiredMemoryLimitTest {
    @TempDir
    Path dir;

    @Test
    void moreRamThanTheHostHasAvailableIsNotLocked() {
        assertThatThrownBy(() -> VmRuntime.requireLockable(30L << 30, OptionalLong.of(20L << 30)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("memory.wired (-S): cannot lock 30720 MiB of guest RAM in host memory: the host has 20480"
                        + " MiB available; give the guest less memory (-m) or leave -S out");
        assertThatCode(() -> VmRuntime.requireLockable(32L << 20, OptionalLong.of(20L << 30))).doesNotThrowAnyException();
        assertThatCode(() -> VmRuntime.requireLockable(30L << 30, OptionalLong.empty())).doesNotThrowAnyException();
    }

    @Test
    void theHostsAvailableMemoryIsMemAvailable() throws Exception {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       24683520 kB\nMemFree:        20557000 kB\n"
                + "MemAvailable:   21841000 kB\nBuffers:          123 kB\n");
        assertThat(VmRuntime.availableHostMemory(meminfo)).hasValue(21841000L << 10);
        Files.writeString(meminfo, "MemTotal:       24683520 kB\n");
        assertThat(VmRuntime.availableHostMemory(meminfo)).isEmpty();
        assertThat(VmRuntime.availableHostMemory(dir.resolve("none"))).isEmpty();
        assertThat(VmRuntime.availableHostMemory(Path.of("/proc/meminfo"))).isPresent();
    }
}
