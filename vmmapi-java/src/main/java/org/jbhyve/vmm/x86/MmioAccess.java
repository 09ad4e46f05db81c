package org.jbhyve.vmm.x86;

/**
 * Device memory as the emulated instruction accesses it: one call per access, in program order, with
 * the access width the processor would use: 1, 2, 4 or 8 bytes, except that an access straddling a
 * page boundary is split at the boundary into two accesses of 1..7 bytes each (as KVM reports them),
 * because the two pages may map anywhere.
 *
 * <p>Implementations may be synchronous (the device answers at once, as in tests or a VMM that
 * dispatches to its MMIO bus directly), or exit-driven: a backend that must hand each access to the
 * layers above as a {@link org.jbhyve.vmm.VmExit.Mmio} and return from {@code Vcpu.run()} throws
 * {@link Deferred} instead of answering; the emulator then stops without any effect on registers or
 * RAM and returns {@link EmulationResult.Deferred}, and calling it again with the same state replays
 * the instruction. {@link ReplayingMmio} does this bookkeeping.
 *
 * <p>Any other runtime exception thrown here stops the emulation with an
 * {@link EmulationResult.EmulationFailure} that carries its message.
 */
public interface MmioAccess {
    /** Reads {@code size} bytes at guest physical address {@code gpa}; only the low {@code size} bytes count. */
    long read(long gpa, int size);

    /** Writes the low {@code size} bytes of {@code value} (little-endian) at {@code gpa}. */
    void write(long gpa, int size, long value);

    /**
     * Thrown by an exit-driven {@link MmioAccess} when it cannot complete an access now. Stackless and
     * shared: throw {@link #INSTANCE}.
     */
    final class Deferred extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public static final Deferred INSTANCE = new Deferred();

        private Deferred() {
            super("MMIO access deferred to the VMM", null, false, false);
        }
    }
}
