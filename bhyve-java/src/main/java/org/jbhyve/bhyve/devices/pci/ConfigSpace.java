package org.jbhyve.bhyve.devices.pci;

import java.util.Arrays;

/**
 * One function's 4 KiB configuration space (256 conventional bytes plus PCI Express extended
 * space), little-endian, with a per-byte mask of the bits the guest may change and a per-byte mask
 * of write-1-to-clear bits.
 *
 * <p>The device model writes through the {@code set*} methods, which ignore both masks; the guest
 * writes only through {@link #guestWrite}. So vendor, class, header type and capability pointers
 * stay what the model made them, whatever the guest writes. Not thread-safe: the owning
 * {@link PciDevice} serializes access.
 */
public final class ConfigSpace {
    public static final int SIZE = PciRegisters.EXTENDED_SIZE;

    private final byte[] data = new byte[SIZE];
    private final byte[] writable = new byte[SIZE];
    private final byte[] writeOneToClear = new byte[SIZE];

    private static void check(int offset, int size) {
        if (offset < 0 || size < 1 || size > 4 || offset + size > SIZE) {
            throw new IndexOutOfBoundsException("config space access of " + size + " bytes at 0x" + Integer.toHexString(offset));
        }
    }

    /** Reads {@code size} (1, 2 or 4) bytes at {@code offset}, zero-extended. */
    public int read(int offset, int size) {
        check(offset, size);
        int v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | (data[offset + i] & 0xff);
        return v;
    }

    public int read8(int offset) { return read(offset, 1); }

    public int read16(int offset) { return read(offset, 2); }

    public int read32(int offset) { return read(offset, 4); }

    /** Device-side write: ignores the guest masks. */
    public void set(int offset, int size, int value) {
        check(offset, size);
        for (int i = 0; i < size; i++) data[offset + i] = (byte) (value >>> (8 * i));
    }

    public void set8(int offset, int value) { set(offset, 1, value); }

    public void set16(int offset, int value) { set(offset, 2, value); }

    public void set32(int offset, int value) { set(offset, 4, value); }

    /** Marks which bits of {@code [offset, offset+size)} the guest may write. */
    public void setWritable(int offset, int size, int mask) {
        check(offset, size);
        for (int i = 0; i < size; i++) writable[offset + i] = (byte) (mask >>> (8 * i));
    }

    /** Marks write-1-to-clear bits: a guest write of 1 clears them, 0 leaves them. */
    public void setWriteOneToClear(int offset, int size, int mask) {
        check(offset, size);
        for (int i = 0; i < size; i++) writeOneToClear[offset + i] = (byte) (mask >>> (8 * i));
    }

    /** The guest-writable mask of {@code [offset, offset+size)}. */
    public int writableMask(int offset, int size) {
        check(offset, size);
        int v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | (writable[offset + i] & 0xff);
        return v;
    }

    /** The write-1-to-clear mask of {@code [offset, offset+size)}. */
    public int writeOneToClearMask(int offset, int size) {
        check(offset, size);
        int v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | (writeOneToClear[offset + i] & 0xff);
        return v;
    }

    /**
     * A guest write: only writable bits change, write-1-to-clear bits written as 1 are cleared,
     * everything else keeps its value.
     */
    public void guestWrite(int offset, int size, int value) {
        check(offset, size);
        for (int i = 0; i < size; i++) {
            int idx = offset + i;
            int v = (value >>> (8 * i)) & 0xff;
            int old = data[idx] & 0xff;
            int w = writable[idx] & 0xff;
            int c = writeOneToClear[idx] & 0xff;
            int next = (old & ~w) | (v & w);
            next &= ~(v & c);
            data[idx] = (byte) next;
        }
    }

    /** A copy of the register contents (masks are fixed at construction and not part of state). */
    public byte[] snapshot() {
        return data.clone();
    }

    public void restore(byte[] contents) {
        if (contents.length != SIZE) throw new IllegalArgumentException("config space image must be " + SIZE + " bytes");
        System.arraycopy(contents, 0, data, 0, SIZE);
    }

    @Override
    public String toString() {
        return "ConfigSpace" + Arrays.toString(Arrays.copyOf(data, 64));
    }
}
