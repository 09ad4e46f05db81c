package org.jbhyve.doctor.linux;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.doctor.Doctor;
import org.jbhyve.doctor.Platform;
import org.jbhyve.doctor.Report;
import org.jbhyve.doctor.Result;
import org.jbhyve.doctor.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Linux checks against fake hosts: the situations this machine does not show. */
class LinuxChecksTest {
    static final Platform LINUX = new Platform("Linux", "6.12.0", "amd64", Runtime.version(), "/opt/jdk-25", true,
            false, "alice");

    static Report probe(FakeLinuxHost host) {
        return Doctor.probe(LINUX, () -> host, () -> {
            throw new AssertionError("a Linux host must not be probed as FreeBSD");
        }, Doctor.Options.DEFAULT);
    }

    static String fixOf(Report r, String check) {
        List<String> lines = r.text().lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).split("\\s+", 3)[1].equals(check)) {
                assertThat(lines.get(i + 1)).startsWith("      fix: ");
                return lines.get(i + 1).substring("      fix: ".length());
            }
        }
        throw new AssertionError("no fix line for " + check + " in\n" + r.text());
    }

    @Test
    void bareMetalHostWithKvmPasses() {
        Report r = probe(new FakeLinuxHost().file("/sys/module/kvm_intel/parameters/ept", "Y\n")
                .file("/sys/module/kvm_intel/parameters/unrestricted_guest", "Y\n")
                .file("/sys/module/kvm_intel/parameters/nested", "Y\n"));
        assertThat(r.results()).extracting(Result::check).containsExactly("jdk", "native-access", "platform",
                "kvm-device", "kvm-api", "kvm-capabilities", "kvm-vcpus", "nested-virt", "kvm-module", "guest-speed");
        assertThat(r.results()).allSatisfy(res -> assertThat(res.status()).as(res.toString()).isEqualTo(Status.OK));
        assertThat(r.result("guest-speed").message()).startsWith("guest code runs at native speed: 0.9 µs per port-I/O exit");
        assertThat(r.result("kvm-module").message()).isEqualTo("kvm_intel: ept=Y unrestricted_guest=Y nested=Y;"
                + " its guests can be hypervisors themselves (KVM offers them VMX)");
        assertThat(r.exitStatus()).isZero();
    }

    @Test
    void noDevKvm() {
        Report r = probe(new FakeLinuxHost().noKvm());
        assertThat(r.result("kvm-device").status()).isEqualTo(Status.FAIL);
        assertThat(r.result("kvm-device").message()).startsWith("/dev/kvm does not exist");
        assertThat(fixOf(r, "kvm-device")).startsWith("modprobe kvm_intel (Intel) or modprobe kvm_amd (AMD)");
        for (String c : List.of("kvm-api", "kvm-capabilities", "kvm-vcpus", "guest-speed")) {
            assertThat(r.result(c).status()).as(c).isEqualTo(Status.SKIP);
        }
        assertThat(r.exitStatus()).isEqualTo(1);
    }

    @Test
    void permissionDeniedNamesTheGroup() {
        Report r = probe(new FakeLinuxHost().kvmDenied("kvm"));
        assertThat(r.result("kvm-device").message())
                .isEqualTo("/dev/kvm (crw-rw---- root:kvm) exists but user alice cannot open it read-write: "
                        + "EACCES (permission denied)");
        assertThat(fixOf(r, "kvm-device")).isEqualTo("add alice to group kvm (usermod -aG kvm alice) and log in again;"
                + " or run as root");

        Report rootOwned = probe(new FakeLinuxHost().kvmDenied("root"));
        assertThat(fixOf(rootOwned, "kvm-device")).contains("udev rule KERNEL==\"kvm\", GROUP=\"kvm\", MODE=\"0660\"");
    }

    @Test
    void noUsableVirtualization() {
        FakeLinuxHost host = new FakeLinuxHost();
        host.kvm = KvmFacts.unopenable(Errno.ENXIO, "ENXIO (no such device or address)");
        Report r = probe(host);
        assertThat(r.result("kvm-device").message()).contains("found no usable VT-x/AMD-V");
        assertThat(fixOf(r, "kvm-device")).contains("enable VT-x/AMD-V in the firmware setup");
    }

    @Test
    void kvmThatJbhyveRefuses() {
        FakeLinuxHost host = new FakeLinuxHost();
        host.kvm = new KvmFacts(0, null, 12, "the KVM of this kernel lacks capability KVM_CAP_XSAVE, which jbhyve"
                + " needs; use a newer kernel", List.of(), -1, -1, null);
        Report r = probe(host);
        assertThat(r.result("kvm-api").status()).isEqualTo(Status.OK);
        assertThat(r.result("kvm-capabilities").status()).isEqualTo(Status.FAIL);
        assertThat(r.result("kvm-capabilities").message()).contains("KVM_CAP_XSAVE");
        assertThat(fixOf(r, "kvm-capabilities")).contains("newer Linux kernel");
        assertThat(r.result("kvm-vcpus").status()).isEqualTo(Status.SKIP);
        assertThat(r.result("guest-speed").status()).isEqualTo(Status.SKIP);
    }

    @Test
    void wrongApiVersion() {
        FakeLinuxHost host = new FakeLinuxHost();
        host.kvm = new KvmFacts(0, null, 11, "/dev/kvm speaks KVM API version 11, jbhyve needs 12", List.of(), -1, -1,
                null);
        Report r = probe(host);
        assertThat(r.result("kvm-api").status()).isEqualTo(Status.FAIL);
        assertThat(r.result("kvm-api").message()).isEqualTo("KVM API version 11, jbhyve speaks version 12");
    }

    @Test
    void nestedHostIsDetectedAndTheOuterHypervisorNamed() {
        FakeLinuxHost host = new FakeLinuxHost().insideVm()
                .file("/sys/class/dmi/id/sys_vendor", "QEMU\n")
                .file("/sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n");
        Result r = probe(host).result("nested-virt");
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.message()).contains("this host is itself a virtual machine",
                "outer hypervisor: QEMU Standard PC (Q35 + ICH9, 2009)", "~1000x slower");
        assertThat(r.data()).containsEntry("hypervisorBit", true);

        FakeLinuxHost firecracker = new FakeLinuxHost().insideVm()
                .file(NestedVirtualizationCheck.CLOCKSOURCES, "tsc kvm-clock \n");
        assertThat(probe(firecracker).result("nested-virt").message()).contains("outer hypervisor: KVM (kvm-clock)");
    }

    @Test
    void moduleParametersThatSlowGuests() {
        Report r = probe(new FakeLinuxHost().file("/sys/module/kvm_intel/parameters/ept", "N\n")
                .file("/sys/module/kvm_intel/parameters/unrestricted_guest", "N\n")
                .file("/sys/module/kvm_intel/parameters/nested", "N\n"));
        Result m = r.result("kvm-module");
        assertThat(m.status()).isEqualTo(Status.WARN);
        assertThat(m.message()).contains("ept is off", "unrestricted_guest is off", "nested=N");
        assertThat(fixOf(r, "kvm-module")).contains("modprobe kvm_intel ept=1 unrestricted_guest=1");
        assertThat(r.exitStatus()).as("slow is not missing").isZero();

        FakeLinuxHost amdHost = new FakeLinuxHost().file("/sys/module/kvm_amd/parameters/npt", "1\n")
                .file("/sys/module/kvm_amd/parameters/nested", "0\n");
        amdHost.kvm = new KvmFacts(0, null, 12, null, List.of(), 1024, 80, "none");
        Result amd = probe(amdHost).result("kvm-module");
        assertThat(amd.status()).isEqualTo(Status.OK);
        assertThat(amd.message()).isEqualTo("kvm_amd: npt=1 nested=0; its guests cannot be hypervisors themselves"
                + " (KVM offers them neither VMX nor SVM), so e.g. bhyve in the FreeBSD VM of ci/freebsd/run-tests"
                + " cannot run guests");
    }

    @Test
    void softwareKvmIsNamed() {
        Result r = probe(new FakeLinuxHost().file("/sys/module/kvm_pvm/parameters/pvm_native", "Y\n"))
                .result("kvm-module");
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.message()).contains("kvm_pvm", "without VT-x/AMD-V");
    }

    @Test
    void slowGuestsAreMeasuredAndWarned() {
        FakeLinuxHost host = new FakeLinuxHost();
        host.speed = () -> new GuestSpeed(10_000, 12.0, 100_000L, 2000.0);
        Result r = probe(host).result("guest-speed");
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.message()).isEqualTo("guest code runs ~5000x slower than on bare metal: 12.0 µs per port-I/O exit"
                + " (bare metal: ~1 µs), 2000.0 ns per guest loop iteration (bare metal: ~0.4 ns)");
        assertThat(r.data()).containsEntry("microsPerExit", 12.0).containsEntry("loopIterations", 100_000L);
    }

    @Test
    void benchCanBeSkippedAndItsFailureIsAWarning() {
        FakeLinuxHost host = new FakeLinuxHost();
        host.speed = () -> {
            throw new IllegalStateException("no VM");
        };
        assertThat(Doctor.probe(LINUX, () -> host, () -> null, new Doctor.Options(false, false))
                .result("guest-speed").status()).isEqualTo(Status.SKIP);
        Result r = probe(host).result("guest-speed");
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.message()).contains("no VM");
    }

    @Test
    void guestVirtualizationFromSupportedCpuid() {
        assertThat(KvmFacts.guestVirtualization(List.of(
                new org.jbhyve.vmm.state.CpuidEntry(1, 0, 0, 0, 0, 1 << 5, 0)))).isEqualTo("VMX");
        assertThat(KvmFacts.guestVirtualization(List.of(new org.jbhyve.vmm.state.CpuidEntry(1, 0, 0, 0, 0, 0, 0),
                new org.jbhyve.vmm.state.CpuidEntry(0x80000001, 0, 0, 0, 0, 1 << 2, 0)))).isEqualTo("SVM");
        assertThat(KvmFacts.guestVirtualization(List.of(new org.jbhyve.vmm.state.CpuidEntry(1, 0, 0, 0, 0, 0, 0))))
                .isEqualTo("none");
    }

    @Test
    void cpuinfoFlags() {
        CpuInfo c = CpuInfo.parse("processor\t: 0\nflags\t\t: fpu vmx  hypervisor\nbugs\t\t: spectre_v1\n"
                + "processor\t: 1\nflags\t\t: fpu\n");
        assertThat(c.hypervisor()).isTrue();
        assertThat(c.vmx()).isTrue();
        assertThat(c.svm()).isFalse();
        assertThat(CpuInfo.parse("").flags()).isEmpty();
    }
}
