// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct seg_desc {
 *     uint64_t base;                         // offset   0, size   8
 *     uint32_t limit;                        // offset   8, size   4
 *     uint32_t access;                       // offset  12, size   4
 * }; // sizeof 16
 * }
 * <p>A guest segment descriptor as vmm exchanges it (machine/vmm.h); {@code access} uses the
 * VMX access-rights format. 16 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class seg_desc {

    seg_desc() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("base"),
        ValueLayout.JAVA_INT.withName("limit"),
        ValueLayout.JAVA_INT.withName("access")
    ).withName("seg_desc");

    /**
     * The layout of this struct (16 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong base$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("base"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t base
     * }
     */
    public static final ValueLayout.OfLong base$layout() {
        return base$LAYOUT;
    }

    private static final long base$OFFSET = $LAYOUT.byteOffset(groupElement("base"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t base
     * }
     */
    public static final long base$offset() {
        return base$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t base
     * }
     */
    public static long base(MemorySegment struct) {
        return struct.get(base$LAYOUT, base$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t base
     * }
     */
    public static void base(MemorySegment struct, long fieldValue) {
        struct.set(base$LAYOUT, base$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt limit$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("limit"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint32_t limit
     * }
     */
    public static final ValueLayout.OfInt limit$layout() {
        return limit$LAYOUT;
    }

    private static final long limit$OFFSET = $LAYOUT.byteOffset(groupElement("limit"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint32_t limit
     * }
     */
    public static final long limit$offset() {
        return limit$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint32_t limit
     * }
     */
    public static int limit(MemorySegment struct) {
        return struct.get(limit$LAYOUT, limit$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint32_t limit
     * }
     */
    public static void limit(MemorySegment struct, int fieldValue) {
        struct.set(limit$LAYOUT, limit$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt access$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("access"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint32_t access
     * }
     */
    public static final ValueLayout.OfInt access$layout() {
        return access$LAYOUT;
    }

    private static final long access$OFFSET = $LAYOUT.byteOffset(groupElement("access"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint32_t access
     * }
     */
    public static final long access$offset() {
        return access$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint32_t access
     * }
     */
    public static int access(MemorySegment struct) {
        return struct.get(access$LAYOUT, access$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint32_t access
     * }
     */
    public static void access(MemorySegment struct, int fieldValue) {
        struct.set(access$LAYOUT, access$OFFSET, fieldValue);
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
