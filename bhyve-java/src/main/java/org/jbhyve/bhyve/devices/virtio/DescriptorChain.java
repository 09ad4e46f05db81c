package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.jbhyve.vmm.GuestMemory;

/**
 * One request taken off a virtqueue: the buffers of a descriptor chain (indirect tables already
 * unrolled), every one checked to lie in guest RAM, the device-readable ones first, then the
 * device-writable ones. A device sees them as two byte streams, "readable" and "writable", and
 * never needs to know how the driver cut them into descriptors (so VIRTIO_F_ANY_LAYOUT and the
 * legacy layouts are the same thing here).
 *
 * <p>The device writes only into the writable stream: there is no way to write into a buffer the
 * driver marked device-readable.
 */
public final class DescriptorChain {
    /** Receives one piece of a byte range: guest-physical address and length. */
    @FunctionalInterface
    public interface Piece {
        void accept(long gpa, int length) throws IOException;
    }

    private final GuestMemory memory;
    private final int head;
    final long generation;
    private long[] addresses = new long[4];
    private int[] lengths = new int[4];
    private int count;
    /** Index of the first writable segment (== count while all are readable). */
    private int firstWritable = -1;
    private long readableBytes;
    private long writableBytes;

    DescriptorChain(GuestMemory memory, int head, long generation) {
        this.memory = memory;
        this.head = head;
        this.generation = generation;
    }

    /** Appends a segment; the caller validated it (RAM, order). */
    void add(long gpa, int length, boolean writable) {
        if (count == addresses.length) {
            addresses = Arrays.copyOf(addresses, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        if (writable && firstWritable < 0) firstWritable = count;
        addresses[count] = gpa;
        lengths[count] = length;
        count++;
        if (writable) writableBytes += Integer.toUnsignedLong(length);
        else readableBytes += Integer.toUnsignedLong(length);
    }

    boolean hasWritable() {
        return firstWritable >= 0;
    }

    /** The head descriptor index: what goes into the used ring. */
    public int head() {
        return head;
    }

    /** Buffers in the chain (real descriptors; indirect table descriptors are not counted). */
    public int segments() {
        return count;
    }

    public long readableBytes() {
        return readableBytes;
    }

    public long writableBytes() {
        return writableBytes;
    }

    public GuestMemory memory() {
        return memory;
    }

    /**
     * Visits the bytes {@code [offset, offset + length)} of the readable (or writable) stream as
     * guest memory pieces, in order.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the stream
     */
    public void forEach(boolean writable, long offset, long length, Piece piece) throws IOException {
        long total = writable ? writableBytes : readableBytes;
        if (offset < 0 || length < 0 || offset + length > total) {
            throw new IndexOutOfBoundsException("bytes " + offset + "+" + length + " of a " + total + "-byte "
                    + (writable ? "writable" : "readable") + " stream");
        }
        int from = writable ? firstWritable : 0;
        int to = writable ? count : (firstWritable < 0 ? count : firstWritable);
        long skip = offset;
        long left = length;
        for (int i = from; i < to && left > 0; i++) {
            long segLen = Integer.toUnsignedLong(lengths[i]);
            if (skip >= segLen) {
                skip -= segLen;
                continue;
            }
            long n = Math.min(segLen - skip, left);
            piece.accept(addresses[i] + skip, (int) n);
            left -= n;
            skip = 0;
        }
    }

    /** Copies {@code length} bytes of the readable stream, starting at {@code offset}, into {@code dst}. */
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        int[] at = {dstOffset};
        try {
            forEach(false, offset, length, (gpa, n) -> {
                memory.read(gpa, dst, at[0], n);
                at[0] += n;
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Copies {@code length} bytes from {@code src} into the writable stream at {@code offset}. */
    public void write(long offset, byte[] src, int srcOffset, int length) {
        int[] at = {srcOffset};
        try {
            forEach(true, offset, length, (gpa, n) -> {
                memory.write(gpa, src, at[0], n);
                at[0] += n;
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Copies {@code dst.byteSize()} bytes of the readable stream, starting at {@code offset}, into {@code dst}. */
    public void copyOut(long offset, MemorySegment dst) {
        long[] at = {0};
        try {
            forEach(false, offset, dst.byteSize(), (gpa, n) -> {
                MemorySegment.copy(memory.slice(gpa, n), 0, dst, at[0], n);
                at[0] += n;
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Copies all of {@code src} into the writable stream at {@code offset}. */
    public void copyIn(long offset, MemorySegment src) {
        long[] at = {0};
        try {
            forEach(true, offset, src.byteSize(), (gpa, n) -> {
                MemorySegment.copy(src, at[0], memory.slice(gpa, n), 0, n);
                at[0] += n;
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Fills {@code length} bytes of the writable stream at {@code offset} with zeros. */
    public void zero(long offset, long length) {
        try {
            forEach(true, offset, length, (gpa, n) -> memory.fill(gpa, n, (byte) 0));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "chain head " + head + ": " + count + " buffers, " + readableBytes + " readable, " + writableBytes
                + " writable bytes";
    }
}
