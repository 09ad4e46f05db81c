package org.jbhyve.bhyve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** vm_parse_memsize and expand_number, case by case. */
class MemorySizeTest {
    @ParameterizedTest
    @CsvSource({
        "214, 224395264",            // below 1 MiB: MiB
        "1048575, 1099510579200",    // still below 1 MiB: MiB
        "1048576, 1048576",          // from 1 MiB on: bytes
        "256M, 268435456",
        "256m, 268435456",
        "4G, 4294967296",
        "4GB, 4294967296",
        "1T, 1099511627776",
        "512k, 524288",
        "512K, 524288",
        "8b, 8",
        "0x10, 16777216",            // hex, below 1 MiB, so MiB
        "0x10M, 16777216",
        "010M, 8388608",             // a leading 0 is octal, as in C
        "' 2G', 2147483648",         // expand_number skips leading white space
        "'+2G', 2147483648",
        "1P, 1125899906842624",
    })
    void sizes(String value, long bytes) {
        assertThat(MemorySize.parseBytes(value)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.5G", "2X", "G", "2GG", "2 G", "0x", "8E", "99999999999999999999", "2GiB"})
    void malformed(String value) {
        assertThatThrownBy(() -> MemorySize.parseBytes(value))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid memory size '" + value + "' (give a number with an optional K, M, G or T suffix,"
                        + " such as 512M or 4G; a bare number below 1048576 counts in MiB)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-2G"})
    void negative(String value) {
        assertThatThrownBy(() -> MemorySize.parseBytes(value)).hasMessageContaining("it is negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0M", "0x0"})
    void zero(String value) {
        assertThatThrownBy(() -> MemorySize.parseBytes(value)).hasMessageContaining("the guest needs some memory");
    }
}
