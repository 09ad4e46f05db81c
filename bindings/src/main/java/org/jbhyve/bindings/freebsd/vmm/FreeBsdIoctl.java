// Hand-written; FreeBSD's sys/sys/ioccom.h request encoding, which jextract cannot generate
// (the _IO* macros are function-like).

package org.jbhyve.bindings.freebsd.vmm;

/**
 * FreeBSD's ioctl request encoding ({@code <sys/ioccom.h>}): {@code _IO}, {@code _IOR},
 * {@code _IOW}, {@code _IOWR} and their decoders.
 *
 * <p>A request is a 32-bit word: the direction in the top three bits ({@link #IOC_VOID},
 * {@link #IOC_OUT}, {@link #IOC_IN}), the parameter length in the 13 bits above bit 16
 * ({@link #IOCPARM_MASK}), the group (usually a character such as {@code 'v'}) in bits 8-15 and the
 * command number in bits 0-7:
 * {@snippet :
 * request = direction | (length & IOCPARM_MASK) << 16 | group << 8 | num
 * }
 * The request argument of {@code ioctl(2)} is an {@code unsigned long} on FreeBSD amd64, so the
 * values are returned as a non-negative {@code long}, ready to pass as a {@code JAVA_LONG}. Note the
 * direction bits are the reverse of Linux's: {@code _IOW} (user writes, kernel reads) is
 * {@link #IOC_IN}, so e.g. {@code VM_RUN = _IOW('v', 1, struct vm_run)} is {@code 0x80207601}.
 *
 * <p>Unlike the C macros, which silently truncate, these methods reject a length that does not fit
 * in {@link #IOCPARM_MASK} and a group or number outside 0-255.
 */
public final class FreeBsdIoctl {

    private FreeBsdIoctl() {
    }

    /** Number of bits for the parameter length. */
    public static final int IOCPARM_SHIFT = 13;

    /** Mask of the parameter length: {@code 0x1fff}, so 8191 bytes at most. */
    public static final int IOCPARM_MASK = (1 << IOCPARM_SHIFT) - 1;

    /** Largest parameter length an ioctl can carry ({@code IOCPARM_MAX}). */
    public static final int IOCPARM_MAX = 1 << IOCPARM_SHIFT;

    /** No parameters. */
    public static final long IOC_VOID = 0x20000000L;

    /** Copy parameters out (kernel to user): {@code _IOR}. */
    public static final long IOC_OUT = 0x40000000L;

    /** Copy parameters in (user to kernel): {@code _IOW}. */
    public static final long IOC_IN = 0x80000000L;

    /** Copy parameters in and out: {@code _IOWR}. */
    public static final long IOC_INOUT = IOC_IN | IOC_OUT;

    /** Mask of the direction bits. */
    public static final long IOC_DIRMASK = IOC_VOID | IOC_OUT | IOC_IN;

    /**
     * Builds a request from its parts, like the C {@code _IOC(inout, group, num, len)}.
     *
     * @param inout one of {@link #IOC_VOID}, {@link #IOC_OUT}, {@link #IOC_IN}, {@link #IOC_INOUT}
     * @param group the ioctl group, 0-255 (a {@code char} such as {@code 'v'} widens to it)
     * @param num   the command number within the group, 0-255
     * @param len   the parameter length in bytes, 0 to {@link #IOCPARM_MASK}
     * @throws IllegalArgumentException if any part is out of range
     */
    public static long _IOC(long inout, int group, int num, long len) {
        if (inout != IOC_VOID && inout != IOC_OUT && inout != IOC_IN && inout != IOC_INOUT) {
            throw new IllegalArgumentException("not an ioctl direction: 0x" + Long.toHexString(inout));
        }
        if (group < 0 || group > 0xff) {
            throw new IllegalArgumentException("ioctl group out of range 0-255: " + group);
        }
        if (num < 0 || num > 0xff) {
            throw new IllegalArgumentException("ioctl number out of range 0-255: " + num);
        }
        if (len < 0 || len > IOCPARM_MASK) {
            throw new IllegalArgumentException("ioctl parameter length " + len
                    + " does not fit in IOCPARM_MASK (0x" + Integer.toHexString(IOCPARM_MASK) + ")");
        }
        return inout | (len << 16) | ((long) group << 8) | num;
    }

    /** {@code _IO(g, n)}: a request without parameters. */
    public static long _IO(int group, int num) {
        return _IOC(IOC_VOID, group, num, 0);
    }

    /** {@code _IOWINT(g, n)}: an int passed by value (no copy), length {@code sizeof(int)}. */
    public static long _IOWINT(int group, int num) {
        return _IOC(IOC_VOID, group, num, Integer.BYTES);
    }

    /** {@code _IOR(g, n, t)}: the kernel copies {@code size} bytes out to the caller. */
    public static long _IOR(int group, int num, long size) {
        return _IOC(IOC_OUT, group, num, size);
    }

    /** {@code _IOW(g, n, t)}: the kernel copies {@code size} bytes in from the caller. */
    public static long _IOW(int group, int num, long size) {
        return _IOC(IOC_IN, group, num, size);
    }

    /** {@code _IOWR(g, n, t)}: the kernel copies {@code size} bytes in, then back out. */
    public static long _IOWR(int group, int num, long size) {
        return _IOC(IOC_INOUT, group, num, size);
    }

    /** {@code IOCPARM_LEN(x)}: the parameter length encoded in a request. */
    public static int IOCPARM_LEN(long request) {
        return (int) ((request >>> 16) & IOCPARM_MASK);
    }

    /** {@code IOCBASECMD(x)}: the request with its length cleared. */
    public static long IOCBASECMD(long request) {
        return request & ~((long) IOCPARM_MASK << 16);
    }

    /** {@code IOCGROUP(x)}: the group of a request. */
    public static int IOCGROUP(long request) {
        return (int) ((request >>> 8) & 0xff);
    }

    /** The command number of a request (its low byte). */
    public static int IOCNUM(long request) {
        return (int) (request & 0xff);
    }

    /** The direction bits of a request. */
    public static long IOCDIR(long request) {
        return request & IOC_DIRMASK;
    }
}
