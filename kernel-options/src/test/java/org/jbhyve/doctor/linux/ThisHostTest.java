package org.jbhyve.doctor.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jbhyve.doctor.Doctor;
import org.jbhyve.doctor.Platform;
import org.jbhyve.doctor.Report;
import org.jbhyve.doctor.Result;
import org.jbhyve.doctor.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The probe on this Linux host, for real: /dev/kvm, the capabilities and the guest-speed measurement go
 * through the kernel. Needs /dev/kvm (skipped with a reason where it is absent).
 */
@EnabledOnOs(OS.LINUX)
class ThisHostTest {
    static Report report;

    @BeforeAll
    static void probeOnce() {
        assumeTrue(Files.exists(Path.of("/dev/kvm")), "needs /dev/kvm");
        report = Doctor.probe(Platform.current(), RealLinuxHost::new, () -> {
            throw new AssertionError("not FreeBSD");
        }, Doctor.Options.DEFAULT);
        System.out.print(report.text());
    }

    @Test
    void kvmAndCapabilitiesAreOk() {
        for (String c : new String[] {"jdk", "native-access", "platform", "kvm-device", "kvm-api", "kvm-capabilities",
                "kvm-vcpus"}) {
            assertThat(report.result(c).status()).as(report.result(c).toString()).isEqualTo(Status.OK);
        }
        assertThat(report.result("kvm-device").message()).contains("/dev/kvm", "opens read-write");
        assertThat(report.result("kvm-api").message()).isEqualTo("KVM API version 12");
        assertThat((java.util.List<?>) report.result("kvm-capabilities").data().get("missing")).isEmpty();
        assertThat(report.exitStatus()).isZero();
    }

    @Test
    void detectsThatThisHostIsAVirtualMachine() throws Exception {
        boolean hypervisorBit = CpuInfo.parse(Files.readString(Path.of("/proc/cpuinfo"))).hypervisor();
        assumeTrue(hypervisorBit, "this host is bare metal (no hypervisor bit in /proc/cpuinfo)");
        Result r = report.result("nested-virt");
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.message()).startsWith("this host is itself a virtual machine");
        assertThat(r.fix()).isNotBlank();
        assertThat(report.text()).contains("WARN  nested-virt").contains("      fix: for native speed run jbhyve on bare metal");
    }

    @Test
    void guestSpeedWasMeasured() {
        Result r = report.result("guest-speed");
        assertThat(r.status()).isIn(Status.OK, Status.WARN);
        assertThat((Double) r.data().get("microsPerExit")).isPositive();
        assertThat((Double) r.data().get("nanosPerLoopIteration")).isPositive();
        assertThat(r.message()).contains("µs per port-I/O exit (bare metal: ~1 µs)");
    }

    @Test
    void everyProblemHasItsFixOnTheNextLine() {
        var lines = report.text().lines().toList();
        for (int i = 1; i < lines.size() - 1; i++) {
            if (lines.get(i).startsWith("WARN ") || lines.get(i).startsWith("FAIL ")) {
                assertThat(lines.get(i + 1)).as("after " + lines.get(i)).startsWith("      fix: ");
            }
        }
        assertThat(lines.getLast()).startsWith("summary: ").endsWith("(exit status 0)");
    }

    @Test
    void jsonOutputIsValidAndComplete() throws Exception {
        JsonNode j = new ObjectMapper().readTree(report.json());
        assertThat(j.get("tool").asText()).isEqualTo("bhyve-doctor");
        assertThat(j.get("exitStatus").asInt()).isZero();
        assertThat(j.get("host").get("os").asText()).isEqualTo("Linux");
        assertThat(j.get("checks")).hasSize(report.results().size());
        JsonNode device = j.get("checks").get(3);
        assertThat(device.get("check").asText()).isEqualTo("kvm-device");
        assertThat(device.get("status").asText()).isEqualTo("OK");
        assertThat(device.get("fix").isNull()).isTrue();
        JsonNode speed = j.get("checks").get(report.results().size() - 1);
        assertThat(speed.get("data").get("microsPerExit").asDouble()).isPositive();
        assertThat(j.get("summary").get("fail").asInt()).isZero();
    }
}
