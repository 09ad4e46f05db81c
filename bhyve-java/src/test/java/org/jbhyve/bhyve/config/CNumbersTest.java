package org.jbhyve.bhyve.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CNumbersTest {
    @Test
    void parseLongFollowsStrtolBase0() {
        assertThat(CNumbers.parseLong("42")).hasValue(42);
        assertThat(CNumbers.parseLong("0x2a")).hasValue(42);
        assertThat(CNumbers.parseLong("0X2A")).hasValue(42);
        assertThat(CNumbers.parseLong("052")).hasValue(42);
        assertThat(CNumbers.parseLong(" \t42")).hasValue(42);
        assertThat(CNumbers.parseLong("-42")).hasValue(-42);
        assertThat(CNumbers.parseLong("+42")).hasValue(42);
        assertThat(CNumbers.parseLong("0")).hasValue(0);
        assertThat(CNumbers.parseLong("9223372036854775807")).hasValue(Long.MAX_VALUE);
        assertThat(CNumbers.parseLong("-9223372036854775808")).hasValue(Long.MIN_VALUE);
        assertThat(CNumbers.parseLong("9223372036854775808")).isEmpty();
        assertThat(CNumbers.parseLong("")).isEmpty();
        assertThat(CNumbers.parseLong("42 ")).isEmpty();
        assertThat(CNumbers.parseLong("08")).isEmpty();
        assertThat(CNumbers.parseLong("0x")).isEmpty();
        assertThat(CNumbers.parseLong("+-1")).isEmpty();
        assertThat(CNumbers.parseLong("\u0664\u0662")).isEmpty(); // Arabic-Indic digits are not C digits
    }

    @Test
    void scanStopsWhereStrtoulStops() {
        CNumbers.Scan s = CNumbers.scan("0xfooG", 0);
        assertThat(s.matched()).isTrue();
        assertThat(s.magnitude()).isEqualTo(0xf);
        assertThat(s.end()).isEqualTo(3);
        CNumbers.Scan zeroX = CNumbers.scan("0xg", 0);
        assertThat(zeroX.magnitude()).isZero();
        assertThat(zeroX.end()).isEqualTo(1); // the "0" alone, as C reads it
        CNumbers.Scan none = CNumbers.scan("abc", 0);
        assertThat(none.matched()).isFalse();
        assertThat(none.end()).isZero();
        assertThat(CNumbers.scan("18446744073709551615", 0).overflow()).isFalse();
        assertThat(CNumbers.scan("18446744073709551616", 0).overflow()).isTrue();
    }

    @Test
    void parseInRange() {
        assertThat(CNumbers.parseInRange("65535", 1, 65535)).hasValue(65535);
        assertThat(CNumbers.parseInRange("65536", 1, 65535)).isEmpty();
        assertThat(CNumbers.parseInRange("0", 1, 65535)).isEmpty();
    }
}
