package org.jbhyve.bhyve.devices.pci;

/**
 * A device's registers behind one BAR. {@code offset} is relative to the start of the BAR, so a
 * model never cares where the guest put it; accesses that do not fit inside the BAR never reach
 * the handler.
 *
 * <p>Sizes are 1, 2 or 4. An 8-byte memory access is split into two 4-byte accesses (low half
 * first, as bhyve does) unless {@link #supportsWideAccess()} says the handler takes 8 itself.
 * Values are zero-extended; a read answers in the low {@code size} bytes. Called on vCPU threads.
 * An exception thrown here is caught, logged once and turned into all-ones / an ignored write.
 */
public interface PciBarHandler {
    long read(int bar, long offset, int size);

    void write(int bar, long offset, int size, long value);

    /** True when the handler wants 8-byte memory accesses whole instead of split. */
    default boolean supportsWideAccess() {
        return false;
    }
}
