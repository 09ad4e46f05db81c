package org.jbhyve.bhyve.runtime;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle state and the rendezvous of vCPU threads with it. vCPU threads call
 * {@link #awaitRunnable(int)} whenever their run loop was kicked; pausing waits until every vCPU
 * thread has parked there, so when {@link #pause} returns no vCPU is inside the guest and the
 * state of every vCPU and device can be read or written.
 */
public final class VmStateMachine {
    private static final Map<VmState, Set<VmState>> ALLOWED = Map.of(
            VmState.CREATED, EnumSet.of(VmState.RUNNING, VmState.DESTROYED),
            VmState.RUNNING, EnumSet.of(VmState.PAUSED, VmState.DESTROYED),
            VmState.PAUSED, EnumSet.of(VmState.RUNNING, VmState.CHECKPOINTING, VmState.SUSPENDED, VmState.DESTROYED),
            VmState.CHECKPOINTING, EnumSet.of(VmState.PAUSED, VmState.SUSPENDED, VmState.DESTROYED),
            VmState.SUSPENDED, EnumSet.noneOf(VmState.class),
            VmState.DESTROYED, EnumSet.noneOf(VmState.class));

    private final int vcpus;
    private VmState state = VmState.CREATED;
    private int parked;
    private ExitStatus exitStatus;
    private String exitReason;

    public VmStateMachine(int vcpus) {
        this.vcpus = vcpus;
    }

    public synchronized VmState state() { return state; }

    private void move(VmState to) {
        if (!ALLOWED.get(state).contains(to)) {
            throw new IllegalStateException("VM cannot go from " + state + " to " + to);
        }
        state = to;
        notifyAll();
    }

    /**
     * CREATED to RUNNING. False, and nothing changes, when the VM has already ended: a destroy or
     * forced power-off can come over the control socket between the socket's start and the VM's.
     */
    public synchronized boolean started() {
        if (state.isTerminal()) return false;
        move(VmState.RUNNING);
        return true;
    }

    /**
     * Stops every vCPU at an instruction boundary: moves to PAUSED, runs {@code kickAll} so running
     * vCPUs leave the guest, and waits until all of them have parked. Throws if the VM ends meanwhile
     * (a vCPU that was handling the guest's reset or power-off when kicked ends it instead of parking):
     * nothing is paused then, and the caller must not go on as if it were.
     */
    public void pause(Runnable kickAll, Duration timeout) throws InterruptedException {
        synchronized (this) {
            if (state.isTerminal()) throw new IllegalStateException("the VM has ended" + how());
            if (state != VmState.RUNNING) throw new IllegalStateException("cannot pause a VM that is " + state);
            move(VmState.PAUSED);
        }
        kickAll.run();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (parked < vcpus && !state.isTerminal()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (state == VmState.PAUSED) move(VmState.RUNNING); // let the parked ones go again
                    throw new IllegalStateException("only " + parked + " of " + vcpus + " vCPUs stopped within " + timeout);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            if (state.isTerminal()) {
                throw new IllegalStateException("the VM has ended" + how() + " while its vCPUs were being stopped");
            }
        }
    }

    /** " (why it ended)", from the first line of the reason; "" when there is none. */
    private String how() {
        return exitReason == null ? "" : " (" + exitReason.lines().findFirst().orElse("") + ")";
    }

    public synchronized void resume() {
        if (state != VmState.PAUSED) throw new IllegalStateException("cannot resume a VM that is " + state);
        move(VmState.RUNNING);
    }

    public synchronized void beginCheckpoint() {
        move(VmState.CHECKPOINTING);
    }

    public synchronized void endCheckpoint(boolean suspend) {
        move(suspend ? VmState.SUSPENDED : VmState.PAUSED);
        if (suspend && exitStatus == null) {
            exitStatus = ExitStatus.REBOOT; // bhyve exits 0 after a suspend
            exitReason = "suspended";
        }
    }

    /**
     * Called by a vCPU thread after its run was kicked. Returns true when it may run the guest again,
     * false when the VM has ended and the thread must exit.
     */
    public synchronized boolean awaitRunnable(int vcpu) throws InterruptedException {
        while (state == VmState.PAUSED || state == VmState.CHECKPOINTING || state == VmState.CREATED) {
            parked++;
            notifyAll();
            try {
                wait();
            } finally {
                parked--;
            }
        }
        return state == VmState.RUNNING;
    }

    /** Ends the VM with {@code status}; the first reason wins. Returns true if this call ended it. */
    public synchronized boolean end(ExitStatus status, String reason) {
        if (exitStatus == null) {
            exitStatus = status;
            exitReason = reason;
        }
        if (state.isTerminal()) return false;
        state = VmState.DESTROYED;
        notifyAll();
        return true;
    }

    /** Waits until the VM reaches a terminal state. */
    public synchronized ExitStatus awaitEnd() throws InterruptedException {
        while (!state.isTerminal()) wait();
        return exitStatus == null ? ExitStatus.ERROR : exitStatus;
    }

    public synchronized ExitStatus exitStatus() { return exitStatus; }

    public synchronized String exitReason() { return exitReason; }
}
