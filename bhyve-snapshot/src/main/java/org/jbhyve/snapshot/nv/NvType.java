package org.jbhyve.snapshot.nv;

/**
 * The value types of an nvlist pair, with their wire codes ({@code NV_TYPE_*} of FreeBSD's
 * {@code sys/nv.h}) and the names the text format of {@link NvFormatter} uses.
 *
 * <p>The wire also knows two internal codes that are never pair types of a list: 254
 * ({@code NVLIST_ARRAY_NEXT}) and 255 ({@code NVLIST_UP}), see {@link Wire}.
 */
public enum NvType {
    NULL(1, "null"),
    BOOL(2, "bool"),
    NUMBER(3, "number"),
    STRING(4, "string"),
    NVLIST(5, "nvlist"),
    DESCRIPTOR(6, "descriptor"),
    BINARY(7, "binary"),
    BOOL_ARRAY(8, "bool_array"),
    NUMBER_ARRAY(9, "number_array"),
    STRING_ARRAY(10, "string_array"),
    NVLIST_ARRAY(11, "nvlist_array"),
    DESCRIPTOR_ARRAY(12, "descriptor_array");

    private static final NvType[] BY_CODE = new NvType[13];

    static {
        for (NvType t : values()) BY_CODE[t.code] = t;
    }

    private final int code;
    private final String label;

    NvType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The {@code nvph_type} byte on the wire. */
    public int code() {
        return code;
    }

    /** The lower-case name used in the text format and in error messages ({@code "bool_array"}). */
    public String label() {
        return label;
    }

    /** Whether pairs of this type carry {@code nitems} elements. */
    public boolean isArray() {
        return code >= BOOL_ARRAY.code;
    }

    /** The type with wire code {@code code}, or {@code null} for any other value (markers included). */
    public static NvType fromCode(int code) {
        return code >= 1 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** "a string", "an nvlist", ... for error messages. */
    String withArticle() {
        return switch (this) {
            case NVLIST, NVLIST_ARRAY -> "an " + label;
            default -> "a " + label;
        };
    }
}
