package org.jbhyve.bhyve.devices.pci;

import org.jbhyve.bhyve.device.InterruptLine;

/**
 * One function's legacy interrupt: the pin the bus gave it, the routed line, and whether the
 * function wants the interrupt. A request made while INTx is not permitted (INTx disable set, or
 * MSI/MSI-X on) is held pending and raised once it is; a request withdrawn meanwhile is forgotten.
 * The owning device holds its lock around every call.
 */
final class IntxPin {
    private enum State { IDLE, ASSERTED, PENDING }

    private boolean requested;
    private int pin;
    private InterruptLine line = InterruptLine.NONE;
    private State state = State.IDLE;

    void request() { requested = true; }

    boolean requested() { return requested; }

    /** 1 = INTA ... 4 = INTD, 0 before routing or without a request. */
    int pin() { return pin; }

    /** The function wants the interrupt (STATUS.interrupt). */
    boolean active() { return state != State.IDLE; }

    /** Routing result; a request already raised moves to the new line. */
    void connect(int newPin, InterruptLine newLine) {
        pin = newPin;
        line = newLine;
        if (state == State.ASSERTED) line.assertLine();
    }

    void raise(boolean permitted) {
        if (state != State.IDLE) return;
        if (permitted) {
            state = State.ASSERTED;
            line.assertLine();
        } else {
            state = State.PENDING;
        }
    }

    void lower() {
        if (state == State.ASSERTED) line.deassertLine();
        state = State.IDLE;
    }

    /** The state for snapshots: {@code idle}, {@code asserted} or {@code pending}. */
    String stateName() {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Takes a saved state ({@code idle}, {@code asserted} or {@code pending}, already checked) and
     * moves the line to match: asserted if it now is and was not, deasserted if it was and now is
     * not. Changes only, since the router wire-ORs the functions that share a line.
     */
    void restore(String saved) {
        State next = State.valueOf(saved.toUpperCase(java.util.Locale.ROOT));
        boolean was = state == State.ASSERTED, now = next == State.ASSERTED;
        state = next;
        if (now && !was) line.assertLine();
        else if (was && !now) line.deassertLine();
    }

    /** Follows a change of what is permitted (COMMAND.INTx disable, MSI/MSI-X enables). */
    void update(boolean permitted) {
        if (state == State.ASSERTED && !permitted) {
            line.deassertLine();
            state = State.PENDING;
        } else if (state == State.PENDING && permitted) {
            state = State.ASSERTED;
            line.assertLine();
        }
    }
}
