package org.jbhyve.vmm.x86;

import org.jbhyve.vmm.GuestMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Guest RAM by physical address, for the page walker (paging structures) and for the RAM side of
 * string and stack instructions. Addresses that are not RAM go to {@link MmioAccess} instead; the
 * emulator asks {@link #isRam} before every access and never calls the other methods outside RAM.
 */
public interface GuestMemoryAccess {
    /** True when all of {@code [gpa, gpa+length)} is RAM. */
    boolean isRam(long gpa, long length);

    /** Reads {@code size} (1, 2, 4 or 8) bytes, little-endian, zero-extended. */
    long read(long gpa, int size);

    /** Writes the low {@code size} (1, 2, 4 or 8) bytes of {@code value}. */
    void write(long gpa, int size, long value);

    /**
     * Atomically replaces the naturally aligned {@code size}-byte (4 or 8) value at {@code gpa} with
     * {@code update} if it equals {@code expected}; the page walker sets accessed and dirty bits this
     * way so that it never undoes a concurrent change by the guest.
     */
    boolean compareAndSet(long gpa, int size, long expected, long update);

    /** Guest RAM of a VM. */
    static GuestMemoryAccess of(GuestMemory memory) {
        return new GuestMemoryAccess() {
            private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
            private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

            @Override
            public boolean isRam(long gpa, long length) {
                return memory.isRam(gpa, length);
            }

            @Override
            public long read(long gpa, int size) {
                return switch (size) {
                    case 1 -> memory.readByte(gpa) & 0xffL;
                    case 2 -> memory.readShort(gpa) & 0xffffL;
                    case 4 -> memory.readInt(gpa) & 0xffff_ffffL;
                    case 8 -> memory.readLong(gpa);
                    default -> throw new IllegalArgumentException("access size " + size);
                };
            }

            @Override
            public void write(long gpa, int size, long value) {
                switch (size) {
                    case 1 -> memory.writeByte(gpa, (byte) value);
                    case 2 -> memory.writeShort(gpa, (short) value);
                    case 4 -> memory.writeInt(gpa, (int) value);
                    case 8 -> memory.writeLong(gpa, value);
                    default -> throw new IllegalArgumentException("access size " + size);
                }
            }

            @Override
            public boolean compareAndSet(long gpa, int size, long expected, long update) {
                if ((gpa & (size - 1)) != 0) throw new IllegalArgumentException("unaligned compare-and-set at 0x"
                        + Long.toHexString(gpa));
                MemorySegment s = memory.slice(gpa, size);
                boolean swapped = switch (size) {
                    case 4 -> INT.compareAndSet(s, 0L, (int) expected, (int) update);
                    case 8 -> LONG.compareAndSet(s, 0L, expected, update);
                    default -> throw new IllegalArgumentException("compare-and-set size " + size);
                };
                if (swapped) memory.written(gpa, size);
                return swapped;
            }
        };
    }
}
