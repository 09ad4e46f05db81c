package org.jbhyve.snapshot.nv;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Packs an {@link NvList} into libnv's wire format, byte for byte what FreeBSD 13+'s
 * {@code nvlist_pack}/{@code nvlist_send} write on amd64.
 *
 * <p>Layout (shared/reference/freebsd-bhyve.md 1c, shared/vectors/libnv/FORMAT.txt):
 * <ul>
 * <li>every list, nested lists and nvlist-array elements included, starts with a 19-byte header
 *     whose {@code nvlh_size} counts the bytes from the end of that header <em>to the end of the
 *     whole buffer</em>, and whose {@code nvlh_descriptors} counts the descriptors from that header
 *     to the end of the packing traversal (so a nested header also counts descriptors that come
 *     later in enclosing lists);</li>
 * <li>each pair is a 19-byte header (type, namesize, datasize, nitems), the name with its NUL,
 *     then the data;</li>
 * <li>a nested list follows its pair header directly and ends with an NVLIST_UP marker; its
 *     {@code datasize} is the child's own packed size (header and pairs, without its closing UP),
 *     as FreeBSD 13 and later write it;</li>
 * <li>an nvlist array has datasize 0 and nitems = count, and each element is followed by an
 *     NVLIST_ARRAY_NEXT marker;</li>
 * <li>a descriptor is packed as its index in packing order (0, 1, 2, ...), and the descriptors
 *     themselves are returned in that order for {@code SCM_RIGHTS}.</li>
 * </ul>
 * Multi-byte fields are little-endian unless a big-endian packing is asked for, in which case every
 * header carries the private flag 0x80 as a big-endian libnv host would write it.
 */
public final class NvPacker {
    private NvPacker() {}

