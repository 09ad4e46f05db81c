package org.jbhyve.doctor.freebsd;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.doctor.Doctor;
import org.jbhyve.doctor.Platform;
import org.jbhyve.doctor.Report;
import org.jbhyve.doctor.Result;
import org.jbhyve.doctor.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FreeBSD checks against fake hosts built from documented facts (sysctl names from sys/amd64/vmm,
 * kldstat -q -m, the ENOTTY/EINVAL answers of VM_SNAPSHOT_REQ): what each situation reports, and the fix
 * printed under each problem.
 */
class FreeBsdChecksTest {
    static final Platform FREEBSD = new Platform("FreeBSD", "15.0-RELEASE", "amd64", Runtime.version(),
            "/usr/local/openjdk25", true, false, "root");

    static Report probe(FakeFreeBsdHost host) {
        return Doctor.probe(FREEBSD, () -> {
            throw new AssertionError("a FreeBSD host must not be probed as Linux");
        }, () -> host, Doctor.Options.DEFAULT);
    }

    /** The report line of a check, and the fix line after it (or null). */
    static List<String> lines(Report r, String check) {
        List<String> all = r.text().lines().toList();
        for (int i = 0; i < all.size(); i++) {
            String[] cols = all.get(i).split("\\s+", 3);
            if (cols.length > 1 && cols[1].equals(check)) {
                String next = i + 1 < all.size() && all.get(i + 1).startsWith("      fix: ") ? all.get(i + 1) : null;
                return java.util.Arrays.asList(all.get(i), next);
            }
        }
        throw new AssertionError("no line for " + check + " in\n" + r.text());
    }

    @Test
    void healthyFreeBsd15HostPasses() {
        Report r = probe(new FakeFreeBsdHost());
        assertThat(r.results()).extracting(Result::check).containsExactly("jdk", "native-access", "platform",
                "vmm-module", "virtualization", "vm-create", "libvmmapi", "snapshot", "nested-virt");
        assertThat(r.results()).allSatisfy(res -> assertThat(res.status()).as(res.toString()).isEqualTo(Status.OK));
        assertThat(r.exitStatus()).isZero();
        assertThat(r.result("vm-create").message()).contains("/dev/vmmctl (FreeBSD 15 and later)");
        assertThat(r.result("snapshot").message()).contains("has snapshot support", "EINVAL, not ENOTTY");
        assertThat(r.result("libvmmapi").message()).contains("libvmmapi.so.7");
        assertThat(r.text()).doesNotContain("fix:").contains("summary: 9 OK, 0 WARN, 0 FAIL, 0 SKIP");
    }

