package org.jbhyve.bhyve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** parse_cpuset. */
class CpuSetTest {
    @Test
    void listsAndRanges() {
        assertThat(CpuSet.parse("k", "1,3,4")).isEqualTo(bits(1, 3, 4));
        assertThat(CpuSet.parse("k", "0-3,8")).isEqualTo(bits(0, 1, 2, 3, 8));
        assertThat(CpuSet.parse("k", "0x10")).isEqualTo(bits(16));
        assertThat(CpuSet.parse("k", "1023")).isEqualTo(bits(1023));
        assertThat(CpuSet.parse("k", "5-5")).isEqualTo(bits(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1,", "1-", "-1", "a", "1-2-3", "1;2", "1,,2"})
    void malformed(String list) {
        assertThatThrownBy(() -> CpuSet.parse("vcpu.0.cpuset", list))
                .hasMessageStartingWith("invalid vcpu.0.cpuset '" + list + "'");
    }

    @Test
    void rangeErrors() {
        assertThatThrownBy(() -> CpuSet.parse("k", "1024")).hasMessage("invalid k '1024': CPU numbers run from 0 to 1023");
        assertThatThrownBy(() -> CpuSet.parse("k", "4-2")).hasMessageContaining("the range 4-2 runs backwards");
    }

    private static BitSet bits(int... cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) b.set(c);
        return b;
    }
}
