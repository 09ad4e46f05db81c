package org.jbhyve.vmm;

import org.jbhyve.vmm.freebsd.FreeBsdHypervisor;
import org.jbhyve.vmm.kvm.KvmHypervisor;

import java.util.Locale;

/** The host's hardware-virtualization facility: /dev/vmm on FreeBSD, /dev/kvm on Linux. */
public interface Hypervisor extends AutoCloseable {

    /**
     * Opens the backend for this host. Fails with {@link VmmException} and one clear sentence when
     * none is usable (device absent, permission denied, module not loaded, unsupported OS).
     */
    static Hypervisor open() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) return KvmHypervisor.open();
        if (os.contains("freebsd")) return FreeBsdHypervisor.open();
        throw new VmmException("jbhyve runs on FreeBSD (/dev/vmm) or Linux (/dev/kvm); this host is "
                + System.getProperty("os.name"));
    }

    /** "kvm" or "freebsd-vmm". */
    String backendName();

    VirtualMachine createVm(VmConfig config);

    @Override
    void close();
}
