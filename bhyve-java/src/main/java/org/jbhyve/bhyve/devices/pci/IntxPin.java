package org.jbhyve.bhyve.devices.pci;

import java.util.concurrent.atomic.AtomicInteger;

import org.jbhyve.bhyve.device.InterruptLine;

/**
 * One function's legacy interrupt: the pin the bus gave it, the routed line, and whether the
 * function wants the interrupt. A request made while INTx is not permitted (INTx disable set, or
 * MSI/MSI-X on) is held pending and raised once it is; a request withdrawn meanwhile is forgotten.
 *
 * <p>The state changes with the owning device's lock held; the line follows only in {@link #apply},
 * which may run with or without that lock. Moving a line can be slow (an ioctl that wakes a vCPU,
 * a thread wake-up), so a hot path changes the state under the lock and applies after releasing
 * it: a vCPU that the interrupt sends straight to the device's registers then does not block on
 * the lock behind that call.
 */
final class IntxPin {
    private enum State { IDLE, ASSERTED, PENDING }

    private boolean requested;
    private int pin;
    private volatile InterruptLine line = InterruptLine.NONE;
    private State state = State.IDLE;
    /** The level the line should have (state == ASSERTED), for {@link #apply}. */
    private volatile boolean wanted;
    /** The level this pin last gave the line; read and written only by the one thread inside {@link #apply}. */
    private boolean applied;
    /** Calls of {@link #apply} not yet served; the caller that finds 0 serves all (see there). */
    private final AtomicInteger applyRequests = new AtomicInteger();

    void request() { requested = true; }

    boolean requested() { return requested; }

    /** 1 = INTA ... 4 = INTD, 0 before routing or without a request. */
    int pin() { return pin; }

    /** The function wants the interrupt (STATUS.interrupt). */
    boolean active() { return state != State.IDLE; }

    private void set(State next) {
        state = next;
        wanted = next == State.ASSERTED;
    }

    /** Routing result (before the guest runs); a request already raised moves to the new line. */
    void connect(int newPin, InterruptLine newLine) {
        pin = newPin;
        line = newLine;
        applied = false; // the new line has not been raised by this pin yet
        apply();
    }

    void raise(boolean permitted) {
        if (state != State.IDLE) return;
        set(permitted ? State.ASSERTED : State.PENDING);
    }

    void lower() {
        set(State.IDLE);
    }

    /**
     * Moves the line to the level the state asks for: at most one assert or deassert per change,
     * so the router's wire-OR counts stay balanced. Callers are combined rather than serialized:
     * the one that finds no other inside applies, and repeats while others called meanwhile; the
     * others return at once, their change being applied by it (it reads {@code wanted} after their
     * call counted). Nobody waits for another thread's line operation, and the line always ends at
     * the latest state, whatever the order of the calls.
     */
    void apply() {
        if (applyRequests.getAndIncrement() != 0) return;
        int served = 1;
        try {
            do {
                boolean w = wanted;
                if (w != applied) {
                    applied = w;
                    if (w) line.assertLine();
                    else line.deassertLine();
                }
            } while ((served = applyRequests.addAndGet(-served)) != 0);
        } catch (RuntimeException | Error e) {
            applyRequests.set(0); // let the next call apply again
            throw e;
        }
    }

    /** The state for snapshots: {@code idle}, {@code asserted} or {@code pending}. */
    String stateName() {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Takes a saved state ({@code idle}, {@code asserted} or {@code pending}, already checked);
     * {@link #apply} then moves the line to match.
     */
    void restore(String saved) {
        set(State.valueOf(saved.toUpperCase(java.util.Locale.ROOT)));
    }

    /** Follows a change of what is permitted (COMMAND.INTx disable, MSI/MSI-X enables). */
    void update(boolean permitted) {
        if (state == State.ASSERTED && !permitted) set(State.PENDING);
        else if (state == State.PENDING && permitted) set(State.ASSERTED);
    }
}
