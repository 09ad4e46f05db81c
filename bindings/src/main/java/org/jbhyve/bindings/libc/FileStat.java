package org.jbhyve.bindings.libc;

import org.jbhyve.bindings.freebsd.libc.stat_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What {@code fstat}/{@code fstatat} say about a file, read from the C library's {@code struct stat} on
 * Linux (glibc, x86-64) or FreeBSD (amd64), whose layouts differ.
 *
 * @param dev        the device the file lives on
 * @param ino        its inode number
 * @param mode       type and permission bits ({@link libc_h#S_IFMT} and the rest)
 * @param size       its length in bytes
 * @param mtimeNanos last modification, in nanoseconds since the epoch
 * @param ctimeNanos last status change (any write, truncate, rename or chmod), in nanoseconds since the epoch
 */
public record FileStat(long dev, long ino, int mode, long size, long mtimeNanos, long ctimeNanos) {
    /** Whether this runs on FreeBSD, whose struct layouts and flag numbers this package's helpers choose. */
    static final boolean FREEBSD =
            System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("freebsd");
    /** {@code sizeof(struct stat)} on this OS. */
    public static final long SIZE = FREEBSD ? stat_h.STAT_SIZE : libc_h.STAT_SIZE;
    /** {@code AT_SYMLINK_NOFOLLOW} on this OS. */
    public static final int AT_SYMLINK_NOFOLLOW = FREEBSD ? stat_h.AT_SYMLINK_NOFOLLOW : libc_h.AT_SYMLINK_NOFOLLOW;

    /** Reads a {@code struct stat} the C library filled in. */
    public static FileStat of(MemorySegment st) {
        return FREEBSD ? read(st, stat_h.STAT_DEV_OFFSET, stat_h.STAT_INO_OFFSET,
                Short.toUnsignedInt(st.get(ValueLayout.JAVA_SHORT, stat_h.STAT_MODE_OFFSET)),
                stat_h.STAT_SIZE_OFFSET, stat_h.STAT_MTIM_OFFSET, stat_h.STAT_CTIM_OFFSET)
                : read(st, libc_h.STAT_DEV_OFFSET, libc_h.STAT_INO_OFFSET,
                st.get(ValueLayout.JAVA_INT, libc_h.STAT_MODE_OFFSET),
                libc_h.STAT_SIZE_OFFSET, libc_h.STAT_MTIM_OFFSET, libc_h.STAT_CTIM_OFFSET);
    }

    private static FileStat read(MemorySegment st, long dev, long ino, int mode, long size, long mtim, long ctim) {
        return new FileStat(st.get(ValueLayout.JAVA_LONG, dev), st.get(ValueLayout.JAVA_LONG, ino), mode,
                st.get(ValueLayout.JAVA_LONG, size), nanos(st, mtim), nanos(st, ctim));
    }

    private static long nanos(MemorySegment st, long timespec) {
        return st.get(ValueLayout.JAVA_LONG, timespec) * 1_000_000_000L + st.get(ValueLayout.JAVA_LONG, timespec + 8);
    }

    /** {@code fstat(fd)}, or null with errno left in {@code errnoState} when it fails. */
    public static FileStat ofDescriptor(MemorySegment errnoState, int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(SIZE, 8);
            return libc_h.fstat(errnoState, fd, st) == 0 ? of(st) : null;
        }
    }

    /** {@code fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW)}: a symbolic link is described, not followed; null on failure. */
    public static FileStat ofNameNoFollow(MemorySegment errnoState, int dirfd, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(SIZE, 8);
            return libc_h.fstatat(errnoState, dirfd, a.allocateFrom(name), st, AT_SYMLINK_NOFOLLOW) == 0 ? of(st) : null;
        }
    }

    public boolean isRegularFile() { return (mode & libc_h.S_IFMT) == libc_h.S_IFREG; }

    /** "a directory", "a symbolic link", "a FIFO", ...: what the file is, for messages. */
    public String kind() {
        return kindOf(mode);
    }

    /** What a file of st_mode {@code mode} is, as {@link #kind()} says it. */
    public static String kindOf(int mode) {
        return switch (mode & libc_h.S_IFMT) {
            case libc_h.S_IFREG -> "a regular file";
            case libc_h.S_IFDIR -> "a directory";
            case libc_h.S_IFLNK -> "a symbolic link";
            case libc_h.S_IFIFO -> "a FIFO";
            case libc_h.S_IFCHR -> "a character device";
            case libc_h.S_IFBLK -> "a block device";
            case libc_h.S_IFSOCK -> "a socket";
            default -> "a file of type 0" + Integer.toOctalString(mode & libc_h.S_IFMT);
        };
    }

    /**
     * Whether {@code other} describes the same file with the same contents as far as the kernel can tell: the
     * same inode, length and modification and change times. A file replaced by rename has another inode; one
     * rewritten or truncated in place has a later change time.
     */
    public boolean sameFileUnchanged(FileStat other) {
        return dev == other.dev && ino == other.ino && size == other.size && mtimeNanos == other.mtimeNanos
                && ctimeNanos == other.ctimeNanos;
    }
}
