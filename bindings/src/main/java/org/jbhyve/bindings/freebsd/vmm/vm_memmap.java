// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_memmap {
 *     vm_paddr_t gpa;                        // offset   0, size   8
 *     int segid;                             // offset   8, size   4
 *     vm_ooffset_t segoff;                   // offset  16, size   8
 *     size_t len;                            // offset  24, size   8
 *     int prot;                              // offset  32, size   4
 *     int flags;                             // offset  36, size   4
 * }; // sizeof 40
 * }
 * <p>Argument of {@code VM_MMAP_MEMSEG}/{@code VM_MMAP_GETNEXT}: maps {@code [segoff, segoff+len)} of
 * segment {@code segid} at guest PA {@code gpa}; {@code flags} takes {@code VM_MEMMAP_F_*}. 40 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_memmap {

    vm_memmap() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("gpa"),
        ValueLayout.JAVA_INT.withName("segid"),
        MemoryLayout.paddingLayout(4),
        ValueLayout.JAVA_LONG.withName("segoff"),
        ValueLayout.JAVA_LONG.withName("len"),
        ValueLayout.JAVA_INT.withName("prot"),
        ValueLayout.JAVA_INT.withName("flags")
    ).withName("vm_memmap");

    /**
     * The layout of this struct (40 bytes, 8-byte aligned)
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

    private static final ValueLayout.OfInt segid$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("segid"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int segid
     * }
     */
    public static final ValueLayout.OfInt segid$layout() {
        return segid$LAYOUT;
    }

    private static final long segid$OFFSET = $LAYOUT.byteOffset(groupElement("segid"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int segid
     * }
     */
    public static final long segid$offset() {
        return segid$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int segid
     * }
     */
    public static int segid(MemorySegment struct) {
        return struct.get(segid$LAYOUT, segid$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int segid
     * }
     */
    public static void segid(MemorySegment struct, int fieldValue) {
        struct.set(segid$LAYOUT, segid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong segoff$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("segoff"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * vm_ooffset_t segoff
     * }
     */
    public static final ValueLayout.OfLong segoff$layout() {
        return segoff$LAYOUT;
    }

    private static final long segoff$OFFSET = $LAYOUT.byteOffset(groupElement("segoff"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * vm_ooffset_t segoff
     * }
     */
    public static final long segoff$offset() {
        return segoff$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * vm_ooffset_t segoff
     * }
     */
    public static long segoff(MemorySegment struct) {
        return struct.get(segoff$LAYOUT, segoff$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * vm_ooffset_t segoff
     * }
     */
    public static void segoff(MemorySegment struct, long fieldValue) {
        struct.set(segoff$LAYOUT, segoff$OFFSET, fieldValue);
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

    private static final ValueLayout.OfInt prot$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("prot"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int prot
     * }
     */
    public static final ValueLayout.OfInt prot$layout() {
        return prot$LAYOUT;
    }

    private static final long prot$OFFSET = $LAYOUT.byteOffset(groupElement("prot"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int prot
     * }
     */
    public static final long prot$offset() {
        return prot$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int prot
     * }
     */
    public static int prot(MemorySegment struct) {
        return struct.get(prot$LAYOUT, prot$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int prot
     * }
     */
    public static void prot(MemorySegment struct, int fieldValue) {
        struct.set(prot$LAYOUT, prot$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt flags$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("flags"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int flags
     * }
     */
    public static final ValueLayout.OfInt flags$layout() {
        return flags$LAYOUT;
    }

    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int flags
     * }
     */
    public static final long flags$offset() {
        return flags$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int flags
     * }
     */
    public static int flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int flags
     * }
     */
    public static void flags(MemorySegment struct, int fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
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
