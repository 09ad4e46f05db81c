package org.jbhyve.bhyve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** calc_topology. */
class CpuTopologyTest {
    private static CpuTopology of(String... keyValues) {
        ConfigTree t = new ConfigTree();
        for (int i = 0; i < keyValues.length; i += 2) t.set(keyValues[i], keyValues[i + 1]);
        return CpuTopology.fromConfig(t);
    }

    @Test
    void defaultsAndDerivations() {
        assertThat(of()).isEqualTo(new CpuTopology(1, 1, 1, 1));
        assertThat(of("cpus", "4")).isEqualTo(new CpuTopology(4, 4, 1, 1));
        assertThat(of("sockets", "2", "cores", "4", "threads", "2")).isEqualTo(new CpuTopology(16, 2, 4, 2));
        assertThat(of("cpus", "0x8", "sockets", "2", "cores", "4")).isEqualTo(new CpuTopology(8, 2, 4, 1));
    }

    @Test
    void errorsNameTheVariable() {
        assertThatThrownBy(() -> of("cores", "many")).isInstanceOf(ConfigException.class)
                .hasMessage("invalid value for cores: 'many' (use a whole number from 1 to 65535)");
        assertThatThrownBy(() -> of("cpus", "6", "sockets", "2", "cores", "2"))
                .hasMessageStartingWith("topology (2 sockets, 2 cores, 1 threads) does not match 6 vCPUs");
        assertThatThrownBy(() -> of("sockets", "256", "cores", "256"))
                .hasMessageStartingWith("computed number of vCPUs too high: 256 sockets x 256 cores x 1 threads = 65536");
    }
}
