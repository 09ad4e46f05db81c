// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_snapshot_buffer {
 *     uint8_t *buf_start;                    // offset   0, size   8
 *     size_t buf_size;                       // offset   8, size   8
 *     uint8_t *buf;                          // offset  16, size   8
 *     size_t buf_rem;                        // offset  24, size   8
 * }; // sizeof 32
 * }
 * <p>The buffer of a {@link vm_snapshot_meta} (machine/vmm_snapshot.h). The kernel reads or writes at
 * {@code buf} (a user pointer) and advances {@code buf} and {@code buf_rem}; the bytes used are
 * {@code buf_size - buf_rem}. Reset {@code buf = buf_start}, {@code buf_rem = buf_size} before each
 * request. 32 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 1d.
 */
public class vm_snapshot_buffer {

    vm_snapshot_buffer() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.ADDRESS.withName("buf_start"),
        ValueLayout.JAVA_LONG.withName("buf_size"),
        ValueLayout.ADDRESS.withName("buf"),
        ValueLayout.JAVA_LONG.withName("buf_rem")
    ).withName("vm_snapshot_buffer");

    /**
     * The layout of this struct (32 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout buf_start$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("buf_start"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t *buf_start
     * }
     */
    public static final AddressLayout buf_start$layout() {
        return buf_start$LAYOUT;
    }

    private static final long buf_start$OFFSET = $LAYOUT.byteOffset(groupElement("buf_start"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t *buf_start
     * }
     */
    public static final long buf_start$offset() {
        return buf_start$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t *buf_start
     * }
     */
    public static MemorySegment buf_start(MemorySegment struct) {
        return struct.get(buf_start$LAYOUT, buf_start$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t *buf_start
     * }
     */
    public static void buf_start(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(buf_start$LAYOUT, buf_start$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong buf_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("buf_size"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * size_t buf_size
     * }
     */
    public static final ValueLayout.OfLong buf_size$layout() {
        return buf_size$LAYOUT;
    }

    private static final long buf_size$OFFSET = $LAYOUT.byteOffset(groupElement("buf_size"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * size_t buf_size
     * }
     */
    public static final long buf_size$offset() {
        return buf_size$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * size_t buf_size
     * }
     */
    public static long buf_size(MemorySegment struct) {
        return struct.get(buf_size$LAYOUT, buf_size$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * size_t buf_size
     * }
     */
    public static void buf_size(MemorySegment struct, long fieldValue) {
        struct.set(buf_size$LAYOUT, buf_size$OFFSET, fieldValue);
    }

    private static final AddressLayout buf$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("buf"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t *buf
     * }
     */
    public static final AddressLayout buf$layout() {
        return buf$LAYOUT;
    }

    private static final long buf$OFFSET = $LAYOUT.byteOffset(groupElement("buf"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t *buf
     * }
     */
    public static final long buf$offset() {
        return buf$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t *buf
     * }
     */
    public static MemorySegment buf(MemorySegment struct) {
        return struct.get(buf$LAYOUT, buf$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t *buf
     * }
     */
    public static void buf(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(buf$LAYOUT, buf$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong buf_rem$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("buf_rem"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * size_t buf_rem
     * }
     */
    public static final ValueLayout.OfLong buf_rem$layout() {
        return buf_rem$LAYOUT;
    }

    private static final long buf_rem$OFFSET = $LAYOUT.byteOffset(groupElement("buf_rem"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * size_t buf_rem
     * }
     */
    public static final long buf_rem$offset() {
        return buf_rem$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * size_t buf_rem
     * }
     */
    public static long buf_rem(MemorySegment struct) {
        return struct.get(buf_rem$LAYOUT, buf_rem$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * size_t buf_rem
     * }
     */
    public static void buf_rem(MemorySegment struct, long fieldValue) {
        struct.set(buf_rem$LAYOUT, buf_rem$OFFSET, fieldValue);
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
