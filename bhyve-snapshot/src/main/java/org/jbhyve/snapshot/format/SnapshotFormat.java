package org.jbhyve.snapshot.format;

import java.nio.charset.StandardCharsets;

/** The numbers docs/snapshot-format.md fixes: magic, versions, sizes and alignments. */
public final class SnapshotFormat {
    private SnapshotFormat() {}

    /** The 8 bytes at offset 0: ASCII "JBHYVSNP". */
    public static final byte[] MAGIC = "JBHYVSNP".getBytes(StandardCharsets.US_ASCII);
    /** The format major version this build writes and the newest it reads. */
    public static final int MAJOR = 1;
    /** The format minor version this build writes. Newer minors (same major) are read. */
    public static final int MINOR = 0;
    /** The header length this build writes; readers accept any multiple of 8 in [64, 4096]. */
    public static final int HEADER_LENGTH = 64;
    public static final int MIN_HEADER_LENGTH = 64;
    public static final int MAX_HEADER_LENGTH = 4096;

    /** Guest pages: RAM region sizes and GPAs are multiples of this; zero pages of this size are holes. */
    public static final int PAGE_SIZE = 4096;
    /** RAM regions start at file offsets that are multiples of this; RAM CRCs cover blocks of this size. */
    public static final int BLOCK_SIZE = 2 << 20;
    /**
     * The CRC32C of {@link #BLOCK_SIZE} zero bytes: what {@code ram.crc} holds for a block the guest never
     * wrote. A constant, because computing it costs a cold restore milliseconds (SnapshotFormatTest checks it).
     */
    public static final int ZERO_BLOCK_CRC = 0x6cdf7abe;
    /** Chunk payloads and the manifest start at file offsets that are multiples of this. */
    public static final int CHUNK_ALIGNMENT = 8;

    /** Readers refuse manifests longer than this (a hostile length must not make them allocate). */
    public static final int MAX_MANIFEST_LENGTH = 64 << 20;
    /** Readers refuse chunks longer than this (chunks are read into memory; RAM is not a chunk). */
    public static final int MAX_CHUNK_LENGTH = Integer.MAX_VALUE - 64;

    /**
     * Readers refuse files whose chunks hold more than this together: chunks are read into memory, and a
     * sparse file can claim gigabytes of them in a few kilobytes of disk. RAM is not a chunk. jbhyve's
     * chunks of a 16-vCPU, 1 TiB guest hold a few MiB; the writer refuses to go past it either.
     */
    public static final long MAX_CHUNKS_TOTAL = 64L << 20;

    /** The container's own chunk: per-2-MiB-block CRC32C of every RAM region. */
    public static final String RAM_CRC_CHUNK = "ram.crc";
    public static final int RAM_CRC_VERSION = 1;
}
