package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.PlatformDevice;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmmException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Opening the backend: one sentence per problem, nothing loaded off FreeBSD; creating a VM the way bhyve does. */
class FreeBsdHypervisorTest {

    /**
     * On Linux, {@code FreeBsdHypervisor.open()} fails with a sentence and libvmmapi is not even looked up.
     * The backend and the bindings are loaded afresh in their own class loader so the check does not depend on
     * what other tests in this JVM did.
     */
    @Test
    void offFreeBsdOpenFailsWithASentenceAndLoadsNothingFromLibvmmapi() throws Exception {
        assumeFalse(System.getProperty("os.name", "").equals("FreeBSD"), "checks the non-FreeBSD behaviour");
        URL backend = FreeBsdHypervisor.class.getProtectionDomain().getCodeSource().getLocation();
        URL bindings = org.jbhyve.bindings.freebsd.vmm.vmmapi_h.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {backend, bindings}, ClassLoader.getPlatformClassLoader())) {
            Class<?> hv = Class.forName(FreeBsdHypervisor.class.getName(), true, loader);
            Method open = hv.getMethod("open");
            assertThatThrownBy(() -> open.invoke(null))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause()
                    .isInstanceOf(loader.loadClass(VmmException.class.getName()))
                    .hasMessage("the FreeBSD backend of jbhyve needs FreeBSD's vmm(4), and this host runs "
                            + System.getProperty("os.name")
                            + (System.getProperty("os.name").toLowerCase().contains("linux")
                            ? " (on Linux, jbhyve uses /dev/kvm: Hypervisor.open() picks that backend)" : ""));
            Class<?> api = Class.forName("org.jbhyve.bindings.freebsd.vmm.vmmapi_h", true, loader);
            Method attempted = api.getDeclaredMethod("lookupAttempted");
            attempted.setAccessible(true);
            assertThat(attempted.invoke(null)).as("libvmmapi looked up").isEqualTo(false);
            Class<?> sysctl = Class.forName("org.jbhyve.bindings.freebsd.sysctl.sysctl_h", true, loader);
            Method sysctlAttempted = sysctl.getDeclaredMethod("lookupAttempted");
            sysctlAttempted.setAccessible(true);
            assertThat(sysctlAttempted.invoke(null)).as("sysctlbyname looked up").isEqualTo(false);
        }
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) assertThat(Files.readString(maps)).doesNotContain("libvmmapi");
    }

    @Test
    void vmmNotLoadedIsOneSentenceWithTheFix() {
        FakeVmmapi api = new FakeVmmapi();
        api.paths.clear();
        api.sysctlNumbers.remove("hw.vmm.maxcpu");
        assertThatThrownBy(() -> FreeBsdHypervisor.open(api)).isInstanceOf(VmmException.class)
                .hasMessage("cannot use bhyve's vmm: vmm.ko is not loaded (kldload vmm as root, or add"
                        + " vmm_load=\"YES\" to /boot/loader.conf)");
    }

    @Test
    void vmmctlWithoutPermissionSaysRunAsRoot() {
        FakeVmmapi api = new FakeVmmapi();
        api.writablePaths.clear();
        assertThatThrownBy(() -> FreeBsdHypervisor.open(api)).hasMessage("cannot use bhyve's vmm: /dev/vmmctl is"
                + " root:wheel 0600 and this process may not open it (run jbhyve as root)");
    }

    @Test
    void missingLibvmmapiSaysWhy() {
        FakeVmmapi api = new FakeVmmapi();
        api.available = false;
        assertThatThrownBy(() -> FreeBsdHypervisor.open(api)).hasMessage("cannot use bhyve's vmm: libvmmapi.so.7: not found");
    }

    @Test
    void freeBsd14HasNoVmmctlButTheHwVmmSysctls() {
        FakeVmmapi api = new FakeVmmapi();
        api.paths.clear();
        api.writablePaths.clear();
        api.sysctlNumbers.put("kern.osreldate", 1403000L);
        api.sysctlStrings.put("kern.osrelease", "14.3-RELEASE");
        FreeBsdHypervisor hv = FreeBsdHypervisor.open(api);
        assertThat(hv.backendName()).isEqualTo("freebsd-vmm");
        assertThat(hv.producer()).isEqualTo("freebsd 14.3-RELEASE 1403000");
        assertThat(hv.tscKhz()).isEqualTo(2_400_000);
    }

    @Test
    void aVmIsCreatedAsBhyveDoes() {
        try (Fixture f = new Fixture(2)) {
            assertThat(f.api.calls).startsWith("vm_create(test)");
            assertThat(f.model.sockets).isEqualTo(2);
            assertThat(f.model.cores).isEqualTo(1);
            assertThat(f.model.threads).isEqualTo(1);
            assertThat(f.model.low).isEqualTo(16L << 20);
            assertThat(f.vm.memory().size()).isEqualTo(16L << 20);
            assertThat(f.vm.kernelDevices()).isEqualTo(EnumSet.allOf(PlatformDevice.class));
            assertThat(f.vm.irqLineCount()).isEqualTo(32);
            assertThat(f.model.active).containsExactly(0, 1);
            assertThat(f.model.debug).as("the AP waits for its start-up IPI").containsExactly(1);
            for (int id = 0; id < 2; id++) {
                assertThat(f.cpu(id).caps).containsEntry(org.jbhyve.bindings.freebsd.vmm.vmm_h.VM_CAP_IPI_EXIT, 1)
                        .containsEntry(org.jbhyve.bindings.freebsd.vmm.vmm_h.VM_CAP_UNRESTRICTED_GUEST, 1)
                        .containsEntry(org.jbhyve.bindings.freebsd.vmm.vmm_h.VM_CAP_HALT_EXIT, 1);
                assertThat(f.vcpu(id).ipiExit()).isTrue();
                assertThat(f.cpu(id).regs[FakeVmmapi.FreeBsdRegs.RIP]).as("power-on reset").isEqualTo(0xfff0);
            }
            assertThat(f.vcpu(0).getMpState()).isEqualTo(org.jbhyve.vmm.state.MpState.RUNNABLE);
            assertThat(f.vcpu(1).getMpState()).isEqualTo(org.jbhyve.vmm.state.MpState.UNINITIALIZED);
            // CMOS: nothing above 16 MiB of a 16 MiB guest, no highmem; the RTC is set to now
            assertThat(f.vm.rtcRead(0x34)).isZero();
            assertThat(f.vm.rtcRead(0x5b)).isZero();
            assertThat(f.vm.rtcTime().getEpochSecond()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            assertThat(f.vm.abi()).isEqualTo(FreeBsdAbi.FREEBSD_15);
        }
    }

    @Test
    void cmosReportsRamAbove16MibIn64KibUnits() {
        FakeVmmapi api = new FakeVmmapi();
        try (Fixture f = new Fixture(api, VmConfig.of("cmos", 1, 80L << 20), InstructionEmulation.x86())) {
            int units = (80 - 16) * 16; // 64 KiB units in 64 MiB
            assertThat(f.vm.rtcRead(0x34)).isEqualTo(units & 0xff);
            assertThat(f.vm.rtcRead(0x35)).isEqualTo(units >> 8);
        }
    }

    @Test
    void creationFailuresAreSentences() {
        FakeVmmapi api = new FakeVmmapi();
        FreeBsdHypervisor hv = FreeBsdHypervisor.open(api);
        try (var vm = hv.createVm(VmConfig.of("dup", 1, 16L << 20))) {
            assertThatThrownBy(() -> hv.createVm(VmConfig.of("dup", 1, 16L << 20))).isInstanceOf(VmmException.class)
                    .hasMessage("a VM named 'dup' already exists in vmm (destroy it with bhyvectl --vm=dup --destroy, or"
                            + " choose another name)");
        }
        assertThatThrownBy(() -> hv.createVm(VmConfig.of("many", 9, 16L << 20)))
                .hasMessage("this host's vmm allows at most 8 vCPUs per VM, asked for 9 (hw.vmm.maxcpu is a loader"
                        + " tunable; it defaults to the host's CPU count)");
        assertThat(api.calls).contains("vm_destroy(many)");
        assertThatThrownBy(() -> hv.createVm(VmConfig.of("nochip", 1, 16L << 20).withKernelIrqchip(false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernelIrqchip = true");
        api.createErrno = FakeVmmapi.EPERM;
        assertThatThrownBy(() -> hv.createVm(VmConfig.of("root", 1, 16L << 20)))
                .hasMessage("creating VM 'root' was refused: EPERM (operation not permitted) (creating VMs needs root)");
        api.close();
    }

    @Test
    void closingDestroysTheVmAndUnmapsLibvmmapisReservations() {
        FakeVmmapi api = new FakeVmmapi();
        Fixture f = new Fixture(api, 2, InstructionEmulation.x86());
        long base = f.model.lowRam.address();
        f.vm.mapMemory("rom", 0xfff0_0000L, 1 << 20, true);
        long rom = f.model.devmem.get(8).address();
        f.vm.close();
        assertThat(api.calls).containsSubsequence("vm_vcpu_close(0)", "vm_vcpu_close(1)", "close(" + f.model.fd + ")",
                "vm_destroy(test)",
                "munmap(0x" + Long.toHexString(base - (4L << 20)) + ", 0x" + Long.toHexString((16L << 20) + (8L << 20)) + ")",
                "munmap(0x" + Long.toHexString(rom - (4L << 20)) + ", 0x" + Long.toHexString((16L << 20) + (8L << 20)) + ")");
        assertThatThrownBy(() -> f.vm.memory().readByte(0)).isInstanceOf(IllegalStateException.class);
        f.vm.close(); // idempotent
        api.close();
    }
}
