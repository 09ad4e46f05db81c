package org.jbhyve.snapshot.format;

import java.io.IOException;

/**
 * A snapshot file (or a state record inside one) is not valid: wrong magic, truncated, a checksum
 * mismatch, an invalid manifest, overlapping or misaligned extents, an undecodable record, or a chunk
 * this build cannot read ({@link SnapshotIncompatibleException}). The message names the file and the
 * first problem found, e.g. {@code snapshot /x/s1: chunk 'vcpu' instance 1 fails its checksum (stored
 * 0x1234abcd, computed 0x0badcafe)}.
 *
 * <p>Decoders throw only this for bad input, whatever the bytes are.
 */
public class SnapshotFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String problem;

    /** A problem not (yet) tied to a file, e.g. from decoding a state record on its own. */
    public SnapshotFormatException(String problem) {
        super(problem);
        this.file = null;
        this.problem = problem;
    }

    /** "snapshot FILE: PROBLEM". */
    public SnapshotFormatException(String file, String problem) {
        super("snapshot " + file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public SnapshotFormatException(String file, String problem, Throwable cause) {
        super(file == null ? problem : "snapshot " + file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file the problem is in, or null when the exception came from decoding bytes on their own. */
    public String file() {
        return file;
    }

    /** The problem without the "snapshot FILE: " prefix. */
    public String problem() {
        return problem;
    }
}
