package org.jbhyve.bhyve.devices;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

/**
 * Reads a device's saved {@link StateRecord} the way a device reads guest input: every field is
 * fetched by name and type, then range-checked, and every problem is a {@link
 * SnapshotFormatException} that names the chunk and the field, e.g. {@code chunk 'dev.com1' field
 * 'rx_fifo': 17 bytes, more than the 16-byte receive FIFO}.
 *
 * <p>Devices restore in two steps with it: read and check every field into locals (nothing in the
 * device changes, so a refused record leaves the device as it was), then apply them all. Nested
 * records ({@link #record}, {@link #records}) keep the chunk name and extend the field path
 * ({@code bars[1].address}).
 */
public final class StateReader {
    private final String chunk;
    private final String prefix;
    private final StateRecord record;

    private StateReader(String chunk, String prefix, StateRecord record) {
        this.chunk = chunk;
        this.prefix = prefix;
        this.record = record;
    }

    /**
     * Starts reading {@code state} for {@code device}, refusing a version outside
     * {@code [oldestStateVersion, stateVersion]}.
     */
    public static StateReader open(Snapshottable device, StateRecord state, int version) throws SnapshotFormatException {
        Objects.requireNonNull(state, "state");
        String chunk = device.stateName();
        if (version < device.oldestStateVersion() || version > device.stateVersion()) {
            throw new SnapshotFormatException("chunk '" + chunk + "' has version " + version
                    + "; this jbhyve restores versions " + device.oldestStateVersion() + " to " + device.stateVersion()
                    + " of it (use a jbhyve that knows this version)");
        }
        return new StateReader(chunk, "", state);
    }

    /** The chunk name, for messages. */
    public String chunk() {
        return chunk;
    }

    /** The record being read. */
    public StateRecord record() {
        return record;
    }

    /** A refusal naming the chunk and {@code field} (relative to this reader's path). */
    public SnapshotFormatException invalid(String field, String problem) {
        return new SnapshotFormatException("chunk '" + chunk + "' field '" + prefix + field + "': " + problem);
    }

    /** A refusal naming the chunk only (a problem between fields, or with the VM it is restored into). */
    public SnapshotFormatException invalid(String problem) {
        String where = prefix.isEmpty() ? "" : " (in '" + prefix.substring(0, prefix.length() - 1) + "')";
        return new SnapshotFormatException("chunk '" + chunk + "'" + where + ": " + problem);
    }

    public boolean has(String field) {
        return record.has(field);
    }

    @FunctionalInterface
    private interface Getter<T> {
        T get() throws SnapshotFormatException;
    }

    private <T> T get(String field, String type, Getter<T> getter) throws SnapshotFormatException {
        if (!record.has(field)) throw invalid(field, "missing (a " + type + " field is required)");
        try {
            return getter.get();
        } catch (SnapshotFormatException e) {
            // The record names the type it found; say which chunk it is in.
            throw new SnapshotFormatException(null, "chunk '" + chunk + "' field '" + prefix + field + "': "
                    + e.getMessage(), e);
        }
    }

    private <T> T getOr(String field, String type, T defaultValue, Getter<T> getter) throws SnapshotFormatException {
        return record.has(field) ? get(field, type, getter) : defaultValue;
    }

    // ---- plain typed fields ----

    public int u8(String field) throws SnapshotFormatException {
        return get(field, "u8", () -> record.u8(field));
    }

    public int u8(String field, int defaultValue) throws SnapshotFormatException {
        return getOr(field, "u8", defaultValue, () -> record.u8(field));
    }

    public int u16(String field) throws SnapshotFormatException {
        return get(field, "u16", () -> record.u16(field));
    }

    public long u32(String field) throws SnapshotFormatException {
        return get(field, "u32", () -> record.u32(field));
    }

    public long u64(String field) throws SnapshotFormatException {
        return get(field, "u64", () -> record.u64(field));
    }

    public long i64(String field) throws SnapshotFormatException {
        return get(field, "i64", () -> record.i64(field));
    }

    public boolean bool(String field) throws SnapshotFormatException {
        return get(field, "bool", () -> record.bool(field));
    }

