package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.Checkpoint;
import org.jbhyve.vmm.GuestHarness;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.state.MpState;
import org.jbhyve.vmm.state.VcpuState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guest runs partway in VM A, is checkpointed (every vCPU's state, the kernel state, RAM into a
 * file), and finishes in VM B, whose RAM is that file mapped copy-on-write: it continues where it was
 * stopped instead of starting again.
 */
@RequiresKvm
class KvmMigrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int IRQ_REQUEST_PORT = 0x501, IRQ_LINE = 10;
    /** Seeds the delay of the asynchronous stop; -Djbhyve.test.seed=N reproduces a run. */
    private static final long SEED = Long.getLong("jbhyve.test.seed", System.nanoTime());

    /** The irq guest's protocol: each OUT to 0x501 asks for one edge on line 10; the value is the sequence number. */
    private static GuestHarness.Handler irqRequests(GuestHarness g, List<Integer> seen, int stopAfter) {
        return (v, exit) -> {
            if (exit instanceof VmExit.PortIo io && io.port() == IRQ_REQUEST_PORT && io.isOut()) {
                seen.add(io.value());
                g.vm.pulseIrq(IRQ_LINE);
                if (io.value() == stopAfter) g.stop();
                return true;
            }
            return false;
        };
    }

    @ParameterizedTest(name = "kernel state restored {0} the vCPUs")
    @ValueSource(strings = {"after", "before"})
    void theIrqGuestStoppedAfterThreeInterruptsFinishesTheOtherFiveInAnotherVm(String order, @TempDir Path dir)
            throws Exception {
        List<Integer> inA = Collections.synchronizedList(new ArrayList<>());
        Checkpoint cp;
        try (GuestHarness a = new GuestHarness("irq", GuestHarness.config("irq-a", 1, true))) {
            // Stop right after the host raised the edge for request 2: the interrupt is in flight (in
            // the LAPIC's IRR, or being handled) when the state is taken.
            int status = a.run(TIMEOUT, irqRequests(a, inA, 2));
            assertThat(status).as("stopped, not finished").isEqualTo(-1);
            assertThat(a.output()).isEmpty();
            cp = Checkpoint.save(a.vm, dir.resolve("irq.ram"));
        }
        assertThat(inA).containsExactly(0, 1, 2);
        assertThat(Files.size(cp.ram())).isEqualTo(16L << 20);
        assertThat(sparseBytes(cp.ram())).as("zero pages are holes").isLessThan(4L << 20);

        List<Integer> inB = Collections.synchronizedList(new ArrayList<>());
        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = cp.restore(hv, "irq-b", order.equals("before"))) {
            GuestHarness b = new GuestHarness(hv, vm);
            int status = b.run(TIMEOUT, irqRequests(b, inB, -1));
            assertThat(b.output()).isEqualTo("irqs=8\n");
            assertThat(status).isZero();
        }
        assertThat(inB).as("B continues with request 3, it does not start again").containsExactly(3, 4, 5, 6, 7);
    }

    @Test
    void theIrqGuestStoppedAtAnArbitraryMomentContinuesWithoutLosingOrRepeatingARequest(@TempDir Path dir)
            throws Exception {
        List<Integer> inA = Collections.synchronizedList(new ArrayList<>());
        Checkpoint cp;
        try (GuestHarness a = new GuestHarness("irq", GuestHarness.config("irq-async-a", 1, true))) {
            GuestHarness.Handler requests = irqRequests(a, inA, -1);
            java.util.concurrent.atomic.AtomicReference<Thread> stopper = new java.util.concurrent.atomic.AtomicReference<>();
            int status = a.run(TIMEOUT, (v, exit) -> {
                boolean handled = requests.test(v, exit);
                if (handled && inA.size() == 4) {
                    // Stop from another thread a little later, wherever the guest is then: in its
                    // handler, between sti and hlt, or halted in the kernel waiting for the interrupt.
                    long delay = new java.util.Random(SEED).nextLong(200_000);
                    stopper.set(Thread.ofPlatform().start(() -> {
                        long until = System.nanoTime() + delay;
                        while (System.nanoTime() < until) Thread.onSpinWait();
                        a.stop();
                    }));
                } else if (handled && inA.size() == 8) {
                    // The guest was faster than the stop: hold its last request until the stop is
                    // issued, so that it cannot finish in A.
                    try {
                        stopper.get().join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return handled;
            });
            assertThat(status).as("stopped, not finished").isEqualTo(-1);
            cp = Checkpoint.save(a.vm, dir.resolve("irq-async.ram"));
        }
        assertThat(inA.size()).isBetween(4, 8);
        System.out.println("irq guest stopped after requests " + inA + " in MP state " + cp.vcpus().getFirst().mpState()
                + " at rip 0x" + Long.toHexString(cp.vcpus().getFirst().registers().rip()));

        List<Integer> inB = Collections.synchronizedList(new ArrayList<>());
        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = cp.restore(hv, "irq-async-b")) {
            GuestHarness b = new GuestHarness(hv, vm);
            int status = b.run(TIMEOUT, irqRequests(b, inB, -1));
            assertThat(b.output()).isEqualTo("irqs=8\n");
            assertThat(status).isZero();
        }
        List<Integer> all = new ArrayList<>(inA);
        all.addAll(inB);
        assertThat(all).as("A then B: each request exactly once, in order (seed " + SEED + ")").isEqualTo(IntStream.range(0, 8).boxed().toList());
    }

    /**
     * The smp guest, cut where its serial output shows: at the AP's first byte (the AP mid-print and
     * running, the BSP halted waiting for its timer tick), or at the BSP's first byte (the AP has
     * finished and halted for good).
     */
    private void smpCutAt(Path dir, int cutVcpu, String expectA, String expectB, MpState apState, boolean kernelFirst)
            throws Exception {
        Checkpoint cp;
        try (GuestHarness a = new GuestHarness("smp", GuestHarness.config("smp-a-" + cutVcpu, 2, true))) {
            int status = a.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.PortIo io && io.port() == GuestHarness.SERIAL_PORT && v.id() == cutVcpu) {
                    a.stop(); // the harness still records this byte; the OUT completes before the vCPU stops
                }
                return false;
            });
            assertThat(status).isEqualTo(-1);
            assertThat(a.output()).isEqualTo(expectA);
            cp = Checkpoint.save(a.vm, dir.resolve("smp.ram"));
        }
        assertThat(cp.vcpus()).extracting(VcpuState::vcpuId).containsExactly(0, 1);
        assertThat(cp.vcpus().get(1).mpState()).isEqualTo(apState);

        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = cp.restore(hv, "smp-b-" + cutVcpu, kernelFirst)) {
            GuestHarness b = new GuestHarness(hv, vm);
            int status = b.run(TIMEOUT, null);
            assertThat(b.output()).isEqualTo(expectB);
            assertThat(status).isZero();
        }
    }

    @ParameterizedTest(name = "kernel state restored {0} the vCPUs")
    @ValueSource(strings = {"after", "before"})
    void theSmpGuestCutWhileTheApPrintsFinishesInAnotherVm(String order, @TempDir Path dir) throws Exception {
        smpCutAt(dir, 1, "h", "ello from cpu 1\nhello from cpu 0\ncpus=2\n", MpState.RUNNABLE, order.equals("before"));
    }

    @ParameterizedTest(name = "kernel state restored {0} the vCPUs")
    @ValueSource(strings = {"after", "before"})
    void theSmpGuestCutAfterTheApHaltedFinishesInAnotherVm(String order, @TempDir Path dir) throws Exception {
        smpCutAt(dir, 0, "hello from cpu 1\nh", "ello from cpu 0\ncpus=2\n", MpState.HALTED, order.equals("before"));
    }

    /** Bytes the file really occupies on disk (allocated blocks, from stat(1)). */
    static long sparseBytes(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
