package org.jbhyve.doctor.linux;

import org.jbhyve.vmm.MemoryBacking;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.kvm.KvmHypervisor;
import org.jbhyve.vmm.state.Registers;
import org.jbhyve.vmm.state.Segment;
import org.jbhyve.vmm.state.SpecialRegisters;

/**
 * Times two tiny real-mode guests through vmmapi-java's public API, one vCPU, in-kernel irqchip:
 * <ul>
 *   <li>at GPA 0x1000, {@code 1: out %al, $0x80; jmp 1b}: every {@code run()} is one exit, so the time
 *       per {@code run()} is the exit round trip (bare metal: about 1 µs);</li>
 *   <li>at GPA 0x1100, {@code 1: dec %ecx; jnz 1b; out %al, $0x81} with ECX = n: one {@code run()} executes
 *       n loop iterations and one exit, so it shows how fast guest instructions run (bare metal: about
 *       one cycle, well under a nanosecond, per iteration).</li>
 * </ul>
 * n grows tenfold from 1000 until a run takes 50 ms (or n reaches 10^8), so the probe takes about a
 * second at most even where guest code is a thousand times slower than native.
 */
public final class GuestSpeedProbe {
    private GuestSpeedProbe() {}

    static final long EXIT_LOOP = 0x1000;
    static final long COUNT_LOOP = 0x1100;
    static final int EXIT_PORT = 0x80;
    static final int DONE_PORT = 0x81;
    /** {@code out %al, $0x80; jmp -4}. */
    static final byte[] EXIT_CODE = {(byte) 0xe6, (byte) EXIT_PORT, (byte) 0xeb, (byte) 0xfc};
    /** {@code dec %ecx (66 49); jnz -4; out %al, $0x81; jmp $}. */
    static final byte[] COUNT_CODE = {0x66, 0x49, 0x75, (byte) 0xfc, (byte) 0xe6, (byte) DONE_PORT, (byte) 0xeb,
            (byte) 0xfe};
    static final int EXITS = 10_000;
    static final long TARGET_NANOS = 50_000_000L;
    static final long MAX_ITERATIONS = 100_000_000L;

    public static GuestSpeed measure() {
        try (KvmHypervisor kvm = KvmHypervisor.open();
             VirtualMachine vm = kvm.createVm(VmConfig.of("bhyve-doctor", 1, 16L << 20)
                     .withBacking(MemoryBacking.ANONYMOUS))) {
            vm.memory().write(EXIT_LOOP, EXIT_CODE);
            vm.memory().write(COUNT_LOOP, COUNT_CODE);
            Vcpu vcpu = vm.vcpu(0);
            SpecialRegisters s = vcpu.getSpecialRegisters();
            vcpu.setSpecialRegisters(new SpecialRegisters(Segment.realMode(0, 0xb), s.ds(), s.es(), s.fs(), s.gs(),
                    s.ss(), s.tr(), s.ldt(), s.gdt(), s.idt(), s.cr0(), s.cr2(), s.cr3(), s.cr4(), s.cr8(), s.efer(),
                    s.apicBase(), s.interruptBitmap()));

            vcpu.setRegisters(Registers.reset().withRip(EXIT_LOOP));
            for (int i = 0; i < 1000; i++) expectOut(vcpu.run(), EXIT_PORT); // warm up, and check the guest
            long t0 = System.nanoTime();
            for (int i = 0; i < EXITS; i++) expectOut(vcpu.run(), EXIT_PORT);
            double nanosPerExit = (double) (System.nanoTime() - t0) / EXITS;

            long n = 1000;
            long elapsed;
            while (true) {
                long[] regs = Registers.reset().withRip(COUNT_LOOP).toArray();
                regs[2] = n; // rcx
                vcpu.setRegisters(Registers.fromArray(regs));
                long t1 = System.nanoTime();
                expectOut(vcpu.run(), DONE_PORT);
                elapsed = System.nanoTime() - t1;
                if (elapsed >= TARGET_NANOS || n >= MAX_ITERATIONS) break;
                n *= 10;
            }
            double loopNanos = Math.max(0, elapsed - nanosPerExit) / n;
            return new GuestSpeed(EXITS, nanosPerExit / 1000.0, n, loopNanos);
        }
    }

    private static void expectOut(VmExit e, int port) {
        if (!(e instanceof VmExit.PortIo io) || io.port() != port || !io.isOut()) {
            throw new IllegalStateException("the speed-test guest should have done an OUT to port 0x"
                    + Integer.toHexString(port) + ", but exited with: " + e);
        }
    }
}
