package org.jbhyve.snapshot.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A self-describing piece of saved state: an ordered list of named, typed fields (docs/snapshot-format.md,
 * "State records"). Every chunk payload is one record, so {@code inspect} can print any chunk field by
 * field without knowing the device, and a device reads its fields by name: a missing field it can live
 * without takes a default ({@link #u32(String, long)}), a field it does not know is ignored.
 *
 * <p>Records are immutable; build them with {@link #builder()} and change them (in chunk upgraders) with
 * {@link #toBuilder()}. Equality is by fields in order.
 *
 * <pre>{@code
 * StateRecord uart = StateRecord.builder()
 *         .putU8("ier", ier).putU8("lcr", lcr).putBool("thre_pending", pending)
 *         .putBytes("rx_fifo", fifo)
 *         .build();
 * byte[] bytes = uart.encode();
 * StateRecord back = StateRecord.decode(bytes);
 * int lcr = back.u8("lcr");
 * boolean loopback = back.bool("loopback", false);   // added in a later version: default if absent
 * }</pre>
 */
public final class StateRecord {
    /** The record with no fields. */
    public static final StateRecord EMPTY = new StateRecord(List.of(), null);

    private final List<Field> fields;
    private final Map<String, Field> byName;
    /** Where the record came from ("chunk 'vcpu' instance 1, field 'lapic'"), for messages; not part of equality. */
    private final String origin;

    private StateRecord(List<Field> fields, String origin) {
        this.fields = fields;
        this.origin = origin;
        Map<String, Field> m = new LinkedHashMap<>();
        for (Field f : fields) m.put(f.name(), f);
        this.byName = m;
    }

    /**
     * One field. {@code tag} is the on-disk type tag (equal to {@code type.tag()} except for
     * {@link FieldType#UNKNOWN}); {@code value} is an Integer (u8, u16), Long (u32, u64, i64), Boolean,
     * byte[] (bytes, unknown), String, long[] (u64[]), StateRecord or List&lt;StateRecord&gt;.
     */
    public record Field(String name, FieldType type, int tag, Object value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
            if (!validName(name)) throw new IllegalArgumentException("invalid field name '" + name + "'");
            boolean ok = switch (type) {
                case U8 -> value instanceof Integer i && i >= 0 && i <= 0xff;
                case U16 -> value instanceof Integer i && i >= 0 && i <= 0xffff;
                case U32 -> value instanceof Long l && l >= 0 && l <= 0xffff_ffffL;
                case U64, I64 -> value instanceof Long;
                case BOOL -> value instanceof Boolean;
                case BYTES, UNKNOWN -> value instanceof byte[];
                case STRING -> value instanceof String;
                case U64_ARRAY -> value instanceof long[];
                case RECORD -> value instanceof StateRecord;
                case RECORD_LIST -> value instanceof List<?> l && l.stream().allMatch(StateRecord.class::isInstance);
            };
            if (!ok) throw new IllegalArgumentException("field '" + name + "': " + value.getClass().getSimpleName()
                    + " value " + value + " does not fit type " + type.label());
            if (type == FieldType.UNKNOWN ? (tag <= 0 || tag > 0xff || FieldType.ofTag(tag) != FieldType.UNKNOWN)
                    : tag != type.tag()) {
                throw new IllegalArgumentException("field '" + name + "': tag " + tag + " does not match type " + type.label());
            }
            value = copy(value);
        }

        /** The value; arrays are copies. */
        @Override
        public Object value() {
            return copy(value);
        }

        Object rawValue() {
            return value;
        }

        private static Object copy(Object v) {
            if (v instanceof byte[] b) return b.clone();
            if (v instanceof long[] l) return l.clone();
            if (v instanceof List<?> l) return List.copyOf(l);
            return v;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Field f)) return false;
            if (!name.equals(f.name) || type != f.type || tag != f.tag) return false;
            if (value instanceof byte[] a && f.value instanceof byte[] b) return Arrays.equals(a, b);
            if (value instanceof long[] a && f.value instanceof long[] b) return Arrays.equals(a, b);
            return value.equals(f.value);
        }

        @Override
        public int hashCode() {
            int h = Objects.hash(name, type, tag);
            if (value instanceof byte[] a) return 31 * h + Arrays.hashCode(a);
            if (value instanceof long[] a) return 31 * h + Arrays.hashCode(a);
            return 31 * h + value.hashCode();
        }

        @Override
        public String toString() {
            return name + ": " + type.label() + " = " + RecordText.value(this, 64);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's fields, to change some and keep the rest. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (Field f : fields) b.fields.put(f.name(), f);
        return b;
    }

    /** The fields in order. */
    public List<Field> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Optional<Field> field(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Where this record was read from, for messages (null for records built in memory). */
    public String origin() {
        return origin;
    }

    StateRecord withOrigin(String newOrigin) {
        return new StateRecord(fields, newOrigin);
    }

    // ---- typed getters: the one-argument forms require the field; the two-argument forms default it ----

    public int u8(String name) throws SnapshotFormatException {
        return (Integer) require(name, FieldType.U8);
    }

    public int u8(String name, int defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.U8);
        return v == null ? defaultValue : (Integer) v;
    }

    public int u16(String name) throws SnapshotFormatException {
        return (Integer) require(name, FieldType.U16);
    }

    public int u16(String name, int defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.U16);
        return v == null ? defaultValue : (Integer) v;
    }

    public long u32(String name) throws SnapshotFormatException {
        return (Long) require(name, FieldType.U32);
    }

    public long u32(String name, long defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.U32);
        return v == null ? defaultValue : (Long) v;
    }

    /** A u64 as the Java long with the same bits (use {@link Long#toUnsignedString} to print it). */
    public long u64(String name) throws SnapshotFormatException {
        return (Long) require(name, FieldType.U64);
    }

    public long u64(String name, long defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.U64);
        return v == null ? defaultValue : (Long) v;
    }

    public long i64(String name) throws SnapshotFormatException {
        return (Long) require(name, FieldType.I64);
    }

    public long i64(String name, long defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.I64);
        return v == null ? defaultValue : (Long) v;
    }

    public boolean bool(String name) throws SnapshotFormatException {
        return (Boolean) require(name, FieldType.BOOL);
    }

    public boolean bool(String name, boolean defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.BOOL);
        return v == null ? defaultValue : (Boolean) v;
    }

    /** A copy of a bytes field. */
    public byte[] bytes(String name) throws SnapshotFormatException {
        return ((byte[]) require(name, FieldType.BYTES)).clone();
    }

    public byte[] bytes(String name, byte[] defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.BYTES);
        return v == null ? defaultValue : ((byte[]) v).clone();
    }

    public String string(String name) throws SnapshotFormatException {
        return (String) require(name, FieldType.STRING);
    }

    public String string(String name, String defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.STRING);
        return v == null ? defaultValue : (String) v;
    }

    /** A copy of a u64[] field. */
    public long[] u64Array(String name) throws SnapshotFormatException {
        return ((long[]) require(name, FieldType.U64_ARRAY)).clone();
    }

    public long[] u64Array(String name, long[] defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.U64_ARRAY);
        return v == null ? defaultValue : ((long[]) v).clone();
    }

    public StateRecord record(String name) throws SnapshotFormatException {
        return (StateRecord) require(name, FieldType.RECORD);
    }

    public StateRecord record(String name, StateRecord defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.RECORD);
        return v == null ? defaultValue : (StateRecord) v;
    }

    @SuppressWarnings("unchecked")
    public List<StateRecord> records(String name) throws SnapshotFormatException {
        return (List<StateRecord>) require(name, FieldType.RECORD_LIST);
    }

    @SuppressWarnings("unchecked")
    public List<StateRecord> records(String name, List<StateRecord> defaultValue) throws SnapshotFormatException {
        Object v = optional(name, FieldType.RECORD_LIST);
        return v == null ? defaultValue : (List<StateRecord>) v;
    }

    private Object require(String name, FieldType type) throws SnapshotFormatException {
        Object v = optional(name, type);
        if (v == null) throw problem("has no field '" + name + "' (" + type.label() + ")");
        return v;
    }

    private Object optional(String name, FieldType type) throws SnapshotFormatException {
        Field f = byName.get(name);
        if (f == null) return null;
        if (f.type() != type) {
            String actual = f.type() == FieldType.UNKNOWN
                    ? "of a type this jbhyve does not know (tag 0x" + Integer.toHexString(f.tag()) + ")"
                    : f.type().label();
            throw problem("field '" + name + "' is " + actual + ", not " + type.label());
        }
        return f.rawValue();
    }

    private SnapshotFormatException problem(String what) {
        return new SnapshotFormatException((origin == null ? "state record" : origin) + " " + what);
    }

    // ---- encoding ----

    /** The on-disk encoding (docs/snapshot-format.md, "State records"). */
    public byte[] encode() {
        return StateCodec.encode(this);
    }

    /** Decodes a whole buffer as one record; any malformed input gives a SnapshotFormatException. */
    public static StateRecord decode(byte[] bytes) throws SnapshotFormatException {
        return StateCodec.decode(bytes, 0, bytes.length, null);
    }

    /** Decodes {@code length} bytes at {@code offset} as one record. */
    public static StateRecord decode(byte[] bytes, int offset, int length) throws SnapshotFormatException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return StateCodec.decode(bytes, offset, length, null);
    }

    /** The record as indented text, one field per line (what {@code inspect --fields} prints). */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        RecordText.append(sb, this, "", Integer.MAX_VALUE);
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateRecord r && fields.equals(r.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) sb.append(", ");
            Field f = fields.get(i);
            sb.append(f.name()).append('=').append(RecordText.value(f, 32));
        }
        return sb.append('}').toString();
    }

    static boolean validName(String name) {
        // [A-Za-z0-9_.-]{1,255}, by hand: a record's every field name passes here, and a cold restore
        // interprets this loop faster than it runs a regular expression.
        if (name == null || name.isEmpty() || name.length() > 255) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    static StateRecord of(List<Field> fields, String origin) {
        return new StateRecord(Collections.unmodifiableList(new ArrayList<>(fields)), origin);
    }

    /**
     * Builds a record. Putting a name that is already there replaces its value in place (so
     * {@code toBuilder()} keeps the field order); {@link #remove} and {@link #rename} help upgraders.
     */
    public static final class Builder {
        private final LinkedHashMap<String, Field> fields = new LinkedHashMap<>();

        private Builder() {}

        private Builder put(String name, FieldType type, Object value) {
            if (!validName(name)) {
                throw new IllegalArgumentException("invalid field name '" + name
                        + "' (1 to 255 characters from A-Z a-z 0-9 _ . -)");
            }
            Field f = new Field(name, type, type.tag(), value);
            fields.put(name, f);
            return this;
        }

        public Builder putU8(String name, int value) {
            if (value < 0 || value > 0xff) throw new IllegalArgumentException("u8 field '" + name + "': " + value + " is out of range 0..255");
            return put(name, FieldType.U8, value);
        }

        public Builder putU16(String name, int value) {
            if (value < 0 || value > 0xffff) throw new IllegalArgumentException("u16 field '" + name + "': " + value + " is out of range 0..65535");
            return put(name, FieldType.U16, value);
        }

        public Builder putU32(String name, long value) {
            if (value < 0 || value > 0xffff_ffffL) throw new IllegalArgumentException("u32 field '" + name + "': " + value + " is out of range 0..4294967295");
            return put(name, FieldType.U32, value);
        }

        /** A u64: any long, read as its unsigned bit pattern. */
        public Builder putU64(String name, long value) {
            return put(name, FieldType.U64, value);
        }

        public Builder putI64(String name, long value) {
            return put(name, FieldType.I64, value);
        }

        public Builder putBool(String name, boolean value) {
            return put(name, FieldType.BOOL, value);
        }

        public Builder putBytes(String name, byte[] value) {
            return put(name, FieldType.BYTES, Objects.requireNonNull(value, name));
        }

        public Builder putString(String name, String value) {
            Objects.requireNonNull(value, name);
            return put(name, FieldType.STRING, value);
        }

        public Builder putU64Array(String name, long... values) {
            return put(name, FieldType.U64_ARRAY, Objects.requireNonNull(values, name));
        }

        public Builder putRecord(String name, StateRecord value) {
            return put(name, FieldType.RECORD, Objects.requireNonNull(value, name));
        }

        public Builder putRecords(String name, List<StateRecord> values) {
            for (StateRecord r : Objects.requireNonNull(values, name)) Objects.requireNonNull(r, name);
            return put(name, FieldType.RECORD_LIST, List.copyOf(values));
        }

        /** Removes a field if present. */
        public Builder remove(String name) {
            fields.remove(name);
            return this;
        }

        /** Renames a field, keeping its place and value; does nothing if it is absent. */
        public Builder rename(String from, String to) {
            if (!validName(to)) throw new IllegalArgumentException("invalid field name '" + to + "'");
            if (!fields.containsKey(from) || from.equals(to)) return this;
            if (fields.containsKey(to)) throw new IllegalArgumentException("cannot rename '" + from + "' to '" + to + "': it exists");
            LinkedHashMap<String, Field> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Field> e : fields.entrySet()) {
                Field f = e.getValue();
                if (e.getKey().equals(from)) copy.put(to, new Field(to, f.type(), f.tag(), f.rawValue()));
                else copy.put(e.getKey(), f);
            }
            fields.clear();
            fields.putAll(copy);
            return this;
        }

        public boolean has(String name) {
            return fields.containsKey(name);
        }

        public StateRecord build() {
            return StateRecord.of(new ArrayList<>(fields.values()), null);
        }
    }

    /** Text rendering shared by toString, toText and the inspector. */
    static final class RecordText {
        private RecordText() {}

        private static final HexFormat HEX = HexFormat.of();

        static void append(StringBuilder sb, StateRecord r, String indent, int maxBytes) {
            for (Field f : r.fields) {
                sb.append(indent).append(f.name()).append(": ").append(typeLabel(f));
                switch (f.type()) {
                    case RECORD -> {
                        StateRecord nested = (StateRecord) f.rawValue();
                        sb.append(" (").append(nested.size()).append(nested.size() == 1 ? " field)\n" : " fields)\n");
                        append(sb, nested, indent + "  ", maxBytes);
                    }
                    case RECORD_LIST -> {
                        @SuppressWarnings("unchecked")
                        List<StateRecord> list = (List<StateRecord>) f.rawValue();
                        sb.append(" (").append(list.size()).append(list.size() == 1 ? " record)\n" : " records)\n");
                        for (int i = 0; i < list.size(); i++) {
                            sb.append(indent).append("  [").append(i).append("]\n");
                            append(sb, list.get(i), indent + "    ", maxBytes);
                        }
                    }
                    default -> sb.append(" = ").append(value(f, maxBytes)).append('\n');
                }
            }
        }

        static String typeLabel(Field f) {
            return f.type() == FieldType.UNKNOWN ? "unknown(0x" + Integer.toHexString(f.tag()) + ")" : f.type().label();
        }

        /** One value on one line; bytes beyond {@code maxBytes} are elided. */
        static String value(Field f, int maxBytes) {
            Object v = f.rawValue();
            return switch (f.type()) {
                case U8, U16 -> {
                    int i = (Integer) v;
                    yield i + " (0x" + Integer.toHexString(i) + ")";
                }
                case U32 -> {
                    long l = (Long) v;
                    yield l + " (0x" + Long.toHexString(l) + ")";
                }
                case U64 -> {
                    long l = (Long) v;
                    yield Long.toUnsignedString(l) + " (0x" + Long.toHexString(l) + ")";
                }
                case I64 -> Long.toString((Long) v);
                case BOOL -> v.toString();
                case STRING -> quote((String) v);
                case BYTES, UNKNOWN -> hex((byte[]) v, maxBytes);
                case U64_ARRAY -> {
                    long[] a = (long[]) v;
                    StringBuilder sb = new StringBuilder("[");
                    int shown = Math.min(a.length, Math.max(1, maxBytes / 8));
                    for (int i = 0; i < shown; i++) {
                        if (i > 0) sb.append(", ");
                        sb.append("0x").append(Long.toHexString(a[i]));
                    }
                    if (shown < a.length) sb.append(", ... (").append(a.length).append(" elements)");
                    yield sb.append(']').toString();
                }
                case RECORD -> v.toString();
                case RECORD_LIST -> ((List<?>) v).toString();
            };
        }

        static String hex(byte[] b, int maxBytes) {
            if (b.length == 0) return "(0 bytes)";
            int shown = Math.min(b.length, maxBytes);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < shown; i++) {
                if (i > 0) sb.append(i % 4 == 0 ? " " : "");
                sb.append(HEX.toHexDigits(b[i]));
            }
            if (shown < b.length) sb.append(" ...");
            return sb.append(" (").append(b.length).append(b.length == 1 ? " byte)" : " bytes)").toString();
        }

        static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    default -> {
                        if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                    }
                }
            }
            return sb.append('"').toString();
        }
    }
}
