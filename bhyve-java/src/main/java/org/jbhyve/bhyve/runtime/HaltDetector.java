package org.jbhyve.bhyve.runtime;

import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.state.VcpuEvents;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * bhyve's halt detection for {@code -H} ({@code x86.vmexit_on_hlt}): a VM whose every vCPU executed HLT
 * with interrupts disabled can never run again, and bhyve ends it with exit status 2 (how some guests,
 * Linux's {@code halt} among them, stop the machine). KVM's in-kernel LAPIC waits in HLT itself and never
 * tells userspace, so without this such a VM would sit there for ever.
 *
 * <p>Finding out costs a look at each vCPU, which needs it out of {@code KVM_RUN}. A probe round kicks every
 * vCPU; each vCPU thread, stopped, looks at itself ({@link #sample}) and goes on. Only when every vCPU said
 * it cannot run does the runtime stop them all at once and look again ({@link #cannotRun} on each): a vCPU
 * halted when sampled may have been woken (NMI, INIT) by another before that one halted in turn.
 */
final class HaltDetector {
    /** Time between probe rounds. */
    static final long INTERVAL_MILLIS = 500;
    /** How long a round waits for every vCPU to sample itself. */
    private static final long SAMPLE_WAIT_MILLIS = 200;
    private static final long RFLAGS_IF = 1L << 9;

    private final List<Vcpu> vcpus;
    /** Per vCPU: the last round in which it found itself unable to run. */
    private final AtomicIntegerArray cannotRunInRound;
    /** The last round in which some vCPU found it can run: that round is over at once. */
    private volatile int someCanRunInRound;
    private volatile int round;

    HaltDetector(List<Vcpu> vcpus) {
        this.vcpus = vcpus;
        this.cannotRunInRound = new AtomicIntegerArray(vcpus.size());
    }

    /** Called by a vCPU thread that was kicked out of the guest and may run again. */
    void sample(Vcpu vcpu) {
        int r = round;
        if (r == 0) return;
        if (cannotRun(vcpu)) cannotRunInRound.set(vcpu.id(), r);
        else someCanRunInRound = r;
    }

    /**
     * One probe round (from one thread only): kicks every vCPU and waits a little for their samples. True
     * when every vCPU found itself unable to run in this round; false as soon as one found it can (the usual
     * answer, for a VM that is alive: the round then costs a kick per vCPU and one short wait).
     */
    boolean probe() throws InterruptedException {
        int r = round + 1;
        round = r;
        for (Vcpu v : vcpus) v.kick();
        long deadline = System.nanoTime() + SAMPLE_WAIT_MILLIS * 1_000_000;
        while (true) {
            boolean all = true;
            if (someCanRunInRound == r) return false;
            for (int i = 0; i < vcpus.size() && all; i++) all = cannotRunInRound.get(i) == r;
            if (all) return true;
            if (System.nanoTime() - deadline >= 0) return false;
            Thread.sleep(5);
        }
    }

    /**
     * Whether a stopped vCPU can never run again by itself: halted with interrupts disabled and no NMI on
     * the way, or waiting for a STARTUP IPI (an AP never started, or sent INIT).
     */
    static boolean cannotRun(Vcpu vcpu) {
        return switch (vcpu.getMpState()) {
            case UNINITIALIZED, INIT_RECEIVED -> true;
            case HALTED -> {
                if ((vcpu.getRegisters().rflags() & RFLAGS_IF) != 0) yield false;
                VcpuEvents e = vcpu.getEvents();
                yield !e.nmiPending() && !e.nmiInjected() && !e.smiPending();
            }
            case RUNNABLE, SIPI_RECEIVED -> false;
        };
    }
}
