package org.jbhyve.snapshot.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The fixed header at file offset 0 (docs/snapshot-format.md, "Header"), all integers little-endian:
 *
 * <pre>
 *  0  8  magic "JBHYVSNP"
 *  8  2  format major (u16)        -- bytes 0..15 keep this layout in every format version
 * 10  2  format minor (u16)
 * 12  4  header length (u32)       -- 64 in 1.0; a multiple of 8 in [64, 4096]
 * 16  8  manifest offset (u64)
 * 24  8  manifest length (u64)
 * 32  4  manifest CRC32C (u32)
 * 36  4  flags (u32, 0; readers of 1.x ignore it)
 * 40 16  snapshot id (UUID, big-endian: the 16 bytes of its canonical hex form)
 * 56  4  reserved (0)
 * 60  4  header CRC32C over bytes [0, header length - 4)  -- always the last 4 bytes of the header
 * </pre>
 */
public record SnapshotHeader(int major, int minor, int headerLength, long manifestOffset, long manifestLength,
                             int manifestCrc32c, int flags, UUID snapshotId, int headerCrc32c) {

    static final int OFF_MAJOR = 8, OFF_MINOR = 10, OFF_HEADER_LENGTH = 12, OFF_MANIFEST_OFFSET = 16,
            OFF_MANIFEST_LENGTH = 24, OFF_MANIFEST_CRC = 32, OFF_FLAGS = 36, OFF_ID = 40;

    /** A 1.0 header for a manifest at {@code manifestOffset}; its own CRC is computed by {@link #encode()}. */
    static SnapshotHeader of(long manifestOffset, long manifestLength, int manifestCrc, UUID id) {
        return new SnapshotHeader(SnapshotFormat.MAJOR, SnapshotFormat.MINOR, SnapshotFormat.HEADER_LENGTH,
                manifestOffset, manifestLength, manifestCrc, 0, id, 0);
    }

    /** The header bytes ({@link #headerLength} of them), ending with the header CRC. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(headerLength).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SnapshotFormat.MAGIC);
        b.putShort(OFF_MAJOR, (short) major);
        b.putShort(OFF_MINOR, (short) minor);
        b.putInt(OFF_HEADER_LENGTH, headerLength);
        b.putLong(OFF_MANIFEST_OFFSET, manifestOffset);
        b.putLong(OFF_MANIFEST_LENGTH, manifestLength);
        b.putInt(OFF_MANIFEST_CRC, manifestCrc32c);
        b.putInt(OFF_FLAGS, flags);
        b.order(ByteOrder.BIG_ENDIAN);
        b.putLong(OFF_ID, snapshotId.getMostSignificantBits());
        b.putLong(OFF_ID + 8, snapshotId.getLeastSignificantBits());
        b.order(ByteOrder.LITTLE_ENDIAN);
        byte[] out = b.array();
        b.putInt(headerLength - 4, crc(out, headerLength - 4));
        return out;
    }

    /** Decodes a header whose magic, length and CRC the caller has already checked. */
    static SnapshotHeader decode(byte[] h) {
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = b.getInt(OFF_HEADER_LENGTH);
        long msb = b.order(ByteOrder.BIG_ENDIAN).getLong(OFF_ID);
        long lsb = b.getLong(OFF_ID + 8);
        b.order(ByteOrder.LITTLE_ENDIAN);
        return new SnapshotHeader(b.getShort(OFF_MAJOR) & 0xffff, b.getShort(OFF_MINOR) & 0xffff, headerLength,
                b.getLong(OFF_MANIFEST_OFFSET), b.getLong(OFF_MANIFEST_LENGTH), b.getInt(OFF_MANIFEST_CRC),
                b.getInt(OFF_FLAGS), new UUID(msb, lsb), b.getInt(headerLength - 4));
    }

    static int crc(byte[] bytes, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, length);
        return (int) c.getValue();
    }

    static String hex32(int v) {
        return String.format("0x%08x", v);
    }
}
