// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_snapshot_meta {
 *     void *dev_data;                        // offset   0, size   8
 *     const char *dev_name;                  // offset   8, size   8
 *     enum snapshot_req dev_req;             // offset  16, size   4
 *     struct vm_snapshot_buffer buffer;      // offset  24, size  32
 *     enum vm_snapshot_op op;                // offset  56, size   4
 * }; // sizeof 64
 * }
 * <p>Argument of {@code VM_SNAPSHOT_REQ} ({@code _IOWR('v', 113, ...)}, copied back out so the caller
 * sees the advanced {@code buffer}). {@code dev_req} is a {@code STRUCT_*} value and {@code op} is
 * {@code VM_SNAPSHOT_SAVE} or {@code VM_SNAPSHOT_RESTORE}. 64 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 1d.
 */
public class vm_snapshot_meta {

    vm_snapshot_meta() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.ADDRESS.withName("dev_data"),
        ValueLayout.ADDRESS.withName("dev_name"),
        ValueLayout.JAVA_INT.withName("dev_req"),
        MemoryLayout.paddingLayout(4),
        vm_snapshot_buffer.layout().withName("buffer"),
        ValueLayout.JAVA_INT.withName("op"),
        MemoryLayout.paddingLayout(4)
    ).withName("vm_snapshot_meta");

    /**
     * The layout of this struct (64 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout dev_data$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("dev_data"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * void *dev_data
     * }
     */
    public static final AddressLayout dev_data$layout() {
        return dev_data$LAYOUT;
    }

    private static final long dev_data$OFFSET = $LAYOUT.byteOffset(groupElement("dev_data"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * void *dev_data
     * }
     */
    public static final long dev_data$offset() {
        return dev_data$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * void *dev_data
     * }
     */
    public static MemorySegment dev_data(MemorySegment struct) {
        return struct.get(dev_data$LAYOUT, dev_data$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * void *dev_data
     * }
     */
    public static void dev_data(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(dev_data$LAYOUT, dev_data$OFFSET, fieldValue);
    }

    private static final AddressLayout dev_name$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("dev_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const char *dev_name
     * }
     */
    public static final AddressLayout dev_name$layout() {
        return dev_name$LAYOUT;
    }

    private static final long dev_name$OFFSET = $LAYOUT.byteOffset(groupElement("dev_name"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const char *dev_name
     * }
     */
    public static final long dev_name$offset() {
        return dev_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const char *dev_name
     * }
     */
    public static MemorySegment dev_name(MemorySegment struct) {
        return struct.get(dev_name$LAYOUT, dev_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const char *dev_name
     * }
     */
    public static void dev_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(dev_name$LAYOUT, dev_name$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt dev_req$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("dev_req"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * enum snapshot_req dev_req
     * }
     */
    public static final ValueLayout.OfInt dev_req$layout() {
        return dev_req$LAYOUT;
    }

    private static final long dev_req$OFFSET = $LAYOUT.byteOffset(groupElement("dev_req"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * enum snapshot_req dev_req
     * }
     */
    public static final long dev_req$offset() {
        return dev_req$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * enum snapshot_req dev_req
     * }
     */
    public static int dev_req(MemorySegment struct) {
        return struct.get(dev_req$LAYOUT, dev_req$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * enum snapshot_req dev_req
     * }
     */
    public static void dev_req(MemorySegment struct, int fieldValue) {
        struct.set(dev_req$LAYOUT, dev_req$OFFSET, fieldValue);
    }

    private static final GroupLayout buffer$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("buffer"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * struct vm_snapshot_buffer buffer
     * }
     */
    public static final GroupLayout buffer$layout() {
        return buffer$LAYOUT;
    }

    private static final long buffer$OFFSET = $LAYOUT.byteOffset(groupElement("buffer"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * struct vm_snapshot_buffer buffer
     * }
     */
    public static final long buffer$offset() {
        return buffer$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * struct vm_snapshot_buffer buffer
     * }
     */
    public static MemorySegment buffer(MemorySegment struct) {
        return struct.asSlice(buffer$OFFSET, buffer$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * struct vm_snapshot_buffer buffer
     * }
     */
    public static void buffer(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, buffer$OFFSET, buffer$LAYOUT.byteSize());
    }

    private static final ValueLayout.OfInt op$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("op"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * enum vm_snapshot_op op
     * }
     */
    public static final ValueLayout.OfInt op$layout() {
        return op$LAYOUT;
    }

    private static final long op$OFFSET = $LAYOUT.byteOffset(groupElement("op"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * enum vm_snapshot_op op
     * }
     */
    public static final long op$offset() {
        return op$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * enum vm_snapshot_op op
     * }
     */
    public static int op(MemorySegment struct) {
        return struct.get(op$LAYOUT, op$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * enum vm_snapshot_op op
     * }
     */
    public static void op(MemorySegment struct, int fieldValue) {
        struct.set(op$LAYOUT, op$OFFSET, fieldValue);
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