    public boolean bool(String field, boolean defaultValue) throws SnapshotFormatException {
        return getOr(field, "bool", defaultValue, () -> record.bool(field));
    }

    public byte[] bytes(String field) throws SnapshotFormatException {
        return get(field, "bytes", () -> record.bytes(field));
    }

    public byte[] bytes(String field, byte[] defaultValue) throws SnapshotFormatException {
        return getOr(field, "bytes", defaultValue, () -> record.bytes(field));
    }

    public String string(String field) throws SnapshotFormatException {
        return get(field, "string", () -> record.string(field));
    }

    public long[] u64Array(String field) throws SnapshotFormatException {
        return get(field, "u64[]", () -> record.u64Array(field));
    }

    /** A nested record, read with the same checks; its fields are named {@code field.name}. */
    public StateReader record(String field) throws SnapshotFormatException {
        StateRecord nested = get(field, "record", () -> record.record(field));
        return new StateReader(chunk, prefix + field + ".", nested);
    }

    /** A list of nested records; their fields are named {@code field[i].name}. */
    public List<StateReader> records(String field) throws SnapshotFormatException {
        List<StateRecord> list = get(field, "record[]", () -> record.records(field));
        List<StateReader> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) out.add(new StateReader(chunk, prefix + field + "[" + i + "].", list.get(i)));
        return out;
    }

    // ---- checked forms ----

    /** A u8 register that can only hold the bits in {@code allowed}. */
    public int u8Bits(String field, int allowed) throws SnapshotFormatException {
        return checkBits(field, u8(field), allowed, 2);
    }

    /** A u16 register that can only hold the bits in {@code allowed}. */
    public int u16Bits(String field, int allowed) throws SnapshotFormatException {
        return checkBits(field, u16(field), allowed, 4);
    }

    /** A u32 register that can only hold the bits in {@code allowed}. */
    public long u32Bits(String field, long allowed) throws SnapshotFormatException {
        long v = u32(field);
        if ((v & ~allowed) != 0) {
            throw invalid(field, String.format("0x%08x has bits 0x%08x set that this register never holds",
                    v, v & ~allowed));
        }
        return v;
    }

    private int checkBits(String field, int v, int allowed, int digits) throws SnapshotFormatException {
        if ((v & ~allowed) != 0) {
            throw invalid(field, String.format("0x%0" + digits + "x has bits 0x%0" + digits
                    + "x set that this register never holds", v, v & ~allowed));
        }
        return v;
    }

    /** A u8 in {@code [min, max]}. */
    public int u8In(String field, int min, int max) throws SnapshotFormatException {
        int v = u8(field);
        if (v < min || v > max) throw invalid(field, v + " is out of range " + min + ".." + max);
        return v;
    }

    /** A u32 in {@code [min, max]}. */
    public long u32In(String field, long min, long max) throws SnapshotFormatException {
        long v = u32(field);
        if (v < min || v > max) throw invalid(field, v + " is out of range " + min + ".." + max);
        return v;
    }

    /** A u64 in {@code [min, max]} (both non-negative). */
    public long u64In(String field, long min, long max) throws SnapshotFormatException {
        long v = u64(field);
        if (v < min || v > max) {
            throw invalid(field, Long.toUnsignedString(v) + " is out of range " + min + ".." + max);
        }
        return v;
    }

    /** A bytes field of exactly {@code length} bytes. */
    public byte[] bytesExactly(String field, int length, String what) throws SnapshotFormatException {
        byte[] b = bytes(field);
        if (b.length != length) throw invalid(field, b.length + " bytes, but " + what + " is " + length + " bytes");
        return b;
    }

    /** A bytes field of at most {@code max} bytes. */
    public byte[] bytesAtMost(String field, int max, String what) throws SnapshotFormatException {
        byte[] b = bytes(field);
        if (b.length > max) throw invalid(field, b.length + " bytes, more than " + what + " holds (" + max + ")");
        return b;
    }

    /** A string field that must be one of {@code choices}. */
    public String choice(String field, String... choices) throws SnapshotFormatException {
        String v = string(field);
        for (String c : choices) if (c.equals(v)) return v;
        throw invalid(field, org.jbhyve.snapshot.format.Quoted.of(v) + " is not one of " + String.join(", ", choices));
    }
}
