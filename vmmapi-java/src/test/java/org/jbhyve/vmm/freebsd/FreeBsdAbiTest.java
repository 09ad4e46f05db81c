package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.VmmException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Proxy;
import java.util.OptionalLong;

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
    /**
     * A kernel that answers {@code VM_GET_MEMSEG} only with {@code request}'s struct, reporting a system-memory
     * segment of {@code length} bytes; every other call fails the test.
     */
    private static Vmmapi kernel(long request, long length) {
        return (Vmmapi) Proxy.newProxyInstance(Vmmapi.class.getClassLoader(), new Class<?>[] {Vmmapi.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("ioctl")) throw new AssertionError("unexpected call " + method);
                    if ((long) args[1] != request) return FakeVmmapi.ENOTTY;
                    MemorySegment m = ((MemorySegment) args[2]).reinterpret(request == FakeVmmapi.GET_MEMSEG_15 ? 56 : 32);
                    assertThat(m.get(ValueLayout.JAVA_INT, 0)).isZero(); // VM_SYSMEM
                    m.set(ValueLayout.JAVA_LONG, 8, length);
                    return 0;
                });
    }

    private static final long GIB = 1L << 30;

    /**
     * lib/libvmmapi/vmmapi.c of FreeBSD 15 (NUMA support): {@code vm_setup_memory(ctx, memsize)} is
     * {@code vm_setup_memory_domains} with one domain of {@code memsize} bytes, which allocates segment
     * {@code VM_SYSMEM} with {@code vm_alloc_memseg(ctx, segid, dom->size, ...)}: 5 GiB for a 5 GiB guest (3 GiB
     * lowmem, 2 GiB highmem mapped at segment offset 3 GiB), not 4 GiB + highmem.
     */
    @Test
    void aFreeBsd15SystemMemorySegmentIsTheRamSizeAbove3GiB() {
        assertThat(FreeBsdAbi.probe(kernel(FakeVmmapi.GET_MEMSEG_15, 5 * GIB), 3, 3 * GIB, 2 * GIB, OptionalLong.empty()))
                .isEqualTo(FreeBsdAbi.FREEBSD_15);
        // a FreeBSD 14 libvmmapi over a 15 kernel (COMPAT_FREEBSD14) allocates the 14 length
        assertThat(FreeBsdAbi.probe(kernel(FakeVmmapi.GET_MEMSEG_15, 6 * GIB), 3, 3 * GIB, 2 * GIB, OptionalLong.empty()))
                .isEqualTo(FreeBsdAbi.FREEBSD_15);
        assertThat(FreeBsdAbi.probe(kernel(FakeVmmapi.GET_MEMSEG_15, GIB), 3, GIB, 0, OptionalLong.empty()))
                .isEqualTo(FreeBsdAbi.FREEBSD_15);
    }

    /** FreeBSD 14's vm_setup_memory: {@code objsize = 4*GB + ctx->highmem} when memsize exceeds 3 GiB. */
    @Test
    void aFreeBsd14SystemMemorySegmentSpansTheHoleBelow4GiB() {
        assertThat(FreeBsdAbi.probe(kernel(FakeVmmapi.GET_MEMSEG_14, 6 * GIB), 3, 3 * GIB, 2 * GIB, OptionalLong.empty()))
                .isEqualTo(FreeBsdAbi.FREEBSD_14);
        assertThatThrownBy(() -> FreeBsdAbi.probe(kernel(FakeVmmapi.GET_MEMSEG_14, 5 * GIB), 3, 3 * GIB, 2 * GIB,
                OptionalLong.of(1403000)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("reports a system-memory segment of 5368709120 bytes")
                .hasMessageContaining("[kern.osreldate 1403000]");
    }

    @Test
    void aSegmentOfNeitherLengthIsRefused() {
        assertThatThrownBy(() -> FreeBsdAbi.probe(kernel(FakeVmmapi.GET_MEMSEG_15, 4 * GIB), 3, 3 * GIB, 2 * GIB,
                OptionalLong.empty()))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("FREEBSD_15 VM_GET_MEMSEG request (0xc038760f) reports a system-memory segment of"
                        + " 4294967296 bytes where vm_setup_memory set up 3221225472 bytes of lowmem and 2147483648 of"
                        + " highmem");
    }
}
