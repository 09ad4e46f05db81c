package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.VmmException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The FreeBSD 14/15 {@code vm_memseg} ABI is chosen by asking the kernel: {@code VM_GET_MEMSEG} with the
 * 56-byte struct (0xC038760F) first, the 32-byte one (0xC020760F) when that is ENOTTY.
 */
class FreeBsdAbiTest {

    @Test
    void aFreeBsd15KernelAnswersTheNewRequest() {
        try (Fixture f = new Fixture(1)) {
            assertThat(f.vm.abi()).isEqualTo(FreeBsdAbi.FREEBSD_15);
            assertThat(f.vm.abi().bootromSegment()).isEqualTo(8);
            assertThat(f.vm.memorySegment(0)).isEqualTo(new FreeBsdAbi.Memseg(0, 16L << 20, ""));
        }
    }

    @Test
    void aFreeBsd14KernelDoesNotKnowItAndAnswersTheOldOne() {
        FakeVmmapi api = new FakeVmmapi();
        api.abi = 14;
        api.sysctlNumbers.put("kern.osreldate", 1403000L);
        try (Fixture f = new Fixture(api, 1, InstructionEmulation.x86())) {
            assertThat(f.vm.abi()).isEqualTo(FreeBsdAbi.FREEBSD_14);
            assertThat(f.vm.abi().bootromSegment()).isEqualTo(1);
            assertThat(f.vm.abi().memsegSize()).isEqualTo(32);
            assertThat(f.vm.memorySegment(0).length()).isEqualTo(16L << 20);
        }
    }

    @Test
    void aFreeBsd15KernelWithCompatFreeBsd14StillGetsTheNewAbi() {
        FakeVmmapi api = new FakeVmmapi();
        api.compat14 = true;
        try (Fixture f = new Fixture(api, 1, InstructionEmulation.x86())) {
            assertThat(f.vm.abi()).isEqualTo(FreeBsdAbi.FREEBSD_15);
        }
    }

    @Test
    void aKernelThatKnowsNeitherIsRefusedClearly() {
        FakeVmmapi api = new FakeVmmapi();
        api.abi = 13;
        FreeBsdHypervisor hv = FreeBsdHypervisor.open(api);
        assertThatThrownBy(() -> hv.createVm(org.jbhyve.vmm.VmConfig.of("old", 1, 16L << 20)))
                .isInstanceOf(VmmException.class)
                .hasMessage("cannot tell which vm_memseg ABI this kernel's vmm speaks (FREEBSD_15 request 0xc038760f:"
                        + " ENOTTY (inappropriate ioctl for device), FREEBSD_14 request 0xc020760f: ENOTTY (inappropriate"
                        + " ioctl for device)) [kern.osreldate 1500068]; jbhyve knows the FreeBSD 14 and 15 ones");
        assertThat(api.calls).contains("vm_destroy(old)");
        api.close();
    }

    @Test
    void theRequestNumbersAreTheReferencesComputedOnes() {
        assertThat(FreeBsdAbi.FREEBSD_15.getMemsegRequest()).isEqualTo(FakeVmmapi.GET_MEMSEG_15);
        assertThat(FreeBsdAbi.FREEBSD_14.getMemsegRequest()).isEqualTo(FakeVmmapi.GET_MEMSEG_14);
        assertThat(FreeBsdAbi.FREEBSD_15.memsegSize()).isEqualTo(56);
        assertThat(FreeBsdAbi.FREEBSD_14.sysmemSegment()).isZero();
        assertThat(FreeBsdAbi.FREEBSD_15.framebufferSegment()).isEqualTo(9);
        assertThat(FreeBsdAbi.FREEBSD_14.pciromSegment()).isEqualTo(3);
    }
}
