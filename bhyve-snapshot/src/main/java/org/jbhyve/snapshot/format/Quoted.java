package org.jbhyve.snapshot.format;

/**
 * A string read from a snapshot, made fit for an error message: escaped like a string field in
 * {@code inspect} (quotes, control characters) and cut to its first 80 characters. A file may hold a
 * megabyte where a word belongs; the message should say what is wrong, not repeat all of it.
 */
public final class Quoted {
    private Quoted() {}

    static final int MAX_CHARS = 80;

    /** {@code s} in double quotes, escaped, with "..." after the 80th character. */
    public static String of(String s) {
        return StateRecord.RecordText.quote(s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) + "..." : s);
    }
}
