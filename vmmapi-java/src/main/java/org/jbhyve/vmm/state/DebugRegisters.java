package org.jbhyve.vmm.state;

/**
 * The debug registers of a vCPU: the four breakpoint addresses DR0..DR3, the status register DR6 and
 * the control register DR7. (DR4/DR5 are aliases of DR6/DR7 and not state of their own.)
 */
public record DebugRegisters(long dr0, long dr1, long dr2, long dr3, long dr6, long dr7) {
    /** DR6 and DR7 after RESET/INIT: no breakpoint hit, none enabled (the reserved bits that read as 1). */
    public static final long DR6_INIT = 0xffff0ff0L, DR7_INIT = 0x400L;

    /** The state after RESET: no breakpoints. */
    public static DebugRegisters reset() {
        return new DebugRegisters(0, 0, 0, 0, DR6_INIT, DR7_INIT);
    }

    /** DR0..DR3 by number. */
    public long address(int n) {
        return switch (n) {
            case 0 -> dr0;
            case 1 -> dr1;
            case 2 -> dr2;
            case 3 -> dr3;
            default -> throw new IllegalArgumentException("breakpoint address registers are DR0..DR3, not DR" + n);
        };
    }
}
