package org.jbhyve.snapshot.format;

import java.io.IOException;

/**
 * Writing a snapshot failed (no space, quota, I/O error, permission, a chunk producer that threw).
 * By the time this is thrown the temporary file has been removed and any existing snapshot of the same
 * name is unchanged, and the message says so, e.g. {@code cannot write snapshot /vm/s1: ENOSPC (no space
 * left on device) while writing RAM region 0 at file offset 0x200000; nothing was left behind and the
 * existing /vm/s1 is unchanged}.
 */
public class SnapshotWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String errnoName;

    public SnapshotWriteException(String file, String message, String errnoName, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.errnoName = errnoName;
    }

    /** The snapshot's final path (not the temporary name). */
    public String file() {
        return file;
    }

    /** The symbolic errno ("ENOSPC", "EDQUOT", "EIO", ...) when a system call failed, else null. */
    public String errnoName() {
        return errnoName;
    }
}
