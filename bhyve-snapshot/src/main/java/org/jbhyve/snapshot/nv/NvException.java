package org.jbhyve.snapshot.nv;

/**
 * Everything that can go wrong with an nvlist: malformed packed bytes, a pair that is missing or of
 * another type, a duplicate name, a name that is too long.
 *
 * <p>{@link #code()} is the errno libnv itself would report for the same condition ({@code EINVAL}
 * for malformed data, {@code EILSEQ} for a flags mismatch, {@code EEXIST} for a duplicate name, ...),
 * so behaviour can be compared with libnv's verdicts. For malformed input {@link #offset()} is the
 * byte offset in the packed buffer where the problem was found; it is -1 when there is no buffer.
 */
public class NvException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The errno libnv reports for the same failure (by name, since the numbers differ between OSes). */
    public enum Code {
        /** Malformed packed data, or an invalid argument. */
        EINVAL,
        /** The list's flags differ from the flags the caller expects. */
        EILSEQ,
        /** A pair with that name already exists (and the list is not NO_UNIQUE). */
        EEXIST,
        /** No pair with that name and type. */
        ENOENT,
        /** A pair name of NV_NAME_MAX (2048) bytes or more. */
        ENAMETOOLONG,
        /** Descriptors in a list given to a routine that cannot carry them ({@code nvlist_pack}). */
        EOPNOTSUPP,
        /** A message larger than the receiver accepts (jbhyve's limit; libnv has none). */
        EMSGSIZE
    }

    private final Code code;
    private final long offset;
    private final String reason;

    public NvException(Code code, long offset, String reason) {
        super(offset >= 0 ? "malformed nvlist at offset " + offset + ": " + reason : reason);
        this.code = code;
        this.offset = offset;
        this.reason = reason;
    }

    public NvException(Code code, String reason) {
        this(code, -1, reason);
    }

    static NvException malformed(long offset, String reason) {
        return new NvException(Code.EINVAL, offset, reason);
    }

    /** The libnv errno name for this failure. */
    public Code code() {
        return code;
    }

    /** Offset in the packed buffer where the problem was found, or -1. */
    public long offset() {
        return offset;
    }

    /** The reason alone, without the offset prefix. */
    public String reason() {
        return reason;
    }
}
