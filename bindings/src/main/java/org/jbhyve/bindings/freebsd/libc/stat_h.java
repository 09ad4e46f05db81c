// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 sys/stat.h (the 64-bit-inode struct stat of FreeBSD 12 and later); pinned by
// FreeBsdLibcConstantsTest. Not in shared/reference/freebsd-bhyve.md: taken from FreeBSD's sys/stat.h.

package org.jbhyve.bindings.freebsd.libc;

/**
 * The size of FreeBSD's {@code struct stat} on amd64 and the offsets {@link org.jbhyve.bindings.libc.FileStat}
 * reads; Linux's are in {@link org.jbhyve.bindings.libc.libc_h}. The file-type bits of {@code st_mode} are
 * the same on both.
 */
public class stat_h {

    stat_h() {
        // Should not be called directly
    }

    /** {@code sizeof(struct stat)}: ends with st_gen and ten spare 64-bit words (Linux: 144). */
    public static final long STAT_SIZE = 224;
    public static final long STAT_DEV_OFFSET = 0;
    public static final long STAT_INO_OFFSET = 8;
    /** {@code st_mode} is 16 bits here (Linux: 32), followed by 16 bits of padding. */
    public static final long STAT_MODE_OFFSET = 24;
    /** After st_rdev come the four timespecs (atim, mtim, ctim, birthtim), then st_size. */
    public static final long STAT_MTIM_OFFSET = 64;
    public static final long STAT_CTIM_OFFSET = 80;
    public static final long STAT_SIZE_OFFSET = 112;
    /** {@code fstatat} flag (Linux: 0x100). */
    public static final int AT_SYMLINK_NOFOLLOW = 0x200;
}
