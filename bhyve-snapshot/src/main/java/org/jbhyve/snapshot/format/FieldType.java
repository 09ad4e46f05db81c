package org.jbhyve.snapshot.format;

/**
 * The value types of a {@link StateRecord} field and their one-byte tags on disk
 * (docs/snapshot-format.md, "State records"). Tag 0 is never valid; tags this build does not know
 * decode as {@link #UNKNOWN} so that a newer writer's extra field types do not stop older readers.
 */
public enum FieldType {
    /** Unsigned 8-bit integer, 1 byte. */
    U8(0x01, "u8", 1),
    /** Unsigned 16-bit integer, 2 bytes little-endian. */
    U16(0x02, "u16", 2),
    /** Unsigned 32-bit integer, 4 bytes little-endian. */
    U32(0x03, "u32", 4),
    /** Unsigned 64-bit integer, 8 bytes little-endian (held in a Java long, bit for bit). */
    U64(0x04, "u64", 8),
    /** Signed 64-bit integer, 8 bytes little-endian two's complement. */
    I64(0x05, "i64", 8),
    /** Boolean, 1 byte that is 0 or 1. */
    BOOL(0x06, "bool", 1),
    /** Opaque bytes (kernel blobs, register files, device memory). */
    BYTES(0x07, "bytes", -1),
    /** UTF-8 text, no terminator. */
    STRING(0x08, "string", -1),
    /** Array of unsigned 64-bit integers, 8 bytes each, little-endian. */
    U64_ARRAY(0x09, "u64[]", -1),
    /** A nested record. */
    RECORD(0x0a, "record", -1),
    /** A list of records. */
    RECORD_LIST(0x0b, "record[]", -1),
    /** A tag this build does not know; the value is kept as raw bytes and ignored by lookups. */
    UNKNOWN(-1, "unknown", -1);

    private final int tag;
    private final String label;
    private final int fixedSize;

    FieldType(int tag, String label, int fixedSize) {
        this.tag = tag;
        this.label = label;
        this.fixedSize = fixedSize;
    }

    /** The on-disk tag (-1 for UNKNOWN, whose fields carry their own). */
    public int tag() {
        return tag;
    }

    /** The name used in docs, inspect output and errors: "u8", "u64[]", "record[]". */
    public String label() {
        return label;
    }

    /** The value length for fixed-size types, else -1. */
    public int fixedSize() {
        return fixedSize;
    }

    /** The type for an on-disk tag; UNKNOWN for tags this build does not know (never for 0). */
    static FieldType ofTag(int tag) {
        for (FieldType t : values()) {
            if (t.tag == tag) return t;
        }
        return UNKNOWN;
    }
}
