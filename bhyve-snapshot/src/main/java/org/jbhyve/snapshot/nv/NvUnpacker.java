package org.jbhyve.snapshot.nv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Unpacks libnv's wire format with the checks FreeBSD's {@code nvlist_xunpack} makes, and never
 * more trust in the input than the input can back: every length is checked against the bytes that
 * are left before anything is allocated for it, so a hostile {@code datasize} of 2^60 fails at once.
 *
 * <h2>Checks (as libnv)</h2>
 * <ul>
 * <li>Each list header: at least 19 bytes left; magic 0x6c (the version byte is not checked); no flag
 *     bits besides IGNORE_CASE, NO_UNIQUE and BIG_ENDIAN; {@code nvlh_size} equal to the bytes left
 *     after the header (for nested headers too); {@code nvlh_descriptors} not above the number of
 *     descriptors received. The top-level list's public flags must equal {@code expectedFlags}
 *     ({@code EILSEQ} otherwise).</li>
 * <li>Each pair header: type 1..12, 254 or 255; namesize 1..2048 with exactly one NUL, at its end;
 *     {@code datasize} not above the bytes left.</li>
 * <li>null: datasize 0. bool: datasize 1, value 0 or 1. number and descriptor: datasize 8.
 *     string: datasize = strnlen + 1. binary: datasize &gt; 0. descriptor: index 0 ≤ i &lt; fds.length.
 *     bool, number and descriptor arrays: nitems &gt; 0 and datasize = nitems × element size (bool
 *     array elements are not range-checked). string array: nitems &gt; 0, datasize &gt; 0, exactly
 *     nitems NUL-terminated strings filling datasize. nested list: datasize &gt; 0 (it is otherwise
 *     not a reliable length and is ignored). nvlist array: nitems &gt; 0 and 19 × nitems not above
 *     the bytes left.</li>
 * <li>Names are unique within a list unless it is NO_UNIQUE ({@code EEXIST}), compared ignoring ASCII
 *     case in IGNORE_CASE lists.</li>
 * <li>An NVLIST_UP marker leaves a nested list (one at the top level is an error); an
 *     NVLIST_ARRAY_NEXT marker moves to the next array element, or, after the last element or in a
 *     plain nested list, leaves the list. Markers' names and datasizes are not checked, and their
 *     data is not skipped. Unpacking stops at the end of the buffer: a missing final UP is accepted,
 *     and array elements never reached are empty lists with flags 0.</li>
 * </ul>
 *
 * <h2>Differences from libnv (deliberate)</h2>
 * <ul>
 * <li>Nesting deeper than {@link NvList#MAX_DEPTH} is refused (libnv has no limit).</li>
 * <li>The last string of a string array must end in NUL: libnv lets the final byte of the data stand
 *     in for the NUL without looking at it and then reads past the data.</li>
 * <li>In big-endian input {@code nitems} is byte-swapped like the other fields; libnv forgets to swap
 *     it, and so rejects every array a big-endian host sends.</li>
 * </ul>
 *
 * <p>Every rejection is an {@link NvException} carrying the libnv errno name, the offset in the
 * buffer and the reason. The result is read-only.
 */
public final class NvUnpacker {
    private NvUnpacker() {}

    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final int[] NO_FDS = new int[0];

    /** {@code nvlist_unpack}: no descriptors, so a list that refers to any is rejected. */
    public static NvList unpack(byte[] data, int expectedFlags) {
        return unpack(data, expectedFlags, NO_FDS);
    }

    /**
     * {@code nvlist_xunpack} as {@code nvlist_recv} calls it.
     *
     * @param data          the packed list
     * @param expectedFlags the public flags the top-level list must have (bhyve uses 0)
     * @param fds           the descriptors received with the message; a descriptor pair with index
     *                      {@code i} gets the value {@code fds[i]}. May be null (none).
     */
    public static NvList unpack(byte[] data, int expectedFlags, int[] fds) {
        if ((expectedFlags & ~Wire.FLAG_PUBLIC_MASK) != 0) {
            throw new IllegalArgumentException("expected flags 0x" + Integer.toHexString(expectedFlags)
                    + " are not a combination of IGNORE_CASE (0x1) and NO_UNIQUE (0x2)");
        }
        return new Reader(data, fds == null ? NO_FDS : fds).run(expectedFlags);
    }

    /** The list being filled, where it sits in the tree, and how deep. */
    private record Frame(NvList list, Frame parent, NvList[] array, int index, int depth) {
        boolean hasNextElement() {
            return array != null && index + 1 < array.length;
        }
    }

    /** A parsed pair header. */
    private record PairHeader(int start, int type, byte[] name, long datasize, long nitems) {}

    private static final class Reader {
        final byte[] buf;
        final int[] fds;
        int pos;
        boolean bigEndian;

        Reader(byte[] buf, int[] fds) {
            this.buf = buf;
            this.fds = fds;
        }

        int left() {
            return buf.length - pos;
        }

        NvList run(int expectedFlags) {
            int topFlags = header(true);
            if (topFlags != expectedFlags) {
                throw new NvException(NvException.Code.EILSEQ, 2, "nvlist flags 0x" + Integer.toHexString(topFlags)
                        + " differ from the expected 0x" + Integer.toHexString(expectedFlags));
            }
            NvList top = new NvList(topFlags);
            Frame cur = new Frame(top, null, null, 0, 0);
            while (left() > 0) {
                PairHeader h = pairHeader();
                switch (h.type) {
                    case Wire.TYPE_NVLIST_UP -> {
                        if (cur.parent == null) {
                            throw NvException.malformed(h.start, "NVLIST_UP marker in the top-level list");
                        }
                        cur = cur.parent;
                    }
                    case Wire.TYPE_NVLIST_ARRAY_NEXT -> {
                        if (cur.hasNextElement()) {
                            int i = cur.index + 1;
                            NvList element = new NvList(header(true));
                            cur.array[i] = element;
                            cur = new Frame(element, cur.parent, cur.array, i, cur.depth);
                        } else if (cur.parent == null) {
                            throw NvException.malformed(h.start, "NVLIST_ARRAY_NEXT marker in the top-level list");
                        } else {
                            cur = cur.parent;
                        }
                    }
                    default -> cur = value(cur, h);
                }
            }
            fillUnreached(top);
            top.freezeTree();
            return top;
        }

        /** Decodes the value of a real pair, appends it, and returns the frame to continue in. */
        private Frame value(Frame cur, PairHeader h) {
            NvType type = NvType.fromCode(h.type);
            long ds = h.datasize;
            int dataStart = pos;
            Object value;
            Frame next = cur;
            switch (type) {
                case NULL -> {
                    if (ds != 0) throw bad(h, "null pair with datasize " + Long.toUnsignedString(ds) + " (must be 0)");
                    value = null;
                }
                case BOOL -> {
                    if (ds != 1) throw bad(h, "bool pair with datasize " + Long.toUnsignedString(ds) + " (must be 1)");
                    int b = buf[pos] & 0xff;
                    if (b > 1) throw NvException.malformed(pos, "bool value " + b + " is neither 0 nor 1 (pair " + q(h) + ")");
                    pos++;
                    value = b == 1;
                }
                case NUMBER -> {
                    if (ds != 8) throw bad(h, "number pair with datasize " + Long.toUnsignedString(ds) + " (must be 8)");
                    value = u64(pos);
                    pos += 8;
                }
                case STRING -> {
                    if (ds == 0) throw bad(h, "string pair with datasize 0");
                    int n = (int) ds;
                    int nul = strnlen(pos, n);
                    if (nul != n - 1) {
                        throw NvException.malformed(pos, "string of datasize " + n + (nul == n
                                ? " has no terminating NUL" : " has a NUL at byte " + nul) + " (pair " + q(h) + ")");
                    }
                    value = Arrays.copyOfRange(buf, pos, pos + n - 1);
                    pos += n;
                }
                case BINARY -> {
                    if (ds == 0) throw bad(h, "binary pair with datasize 0");
                    value = Arrays.copyOfRange(buf, pos, pos + (int) ds);
                    pos += (int) ds;
                }
                case DESCRIPTOR -> {
                    if (ds != 8) throw bad(h, "descriptor pair with datasize " + Long.toUnsignedString(ds) + " (must be 8)");
                    value = fd(pos, h);
                    pos += 8;
                }
                case BOOL_ARRAY -> {
                    checkArray(h, 1);
                    value = Arrays.copyOfRange(buf, pos, pos + (int) ds);
                    pos += (int) ds;
                }
                case NUMBER_ARRAY -> {
                    int n = checkArray(h, 8);
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++, pos += 8) a[i] = u64(pos);
                    value = a;
                }
                case DESCRIPTOR_ARRAY -> {
                    int n = checkArray(h, 8);
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++, pos += 8) a[i] = fd(pos, h);
                    value = a;
                }
                case STRING_ARRAY -> value = stringArray(h);
                case NVLIST -> {
                    if (ds == 0) throw bad(h, "nvlist pair with datasize 0");
                    nest(cur, h);
                    NvList child = new NvList(header(false));
                    value = child;
                    next = new Frame(child, cur, null, 0, cur.depth + 1);
                }
                case NVLIST_ARRAY -> {
                    long n = h.nitems;
                    if (n == 0) throw bad(h, "nvlist array with nitems 0");
                    if (Long.compareUnsigned(n, left() / Wire.PAIR_HEADER_SIZE) > 0) {
                        throw bad(h, "nvlist array of " + Long.toUnsignedString(n) + " elements cannot fit in the "
                                + left() + " bytes left");
                    }
                    nest(cur, h);
                    NvList[] elements = new NvList[(int) n];
                    NvList first = new NvList(header(true));
                    elements[0] = first;
                    value = elements;
                    next = new Frame(first, cur, elements, 0, cur.depth + 1);
                }
                default -> throw new AssertionError(type);
            }
            try {
                cur.list.append(new NvPair(h.name, type, value));
            } catch (NvException e) {
                throw new NvException(e.code(), h.start, e.reason());
            }
            assert type == NvType.NVLIST || type == NvType.NVLIST_ARRAY || pos - dataStart == ds;
            return next;
        }

        private void nest(Frame cur, PairHeader h) {
            if (cur.depth + 1 > NvList.MAX_DEPTH) {
                throw bad(h, "lists nested deeper than " + NvList.MAX_DEPTH + " levels");
            }
        }

        /** Checks an array of fixed-size elements; returns nitems. */
        private int checkArray(PairHeader h, int elementSize) {
            long n = h.nitems;
            String what = NvType.fromCode(h.type).label();
            if (n == 0) throw bad(h, what + " with nitems 0");
            // datasize <= left was checked, so a datasize equal to n * size bounds n.
            if (Long.compareUnsigned(n, h.datasize / elementSize) > 0 || n * elementSize != h.datasize) {
                throw bad(h, what + " of " + Long.toUnsignedString(n) + " items has datasize "
                        + Long.toUnsignedString(h.datasize) + " (must be " + elementSize + " per item)");
            }
            return (int) n;
        }

        private byte[][] stringArray(PairHeader h) {
            long ds = h.datasize;
            long n = h.nitems;
            if (ds == 0 || n == 0) throw bad(h, "string_array with datasize " + ds + " and nitems " + Long.toUnsignedString(n));
            // each string takes at least its NUL, so more items than bytes cannot fit
            if (Long.compareUnsigned(n, ds) > 0) {
                throw bad(h, "string_array of " + Long.toUnsignedString(n) + " strings in " + ds + " bytes");
            }
            int end = pos + (int) ds;
            byte[][] a = new byte[(int) n][];
            for (int i = 0; i < a.length; i++) {
                int len = strnlen(pos, end - pos);
                if (len == end - pos) {
                    throw NvException.malformed(pos, "string " + i + " of string_array " + q(h)
                            + " has no terminating NUL within the pair's datasize");
                }
                a[i] = Arrays.copyOfRange(buf, pos, pos + len);
                pos += len + 1;
            }
            if (pos != end) {
                throw NvException.malformed(pos, "string_array " + q(h) + " has " + (end - pos)
                        + " bytes after its " + n + " strings");
            }
            return a;
        }

        private int fd(int at, PairHeader h) {
            long idx = u64(at);
            if (idx < 0) throw NvException.malformed(at, "negative descriptor index " + idx + " (pair " + q(h) + ")");
            if (idx >= fds.length) {
                throw NvException.malformed(at, "descriptor index " + idx + " but " + fds.length
                        + " descriptors were received (pair " + q(h) + ")");
            }
            return fds[(int) idx];
        }

        /**
         * Reads a list header at pos and returns its public flags. {@code switchOrder}: whether the
         * header's BIG_ENDIAN flag sets the byte order of the pairs that follow (libnv does so for the
         * top-level list and nvlist-array elements, not for nested lists).
         */
        private int header(boolean switchOrder) {
            int start = pos;
            if (left() < Wire.HEADER_SIZE) {
                throw NvException.malformed(start, "truncated nvlist header: " + left() + " of "
                        + Wire.HEADER_SIZE + " bytes");
            }
            int magic = buf[start] & 0xff;
            if (magic != Wire.MAGIC) {
                throw NvException.malformed(start, "bad nvlist magic 0x" + Integer.toHexString(magic)
                        + " (expected 0x" + Integer.toHexString(Wire.MAGIC) + ")");
            }
            int flags = buf[start + 2] & 0xff;
            if ((flags & ~Wire.FLAG_ALL_MASK) != 0) {
                throw NvException.malformed(start + 2, "unknown nvlist flag bits 0x"
                        + Integer.toHexString(flags & ~Wire.FLAG_ALL_MASK));
            }
            boolean be = (flags & Wire.FLAG_BIG_ENDIAN) != 0;
            long descriptors = (long) (be ? BE64 : LE64).get(buf, start + 3);
            long size = (long) (be ? BE64 : LE64).get(buf, start + 11);
            long after = left() - Wire.HEADER_SIZE;
            if (size != after) {
                throw NvException.malformed(start + 11, "nvlh_size " + Long.toUnsignedString(size) + " but "
                        + after + " bytes follow the header (it counts to the end of the whole buffer)");
            }
            if (Long.compareUnsigned(descriptors, fds.length) > 0) {
                throw NvException.malformed(start + 3, "header announces " + Long.toUnsignedString(descriptors)
                        + " descriptors but " + fds.length + " were received");
            }
            if (switchOrder) bigEndian = be;
            pos += Wire.HEADER_SIZE;
            return flags & Wire.FLAG_PUBLIC_MASK;
        }

        private PairHeader pairHeader() {
            int start = pos;
            if (left() < Wire.PAIR_HEADER_SIZE) {
                throw NvException.malformed(start, "truncated pair header: " + left() + " of "
                        + Wire.PAIR_HEADER_SIZE + " bytes");
            }
            int type = buf[start] & 0xff;
            if (NvType.fromCode(type) == null && type != Wire.TYPE_NVLIST_UP && type != Wire.TYPE_NVLIST_ARRAY_NEXT) {
                throw NvException.malformed(start, "unknown pair type " + type);
            }
            int namesize = (short) (bigEndian ? BE16 : LE16).get(buf, start + 1) & 0xffff;
            long datasize = (long) (bigEndian ? BE64 : LE64).get(buf, start + 3);
            long nitems = (long) (bigEndian ? BE64 : LE64).get(buf, start + 11);
            pos += Wire.PAIR_HEADER_SIZE;
            if (namesize > Wire.NAME_MAX) {
                throw NvException.malformed(start + 1, "name size " + namesize + " exceeds NV_NAME_MAX (" + Wire.NAME_MAX + ")");
            }
            if (left() < namesize) {
                throw NvException.malformed(start + 1, "name of " + namesize + " bytes but " + left() + " bytes are left");
            }
            if (namesize < 1) throw NvException.malformed(start + 1, "name size 0 (a name holds at least its NUL)");
            int len = strnlen(pos, namesize);
            if (len != namesize - 1) {
                throw NvException.malformed(pos, "name of size " + namesize + (len == namesize
                        ? " has no terminating NUL" : " has a NUL at byte " + len));
            }
            byte[] name = Arrays.copyOfRange(buf, pos, pos + len);
            pos += namesize;
            if (Long.compareUnsigned(datasize, left()) > 0) {
                throw NvException.malformed(start + 3, "datasize " + Long.toUnsignedString(datasize) + " of pair "
                        + NvFormatter.quote(name) + " but " + left() + " bytes are left");
            }
            return new PairHeader(start, type, name, datasize, nitems);
        }

        private int strnlen(int from, int max) {
            for (int i = 0; i < max; i++) if (buf[from + i] == 0) return i;
            return max;
        }

        private long u64(int at) {
            return (long) (bigEndian ? BE64 : LE64).get(buf, at);
        }

        private static String q(PairHeader h) {
            return NvFormatter.quote(h.name);
        }

        private static NvException bad(PairHeader h, String reason) {
            return NvException.malformed(h.start, reason + " (pair " + q(h) + ")");
        }

        /** Array elements the buffer never reached stay empty lists, as in libnv. */
        private static void fillUnreached(NvList list) {
            for (NvPair p : list) {
                if (p.type() == NvType.NVLIST) {
                    fillUnreached((NvList) p.rawValue());
                } else if (p.type() == NvType.NVLIST_ARRAY) {
                    NvList[] a = (NvList[]) p.rawValue();
                    for (int i = 0; i < a.length; i++) {
                        if (a[i] == null) a[i] = new NvList();
                        else fillUnreached(a[i]);
                    }
                }
            }
        }
    }
}
