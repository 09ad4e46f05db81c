package org.jbhyve.bhyve.boot;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Synthetic bzImages whose "kernel" is a probe that reports, from inside the guest on real
 * /dev/kvm, what the Linux boot protocol promises at each entry point: ESI/RSI = zero page with the
 * command line and initrd filled in, __BOOT_CS/__BOOT_DS loaded (and reloadable from the GDT), paging
 * and long mode as the entry requires, interrupts off.
 */
@RequiresKvm
class LinuxLoaderKvmTest {
    private static final long MEM = 64L << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CMDLINE = "console=ttyS0 root=/dev/vda";
    private static final int MSR_EFER = 0xc0000080;

    /** The same bytes run in 32-bit and 64-bit mode. */
    static byte[] probe() {
        return new X86(0)
                .movEdx(0x3f8).movEaxEsi().outEax()                     // 0: zero page
                .movEaxSiDisp(0x228).outEax()                           // 1: cmd_line_ptr
                .movEaxSiDisp(0x228).movEaxAtEax().outEax()             // 2: command line, first 4 bytes
                .movEaxSiDisp(0x218).outEax()                           // 3: ramdisk_image
                .movEaxSiDisp(0x21c).outEax()                           // 4: ramdisk_size
                .movEaxSiDisp(0x218).movEaxAtEax().outEax()             // 5: the initrd's first 4 bytes
                .movzxEaxByteSiDisp(0x1e8).outEax()                     // 6: e820_entries
                .movEaxSiDisp(0x2d0 + 20 + 16).outEax()                 // 7: e820[1].type
                .movzxEaxByteSiDisp(0x210).outEax()                     // 8: type_of_loader
                .movEaxCs().outEax()                                    // 9
                .movEaxDs().outEax()                                    // 10
                .movEaxSs().outEax()                                    // 11
                .movEaxCr0().outEax()                                   // 12
                .movEaxFlags().outEax()                                 // 13
                .movEaxEbx().outEax()                                   // 14
                .movEaxEdi().outEax()                                   // 15
                .movEaxEbp().outEax()                                   // 16
                .raw(0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32)         // mov ecx, EFER; rdmsr
                .movEdx(0x3f8).outEax()                                 // 17: EFER
                .loadDataSegments(LinuxLoader.BOOT_DS)
                .movEaxSiDisp(0x228).outEax()                           // 18: cmd_line_ptr through the new DS
                .exit()
                .bytes();
    }

    @Test
    void sixtyFourBitEntryInLongModeWithRsiPointingAtTheZeroPage() {
        TestImages.BzImage bz = new TestImages.BzImage().code(probe());
        List<Integer> v = boot(bz, 0x1000000, 0x1000200);
        assertThat(v.get(12) & 0x80000001).as("CR0: PE and PG").isEqualTo(0x80000001);
        assertThat(v.get(17) & 0x500).as("EFER: LME and LMA").isEqualTo(0x500);
    }

    @Test
    void thirtyTwoBitEntryInFlatProtectedModeWithEsiPointingAtTheZeroPage() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.xloadflags = 0;
        bz.version = 0x020a;
        bz.relocatable = false;
        bz.prefAddress = 0x100000;
        bz.code(probe());
        List<Integer> v = boot(bz, 0x100000, 0x100000);
        assertThat(v.get(12) & 0x80000001).as("CR0: PE, no PG").isEqualTo(1);
        assertThat(v.get(17) & 0x500).as("EFER: no long mode").isZero();
        assertThat(v.subList(14, 17)).as("EBX, EDI, EBP").containsOnly(0);
    }

    private static List<Integer> boot(TestImages.BzImage bz, long kernelAt, long entry) {
        byte[] initrd = new byte[5000];
        Arrays.fill(initrd, (byte) 0x5a);
        System.arraycopy("07070".getBytes(StandardCharsets.US_ASCII), 0, initrd, 0, 5); // a cpio header's start
        LinuxLoader loader = LinuxLoader.prepare("bzImage", bz.build(), "initrd.cpio", initrd, CMDLINE, 0,
                RamLayout.of(MEM));
        assertThat(loader.kernelAddress()).isEqualTo(kernelAt);
        assertThat(loader.entryPoint()).isEqualTo(entry);
        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = hv.createVm(VmConfig.of("linux", 1, MEM))) {
            MmioBus mmio = new MmioBus();
            loader.load(vm, mmio);
            assertThat(vm.vcpu(0).getRegisters().rip()).isEqualTo(entry);
            GuestRun.Result r = GuestRun.run(vm, mmio, TIMEOUT);
            List<Integer> v = r.values();
            assertThat(r.status()).isZero();
            assertThat(v).as(GuestRun.hex(v)).hasSize(19);
            assertThat(v.get(0)).isEqualTo((int) LinuxLoader.ZERO_PAGE_ADDR);
            assertThat(v.get(1)).isEqualTo((int) LinuxLoader.CMDLINE_ADDR);
            assertThat(v.get(2)).isEqualTo(TestImages.le("cons".getBytes(StandardCharsets.US_ASCII)).getInt(0));
            assertThat(v.get(3)).isEqualTo((int) ((MEM - initrd.length) & -4096));
            assertThat(v.get(4)).isEqualTo(initrd.length);
            assertThat(v.get(5)).isEqualTo(TestImages.le("0707".getBytes(StandardCharsets.US_ASCII)).getInt(0));
            assertThat(v.get(6)).isEqualTo(E820Map.of(RamLayout.of(MEM)).size());
            assertThat(v.get(7)).isEqualTo(E820Map.TYPE_RESERVED);
            assertThat(v.get(8)).isEqualTo(0xff);
            assertThat(v.get(9)).isEqualTo(LinuxLoader.BOOT_CS);
            assertThat(v.get(10)).isEqualTo(LinuxLoader.BOOT_DS);
            assertThat(v.get(11)).isEqualTo(LinuxLoader.BOOT_DS);
            assertThat(v.get(13) & 0x200).as("IF clear").isZero();
            assertThat(v.get(18)).isEqualTo((int) LinuxLoader.CMDLINE_ADDR);
            byte[] line = new byte[CMDLINE.length() + 1];
            vm.memory().read(LinuxLoader.CMDLINE_ADDR, line, 0, line.length);
            assertThat(new String(line, 0, CMDLINE.length(), StandardCharsets.US_ASCII)).isEqualTo(CMDLINE);
            assertThat(line[CMDLINE.length()]).as("NUL-terminated").isZero();
            return v;
        }
    }
}
