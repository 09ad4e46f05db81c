package org.jbhyve.snapshot.nv;

/**
 * Facts of libnv's packed format shared by the packer and the unpacker
 * (shared/reference/freebsd-bhyve.md 1c, shared/vectors/libnv/FORMAT.txt).
 */
final class Wire {
    private Wire() {}

    /** {@code struct nvlist_header}: u8 magic, u8 version, u8 flags, u64 descriptors, u64 size. */
    static final int HEADER_SIZE = 19;
    /** {@code struct nvpair_header}: u8 type, u16 namesize, u64 datasize, u64 nitems. */
    static final int PAIR_HEADER_SIZE = 19;
    /** An NVLIST_UP or NVLIST_ARRAY_NEXT marker: a pair header and the empty name (one NUL). */
    static final int MARKER_SIZE = PAIR_HEADER_SIZE + 1;

    static final int MAGIC = 0x6c;
    static final int VERSION = 0;

    /** Private flag: the multi-byte fields that follow are big-endian. */
    static final int FLAG_BIG_ENDIAN = 0x80;
    /** {@code NV_FLAG_IGNORE_CASE | NV_FLAG_NO_UNIQUE}. */
    static final int FLAG_PUBLIC_MASK = 0x03;
    /**
     * Flag bits a header may carry: public, big-endian, and the in-array flag 0x100, which does not
     * fit in the u8 and so never appears on the wire.
     */
    static final int FLAG_ALL_MASK = FLAG_PUBLIC_MASK | FLAG_BIG_ENDIAN | 0x100;

    static final int TYPE_NVLIST_ARRAY_NEXT = 254;
    static final int TYPE_NVLIST_UP = 255;

    /** {@code NV_NAME_MAX}: the largest namesize, NUL included. */
    static final int NAME_MAX = 2048;
}
