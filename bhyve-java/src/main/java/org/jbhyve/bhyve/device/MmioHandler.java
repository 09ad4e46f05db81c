package org.jbhyve.bhyve.device;

/**
 * A device's memory-mapped registers. {@code address} is the absolute guest physical address;
 * {@code size} is 1, 2, 4 or 8. Called on vCPU threads.
 */
public interface MmioHandler {
    long read(long address, int size);

    void write(long address, int size, long value);
}
