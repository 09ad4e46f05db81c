package org.jbhyve.doctor;

import org.jbhyve.doctor.common.JdkCheck;
import org.jbhyve.doctor.common.NativeAccessCheck;
import org.jbhyve.doctor.common.PlatformCheck;
import org.jbhyve.doctor.freebsd.FreeBsdHost;
import org.jbhyve.doctor.freebsd.FreeBsdNestedCheck;
import org.jbhyve.doctor.freebsd.LibvmmapiCheck;
import org.jbhyve.doctor.freebsd.RealFreeBsdHost;
import org.jbhyve.doctor.freebsd.SnapshotSupportCheck;
import org.jbhyve.doctor.freebsd.VirtualizationCheck;
import org.jbhyve.doctor.freebsd.VmCreationCheck;
import org.jbhyve.doctor.freebsd.VmmModuleCheck;
import org.jbhyve.doctor.linux.GuestSpeedCheck;
import org.jbhyve.doctor.linux.KvmApiCheck;
import org.jbhyve.doctor.linux.KvmCapabilitiesCheck;
import org.jbhyve.doctor.linux.KvmDeviceCheck;
import org.jbhyve.doctor.linux.KvmModuleParamsCheck;
import org.jbhyve.doctor.linux.KvmVcpusCheck;
import org.jbhyve.doctor.linux.LinuxHost;
import org.jbhyve.doctor.linux.NestedVirtualizationCheck;
import org.jbhyve.doctor.linux.RealLinuxHost;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code bin/bhyve-doctor}: can this host run jbhyve, and how well? Prints one line per check and, under
 * every problem, its fix; exits 0 when everything jbhyve needs is there (warnings allowed), 1 when
 * something is missing, 64 on a bad command line.
 *
 * <p>Everywhere it checks the JDK (25 or later), native access and the OS and CPU architecture. On Linux:
 * {@code /dev/kvm} and access to it, the KVM API version, every capability jbhyve needs, the vCPU limit,
 * whether this host is itself a VM (then jbhyve's guests are nested), the kvm_intel/kvm_amd module
 * parameters, and a short measurement of guest exits and guest instruction speed. On FreeBSD: vmm.ko,
 * VT-x/AMD-V with unrestricted guest, {@code /dev/vmmctl} or {@code hw.vmm.create}, libvmmapi, snapshot
 * support in the kernel ({@code options BHYVE_SNAPSHOT}, probed on a throwaway VM) and whether this host
 * is itself a VM.
 */
public final class Doctor {
    private Doctor() {}

    static final String USAGE = """
            usage: bhyve-doctor [--json] [--no-bench]
              --json      print the findings as JSON instead of text
              --no-bench  skip the guest-speed measurement (Linux: about a second of test guest runs)
            Exit status: 0 everything jbhyve needs is here, 1 something is missing (see the fix lines), 64 bad usage.
            """;

    /** Command-line options. */
    public record Options(boolean json, boolean bench) {
        public static final Options DEFAULT = new Options(false, true);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false, bench = true;
        for (String a : args) {
            switch (a) {
                case "--json" -> json = true;
                case "--no-bench" -> bench = false;
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    err.println("bhyve-doctor: unknown argument '" + a + "'");
                    err.print(USAGE);
                    return 64;
                }
            }
        }
        Platform platform = Platform.current();
        Options options = new Options(json, bench);
        Report report = probe(platform, RealLinuxHost::new, RealFreeBsdHost::new, options);
        out.print(json ? report.json() : report.text());
        out.flush();
        return report.exitStatus();
    }

    /**
     * Runs every check that applies to {@code platform}. The OS-specific host is created only for its OS,
     * so a fake can be passed for the other one (or for both, in tests).
     */
    public static Report probe(Platform platform, Supplier<? extends LinuxHost> linux,
                               Supplier<? extends FreeBsdHost> freebsd, Options options) {
        return new Report(platform, runAll(checks(platform, linux, freebsd, options)));
    }

    public static List<Check> checks(Platform platform, Supplier<? extends LinuxHost> linux,
                                     Supplier<? extends FreeBsdHost> freebsd, Options options) {
        List<Check> checks = new ArrayList<>(List.of(
                new JdkCheck(platform), new NativeAccessCheck(platform), new PlatformCheck(platform)));
        switch (platform.os()) {
            case LINUX -> {
                LinuxHost h = linux.get();
                checks.addAll(List.of(new KvmDeviceCheck(h), new KvmApiCheck(h), new KvmCapabilitiesCheck(h),
                        new KvmVcpusCheck(h), new NestedVirtualizationCheck(h), new KvmModuleParamsCheck(h),
                        new GuestSpeedCheck(h, options.bench())));
            }
            case FREEBSD -> {
                FreeBsdHost h = freebsd.get();
                checks.addAll(List.of(new VmmModuleCheck(h), new VirtualizationCheck(h), new VmCreationCheck(h),
                        new LibvmmapiCheck(h), new SnapshotSupportCheck(h), new FreeBsdNestedCheck(h)));
            }
            case OTHER -> { }
        }
        return checks;
    }

    /** Runs the checks in order; a check that throws becomes a FAIL naming the exception. */
    public static List<Result> runAll(List<Check> checks) {
        List<Result> results = new ArrayList<>();
        for (Check c : checks) {
            Result r;
            try {
                r = c.run();
            } catch (RuntimeException | LinkageError e) {
                r = Result.fail(c.id(), "the check itself failed: " + e,
                        "report this as a jbhyve bug, with the output of bhyve-doctor --json");
            }
            results.add(r);
        }
        return results;
    }
}
