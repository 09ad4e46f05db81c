package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options bhyve acts on and jbhyve only checks say so on stderr before anything is built, instead of
 * being dropped silently. The command lines have nothing to boot, so bhyve stops with status 4 right
 * after the warnings, before any VM exists (no KVM needed).
 */
class IgnoredOptionsTest {
    @TempDir
    Path dir;

    private List<String> stderr(String... options) {
        List<String> all = new java.util.ArrayList<>(List.of("-c", "2", "-m", "64M", "-s", "0,hostbridge",
                "-o", "control.dir=" + dir));
        all.addAll(List.of(options));
        all.add("vm");
        return VmNameAndCpuLimitTest.refusedWithStatus4(all);
    }

    @Test
    void numaDomainsAreCheckedThenNamedAsIgnored() {
        assertThat(stderr("-n", "id=0,size=32M,cpus=0", "-n", "id=1,size=32M,cpus=1")).contains(
                "bhyve: -n (domains) is ignored: jbhyve gives the guest one NUMA domain (no SRAT table, no host memory policy)");
        assertThat(stderr()).noneMatch(line -> line.contains("domains"));
    }
}