    @Test
    void moduleMissingFailsWithKldloadAndSkipsWhatNeedsIt() {
        FakeFreeBsdHost host = new FakeFreeBsdHost().vmmUnloaded();
        Report r = probe(host);
        List<String> vmm = lines(r, "vmm-module");
        assertThat(vmm.get(0)).startsWith("FAIL ").contains("vmm.ko is not loaded");
        assertThat(vmm.get(1)).isEqualTo("      fix: kldload vmm (as root); to load it at every boot: sysrc kld_list+=vmm");
        for (String dependent : List.of("virtualization", "vm-create", "snapshot")) {
            assertThat(r.result(dependent).status()).as(dependent).isEqualTo(Status.SKIP);
            assertThat(r.result(dependent).message()).contains("vmm.ko is not loaded");
        }
        assertThat(host.probes).as("no VM is created without vmm.ko").isZero();
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.text()).contains("summary: 5 OK, 0 WARN, 1 FAIL, 3 SKIP");
    }

    @Test
    void moduleMissingBecauseVtxIsOffInTheFirmware() {
        FakeFreeBsdHost host = new FakeFreeBsdHost().vmmUnloaded();
        host.files.put("/var/run/dmesg.boot", "  VT-x: (disabled in BIOS) PAT,HLT,MTF,PAUSE,EPT,UG,VPID\n");
        List<String> vmm = lines(probe(host), "vmm-module");
        assertThat(vmm.get(0)).startsWith("FAIL ").contains("VT-x is disabled in the firmware");
        assertThat(vmm.get(1)).contains("enable Intel Virtualization Technology (VT-x) in the firmware setup");
    }

    @Test
    void moduleMissingBecauseTheCpuShowsNoVirtualization() {
        FakeFreeBsdHost host = new FakeFreeBsdHost().vmmUnloaded();
        host.files.put("/var/run/dmesg.boot", "CPU: QEMU Virtual CPU version 2.5+\nHypervisor: Origin = \"TCGTCGTCGTCG\"\n");
        List<String> vmm = lines(probe(host), "vmm-module");
        assertThat(vmm.get(0)).contains("shows no VT-x or AMD-V");
        assertThat(vmm.get(1)).contains("enable nested virtualization in the outer hypervisor");
    }

    @Test
    void noUnrestrictedGuestFails() {
        FakeFreeBsdHost host = new FakeFreeBsdHost();
        host.sysctls.put("hw.vmm.vmx.cap.unrestricted_guest", "0");
        Report r = probe(host);
        List<String> v = lines(r, "virtualization");
        assertThat(v.get(0)).startsWith("FAIL ")
                .contains("Intel VT-x without unrestricted guest (hw.vmm.vmx.cap.unrestricted_guest=0)");
        assertThat(v.get(1)).contains("use a CPU with unrestricted guest (Intel Westmere, 2010, or later)");
        assertThat(r.exitStatus()).isEqualTo(1);
    }

    @Test
    void vmxNotInitializedFails() {
        FakeFreeBsdHost host = new FakeFreeBsdHost();
        host.sysctls.put("hw.vmm.vmx.initialized", "0");
        assertThat(lines(probe(host), "virtualization").get(0)).startsWith("FAIL ")
                .contains("hw.vmm.vmx.initialized=0");
    }

    @Test
    void amdWithNestedPagingPasses() {
        FakeFreeBsdHost host = new FakeFreeBsdHost();
        host.sysctls.remove("hw.vmm.vmx.initialized");
        host.sysctls.remove("hw.vmm.vmx.cap.unrestricted_guest");
        host.sysctls.put("hw.vmm.svm.features", "4294967295"); // ~0U masked by CPUID: every bit
        host.sysctls.put("hw.vmm.svm.num_asids", "32768");
        Result r = probe(host).result("virtualization");
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.message()).contains("AMD-V (SVM) with nested paging");
    }

    @Test
    void noSnapshotSupportFailsWithKernelOptionsFix() {
        FakeFreeBsdHost host = new FakeFreeBsdHost();
        host.snapshot = new SnapshotProbe.Outcome.Answered(Errno.ENOTTY, "VM created through /dev/vmmctl");
        Report r = probe(host);
        List<String> s = lines(r, "snapshot");
        assertThat(s.get(0)).startsWith("FAIL  snapshot")
                .contains("no snapshot support (built without options BHYVE_SNAPSHOT)", "ENOTTY");
        assertThat(s.get(1)).startsWith("      fix: build and install a kernel (or only vmm.ko) with options BHYVE_SNAPSHOT")
                .contains("kernel-options/README.md");
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(host.probes).isEqualTo(1);
    }

    @Test
    void conftxtIsReportedButTheProbeDecides() {
        FakeFreeBsdHost host = new FakeFreeBsdHost();
        host.sysctls.put("kern.conftxt", "options\tCONFIG_AUTOGENERATED\nident\tBHYVE_SNAPSHOT\noptions\tBHYVE_SNAPSHOT\n");
        host.snapshot = new SnapshotProbe.Outcome.Answered(Errno.ENOTTY, "VM created through /dev/vmmctl");
        Result r = probe(host).result("snapshot");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.message()).endsWith("; kern.conftxt lists options BHYVE_SNAPSHOT");
        assertThat(r.data()).containsEntry("kernConftxtOption", true);

        host.sysctls.put("kern.conftxt", "ident\tBHYVE_SNAPSHOT\n"); // the ident alone is not the option
        assertThat(probe(host).result("snapshot").data()).containsEntry("kernConftxtOption", false);
    }

    @Test
    void unexpectedErrnoIsAWarning() {
        FakeFreeBsdHost host = new FakeFreeBsdHost();
        host.snapshot = new SnapshotProbe.Outcome.Answered(Errno.EBUSY, "VM created through /dev/vmmctl");
        Result r = probe(host).result("snapshot");
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.message()).contains("cannot tell", "EBUSY");
    }

    @Test
    void freeBsd14CreatesVmsThroughTheSysctl() {
        Report r = probe(new FakeFreeBsdHost().freebsd14());
        assertThat(r.result("vm-create").status()).isEqualTo(Status.OK);
        assertThat(r.result("vm-create").message()).contains("hw.vmm.create (the legacy interface");
        assertThat(r.result("snapshot").data()).containsEntry("how", "VM created through hw.vmm.create");
        assertThat(r.exitStatus()).isZero();
    }

    @Test
    void ordinaryUserCannotCreateVmsOrProbe() {
        Report r = probe(new FakeFreeBsdHost().notRoot());
        List<String> c = lines(r, "vm-create");
        assertThat(c.get(0)).startsWith("FAIL ").contains("/dev/vmmctl exists but user alice cannot open it read-write");
        assertThat(c.get(1)).isEqualTo("      fix: run jbhyve as root");
        assertThat(r.result("snapshot").status()).isEqualTo(Status.WARN);
        assertThat(r.result("snapshot").message()).startsWith("not probed: ");
        assertThat(r.result("snapshot").fix()).contains("as root");

        List<String> legacy = lines(probe(new FakeFreeBsdHost().freebsd14().notRoot()), "vm-create");
        assertThat(legacy.get(0)).startsWith("FAIL ").contains("which only root may write");
    }

    @Test
    void libvmmapiMissingFails() {
        FakeFreeBsdHost host = new FakeFreeBsdHost();
        host.libvmmapi = FreeBsdHost.Libvmmapi.missing("none of [libvmmapi.so.7, libvmmapi.so.6, libvmmapi.so] loads");
        List<String> l = lines(probe(host), "libvmmapi");
        assertThat(l.get(0)).startsWith("FAIL ").contains("libvmmapi cannot be loaded: none of");
        assertThat(l.get(1)).contains("pkg install FreeBSD-libvmmapi", "-Djbhyve.libvmmapi=");
    }

    @Test
    void freeBsdInsideAVmWarnsAboutNesting() {
        FakeFreeBsdHost host = new FakeFreeBsdHost();
        host.sysctls.put("kern.vm_guest", "kvm");
        host.files.put("/var/run/dmesg.boot", "  VT-x: PAT,HLT,MTF,PAUSE,EPT,UG,VPID\nHypervisor: Origin = \"KVMKVMKVM\"\n");
        Result r = probe(host).result("nested-virt");
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.message()).contains("kern.vm_guest=kvm", "hypervisor origin \"KVMKVMKVM\"");
    }

    @Test
    void dmesgParsing() {
        DmesgBoot d = DmesgBoot.parse("""
                CPU: AMD EPYC 7502P 32-Core Processor (2495.36-MHz K8-class CPU)
                  SVM: NP,NRIP,VClean,AFlush,DAssist,NAsids=32768
                """);
        assertThat(d.svm()).contains("NP,NRIP,VClean,AFlush,DAssist,NAsids=32768");
        assertThat(d.vtx()).isEmpty();
        assertThat(d.hasVirtualization()).isTrue();
        DmesgBoot i = DmesgBoot.parse("  VT-x: PAT,HLT,MTF,PAUSE,EPT,UG,VPID,VID,PostIntr\n");
        assertThat(i.vtxFeatures()).containsExactly("PAT", "HLT", "MTF", "PAUSE", "EPT", "UG", "VPID", "VID", "PostIntr");
        assertThat(i.vtxDisabledInFirmware()).isFalse();
    }
}
