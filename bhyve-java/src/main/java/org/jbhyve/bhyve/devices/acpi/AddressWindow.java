package org.jbhyve.bhyve.devices.acpi;

/**
 * A range of addresses a PCI root bus forwards to its devices: {@code [base, limit)}, the limit
 * exclusive as bhyve's bus windows are. An empty window ({@code base == limit}) is left out of the
 * root bridge's _CRS.
 */
public record AddressWindow(long base, long limit) {
    public static final AddressWindow EMPTY = new AddressWindow(0, 0);

    public AddressWindow {
        if (base < 0 || limit < base) {
            throw new IllegalArgumentException(String.format("bad address window [0x%x, 0x%x)", base, limit));
        }
    }

    public long size() {
        return limit - base;
    }

    public boolean isEmpty() {
        return limit == base;
    }
}
