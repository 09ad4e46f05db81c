package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmmException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The FreeBSD backend: libvmmapi and {@code /dev/vmm}. This is the skeleton that compiles against the
 * same API; its implementation (libvmmapi through the bindings in
 * {@code org.jbhyve.bindings.freebsd.vmm}, INST_EMUL decoding, snapshot requests) is its own issue.
 */
public final class FreeBsdHypervisor implements Hypervisor {
    private FreeBsdHypervisor() {}

    /** Fails with a sentence that says what is missing on this host. */
    public static FreeBsdHypervisor open() {
        if (!Files.exists(Path.of("/dev/vmmctl")) && !Files.isDirectory(Path.of("/dev/vmm"))) {
            throw new VmmException("cannot use bhyve's vmm: neither /dev/vmmctl nor /dev/vmm exists (kldload vmm)");
        }
        throw new VmmException("the FreeBSD /dev/vmm backend of jbhyve is not implemented yet; "
                + "run jbhyve on Linux with /dev/kvm for now");
    }

    @Override
    public String backendName() { return "freebsd-vmm"; }

    @Override
    public VirtualMachine createVm(VmConfig config) {
        throw new UnsupportedOperationException("FreeBSD backend not implemented yet");
    }

    @Override
    public void close() {
    }
}
