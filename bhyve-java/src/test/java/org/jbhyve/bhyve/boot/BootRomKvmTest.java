package org.jbhyve.bhyve.boot;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A 4 KiB ROM whose reset vector (its last 16 bytes) jumps into 16-bit code that reports through
 * port 0x3f8: run on real /dev/kvm from the BSP's untouched reset state, it proves the ROM sits
 * where bhyve puts it (last byte at 0xffffffff), that it is read-only, and that the variable store
 * below it behaves as CFI flash and keeps what the guest wrote in the VARS file.
 */
@RequiresKvm
class BootRomKvmTest {
    private static final long MEM = 16L << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int BODY = 0x100;

    /** ROM bytes: marker 0x5a at offset 0, the test code at {@link #BODY}, a jump to it at the reset vector. */
    static byte[] rom() {
        byte[] rom = new byte[4096];
        rom[0] = 0x5a;
        byte[] body = new X86(0).raw(
                0xba, 0xf8, 0x03,                     // mov dx, 0x3f8
                0x8c, 0xc8, 0xef,                     // mov ax, cs; out dx, ax           -> CS selector
                0x2e, 0xa0, 0x00, 0xf0, 0xee,         // mov al, cs:[0xf000]; out         -> ROM byte 0
                0x2e, 0xc6, 0x06, 0x00, 0xf0, 0xa5,   // mov byte cs:[0xf000], 0xa5       (ROM write)
                0x2e, 0xa0, 0x00, 0xf0, 0xee,         // mov al, cs:[0xf000]; out         -> unchanged
                0x2e, 0xa0, 0x05, 0xe0, 0xee,         // mov al, cs:[0xe005]; out         -> VARS byte 5
                0x2e, 0xc6, 0x06, 0x05, 0xe0, 0x10,   // mov byte cs:[0xe005], 0x10       (CFI write byte)
                0x2e, 0xc6, 0x06, 0x05, 0xe0, 0x77,   // mov byte cs:[0xe005], 0x77       (the data)
                0x2e, 0xa0, 0x05, 0xe0, 0xee,         // mov al, cs:[0xe005]; out         -> 0x77
                0x2e, 0xc6, 0x06, 0x00, 0xe0, 0x70,   // mov byte cs:[0xe000], 0x70       (CFI read status)
                0x2e, 0xa0, 0x00, 0xe0, 0xee,         // mov al, cs:[0xe000]; out         -> status 0
                0x2e, 0xa0, 0x00, 0xe0, 0xee,         // mov al, cs:[0xe000]; out         -> VARS byte 0 again
                0xba, 0xf4, 0x00, 0xb0, 0x00, 0xee,   // mov dx, 0xf4; mov al, 0; out
                0xf4).bytes();                        // hlt
        System.arraycopy(body, 0, rom, BODY, body.length);
        int rel = (0xf000 + BODY - (0xfff0 + 3)) & 0xffff;
        rom[0xff0] = (byte) 0xe9; // jmp near rel16
        rom[0xff1] = (byte) rel;
        rom[0xff2] = (byte) (rel >> 8);
        return rom;
    }

    @Test
    void resetVectorRunsTheRomBelow4GiBAndVariablesPersist(@TempDir Path dir) throws Exception {
        Path romFile = Files.write(dir.resolve("BHYVE_UEFI_CODE.fd"), rom());
        byte[] vars = new byte[4096];
        vars[0] = 0x11;
        vars[5] = 0x33;
        Path varsFile = Files.write(dir.resolve("BHYVE_UEFI_VARS.fd"), vars);

        try (BootRom loader = BootRom.prepare(romFile, varsFile)) {
            assertThat(loader.romAddress()).isEqualTo(0xfffff000L);
            assertThat(loader.varsAddress()).isEqualTo(0xffffe000L);
            try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = hv.createVm(VmConfig.of("bootrom", 1, MEM))) {
                MmioBus mmio = new MmioBus();
                loader.load(vm, mmio);
                GuestRun.Result r = GuestRun.run(vm, mmio, TIMEOUT);
                assertThat(r.status()).isZero();
                assertThat(r.values()).as(GuestRun.hex(r.values()))
                        .containsExactly(0xf000, 0x5a, 0x5a, 0x33, 0x77, 0x00, 0x11);
                assertThat(r.mmio()).as("the ROM write trapped instead of landing")
                        .contains("mmio write 0xfffff000 size 1 value 0xa5");
            }
        }
        byte[] saved = Files.readAllBytes(varsFile);
        assertThat(saved[5]).isEqualTo((byte) 0x77);
        saved[5] = 0x33;
        assertThat(saved).as("nothing else changed").isEqualTo(vars);
    }

    @Test
    void refusesToLoadWhenTheBspIsNoLongerAtTheResetVector(@TempDir Path dir) throws Exception {
        Path romFile = Files.write(dir.resolve("rom.fd"), rom());
        try (BootRom loader = BootRom.prepare(romFile, null);
             Hypervisor hv = Hypervisor.open(); VirtualMachine vm = hv.createVm(VmConfig.of("bootrom2", 1, MEM))) {
            vm.vcpu(0).setRegisters(vm.vcpu(0).getRegisters().withRip(0x1234));
            MmioBus mmio = new MmioBus();
            assertThatThrownBy(() -> loader.load(vm, mmio))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reset vector")
                    .hasMessageContaining("0x1234");
            assertThat(mmio.ranges()).as("nothing registered").isEqualTo(List.of());
        }
    }
}
