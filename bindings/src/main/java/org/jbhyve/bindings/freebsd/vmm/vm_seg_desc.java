// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_seg_desc {
 *     int cpuid;                             // offset   0, size   4
 *     int regnum;                            // offset   4, size   4
 *     struct seg_desc desc;                  // offset   8, size  16
 * }; // sizeof 24
 * }
 * <p>Argument of {@code VM_SET_SEGMENT_DESCRIPTOR}/{@code VM_GET_SEGMENT_DESCRIPTOR}. 24 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_seg_desc {

    vm_seg_desc() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("cpuid"),
        ValueLayout.JAVA_INT.withName("regnum"),
        seg_desc.layout().withName("desc")
    ).withName("vm_seg_desc");

    /**
     * The layout of this struct (24 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt cpuid$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("cpuid"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int cpuid
     * }
     */
    public static final ValueLayout.OfInt cpuid$layout() {
        return cpuid$LAYOUT;
    }

    private static final long cpuid$OFFSET = $LAYOUT.byteOffset(groupElement("cpuid"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int cpuid
     * }
     */
    public static final long cpuid$offset() {
        return cpuid$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int cpuid
     * }
     */
    public static int cpuid(MemorySegment struct) {
        return struct.get(cpuid$LAYOUT, cpuid$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int cpuid
     * }
     */
    public static void cpuid(MemorySegment struct, int fieldValue) {
        struct.set(cpuid$LAYOUT, cpuid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt regnum$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("regnum"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int regnum
     * }
     */
    public static final ValueLayout.OfInt regnum$layout() {
        return regnum$LAYOUT;
    }

    private static final long regnum$OFFSET = $LAYOUT.byteOffset(groupElement("regnum"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int regnum
     * }
     */
    public static final long regnum$offset() {
        return regnum$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int regnum
     * }
     */
    public static int regnum(MemorySegment struct) {
        return struct.get(regnum$LAYOUT, regnum$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int regnum
     * }
     */
    public static void regnum(MemorySegment struct, int fieldValue) {
        struct.set(regnum$LAYOUT, regnum$OFFSET, fieldValue);
    }

    private static final GroupLayout desc$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("desc"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * struct seg_desc desc
     * }
     */
    public static final GroupLayout desc$layout() {
        return desc$LAYOUT;
    }

    private static final long desc$OFFSET = $LAYOUT.byteOffset(groupElement("desc"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * struct seg_desc desc
     * }
     */
    public static final long desc$offset() {
        return desc$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * struct seg_desc desc
     * }
     */
    public static MemorySegment desc(MemorySegment struct) {
        return struct.asSlice(desc$OFFSET, desc$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * struct seg_desc desc
     * }
     */
    public static void desc(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, desc$OFFSET, desc$LAYOUT.byteSize());
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
