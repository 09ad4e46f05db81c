package org.jbhyve.bhyve.device;

/** Where devices send MSI and MSI-X messages (the LAPICs, through the backend). */
@FunctionalInterface
public interface MsiSink {
    void send(long address, int data);
}
