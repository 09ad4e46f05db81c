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
}
