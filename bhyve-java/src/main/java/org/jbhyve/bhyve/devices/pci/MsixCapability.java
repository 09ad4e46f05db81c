package org.jbhyve.bhyve.devices.pci;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The MSI-X capability (ID 0x11) with its vector table and pending bit array in a BAR of their
 * own, laid out as bhyve does: the table at offset 0 (16 bytes per vector: address, data, vector
 * control), the PBA at the next 4 KiB boundary, the BAR a 32-bit memory BAR.
 *
 * <p>A vector that fires while the function or the vector is masked sets its pending bit instead;
 * unmasking sends it and clears the bit. Table accesses are checked: only naturally aligned 4- and
 * 8-byte writes inside the table are honoured (the spec's rule), anything else is logged once and
 * ignored; reads outside the table and PBA answer all ones.
 */
public final class MsixCapability implements PciBarHandler {
    public static final int MAX_VECTORS = 2048;
    public static final int ENTRY_SIZE = 16;

    private static final int CONTROL = 2, TABLE = 4, PBA = 8;
    private static final int CONTROL_FUNCTION_MASK = 1 << 14;
    private static final int CONTROL_ENABLE = 1 << 15;
    private static final int VECTOR_MASKED = 1;
    /** Guest-writable bits of each table entry, byte by byte: address (dword aligned), data, mask bit. */
    private static final int[] ENTRY_WRITABLE = {
        0xfc, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00,
    };
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final PciDevice device;
    private final ConfigSpace config;
    private final int offset;
    private final int vectors;
    private final int barIndex;
    private final long pbaOffset;
    private final byte[] table;
    private final long[] pending;

    MsixCapability(PciDevice device, ConfigSpace config, CapabilityList caps, int vectors, int barIndex) {
        if (vectors < 1 || vectors > MAX_VECTORS) {
            throw new IllegalArgumentException("MSI-X vectors must be 1 to " + MAX_VECTORS + ", not " + vectors);
        }
        this.device = device;
        this.config = config;
        this.vectors = vectors;
        this.barIndex = barIndex;
        this.table = new byte[vectors * ENTRY_SIZE];
        this.pending = new long[(vectors + 63) / 64];
        long tableBytes = ((long) vectors * ENTRY_SIZE + 4095) & ~4095L;
        this.pbaOffset = tableBytes;
        device.addMemBar32(barIndex, tableBytes + pending.length * 8L, this);
        this.offset = caps.add(PciRegisters.CAP_ID_MSIX, 12);
        config.set16(offset + CONTROL, vectors - 1);
        config.set32(offset + TABLE, barIndex);
        config.set32(offset + PBA, (int) pbaOffset | barIndex);
        config.setWritable(offset + CONTROL, 2, CONTROL_ENABLE | CONTROL_FUNCTION_MASK);
        resetTable();
    }

    /** Power-on state of the table: every vector masked, nothing pending. */
    void resetTable() {
        Arrays.fill(table, (byte) 0);
        Arrays.fill(pending, 0);
        for (int v = 0; v < vectors; v++) table[v * ENTRY_SIZE + 12] = VECTOR_MASKED;
    }

    public int offset() { return offset; }

    int length() { return 12; }

    public int vectors() { return vectors; }

    public int barIndex() { return barIndex; }

    public long pbaOffset() { return pbaOffset; }

    public boolean enabled() {
        return (config.read16(offset + CONTROL) & CONTROL_ENABLE) != 0;
    }

    public boolean functionMasked() {
        return (config.read16(offset + CONTROL) & CONTROL_FUNCTION_MASK) != 0;
    }

    /** The vector's message address (for diagnostics and tests). */
    public long address(int vector) {
        synchronized (device.lock()) {
            return (long) LONG.get(table, vector * ENTRY_SIZE);
        }
    }

    public int data(int vector) {
        synchronized (device.lock()) {
            return (int) INT.get(table, vector * ENTRY_SIZE + 8);
        }
    }

    public boolean vectorMasked(int vector) {
        synchronized (device.lock()) {
            return (table[vector * ENTRY_SIZE + 12] & VECTOR_MASKED) != 0;
        }
    }

    public boolean pending(int vector) {
        synchronized (device.lock()) {
            return (pending[vector >>> 6] & 1L << (vector & 63)) != 0;
        }
    }

    /** Signals {@code vector}; the caller checked that MSI-X is enabled. Holds the device lock. */
    void send(int vector) {
        if (vector < 0 || vector >= vectors) {
            device.deviceError("msix-vector", "MSI-X vector " + vector + " dropped: the table has " + vectors);
            return;
        }
        if (functionMasked() || (table[vector * ENTRY_SIZE + 12] & VECTOR_MASKED) != 0) {
            pending[vector >>> 6] |= 1L << (vector & 63);
            return;
        }
        deliver(vector);
    }

    private void deliver(int vector) {
        pending[vector >>> 6] &= ~(1L << (vector & 63));
        int base = vector * ENTRY_SIZE;
        device.deliverMessage((long) LONG.get(table, base), (int) INT.get(table, base + 8), "MSI-X vector " + vector);
    }

    /** Sends every pending vector that nothing masks any more. Holds the device lock. */
    void deliverUnmaskedPending() {
        if (!enabled() || functionMasked()) return;
        for (int w = 0; w < pending.length; w++) {
            long bits = pending[w];
            while (bits != 0) {
                int v = w * 64 + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if ((table[v * ENTRY_SIZE + 12] & VECTOR_MASKED) == 0) deliver(v);
            }
        }
    }

    /** After a guest write into the capability (enable or function mask may have changed). */
    void afterGuestWrite() {
        deliverUnmaskedPending();
    }

    // ---- snapshots (the enable and function mask bits live in config space) ----

    /** Whether a saved config space image has MSI-X enabled. */
    boolean enabledIn(byte[] cfg) {
        return ((cfg[offset + CONTROL + 1] & 0xff) << 8 & CONTROL_ENABLE) != 0;
    }

    /** Whether a saved config space image has the function mask set. */
    boolean functionMaskedIn(byte[] cfg) {
        return ((cfg[offset + CONTROL + 1] & 0xff) << 8 & CONTROL_FUNCTION_MASK) != 0;
    }

    /** A copy of the vector table. Caller holds the device lock. */
    byte[] tableSnapshot() {
        return table.clone();
    }

    /** A copy of the pending bit array. Caller holds the device lock. */
    long[] pbaSnapshot() {
        return pending.clone();
    }

    /** Why {@code saved} cannot be this capability's vector table, or null. */
    String tableProblem(byte[] saved) {
        if (saved.length != table.length) {
            return saved.length + " bytes, but the table of " + vectors + " vectors is " + table.length + " bytes";
        }
        for (int i = 0; i < saved.length; i++) {
            int stray = saved[i] & ~ENTRY_WRITABLE[i % ENTRY_SIZE] & 0xff;
            if (stray != 0) {
                return String.format("vector %d byte %d is 0x%02x: bits 0x%02x are read-only zero", i / ENTRY_SIZE,
                        i % ENTRY_SIZE, saved[i] & 0xff, stray);
            }
        }
        return null;
    }

    /** Why {@code saved} cannot be this capability's pending bit array, or null. */
    String pbaProblem(long[] saved) {
        if (saved.length != pending.length) {
            return saved.length + " words, but the PBA of " + vectors + " vectors is " + pending.length + " words";
        }
        int lastBits = vectors % 64;
        if (lastBits != 0 && (saved[saved.length - 1] & -(1L << lastBits)) != 0) {
            return "pending bits are set for vectors beyond the " + vectors + " the table has";
        }
        return null;
    }

    /** Installs a checked table and PBA. Caller holds the device lock; nothing is sent. */
    void restore(byte[] savedTable, long[] savedPba) {
        System.arraycopy(savedTable, 0, table, 0, table.length);
        System.arraycopy(savedPba, 0, pending, 0, pending.length);
    }

    // ---- the BAR: table and PBA ----

    @Override
    public boolean supportsWideAccess() {
        return true;
    }

    @Override
    public long read(int bar, long off, int size) {
        long allOnes = size == 8 ? -1L : (1L << (8 * size)) - 1;
        if (off % size != 0) return allOnes;
        synchronized (device.lock()) {
            if (off + size <= table.length) {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) v = v << 8 | (table[(int) off + i] & 0xff);
                return v;
            }
            if (off >= pbaOffset && off + size <= pbaOffset + pending.length * 8L) {
                long rel = off - pbaOffset;
                long word = pending[(int) (rel >>> 3)];
                long v = word >>> (8 * (rel & 7));
                return v & allOnes;
            }
        }
        return allOnes;
    }

    @Override
    public void write(int bar, long off, int size, long value) {
        if ((size != 4 && size != 8) || off % size != 0) {
            device.deviceError("msix-table-access", "MSI-X table write of " + size + " bytes at offset 0x"
                    + Long.toHexString(off) + " ignored (only aligned 4- and 8-byte writes are allowed)");
            return;
        }
        if (off + size > table.length) {
            if (off < pbaOffset || off >= pbaOffset + pending.length * 8L) {
                device.deviceError("msix-table-range", "MSI-X write at offset 0x" + Long.toHexString(off)
                        + " ignored: outside the " + vectors + "-entry table");
            }
            return; // the PBA is read-only
        }
        synchronized (device.lock()) {
            int vector = (int) (off / ENTRY_SIZE);
            boolean wasMasked = (table[vector * ENTRY_SIZE + 12] & VECTOR_MASKED) != 0;
            for (int i = 0; i < size; i++) {
                int idx = (int) off + i;
                int w = ENTRY_WRITABLE[idx % ENTRY_SIZE];
                int b = (int) (value >>> (8 * i)) & 0xff;
                table[idx] = (byte) ((table[idx] & ~w) | (b & w));
            }
            boolean nowMasked = (table[vector * ENTRY_SIZE + 12] & VECTOR_MASKED) != 0;
            if (wasMasked && !nowMasked && pending(vector) && enabled() && !functionMasked()) deliver(vector);
        }
    }
}
