// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_rtc_time {
 *     time_t secs;                           // offset   0, size   8
 * }; // sizeof 8
 * }
 * <p>Argument of {@code VM_RTC_SETTIME}/{@code VM_RTC_GETTIME}: seconds since the epoch
 * ({@code time_t} is 64-bit on amd64). 8 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_rtc_time {

    vm_rtc_time() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("secs")
    ).withName("vm_rtc_time");

    /**
     * The layout of this struct (8 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong secs$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("secs"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * time_t secs
     * }
     */
    public static final ValueLayout.OfLong secs$layout() {
        return secs$LAYOUT;
    }

    private static final long secs$OFFSET = $LAYOUT.byteOffset(groupElement("secs"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * time_t secs
     * }
     */
    public static final long secs$offset() {
        return secs$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * time_t secs
     * }
     */
    public static long secs(MemorySegment struct) {
        return struct.get(secs$LAYOUT, secs$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * time_t secs
     * }
     */
    public static void secs(MemorySegment struct, long fieldValue) {
        struct.set(secs$LAYOUT, secs$OFFSET, fieldValue);
    }

    /**
     * Obtains a slice of {@code array} which selects the array element at {@code index}.
     * The returned segment has address {@code array.address() + index * layout().byteSize()}
     */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index, layout().byteSize());
    }

    /**
     * The size (in bytes) of this struct
     */
    public static long sizeof() {
        return layout().byteSize();
    }

    /**
     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}.
     * The returned segment has size {@code elementCount * layout().byteSize()}.
     */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code elementCount * layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
