package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegisterDumpTest {
    record Segment(long base, int limit, boolean present) {}

    record Special(Segment cs, long cr0, long cr3, long[] bitmap) {}

    record General(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp) {}

    @Test
    void everyFieldInHexANestedRecordOnItsOwnLineAndArraysByValue() {
        assertThat(RegisterDump.of(new General(1, 0xff, 0x10, -1, 0, 0, 0x7ff0)))
                .isEqualTo("rax=0x1 rbx=0xff rcx=0x10 rdx=0xffffffffffffffff rsi=0x0 rdi=0x0\nrsp=0x7ff0");
        assertThat(RegisterDump.of(new Special(new Segment(0x1000, 0xffff, true), 0x80050033L, 0x9000, new long[] {0, 5})))
                .isEqualTo("cs={base=0x1000 limit=0xffff present=1}\ncr0=0x80050033 cr3=0x9000 bitmap=[0x0 0x5]");
    }
}
