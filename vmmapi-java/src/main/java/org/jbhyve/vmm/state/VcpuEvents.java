package org.jbhyve.vmm.state;

/**
 * Events in flight on a vCPU: an exception or interrupt being injected, NMI state, the interrupt
 * shadow (STI/MOV SS), a pending SIPI vector and SMM state. Saved last and restored last, because
 * restoring other state may clear them.
 */
public record VcpuEvents(boolean exceptionInjected, int exceptionNr, boolean exceptionHasErrorCode,
                         boolean exceptionPending, int exceptionErrorCode,
                         boolean interruptInjected, int interruptNr, boolean interruptSoft, int interruptShadow,
                         boolean nmiInjected, boolean nmiPending, boolean nmiMasked,
                         int sipiVector, boolean smm, boolean smiPending, boolean smmInsideNmi,
                         boolean latchedInit, boolean tripleFaultPending,
                         boolean exceptionHasPayload, long exceptionPayload) {

    /** Nothing pending. */
    public static VcpuEvents none() {
        return new VcpuEvents(false, 0, false, false, 0, false, 0, false, 0, false, false, false, 0, false, false,
                false, false, false, false, 0);
    }
}
