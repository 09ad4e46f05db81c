package org.jbhyve.vmm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bhyve's lowmem/highmem split and the bounds checks that keep guest addresses inside RAM. */
class GuestMemoryTest {

    @Test
    void memoryAboveThreeGibMovesToFourGib() {
        assertThat(GuestMemory.lowmemSize(2L << 30)).isEqualTo(2L << 30);
        assertThat(GuestMemory.highmemSize(2L << 30)).isZero();
        assertThat(GuestMemory.lowmemSize(5L << 30)).isEqualTo(3L << 30);
        assertThat(GuestMemory.highmemSize(5L << 30)).isEqualTo(2L << 30);
    }

    @Test
    void addressesAboveFourGibWithoutHighmemAreRejectedNotCrashing() {
        try (Arena a = Arena.ofConfined()) {
            GuestMemory m = new GuestMemory(new GuestMemory.Region(0, 0x10000, a.allocate(0x10000, 4096)), null);
            assertThatThrownBy(() -> m.readInt(GuestMemory.HIGHMEM_BASE)).isInstanceOf(GuestMemoryException.class);
            assertThatThrownBy(() -> m.writeLong(-1L, 0)).isInstanceOf(GuestMemoryException.class);
            assertThatThrownBy(() -> m.readByte(Long.MAX_VALUE)).isInstanceOf(GuestMemoryException.class);
        }
    }

    @Test
    void accessesStayInsideOneRegion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment low = a.allocate(0x10000, 4096), high = a.allocate(0x2000, 4096);
            GuestMemory m = new GuestMemory(new GuestMemory.Region(0, 0x10000, low),
                    new GuestMemory.Region(GuestMemory.HIGHMEM_BASE, 0x2000, high));
            m.writeInt(GuestMemory.HIGHMEM_BASE + 4, 42);
            assertThat(high.get(java.lang.foreign.ValueLayout.JAVA_INT, 4)).isEqualTo(42);
            assertThat(m.isRam(0xfffc, 4)).isTrue();
            assertThat(m.isRam(0xfffe, 4)).as("straddles the end of lowmem").isFalse();
            assertThat(m.isRam(0x10000, 1)).as("the hole").isFalse();
            assertThat(m.isRam(Long.MAX_VALUE - 2, 8)).as("overflow").isFalse();
            assertThat(m.isRam(GuestMemory.HIGHMEM_BASE + 0x1ff8, 8)).isTrue();
            assertThatThrownBy(() -> m.readLong(0xfffc)).isInstanceOf(GuestMemoryException.class)
                    .hasMessageContaining("0xfffc");
            assertThatThrownBy(() -> m.write(GuestMemory.HIGHMEM_BASE + 0x1fff, new byte[2]))
                    .isInstanceOf(GuestMemoryException.class);
            assertThatThrownBy(() -> m.read(-8, new byte[8], 0, 8)).isInstanceOf(GuestMemoryException.class);
            assertThat(m.size()).isEqualTo(0x12000);
        }
    }

    /** A page bitmap of {@code words} words with {@code pages} set. */
    private static long[] pages(int words, int... pages) {
        long[] bits = new long[words];
        for (int p : pages) bits[p >>> 6] |= 1L << (p & 63);
        return bits;
    }

    @Test
    void theWriteLogHoldsEveryPageTheVmmMayHaveWrittenAndNoPageItOnlyRead() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment low = a.allocate(0x100000, 4096), high = a.allocate(0x2000, 4096);
            GuestMemory.Region lowRegion = new GuestMemory.Region(0, 0x100000, low);
            GuestMemory.Region highRegion = new GuestMemory.Region(GuestMemory.HIGHMEM_BASE, 0x2000, high);
            GuestMemory m = new GuestMemory(lowRegion, highRegion);
            m.writeInt(0x1000, 1); // before the log: not in it
            assertThatThrownBy(() -> m.writtenPages(lowRegion)).isInstanceOf(IllegalStateException.class);

            m.startWriteLog();
            m.writeByte(0x2000, (byte) 1);
            m.writeShort(0x3fff, (short) 1); // straddles pages 3 and 4
            m.writeLong(0x5ffc, 1);          // pages 5 and 6
            m.write(0x7000, new byte[0x1001]); // pages 7 and 8
            m.fill(0x40000, 1, (byte) 0);    // page 0x40
            m.slice(0x41000, 8);             // handed out: may be written later
            m.writeInt(GuestMemory.HIGHMEM_BASE + 0x1000, 1);
            m.readLong(0x50000);             // reads are not writes
            m.read(0x51000, new byte[8], 0, 8);
            m.readSlice(0x52000, 8);
            assertThatThrownBy(() -> m.readSlice(0x53000, 8).set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1))
                    .as("a read slice cannot write").isInstanceOf(IllegalArgumentException.class);

            assertThat(m.writtenPages(lowRegion)).isEqualTo(pages(4, 2, 3, 4, 5, 6, 7, 8, 0x40, 0x41));
            assertThat(m.writtenPages(highRegion)).isEqualTo(pages(1, 1));
            assertThat(m.writtenPages(lowRegion)).as("reading the log does not clear it")
                    .isEqualTo(pages(4, 2, 3, 4, 5, 6, 7, 8, 0x40, 0x41));

            m.stopWriteLog();
            m.writeInt(0x9000, 1);
            assertThatThrownBy(() -> m.writtenPages(lowRegion)).isInstanceOf(IllegalStateException.class);
            m.startWriteLog();
            assertThat(m.writtenPages(lowRegion)).as("a new log starts empty").isEqualTo(new long[4]);
        }
    }

    /**
     * A device takes a slice, the checkpoint's log starts, then the device's read lands in the slice: the
     * page is logged when the device says it wrote it, which is what a live checkpoint needs.
     */
    @Test
    void aWriteInFlightWhenTheLogStartsIsLoggedWhenItIsDone() {
        try (Arena a = Arena.ofConfined()) {
            GuestMemory.Region region = new GuestMemory.Region(0, 0x10000, a.allocate(0x10000, 4096));
            GuestMemory m = new GuestMemory(region, null);
            MemorySegment buffer = m.slice(0x5000, 0x1800); // pages 5 and 6, before any log
            m.startWriteLog();
            buffer.fill((byte) 7);
            assertThat(m.writtenPages(region)).as("the slice was taken before the log").isEqualTo(new long[1]);
            m.written(0x5000, 0x1800);
            assertThat(m.writtenPages(region)).isEqualTo(pages(1, 5, 6));

            m.write(0xa000, MemorySegment.ofArray(new byte[] {1, 2, 3}), 1, 2);
            assertThat(m.readByte(0xa000)).isEqualTo((byte) 2);
            assertThat(m.writtenPages(region)).isEqualTo(pages(1, 5, 6, 10));
            assertThatThrownBy(() -> m.written(0xf000, 0x2000)).isInstanceOf(GuestMemoryException.class);
        }
    }
}
