// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_inout_str {
 *     struct vm_inout inout;                 // offset   0, size   8
 *     struct vm_guest_paging paging;         // offset   8, size  24
 *     uint64_t rflags;                       // offset  32, size   8
 *     uint64_t cr0;                          // offset  40, size   8
 *     uint64_t index;                        // offset  48, size   8
 *     uint64_t count;                        // offset  56, size   8
 *     int addrsize;                          // offset  64, size   4
 *     enum vm_reg_name seg_name;             // offset  68, size   4
 *     struct seg_desc seg_desc;              // offset  72, size  16
 * }; // sizeof 88
 * }
 * <p>Collateral of a {@code VM_EXITCODE_INOUT_STR} exit (INS/OUTS), {@code vm_exit.u.inout_str}.
 * Its first member is a {@link vm_inout}, so the bitfield helpers there apply at offset 0.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_inout_str {

    vm_inout_str() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vm_inout.layout().withName("inout"),
        vm_guest_paging.layout().withName("paging"),
        ValueLayout.JAVA_LONG.withName("rflags"),
        ValueLayout.JAVA_LONG.withName("cr0"),
        ValueLayout.JAVA_LONG.withName("index"),
        ValueLayout.JAVA_LONG.withName("count"),
        ValueLayout.JAVA_INT.withName("addrsize"),
        ValueLayout.JAVA_INT.withName("seg_name"),
        seg_desc.layout().withName("seg_desc")
    ).withName("vm_inout_str");

    /**
     * The layout of this struct (88 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final GroupLayout inout$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("inout"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * struct vm_inout inout
     * }
     */
    public static final GroupLayout inout$layout() {
        return inout$LAYOUT;
    }

    private static final long inout$OFFSET = $LAYOUT.byteOffset(groupElement("inout"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * struct vm_inout inout
     * }
     */
    public static final long inout$offset() {
        return inout$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * struct vm_inout inout
     * }
     */
    public static MemorySegment inout(MemorySegment struct) {
        return struct.asSlice(inout$OFFSET, inout$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * struct vm_inout inout
     * }
     */
    public static void inout(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, inout$OFFSET, inout$LAYOUT.byteSize());
    }

    private static final GroupLayout paging$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("paging"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * struct vm_guest_paging paging
     * }
     */
    public static final GroupLayout paging$layout() {
        return paging$LAYOUT;
    }

    private static final long paging$OFFSET = $LAYOUT.byteOffset(groupElement("paging"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * struct vm_guest_paging paging
     * }
     */
    public static final long paging$offset() {
        return paging$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * struct vm_guest_paging paging
     * }
     */
    public static MemorySegment paging(MemorySegment struct) {
        return struct.asSlice(paging$OFFSET, paging$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * struct vm_guest_paging paging
     * }
     */
    public static void paging(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, paging$OFFSET, paging$LAYOUT.byteSize());
    }

    private static final ValueLayout.OfLong rflags$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("rflags"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t rflags
     * }
     */
    public static final ValueLayout.OfLong rflags$layout() {
        return rflags$LAYOUT;
    }

    private static final long rflags$OFFSET = $LAYOUT.byteOffset(groupElement("rflags"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t rflags
     * }
     */
    public static final long rflags$offset() {
        return rflags$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t rflags
     * }
     */
    public static long rflags(MemorySegment struct) {
        return struct.get(rflags$LAYOUT, rflags$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t rflags
     * }
     */
    public static void rflags(MemorySegment struct, long fieldValue) {
        struct.set(rflags$LAYOUT, rflags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong cr0$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("cr0"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t cr0
     * }
     */
    public static final ValueLayout.OfLong cr0$layout() {
        return cr0$LAYOUT;
    }

    private static final long cr0$OFFSET = $LAYOUT.byteOffset(groupElement("cr0"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t cr0
     * }
     */
    public static final long cr0$offset() {
        return cr0$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t cr0
     * }
     */
    public static long cr0(MemorySegment struct) {
        return struct.get(cr0$LAYOUT, cr0$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t cr0
     * }
     */
    public static void cr0(MemorySegment struct, long fieldValue) {
        struct.set(cr0$LAYOUT, cr0$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong index$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("index"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t index
     * }
     */
    public static final ValueLayout.OfLong index$layout() {
        return index$LAYOUT;
    }

    private static final long index$OFFSET = $LAYOUT.byteOffset(groupElement("index"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t index
     * }
     */
    public static final long index$offset() {
        return index$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t index
     * }
     */
    public static long index(MemorySegment struct) {
        return struct.get(index$LAYOUT, index$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t index
     * }
     */
    public static void index(MemorySegment struct, long fieldValue) {
        struct.set(index$LAYOUT, index$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong count$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("count"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t count
     * }
     */
    public static final ValueLayout.OfLong count$layout() {
        return count$LAYOUT;
    }

    private static final long count$OFFSET = $LAYOUT.byteOffset(groupElement("count"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t count
     * }
     */
    public static final long count$offset() {
        return count$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t count
     * }
     */
    public static long count(MemorySegment struct) {
        return struct.get(count$LAYOUT, count$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t count
     * }
     */
    public static void count(MemorySegment struct, long fieldValue) {
        struct.set(count$LAYOUT, count$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt addrsize$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("addrsize"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int addrsize
     * }
     */
    public static final ValueLayout.OfInt addrsize$layout() {
        return addrsize$LAYOUT;
    }

    private static final long addrsize$OFFSET = $LAYOUT.byteOffset(groupElement("addrsize"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int addrsize
     * }
     */
    public static final long addrsize$offset() {
        return addrsize$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int addrsize
     * }
     */
    public static int addrsize(MemorySegment struct) {
        return struct.get(addrsize$LAYOUT, addrsize$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int addrsize
     * }
     */
    public static void addrsize(MemorySegment struct, int fieldValue) {
        struct.set(addrsize$LAYOUT, addrsize$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt seg_name$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("seg_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * enum vm_reg_name seg_name
     * }
     */
    public static final ValueLayout.OfInt seg_name$layout() {
        return seg_name$LAYOUT;
    }

    private static final long seg_name$OFFSET = $LAYOUT.byteOffset(groupElement("seg_name"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * enum vm_reg_name seg_name
     * }
     */
    public static final long seg_name$offset() {
        return seg_name$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * enum vm_reg_name seg_name
     * }
     */
    public static int seg_name(MemorySegment struct) {
        return struct.get(seg_name$LAYOUT, seg_name$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * enum vm_reg_name seg_name
     * }
     */
    public static void seg_name(MemorySegment struct, int fieldValue) {
        struct.set(seg_name$LAYOUT, seg_name$OFFSET, fieldValue);
    }

    private static final GroupLayout seg_desc$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("seg_desc"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * struct seg_desc seg_desc
     * }
     */
    public static final GroupLayout seg_desc$layout() {
        return seg_desc$LAYOUT;
    }

    private static final long seg_desc$OFFSET = $LAYOUT.byteOffset(groupElement("seg_desc"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * struct seg_desc seg_desc
     * }
     */
    public static final long seg_desc$offset() {
        return seg_desc$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * struct seg_desc seg_desc
     * }
     */
    public static MemorySegment seg_desc(MemorySegment struct) {
        return struct.asSlice(seg_desc$OFFSET, seg_desc$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * struct seg_desc seg_desc
     * }
     */
    public static void seg_desc(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, seg_desc$OFFSET, seg_desc$LAYOUT.byteSize());
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
