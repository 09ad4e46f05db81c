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
    /** One per kernel line: devices sharing a line are wired-OR there, not in the kernel (see SharedInterruptLine). */
    private final SharedInterruptLine[] lines;
    private final MsiSink msi;
    private final PrintStream log;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    VmPlatform(VirtualMachine vm, PrintStream log) {
        this.vm = vm;
        this.log = log;
        this.lines = new SharedInterruptLine[vm.irqLineCount()];
        for (int i = 0; i < lines.length; i++) {
            int irq = i;
            lines[i] = new SharedInterruptLine(level -> vm.setIrqLine(irq, level));
        }
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
        return lines[irq].newSource();
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
}
