package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VmExit;

import java.util.function.BiConsumer;

/**
 * One vCPU's thread: run the guest, hand each exit to the buses, and park when the state machine
 * says so. Anything the guest does that the VMM cannot handle ends the VM with a report (registers
 * included) instead of an exception escaping the thread.
 */
final class VcpuLoop implements Runnable {
    private final Vcpu vcpu;
    private final IoBus io;
    private final MmioBus mmio;
    private final VmStateMachine state;
    private final boolean strictIo;
    private final boolean strictMsr;
    private final BiConsumer<ExitStatus, String> end;
    /** Runs once, right before this vCPU first enters the guest; null for none. */
    private final Runnable beforeFirstEntry;
    /** Samples this vCPU whenever it was kicked out of the guest ({@code -H}); null without halt detection. */
    private final HaltDetector halts;

    VcpuLoop(Vcpu vcpu, IoBus io, MmioBus mmio, VmStateMachine state, boolean strictIo, boolean strictMsr,
             BiConsumer<ExitStatus, String> end, Runnable beforeFirstEntry, HaltDetector halts) {
        this.beforeFirstEntry = beforeFirstEntry;
        this.halts = halts;
        this.strictMsr = strictMsr;
        this.vcpu = vcpu;
        this.io = io;
        this.mmio = mmio;
        this.state = state;
        this.strictIo = strictIo;
        this.end = end;
    }

    @Override
    public void run() {
        try {
            if (!state.awaitRunnable(vcpu.id())) return;
            if (beforeFirstEntry != null) beforeFirstEntry.run();
            while (true) {
                VmExit exit = vcpu.run();
                switch (exit) {
                    case VmExit.PortIo p -> portIo(p);
                    case VmExit.Mmio m -> mmio(m);
                    case VmExit.MsrAccess m -> msr(m);
                    case VmExit.Stopped s -> {
                        if (!state.awaitRunnable(vcpu.id())) return;
                        if (halts != null) halts.sample(vcpu);
                    }
                    case VmExit.Shutdown s -> {
                        end.accept(ExitStatus.TRIPLE_FAULT, "vcpu " + vcpu.id() + " triple-faulted\n" + registers());
                        return;
                    }
                    case VmExit.SystemEvent e -> {
                        switch (e.type()) {
                            case RESET -> end.accept(ExitStatus.REBOOT, "guest requested a reset");
                            case SHUTDOWN -> end.accept(ExitStatus.POWEROFF, "guest requested a shutdown");
                            default -> end.accept(ExitStatus.ERROR, "vcpu " + vcpu.id() + ": " + e + "\n" + registers());
                        }
                        return;
                    }
                    case VmExit.Halt h -> {
                        end.accept(ExitStatus.HALT, "vcpu " + vcpu.id() + " halted");
                        return;
                    }
                    default -> {
                        end.accept(ExitStatus.ERROR, "vcpu " + vcpu.id() + ": unhandled exit: " + exit + "\n" + registers());
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            end.accept(ExitStatus.ERROR, "vcpu " + vcpu.id() + " failed: " + e + "\n" + registersQuietly());
        }
    }

    private void portIo(VmExit.PortIo p) {
        int port = p.port(), size = p.size();
        if (p.isIn()) {
            if (strictIo && io.find(port) == null) unhandledPort(p);
            for (int i = 0; i < p.count(); i++) p.setValue(i, io.in(port, size));
        } else {
            for (int i = 0; i < p.count(); i++) {
                if (!io.out(port, size, p.value(i)) && strictIo) unhandledPort(p);
            }
        }
    }

    private void unhandledPort(VmExit.PortIo p) {
        throw new IllegalStateException("unhandled I/O port access with x86.strictio set: " + p);
    }

    /**
     * An MSR the kernel does not emulate (FreeBSD hands these to userland): bhyve's rule — with
     * {@code x86.strictmsr} (the default) the access faults with #GP, otherwise reads return 0 and
     * writes are ignored.
     */
    private void msr(VmExit.MsrAccess m) {
        if (strictMsr) {
            m.fault();
        } else if (!m.isWrite()) {
            m.setValue(0);
        }
    }

    private void mmio(VmExit.Mmio m) {
        if (m.isWrite()) mmio.write(m.address(), m.size(), m.value());
        else m.setValue(mmio.read(m.address(), m.size()));
    }

    private String registers() {
        return "registers:\n" + RegisterDump.of(vcpu.getRegisters()) + "\n" + RegisterDump.of(vcpu.getSpecialRegisters());
    }

    private String registersQuietly() {
        try {
            return registers();
        } catch (RuntimeException e) {
            return "(registers unavailable: " + e.getMessage() + ")";
        }
    }
}
