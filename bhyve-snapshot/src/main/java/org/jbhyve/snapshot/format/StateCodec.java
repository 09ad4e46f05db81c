package org.jbhyve.snapshot.format;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The state-record wire encoding (docs/snapshot-format.md, "State records"), little-endian:
 *
 * <pre>
 * record := count:u32  field[count]
 * field  := tag:u8  name_len:u8  name:byte[name_len]  value_len:u32  value:byte[value_len]
 * </pre>
 *
 * The decoder is written for hostile input: every length is checked against the bytes that remain
 * before anything is allocated, nesting is bounded, and every failure is a
 * {@link SnapshotFormatException} saying where.
 */
final class StateCodec {
    private StateCodec() {}

    /** Records nest at most this deep (a record inside a record inside ... counts each level). */
    static final int MAX_DEPTH = 32;

    // ---- encode ----

    static byte[] encode(StateRecord r) {
        Out out = new Out();
        writeRecord(out, r);
        return out.toByteArray();
    }

    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(256);
        }

        void u8(int v) {
            write(v);
        }

        void u32(long v) {
            write((int) v);
            write((int) (v >>> 8));
            write((int) (v >>> 16));
            write((int) (v >>> 24));
        }

        void u64(long v) {
            u32(v & 0xffff_ffffL);
            u32(v >>> 32);
        }

        void checkSize(long more) {
            if ((long) count + more > SnapshotFormat.MAX_CHUNK_LENGTH) {
                throw new IllegalArgumentException("state record too large to encode (over "
                        + SnapshotFormat.MAX_CHUNK_LENGTH + " bytes)");
            }
        }
    }

    private static void writeRecord(Out out, StateRecord r) {
        out.u32(r.size());
        for (StateRecord.Field f : r.fields()) {
            byte[] name = f.name().getBytes(StandardCharsets.US_ASCII);
            int tag = f.type() == FieldType.UNKNOWN ? f.tag() : f.type().tag();
            byte[] value = value(f);
            out.checkSize(6L + name.length + value.length);
            out.u8(tag);
            out.u8(name.length);
            out.writeBytes(name);
            out.u32(value.length);
            out.writeBytes(value);
        }
    }

    private static byte[] value(StateRecord.Field f) {
        Object v = f.rawValue();
        return switch (f.type()) {
            case U8 -> new byte[] {(byte) (int) (Integer) v};
            case U16 -> {
                int i = (Integer) v;
                yield new byte[] {(byte) i, (byte) (i >>> 8)};
            }
            case U32 -> {
                Out o = new Out();
                o.u32((Long) v);
                yield o.toByteArray();
            }
            case U64, I64 -> {
                Out o = new Out();
                o.u64((Long) v);
                yield o.toByteArray();
            }
            case BOOL -> new byte[] {(byte) ((Boolean) v ? 1 : 0)};
            case BYTES, UNKNOWN -> (byte[]) v;
            case STRING -> ((String) v).getBytes(StandardCharsets.UTF_8);
            case U64_ARRAY -> {
                long[] a = (long[]) v;
                if ((long) a.length * 8 > SnapshotFormat.MAX_CHUNK_LENGTH) {
                    throw new IllegalArgumentException("u64[] field '" + f.name() + "' too large to encode");
                }
                Out o = new Out();
                for (long l : a) o.u64(l);
                yield o.toByteArray();
            }
            case RECORD -> encode((StateRecord) v);
            case RECORD_LIST -> {
                @SuppressWarnings("unchecked")
                List<StateRecord> list = (List<StateRecord>) v;
                Out o = new Out();
                o.u32(list.size());
                for (StateRecord r : list) {
                    byte[] e = encode(r);
                    o.checkSize(4L + e.length);
                    o.u32(e.length);
                    o.writeBytes(e);
                }
                yield o.toByteArray();
            }
        };
    }

    // ---- decode ----

    static StateRecord decode(byte[] buf, int offset, int length, String origin) throws SnapshotFormatException {
        return new Decoder(buf, offset).record(offset, offset + length, 0, origin);
    }

    private static final class Decoder {
        private final byte[] buf;
        private final int base;

        Decoder(byte[] buf, int base) {
            this.buf = buf;
            this.base = base;
        }

        private SnapshotFormatException fail(int at, String what) {
            return new SnapshotFormatException("at byte 0x" + Integer.toHexString(at - base) + ": " + what);
        }

        private long u32(int at) {
            return (buf[at] & 0xffL) | (buf[at + 1] & 0xffL) << 8 | (buf[at + 2] & 0xffL) << 16 | (buf[at + 3] & 0xffL) << 24;
        }

        private long u64(int at) {
            return u32(at) | u32(at + 4) << 32;
        }

        StateRecord record(int start, int end, int depth, String origin) throws SnapshotFormatException {
            if (depth > MAX_DEPTH) throw fail(start, "records nest deeper than " + MAX_DEPTH + " levels");
            if (end - start < 4) {
                throw fail(start, "a record needs at least 4 bytes (its field count), only " + (end - start) + " left");
            }
            long count = u32(start);
            int pos = start + 4;
            List<StateRecord.Field> fields = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (long i = 0; i < count; i++) {
                int fieldStart = pos;
                if (end - pos < 6) {
                    throw fail(pos, "the record says it has " + count + " fields but ends after " + i);
                }
                int tag = buf[pos] & 0xff;
                int nameLen = buf[pos + 1] & 0xff;
                if (tag == 0) throw fail(pos, "field " + i + " has type tag 0, which is never valid");
                if (nameLen == 0) throw fail(pos, "field " + i + " has an empty name");
                pos += 2;
                if (end - pos < nameLen + 4) {
                    throw fail(fieldStart, "field " + i + " runs past the end of the record");
                }
                String name = new String(buf, pos, nameLen, StandardCharsets.ISO_8859_1);
                if (!StateRecord.validName(name)) {
                    throw fail(fieldStart, "field " + i + " has an invalid name " + StateRecord.RecordText.quote(name)
                            + " (allowed: A-Z a-z 0-9 _ . -)");
                }
                pos += nameLen;
                long valueLen = u32(pos);
                pos += 4;
                if (valueLen > end - pos) {
                    throw fail(fieldStart, "field '" + name + "' has a value of " + valueLen + " bytes but only "
                            + (end - pos) + " are left in the record");
                }
                if (!names.add(name)) throw fail(fieldStart, "field '" + name + "' appears twice");
                int vlen = (int) valueLen;
                FieldType type = FieldType.ofTag(tag);
                // Only nested records keep an origin; building the text for every field was a measurable part
                // of a cold restore (string concatenation runs interpreted there).
                boolean nested = type == FieldType.RECORD || type == FieldType.RECORD_LIST;
                String fieldOrigin = origin == null || !nested ? null : origin + ", field '" + name + "'";
                Object value = value(type, name, fieldStart, pos, vlen, depth, fieldOrigin);
                fields.add(new StateRecord.Field(name, type, type == FieldType.UNKNOWN ? tag : type.tag(), value));
                pos += vlen;
            }
            if (pos != end) {
                throw fail(pos, (end - pos) + " bytes follow the last of the record's " + count + " fields");
            }
            return StateRecord.of(fields, origin);
        }

        private Object value(FieldType type, String name, int fieldStart, int pos, int len, int depth, String origin)
                throws SnapshotFormatException {
            if (type.fixedSize() >= 0 && len != type.fixedSize()) {
                throw fail(fieldStart, "field '" + name + "' (" + type.label() + ") has " + len + " bytes, not "
                        + type.fixedSize());
            }
            return switch (type) {
                case U8 -> buf[pos] & 0xff;
                case U16 -> (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
                case U32 -> u32(pos);
                case U64, I64 -> u64(pos);
                case BOOL -> {
                    int b = buf[pos] & 0xff;
                    if (b > 1) throw fail(fieldStart, "bool field '" + name + "' is " + b + ", not 0 or 1");
                    yield b == 1;
                }
                case BYTES, UNKNOWN -> java.util.Arrays.copyOfRange(buf, pos, pos + len);
                case STRING -> {
                    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
                    try {
                        CharBuffer cb = dec.decode(ByteBuffer.wrap(buf, pos, len));
                        yield cb.toString();
                    } catch (CharacterCodingException e) {
                        throw fail(fieldStart, "string field '" + name + "' is not valid UTF-8");
                    }
                }
                case U64_ARRAY -> {
                    if (len % 8 != 0) {
                        throw fail(fieldStart, "u64[] field '" + name + "' has " + len + " bytes, not a multiple of 8");
                    }
                    long[] a = new long[len / 8];
                    for (int i = 0; i < a.length; i++) a[i] = u64(pos + 8 * i);
                    yield a;
                }
                case RECORD -> record(pos, pos + len, depth + 1, origin);
                case RECORD_LIST -> {
                    int end = pos + len;
                    if (len < 4) throw fail(fieldStart, "record[] field '" + name + "' has " + len + " bytes, less than its count");
                    long count = u32(pos);
                    int p = pos + 4;
                    List<StateRecord> list = new ArrayList<>();
                    for (long i = 0; i < count; i++) {
                        if (end - p < 4) {
                            throw fail(p, "record[] field '" + name + "' says it has " + count + " records but ends after " + i);
                        }
                        long elen = u32(p);
                        p += 4;
                        if (elen > end - p) {
                            throw fail(p - 4, "record " + i + " of field '" + name + "' has " + elen + " bytes but only "
                                    + (end - p) + " are left");
                        }
                        String elemOrigin = origin == null ? null : origin + "[" + i + "]";
                        list.add(record(p, p + (int) elen, depth + 1, elemOrigin));
                        p += (int) elen;
                    }
                    if (p != end) throw fail(p, (end - p) + " bytes follow the last record of field '" + name + "'");
                    yield List.copyOf(list);
                }
            };
        }
    }
}
