package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmExit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a test guest's BSP on the calling thread until it writes its status to port 0xf4, the way a
 * VMM would: OUTs to port 0x3f8 are recorded, MMIO exits go to {@code mmio} (unowned writes are
 * dropped, as the VMM drops guest writes to the ROM), HLT exits are resumed. Anything else, or the
 * deadline passing (a watchdog kicks the vCPU), fails the run.
 */
final class GuestRun {
    static final int SERIAL_PORT = 0x3f8, EXIT_PORT = 0xf4;

    /** What the guest did: each OUT to 0x3f8 (value, width) in order, and the exit status. */
    record Result(List<Integer> values, List<Integer> widths, int status, List<String> mmio) {}

    private GuestRun() {}

    static Result run(VirtualMachine vm, MmioBus mmio, Duration timeout) {
        Vcpu cpu = vm.vcpu(0);
        List<Integer> values = new ArrayList<>(), widths = new ArrayList<>();
        List<String> mmioLog = new ArrayList<>();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        watchdog.schedule(() -> {
            timedOut.set(true);
            cpu.kick();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            while (true) {
                VmExit exit = cpu.run();
                switch (exit) {
                    case VmExit.PortIo io when io.isOut() && io.port() == SERIAL_PORT -> {
                        for (int i = 0; i < io.count(); i++) {
                            values.add(io.value(i));
                            widths.add(io.size());
                        }
                    }
                    case VmExit.PortIo io when io.isOut() && io.port() == EXIT_PORT -> {
                        return new Result(values, widths, io.value() & 0xff, mmioLog);
                    }
                    case VmExit.Mmio m -> {
                        mmioLog.add(m.toString());
                        if (m.isWrite()) mmio.write(m.address(), m.size(), m.value());
                        else m.setValue(mmio.read(m.address(), m.size()));
                    }
                    case VmExit.Halt h -> { /* no in-kernel irqchip: resume */ }
                    case VmExit.Stopped s when timedOut.get() -> throw new AssertionError(
                            "guest did not finish within " + timeout + "; reported " + hex(values) + "\n"
                                    + cpu.getRegisters());
                    case VmExit.Stopped s -> { }
                    default -> throw new AssertionError("unexpected exit " + exit + " after reports " + hex(values)
                            + "\nregisters:\n" + cpu.getRegisters() + "\n" + cpu.getSpecialRegisters());
                }
            }
        } finally {
            watchdog.shutdownNow();
        }
    }

    static String hex(List<Integer> values) {
        return values.stream().map(v -> "0x" + Integer.toHexString(v)).toList().toString();
    }
}