    /**
     * A packed list.
     *
     * @param bytes       the packed buffer
     * @param descriptors the descriptor values of the list in packing order; the buffer holds their
     *                    indexes into this array
     */
    public record Packed(byte[] bytes, int[] descriptors) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Packed p && Arrays.equals(p.bytes, bytes) && Arrays.equals(p.descriptors, descriptors);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(bytes) + Arrays.hashCode(descriptors);
        }

        @Override
        public String toString() {
            return "Packed[" + bytes.length + " bytes, descriptors " + Arrays.toString(descriptors) + "]";
        }
    }

    /** Packs little-endian (what FreeBSD on amd64 and arm64 writes). */
    public static Packed pack(NvList list) {
        return pack(list, ByteOrder.LITTLE_ENDIAN);
    }

    /** Packs in the given byte order; big-endian sets NV_FLAG_BIG_ENDIAN (0x80) in every header. */
    public static Packed pack(NvList list, ByteOrder order) {
        long size = packedSize(list);
        if (size > Integer.MAX_VALUE - 16) {
            throw new NvException(NvException.Code.EMSGSIZE, "nvlist packs to " + size + " bytes, more than a Java array holds");
        }
        int[] fds = list.descriptors();
        Writer w = new Writer(ByteBuffer.allocate((int) size).order(order), fds.length,
                order == ByteOrder.BIG_ENDIAN ? Wire.FLAG_BIG_ENDIAN : 0);
        try {
            w.list(list);
        } catch (BufferOverflowException e) {
            throw new IllegalStateException("packed size computed wrongly for " + size + " bytes", e);
        }
        if (w.buf.hasRemaining() || w.nextFd != fds.length) {
            throw new IllegalStateException("packed " + w.buf.position() + " of " + size + " bytes");
        }
        return new Packed(w.buf.array(), fds);
    }

    /**
     * {@code nvlist_pack}: the packed bytes of a list that holds no descriptors. A list with
     * descriptors cannot be packed this way ({@code EOPNOTSUPP}), since the receiver could not get
     * them; send it with the ipc package instead.
     */
    public static byte[] packWithoutDescriptors(NvList list) {
        Packed p = pack(list);
        if (p.descriptors().length > 0) {
            throw new NvException(NvException.Code.EOPNOTSUPP, "nvlist holds " + p.descriptors().length
                    + " descriptors; only nvlist_send can carry them, not nvlist_pack");
        }
        return p.bytes();
    }

    /** The number of bytes {@link #pack} produces ({@code nvlist_size}). */
    public static long packedSize(NvList list) {
        long cached = list.cachedPackedSize();
        if (cached >= 0) return cached;
        long size = Wire.HEADER_SIZE;
        for (NvPair p : list) size += pairSize(p);
        list.cachePackedSize(size);
        return size;
    }

    private static long pairSize(NvPair p) {
        long size = Wire.PAIR_HEADER_SIZE + p.rawName().length + 1;
        return switch (p.type()) {
            case NVLIST -> size + packedSize((NvList) p.rawValue()) + Wire.MARKER_SIZE;
            case NVLIST_ARRAY -> {
                for (NvList e : (NvList[]) p.rawValue()) size += packedSize(e) + Wire.MARKER_SIZE;
                yield size;
            }
            default -> size + dataSize(p);
        };
    }

    /** {@code nvph_datasize} of a pair. */
    static long dataSize(NvPair p) {
        Object v = p.rawValue();
        return switch (p.type()) {
            case NULL -> 0;
            case BOOL -> 1;
            case NUMBER, DESCRIPTOR -> 8;
            case STRING -> ((byte[]) v).length + 1L;
            case BINARY, BOOL_ARRAY -> ((byte[]) v).length;
            case NUMBER_ARRAY -> 8L * ((long[]) v).length;
            case DESCRIPTOR_ARRAY -> 8L * ((int[]) v).length;
            case STRING_ARRAY -> {
                long n = 0;
                for (byte[] s : (byte[][]) v) n += s.length + 1L;
                yield n;
            }
            case NVLIST -> packedSize((NvList) v);
            case NVLIST_ARRAY -> 0;
        };
    }

    private static final class Writer {
        final ByteBuffer buf;
        final int totalFds;
        final int extraFlags;
        int nextFd;

        Writer(ByteBuffer buf, int totalFds, int extraFlags) {
            this.buf = buf;
            this.totalFds = totalFds;
            this.extraFlags = extraFlags;
        }

        void list(NvList list) {
            buf.put((byte) Wire.MAGIC).put((byte) Wire.VERSION).put((byte) (list.flags() | extraFlags));
            buf.putLong(totalFds - nextFd);
            buf.putLong(buf.capacity() - (buf.position() + 8L));
            for (NvPair p : list) pair(p);
        }

        void pair(NvPair p) {
            byte[] name = p.rawName();
            buf.put((byte) p.type().code()).putShort((short) (name.length + 1));
            buf.putLong(dataSize(p)).putLong(p.nitems());
            buf.put(name).put((byte) 0);
            Object v = p.rawValue();
            switch (p.type()) {
                case NULL -> { }
                case BOOL -> buf.put((byte) ((Boolean) v ? 1 : 0));
                case NUMBER -> buf.putLong((Long) v);
                case STRING -> buf.put((byte[]) v).put((byte) 0);
                case BINARY, BOOL_ARRAY -> buf.put((byte[]) v);
                case NUMBER_ARRAY -> {
                    for (long n : (long[]) v) buf.putLong(n);
                }
                case STRING_ARRAY -> {
                    for (byte[] s : (byte[][]) v) buf.put(s).put((byte) 0);
                }
                case DESCRIPTOR -> buf.putLong(nextFd++);
                case DESCRIPTOR_ARRAY -> {
                    for (int ignored : (int[]) v) buf.putLong(nextFd++);
                }
                case NVLIST -> {
                    list((NvList) v);
                    marker(Wire.TYPE_NVLIST_UP);
                }
                case NVLIST_ARRAY -> {
                    for (NvList e : (NvList[]) v) {
                        list(e);
                        marker(Wire.TYPE_NVLIST_ARRAY_NEXT);
                    }
                }
            }
        }

        void marker(int type) {
            buf.put((byte) type).putShort((short) 1).putLong(0).putLong(0).put((byte) 0);
        }
    }
}
