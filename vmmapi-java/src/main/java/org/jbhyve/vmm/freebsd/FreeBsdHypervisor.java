package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmmException;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The FreeBSD backend: bhyve's vmm(4) through libvmmapi and {@code /dev/vmm}.
 *
 * <p>{@link #open()} checks, in order and without loading anything on another operating system: that this is
 * FreeBSD; that vmm.ko is loaded ({@code /dev/vmmctl} on FreeBSD 15, the {@code hw.vmm} sysctls on 14); that
 * {@code /dev/vmmctl}, where it exists, may be opened for writing (it is root:wheel 0600); and that libvmmapi
 * loads. Each failure is one sentence with the fix. It reads {@code kern.osrelease} and {@code kern.osreldate}
 * (the producer of snapshot blobs, {@link FreeBsdKernelState}) and {@code machdep.tsc_freq} (the guests' TSC
 * rate).
 *
 * <p>See {@link FreeBsdVm} and {@link FreeBsdVcpu} for how the API maps onto vmm.
 */
public final class FreeBsdHypervisor implements Hypervisor {
    private final Vmmapi api;
    private final InstructionEmulation emulation;
    private final String osrelease;
    private final OptionalLong osreldate;
    private final long tscKhz;

    private FreeBsdHypervisor(Vmmapi api, InstructionEmulation emulation) {
        this.api = api;
        this.emulation = emulation;
        this.osrelease = api.sysctlString("kern.osrelease").orElse("unknown");
        this.osreldate = api.sysctlNumber("kern.osreldate");
        OptionalLong hz = api.sysctlNumber("machdep.tsc_freq");
        this.tscKhz = hz.isPresent() && hz.getAsLong() > 0 ? hz.getAsLong() / 1000 : 0;
    }

    /** Opens the backend for this host, or fails with {@link VmmException} and one sentence saying what to do. */
    public static FreeBsdHypervisor open() {
        String os = System.getProperty("os.name", "unknown");
        if (!os.equals("FreeBSD")) {
            throw new VmmException("the FreeBSD backend of jbhyve needs FreeBSD's vmm(4), and this host runs " + os
                    + (os.toLowerCase(java.util.Locale.ROOT).contains("linux")
                    ? " (on Linux, jbhyve uses /dev/kvm: Hypervisor.open() picks that backend)" : ""));
        }
        return open(new LibVmmapi());
    }

    /**
     * Opens the backend over {@code api} (the real libvmmapi, or a model of it in tests), without the
     * operating-system check.
     */
    public static FreeBsdHypervisor open(Vmmapi api) {
        return open(api, InstructionEmulation.x86());
    }

    static FreeBsdHypervisor open(Vmmapi api, InstructionEmulation emulation) {
        Objects.requireNonNull(api, "api");
        boolean vmmctl = api.exists("/dev/vmmctl");
        if (!vmmctl && api.sysctlNumber("hw.vmm.maxcpu").isEmpty()) {
            throw new VmmException("cannot use bhyve's vmm: vmm.ko is not loaded (kldload vmm as root, or add"
                    + " vmm_load=\"YES\" to /boot/loader.conf)");
        }
        if (vmmctl && !api.writable("/dev/vmmctl")) {
            throw new VmmException("cannot use bhyve's vmm: /dev/vmmctl is root:wheel 0600 and this process may not"
                    + " open it (run jbhyve as root)");
        }
        if (!api.available()) {
            throw new VmmException("cannot use bhyve's vmm: " + api.unavailableReason().orElse("libvmmapi is unavailable"));
        }
        return new FreeBsdHypervisor(api, emulation);
    }

    @Override
    public String backendName() { return "freebsd-vmm"; }

    /**
     * Creates a VM in vmm, named {@link VmConfig#name()} ({@code /dev/vmm/<name>}); closing it destroys it. See
     * {@link FreeBsdVm}.
     */
    @Override
    public VirtualMachine createVm(VmConfig config) {
        return new FreeBsdVm(this, config);
    }

    /** {@code kern.osrelease}, e.g. {@code 15.0-RELEASE-p2}. */
    public String osrelease() { return osrelease; }

    /** {@code kern.osreldate} ({@code __FreeBSD_version} of the running kernel), e.g. 1500068. */
    public OptionalLong osreldate() { return osreldate; }

    /** The producer of this kernel's snapshot blobs: {@code "freebsd <kern.osrelease> <kern.osreldate>"}. */
    public String producer() {
        return FreeBsdKernelState.producer(osrelease, osreldate.orElse(-1));
    }

    /** The host TSC rate in kHz, which guests run at; 0 when {@code machdep.tsc_freq} is missing. */
    public long tscKhz() { return tscKhz; }

    Vmmapi api() { return api; }

    InstructionEmulation emulation() { return emulation; }

    @Override
    public void close() {
    }
}
