package org.jbhyve.bench;

import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.MemoryBacking;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.state.Registers;
import org.jbhyve.vmm.state.Segment;
import org.jbhyve.vmm.state.SpecialRegisters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The exit round trip: how long one guest exit takes from the guest's OUT back into the guest,
 * through {@link Vcpu#run()} and a handler that does nothing.
 *
 * <p>The guest is four bytes of real-mode code at GPA 0x1000, {@code 1: out %al, $0x80; jmp 1b}, so
 * every {@code run()} returns one 1-byte OUT to port 0x80. The VM is set up like the C floor in
 * {@code ci/bench/src/main/c/exit_loop.c}: in-kernel irqchip and PIT, 16 MiB of anonymous RAM in
 * slot 0, CS selector 0 base 0, RIP 0x1000. {@code ci/bench-exits} runs both and prints the ratio.
 *
 * <p>Threads: {@code run()} binds the vCPU to the first thread that calls it (signal mask for kicks)
 * and rebinds when another thread calls it, so it does not matter whether JMH runs {@link #setUp()}
 * and the benchmark on the same worker thread. One benchmark thread: a vCPU is driven by one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// FFM downcalls need native access; JMH 1.37 itself still uses sun.misc.Unsafe, which JDK 24+ warns about.
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ExitRoundTripBenchmark {
    /** Exits per benchmark invocation; JMH divides the invocation time by this. */
    static final int EXITS_PER_INVOCATION = 1000;
    static final long CODE_GPA = 0x1000;
    static final int PORT = 0x80;
    /** {@code out %al, $0x80; jmp -4}: an endless stream of OUT exits. */
    static final byte[] GUEST = {(byte) 0xe6, (byte) PORT, (byte) 0xeb, (byte) 0xfc};
    static final long RAM_BYTES = 16L << 20;

    private Hypervisor hypervisor;
    private VirtualMachine vm;
    private Vcpu vcpu;

    @Setup(Level.Trial)
    public void setUp() {
        hypervisor = Hypervisor.open();
        try {
            vm = hypervisor.createVm(VmConfig.of("bench-exits", 1, RAM_BYTES).withBacking(MemoryBacking.ANONYMOUS));
            vm.memory().write(CODE_GPA, GUEST);
            vcpu = vm.vcpu(0);
            SpecialRegisters s = vcpu.getSpecialRegisters();
            vcpu.setSpecialRegisters(new SpecialRegisters(Segment.realMode(0, 0xb), s.ds(), s.es(), s.fs(), s.gs(),
                    s.ss(), s.tr(), s.ldt(), s.gdt(), s.idt(), s.cr0(), s.cr2(), s.cr3(), s.cr4(), s.cr8(), s.efer(),
                    s.apicBase(), s.interruptBitmap()));
            vcpu.setRegisters(Registers.reset().withRip(CODE_GPA));
            // Fail here, with a message, if the guest does not behave; later checks only throw.
            VmExit first = vcpu.run();
            if (!(first instanceof VmExit.PortIo io) || io.port() != PORT || !io.isOut() || io.size() != 1) {
                throw new IllegalStateException("the benchmark guest's first exit is not a 1-byte OUT to port 0x80: "
                        + first);
            }
        } catch (RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (vm != null) vm.close();
        if (hypervisor != null) hypervisor.close();
        vm = null;
        hypervisor = null;
        vcpu = null;
    }

    /** {@value #EXITS_PER_INVOCATION} exits, each handled by checking it and doing nothing. */
    @Benchmark
    @OperationsPerInvocation(EXITS_PER_INVOCATION)
    public void portIoOut(Blackhole bh) {
        Vcpu v = vcpu;
        VmExit e = null;
        for (int i = 0; i < EXITS_PER_INVOCATION; i++) {
            e = v.run();
            if (!(e instanceof VmExit.PortIo io) || io.port() != PORT || io.isIn()) {
                throw new IllegalStateException("expected an OUT to port 0x80, got " + e);
            }
        }
        bh.consume(e);
    }
}
