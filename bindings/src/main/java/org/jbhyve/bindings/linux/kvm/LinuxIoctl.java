package org.jbhyve.bindings.linux.kvm;

/**
 * Linux's {@code _IO/_IOR/_IOW/_IOWR} request encoding ({@code asm-generic/ioctl.h}, which x86 uses):
 * nr in bits 0..7, type in 8..15, size in 16..29, direction in 30..31 (write = 1, read = 2).
 * jextract cannot translate these function-like macros, so every ioctl number is computed here
 * from its definition instead of being written down as a literal.
 */
public final class LinuxIoctl {
    private LinuxIoctl() {}

    private static final int NRBITS = 8, TYPEBITS = 8, SIZEBITS = 14;
    private static final int NRSHIFT = 0, TYPESHIFT = NRSHIFT + NRBITS, SIZESHIFT = TYPESHIFT + TYPEBITS,
            DIRSHIFT = SIZESHIFT + SIZEBITS;
    private static final long NONE = 0, WRITE = 1, READ = 2;

    static long ioc(long dir, int type, int nr, long size) {
        if (type < 0 || type > 0xff || nr < 0 || nr > 0xff) {
            throw new IllegalArgumentException("ioctl type/nr out of range: " + type + "/" + nr);
        }
        if (size < 0 || size >= (1L << SIZEBITS)) {
            throw new IllegalArgumentException("ioctl argument size " + size + " does not fit in 14 bits");
        }
        return (dir << DIRSHIFT) | ((long) type << TYPESHIFT) | ((long) nr << NRSHIFT) | (size << SIZESHIFT);
    }

    public static long _IO(int type, int nr) { return ioc(NONE, type, nr, 0); }
    public static long _IOR(int type, int nr, long size) { return ioc(READ, type, nr, size); }
    public static long _IOW(int type, int nr, long size) { return ioc(WRITE, type, nr, size); }
    public static long _IOWR(int type, int nr, long size) { return ioc(READ | WRITE, type, nr, size); }
}
