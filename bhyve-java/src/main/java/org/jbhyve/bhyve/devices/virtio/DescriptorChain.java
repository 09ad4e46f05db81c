package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private GuestMemory memory;
    private int head;
    /** The queue's generation when the chain was taken (see {@link VirtQueue#generation()}). */
    long generation;
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

    /** Empties the chain for reuse by {@link VirtQueue#pop(long, DescriptorChain)}; keeps its arrays. */
    DescriptorChain reset(GuestMemory memory, int head, long generation) {
        this.memory = memory;
        this.head = head;
        this.generation = generation;
        count = 0;
        firstWritable = -1;
        readableBytes = writableBytes = 0;
        return this;
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
     * The guest address of bytes {@code [offset, offset + length)} of the readable (or writable)
     * stream when they lie in one buffer, else -1 (split over buffers).
     *
     * @throws IndexOutOfBoundsException if the range is not inside the stream
     */
    private long contiguous(boolean writable, long offset, int length) {
        checkRange(writable, offset, length);
        long skip = offset;
        for (int i = writable ? firstWritable : 0; i < count; i++) {
            long segLen = Integer.toUnsignedLong(lengths[i]);
            if (skip < segLen) return length <= segLen - skip ? addresses[i] + skip : -1;
            skip -= segLen;
        }
        return -1; // not reached: checkRange put the range inside the stream
    }

    private void checkRange(boolean writable, long offset, long length) {
        long total = writable ? writableBytes : readableBytes;
        if (offset < 0 || length < 0 || offset > total || length > total - offset) {
            throw new IndexOutOfBoundsException("bytes " + offset + "+" + length + " of a " + total + "-byte "
                    + (writable ? "writable" : "readable") + " stream");
        }
    }

    // Fixed-size fields of a request (a header, a status byte) are read and written in place when they
    // sit in one buffer, as they nearly always do; a driver may still split them anywhere, and then
    // they are gathered byte by byte. Guest and host are both little-endian (amd64), as GuestMemory's
    // reads assume.

    /** The 32-bit value at {@code offset} of the readable stream. */
    public int readInt(long offset) {
        long gpa = contiguous(false, offset, Integer.BYTES);
        return gpa >= 0 ? memory.readInt(gpa) : (int) gather(offset, Integer.BYTES);
    }

    /** The 64-bit value at {@code offset} of the readable stream. */
    public long readLong(long offset) {
        long gpa = contiguous(false, offset, Long.BYTES);
        return gpa >= 0 ? memory.readLong(gpa) : gather(offset, Long.BYTES);
    }

    /** A little-endian field of up to 8 bytes that the driver split over buffers, gathered byte by byte. */
    private long gather(long offset, int bytes) {
        byte[] b = new byte[Long.BYTES];
        read(offset, b, 0, bytes);
        return (long) LITTLE_ENDIAN_LONG.get(b, 0);
    }

    /** Writes one byte at {@code offset} of the writable stream (a single byte is never split). */
    public void writeByte(long offset, byte value) {
        memory.writeByte(contiguous(true, offset, 1), value);
    }

    /**
     * Visits the bytes {@code [offset, offset + length)} of the readable (or writable) stream as
     * guest memory pieces, in order.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the stream
     */
    public void forEach(boolean writable, long offset, long length, Piece piece) throws IOException {
        checkRange(writable, offset, length);
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
                MemorySegment.copy(memory.readSlice(gpa, n), 0, dst, at[0], n);
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
                memory.write(gpa, src, at[0], n);
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
