// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_munmap {
 *     vm_paddr_t gpa;                        // offset   0, size   8
 *     size_t len;                            // offset   8, size   8
 * }; // sizeof 16
 * }
 * <p>Argument of {@code VM_MUNMAP_MEMSEG}. The reference gives only its size (16 bytes); the two
 * fields (guest PA and length) are the only layout that size and the libvmmapi call
 * {@code vm_munmap_memseg(ctx, gpa, len)} allow.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_munmap {

    vm_munmap() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("gpa"),
        ValueLayout.JAVA_LONG.withName("len")
    ).withName("vm_munmap");

    /**
     * The layout of this struct (16 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong gpa$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("gpa"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * vm_paddr_t gpa
     * }
     */
    public static final ValueLayout.OfLong gpa$layout() {
        return gpa$LAYOUT;
    }

    private static final long gpa$OFFSET = $LAYOUT.byteOffset(groupElement("gpa"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * vm_paddr_t gpa
     * }
     */
    public static final long gpa$offset() {
        return gpa$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * vm_paddr_t gpa
     * }
     */
    public static long gpa(MemorySegment struct) {
        return struct.get(gpa$LAYOUT, gpa$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * vm_paddr_t gpa
     * }
     */
    public static void gpa(MemorySegment struct, long fieldValue) {
        struct.set(gpa$LAYOUT, gpa$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong len$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("len"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * size_t len
     * }
     */
    public static final ValueLayout.OfLong len$layout() {
        return len$LAYOUT;
    }

    private static final long len$OFFSET = $LAYOUT.byteOffset(groupElement("len"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * size_t len
     * }
     */
    public static final long len$offset() {
        return len$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * size_t len
     * }
     */
    public static long len(MemorySegment struct) {
        return struct.get(len$LAYOUT, len$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * size_t len
     * }
     */
    public static void len(MemorySegment struct, long fieldValue) {
        struct.set(len$LAYOUT, len$OFFSET, fieldValue);
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
