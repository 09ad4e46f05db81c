package org.jbhyve.bhyve.devices.acpi;

/** {@code length} I/O ports starting at {@code port}. */
public record IoRange(int port, int length) {
    public IoRange {
        if (port < 0 || length < 1 || length > 0xff || port + length > 0x10000) {
            throw new IllegalArgumentException(String.format("bad I/O range 0x%x+%d", port, length));
        }
    }
}
