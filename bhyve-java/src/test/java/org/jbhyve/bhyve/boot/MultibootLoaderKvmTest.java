package org.jbhyve.bhyve.boot;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multiboot kernels assembled in the test, booted on real /dev/kvm: the kernel reports what it
 * finds in its registers and in the boot information, then reloads its segment registers from the
 * loader's GDT, which only works if that GDT really is in guest memory.
 */
@RequiresKvm
class MultibootLoaderKvmTest {
    private static final long MEM = 8L << 20;
    private static final long LOAD = 0x100000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final byte[] INITRD = "INRD and the rest of the module".getBytes(StandardCharsets.US_ASCII);

    /** The probe, for a kernel entered at {@code entry} whose bss starts at {@code bss}. */
    static byte[] probe(long entry, long bss) {
        return new X86(entry)
                .report()                                                 // 0: EAX
                .movEaxEbx().outEax()                                     // 1: EBX
                .movEaxEbxDisp(0).outEax()                                // 2: flags
                .movEaxEbxDisp(4).outEax()                                // 3: mem_lower
                .movEaxEbxDisp(8).outEax()                                // 4: mem_upper
                .movEaxEbxDisp(16).movEaxAtEax().outEax()                 // 5: command line, first 4 bytes
                .movEaxEbxDisp(20).outEax()                               // 6: mods_count
                .movEaxEbxDisp(24).movEaxAtEax().outEax()                 // 7: mod_start
                .movEaxEbxDisp(24).movEaxAtEax().movEaxAtEax().outEax()   // 8: the module's first 4 bytes
                .movEaxEbxDisp(44).outEax()                               // 9: mmap_length
                .movEaxEbxDisp(48).raw(0x8b, 0x40, 20).outEax()           // 10: mmap[0].type
                .movEaxEbxDisp(64).movEaxAtEax().outEax()                 // 11: boot loader name
                .movEaxCr0().outEax()                                     // 12: CR0
                .movEaxFlags().outEax()                                   // 13: EFLAGS
                .loadDataSegments(MultibootLoader.DATA_SEL).reloadCs(MultibootLoader.CODE_SEL)
                .movEaxCs().outEax()                                      // 14: CS after reload
                .movEaxDs().outEax()                                      // 15: DS after reload
                .movEaxEbxDisp(8).outEax()                                // 16: mem_upper through the new DS
                .movEaxAbs(bss).outEax()                                  // 17: first bss word
                .exit()
                .bytes();
    }

    @Test
    void aoutKludgeKernelSeesMagicInfoModuleAndARealGdt() {
        int codeLength = probe(0, 0).length; // the encoding's length does not depend on the addresses
        long bss = TestImages.aoutEntry(LOAD) + codeLength;
        byte[] kernel = TestImages.multibootAout(0, LOAD, probe(TestImages.aoutEntry(LOAD), bss), 0x2000);
        bootAndCheck(kernel, bss);
    }

    @Test
    void elf32KernelLinkedHighIsEnteredAtThePhysicalEntry() {
        int codeLength = probe(0, 0).length;
        long bss = TestImages.elfEntry(LOAD) + codeLength;
        byte[] kernel = TestImages.multibootElf32(0xc0100000L, LOAD, probe(TestImages.elfEntry(LOAD), bss), 0x2000);
        bootAndCheck(kernel, bss);
    }

    private void bootAndCheck(byte[] kernel, long bss) {
        MultibootLoader loader = MultibootLoader.prepare("mbkernel", kernel, "initrd.img", INITRD, "console=com1",
                RamLayout.of(MEM));
        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = hv.createVm(VmConfig.of("multiboot", 1, MEM))) {
            vm.memory().fill(bss, 0x2000, (byte) 0xff); // the loader must zero the bss
            MmioBus mmio = new MmioBus();
            loader.load(vm, mmio);
            GuestRun.Result r = GuestRun.run(vm, mmio, TIMEOUT);
            List<Integer> v = r.values();
            assertThat(r.status()).isZero();
            assertThat(v).as(GuestRun.hex(v)).hasSize(18);
            assertThat(v.get(0)).isEqualTo(0x2BADB002);
            assertThat(v.get(1)).isEqualTo((int) loader.infoAddress());
            assertThat(v.get(2)).isEqualTo(1 | 4 | 8 | 64 | 512); // mem, cmdline, mods, mmap, loader name
            assertThat(v.get(3)).isEqualTo(640);
            assertThat(v.get(4)).isEqualTo((int) ((MEM - 0x100000) >> 10));
            assertThat(v.get(5)).isEqualTo(le("mbke"));
            assertThat(v.get(6)).isEqualTo(1);
            assertThat(v.get(7)).isEqualTo((int) loader.moduleAddress());
            assertThat(v.get(8)).isEqualTo(le("INRD"));
            assertThat(v.get(9)).isEqualTo(E820Map.of(RamLayout.of(MEM)).size() * 24);
            assertThat(v.get(10)).isEqualTo(E820Map.TYPE_RAM);
            assertThat(v.get(11)).isEqualTo(le("jbhy"));
            assertThat(v.get(12) & 0x80000001).as("CR0: PE set, PG clear").isEqualTo(1);
            assertThat(v.get(13) & (0x200 | 0x20000)).as("EFLAGS: IF and VM clear").isZero();
            assertThat(v.get(14)).isEqualTo(MultibootLoader.CODE_SEL);
            assertThat(v.get(15)).isEqualTo(MultibootLoader.DATA_SEL);
            assertThat(v.get(16)).isEqualTo(v.get(4));
            assertThat(v.get(17)).as("bss zeroed").isZero();
            assertThat(r.widths()).containsOnly(4);
        }
    }

    private static int le(String four) {
        return TestImages.le(four.getBytes(StandardCharsets.US_ASCII)).getInt(0);
    }
}
