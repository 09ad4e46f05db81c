package org.jbhyve.snapshot.nv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One name/value pair of an {@link NvList}. Immutable.
 *
 * <p>Names and strings are byte strings on the wire (C strings without NUL). The {@code String}
 * accessors decode them as UTF-8; the {@code ...Bytes} accessors return the exact bytes.
 *
 * <p>Values by type: {@code NULL} none; {@code BOOL} boolean; {@code NUMBER} a u64 held in a
 * {@code long}; {@code STRING} bytes; {@code NVLIST} a read-only {@link NvList}; {@code DESCRIPTOR}
 * an {@code int} (a file descriptor, or after {@link NvUnpacker#unpack} {@code fds[index]});
 * {@code BINARY} bytes (at least one); arrays at least one element. A bool array keeps its raw
 * bytes, since libnv accepts elements other than 0 and 1 on unpack.
 */
public final class NvPair {
    private final byte[] name;
    private final NvType type;
    /** null | Boolean | Long | byte[] | NvList | Integer | byte[][] | long[] | NvList[] | int[]; never shared. */
    private final Object value;

    NvPair(byte[] name, NvType type, Object value) {
        this.name = name;
        this.type = type;
        this.value = value;
    }

    /** The name decoded as UTF-8. */
    public String name() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /** The name's bytes (without the NUL). */
    public byte[] nameBytes() {
        return name.clone();
    }

    byte[] rawName() {
        return name;
    }

    Object rawValue() {
        return value;
    }

    public NvType type() {
        return type;
    }

    /** Elements of an array pair; 0 for other types (as {@code nvph_nitems} on the wire). */
    public int nitems() {
        return switch (type) {
            case BOOL_ARRAY -> ((byte[]) value).length;
            case NUMBER_ARRAY -> ((long[]) value).length;
            case STRING_ARRAY -> ((byte[][]) value).length;
            case NVLIST_ARRAY -> ((NvList[]) value).length;
            case DESCRIPTOR_ARRAY -> ((int[]) value).length;
            default -> 0;
        };
    }

    private void expect(NvType expected) {
        if (type != expected) {
            throw new NvException(NvException.Code.ENOENT, "nvlist pair " + NvFormatter.quote(name) + " is "
                    + type.withArticle() + ", not " + expected.withArticle());
        }
    }

    public boolean boolValue() {
        expect(NvType.BOOL);
        return (Boolean) value;
    }

    /** The number, an unsigned 64-bit value held in a {@code long}. */
    public long numberValue() {
        expect(NvType.NUMBER);
        return (Long) value;
    }

    /** The string decoded as UTF-8. */
    public String stringValue() {
        expect(NvType.STRING);
        return new String((byte[]) value, StandardCharsets.UTF_8);
    }

    /** The string's bytes, without the NUL. */
    public byte[] stringBytes() {
        expect(NvType.STRING);
        return ((byte[]) value).clone();
    }

    /** The nested list (read-only). */
    public NvList nvlistValue() {
        expect(NvType.NVLIST);
        return (NvList) value;
    }

    public int descriptorValue() {
        expect(NvType.DESCRIPTOR);
        return (Integer) value;
    }

    public byte[] binaryValue() {
        expect(NvType.BINARY);
        return ((byte[]) value).clone();
    }

    /** The bool array; a raw element other than 0 counts as true. */
    public boolean[] boolArrayValue() {
        expect(NvType.BOOL_ARRAY);
        byte[] raw = (byte[]) value;
        boolean[] out = new boolean[raw.length];
        for (int i = 0; i < raw.length; i++) out[i] = raw[i] != 0;
        return out;
    }

    /** The bool array's bytes as they were on the wire (0 and 1 unless the sender was odd). */
    public byte[] boolArrayRawValue() {
        expect(NvType.BOOL_ARRAY);
        return ((byte[]) value).clone();
    }

    public long[] numberArrayValue() {
        expect(NvType.NUMBER_ARRAY);
        return ((long[]) value).clone();
    }

    public List<String> stringArrayValue() {
        expect(NvType.STRING_ARRAY);
        byte[][] raw = (byte[][]) value;
        List<String> out = new ArrayList<>(raw.length);
        for (byte[] s : raw) out.add(new String(s, StandardCharsets.UTF_8));
        return Collections.unmodifiableList(out);
    }

    public List<byte[]> stringArrayBytes() {
        expect(NvType.STRING_ARRAY);
        byte[][] raw = (byte[][]) value;
        List<byte[]> out = new ArrayList<>(raw.length);
        for (byte[] s : raw) out.add(s.clone());
        return Collections.unmodifiableList(out);
    }

    /** The elements (read-only lists). */
    public List<NvList> nvlistArrayValue() {
        expect(NvType.NVLIST_ARRAY);
        return List.of((NvList[]) value);
    }

    public int[] descriptorArrayValue() {
        expect(NvType.DESCRIPTOR_ARRAY);
        return ((int[]) value).clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NvPair p) || p.type != type || !Arrays.equals(p.name, name)) return false;
        return switch (type) {
            case NULL -> true;
            case BOOL, NUMBER, DESCRIPTOR, NVLIST -> value.equals(p.value);
            case STRING, BINARY, BOOL_ARRAY -> Arrays.equals((byte[]) value, (byte[]) p.value);
            case NUMBER_ARRAY -> Arrays.equals((long[]) value, (long[]) p.value);
            case DESCRIPTOR_ARRAY -> Arrays.equals((int[]) value, (int[]) p.value);
            case STRING_ARRAY -> Arrays.deepEquals((byte[][]) value, (byte[][]) p.value);
            case NVLIST_ARRAY -> Arrays.equals((NvList[]) value, (NvList[]) p.value);
        };
    }

    @Override
    public int hashCode() {
        int h = 31 * type.hashCode() + Arrays.hashCode(name);
        return 31 * h + switch (type) {
            case NULL -> 0;
            case BOOL, NUMBER, DESCRIPTOR, NVLIST -> Objects.hashCode(value);
            case STRING, BINARY, BOOL_ARRAY -> Arrays.hashCode((byte[]) value);
            case NUMBER_ARRAY -> Arrays.hashCode((long[]) value);
            case DESCRIPTOR_ARRAY -> Arrays.hashCode((int[]) value);
            case STRING_ARRAY -> Arrays.deepHashCode((byte[][]) value);
            case NVLIST_ARRAY -> Arrays.hashCode((NvList[]) value);
        };
    }

    /** The pair in the text format of {@link NvFormatter} (nested lists included). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        NvFormatter.appendPair(sb, this, 0);
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }
}
