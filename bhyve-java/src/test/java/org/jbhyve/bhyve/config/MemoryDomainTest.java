package org.jbhyve.bhyve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** calc_mem_affinity and set_vcpu_affinities. */
class MemoryDomainTest {
    @Test
    void domainsAreReadFromZeroUntilTheFirstGap() {
        ConfigTree t = new ConfigTree();
        t.set("domains.0.size", "1G");
        t.set("domains.0.cpus", "0-1");
        t.set("domains.1.size", "512M");
        t.set("domains.1.cpus", "2");
        t.set("domains.1.domain_policy", "prefer:1");
        t.set("domains.3.size", "1G"); // after a gap: bhyve never looks at it
        List<MemoryDomain> domains = MemoryDomain.fromConfig(t, 3L << 30);
        assertThat(domains).hasSize(2);
        assertThat(domains.get(0).size()).isEqualTo(1L << 30);
        assertThat(domains.get(0).cpus().cardinality()).isEqualTo(2);
        assertThat(domains.get(1).size()).isEqualTo(512L << 20);
        assertThat(domains.get(1).policy()).contains("prefer:1");
        assertThat(MemoryDomain.sizesDistributed(t)).isFalse();
    }

    @Test
    void aMissingSizeSplitsMemoryEvenly() {
        ConfigTree t = new ConfigTree();
        t.set("domains.0.cpus", "0");
        t.set("domains.1.size", "1G");
        t.set("domains.1.cpus", "1");
        assertThat(MemoryDomain.fromConfig(t, 4L << 30)).extracting(MemoryDomain::size).containsExactly(2L << 30, 2L << 30);
        assertThat(MemoryDomain.sizesDistributed(t)).isTrue();
        assertThat(MemoryDomain.fromConfig(new ConfigTree(), 1 << 30)).isEmpty();
    }

    @Test
    void errors() {
        ConfigTree noCpus = new ConfigTree();
        noCpus.set("domains.0.size", "1G");
        assertThatThrownBy(() -> MemoryDomain.fromConfig(noCpus, 1L << 30))
                .hasMessage("NUMA domain 0 has no vCPU list (add cpus=LIST to its -n option, such as cpus=0-3)");
        ConfigTree badSize = new ConfigTree();
        badSize.set("domains.0.size", "big");
        badSize.set("domains.0.cpus", "0");
        assertThatThrownBy(() -> MemoryDomain.fromConfig(badSize, 1L << 30))
                .hasMessageStartingWith("invalid memory size for NUMA domain 0: invalid memory size 'big'");
    }
}
