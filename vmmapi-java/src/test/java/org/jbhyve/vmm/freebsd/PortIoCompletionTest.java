package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.VmExit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.FreeBsdRegs.RAX;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.exit;

/**
 * Completing an IN: the VMM's value goes into RAX before the guest runs again, merged the way the processor
 * writes AL, AX or EAX; RIP is the kernel's business (its next RIP is already {@code rip + inst_length}).
 */
class PortIoCompletionTest {

    @ParameterizedTest(name = "in{1}: 0x{2} into RAX 0x1122334455667788 gives 0x{3}")
    @CsvSource({
            "0x60, 1, ab, 11223344556677ab",       // in al: bits 63:8 kept
            "0x1f0, 2, abcd, 112233445566abcd",    // in ax: bits 63:16 kept
            "0xcfc, 4, deadbeef, 00000000deadbeef", // in eax: zero-extended into RAX
    })
    void inMergesIntoRaxBySize(String port, int size, String value, String expected) {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).regs[RAX] = 0x1122_3344_5566_7788L;
            f.cpu(0).add(exit(ExitImages.in(Integer.decode(port), size, 0x5566_7788, 0x7000, 1)),
                    exit(ExitImages.hlt(0x7001, 2)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(io.size()).isEqualTo(size);
            io.setValue((int) Long.parseLong(value, 16) | 0x7700_0000 & (size == 4 ? 0 : -1)); // high junk is ignored
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[RAX]).isEqualTo(Long.parseUnsignedLong(expected, 16));
            assertThat(f.cpu(0).entries).as("re-entered after the 1-byte IN").containsExactly(0xfff0L, 0x7001L);
        }
    }
}
