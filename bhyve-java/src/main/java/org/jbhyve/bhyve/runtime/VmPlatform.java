package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.device.*;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.VirtualMachine;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link Platform} devices see, backed by a {@link VirtualMachine}. */
final class VmPlatform implements Platform {
    /** Distinct device messages remembered for log-once; beyond this, new messages are still printed. */
    private static final int LOG_MEMORY = 4096;

    private final VirtualMachine vm;
    private final IoBus io = new IoBus();
    private final MmioBus mmio = new MmioBus();
    private final InterruptLine[] lines;
    private final MsiSink msi;
    private final PrintStream log;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    VmPlatform(VirtualMachine vm, PrintStream log) {
        this.vm = vm;
        this.log = log;
        this.lines = new InterruptLine[vm.irqLineCount()];
        for (int i = 0; i < lines.length; i++) lines[i] = new KernelIrqLine(vm, i);
        this.msi = vm::sendMsi;
    }

    @Override
    public IoBus io() { return io; }

    @Override
    public MmioBus mmio() { return mmio; }

    @Override
    public GuestMemory memory() { return vm.memory(); }

    @Override
    public InterruptLine irq(int irq) {
        if (irq < 0 || irq >= lines.length) {
            throw new IllegalArgumentException("no interrupt line " + irq + " (this VM has " + lines.length + ")");
        }
        return lines[irq];
    }

    @Override
    public MsiSink msi() { return msi; }

    @Override
    public void log(String device, String message) {
        String line = device + ": " + message;
        if (logged.size() < LOG_MEMORY ? logged.add(line) : !logged.contains(line)) {
            log.println("jbhyve: " + line);
        }
    }

    /** An IOAPIC pin (and for 0-15 also the PIC input) driven through the backend. */
    private record KernelIrqLine(VirtualMachine vm, int irq) implements InterruptLine {
        @Override
        public void assertLine() { vm.setIrqLine(irq, true); }

        @Override
        public void deassertLine() { vm.setIrqLine(irq, false); }
    }
}
