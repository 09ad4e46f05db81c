// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_memseg {
 *     int segid;                             // offset   0, size   4
 *     size_t len;                            // offset   8, size   8
 *     char name[16];                         // offset  16, size  16
 *     domainset_t *ds_mask;                  // offset  32, size   8
 *     size_t ds_mask_size;                   // offset  40, size   8
 *     int ds_policy;                         // offset  48, size   4
 * }; // sizeof 56
 * }
 * <p>Argument of {@code VM_ALLOC_MEMSEG}/{@code VM_GET_MEMSEG} on <b>FreeBSD 15</b> (56 bytes, with the
 * NUMA domain set fields). FreeBSD 14 kernels take the 32-byte {@link vm_memseg_fbsd14} and the
 * {@code *_FBSD14} ioctl numbers of {@link vmm_h}. An empty {@code name} means system memory.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_memseg {

    vm_memseg() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("segid"),
        MemoryLayout.paddingLayout(4),
        ValueLayout.JAVA_LONG.withName("len"),
        MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("name"),
        ValueLayout.ADDRESS.withName("ds_mask"),
        ValueLayout.JAVA_LONG.withName("ds_mask_size"),
        ValueLayout.JAVA_INT.withName("ds_policy"),
        MemoryLayout.paddingLayout(4)
    ).withName("vm_memseg");

    /**
     * The layout of this struct (56 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
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

    private static final SequenceLayout name$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * char name[16]
     * }
     */
    public static final SequenceLayout name$layout() {
        return name$LAYOUT;
    }

    private static final long name$OFFSET = $LAYOUT.byteOffset(groupElement("name"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * char name[16]
     * }
     */
    public static final long name$offset() {
        return name$OFFSET;
    }

    private static final long[] name$DIMS = { 16 };

    /**
     * Dimensions for array field:
     * {@snippet lang=c :
     * char name[16]
     * }
     */
    public static long[] name$dimensions() {
        return name$DIMS.clone();
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * char name[16]
     * }
     */
    public static MemorySegment name(MemorySegment struct) {
        return struct.asSlice(name$OFFSET, name$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * char name[16]
     * }
     */
    public static void name(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, name$OFFSET, name$LAYOUT.byteSize());
    }

    private static final VarHandle name$ELEM_HANDLE = name$LAYOUT.varHandle(sequenceElement());

    /**
     * Indexed getter for field:
     * {@snippet lang=c :
     * char name[16]
     * }
     */
    public static byte name(MemorySegment struct, long index0) {
        return (byte)name$ELEM_HANDLE.get(struct, name$OFFSET, index0);
    }

    /**
     * Indexed setter for field:
     * {@snippet lang=c :
     * char name[16]
     * }
     */
    public static void name(MemorySegment struct, long index0, byte fieldValue) {
        name$ELEM_HANDLE.set(struct, name$OFFSET, index0, fieldValue);
    }

    private static final AddressLayout ds_mask$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("ds_mask"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * domainset_t *ds_mask
     * }
     */
    public static final AddressLayout ds_mask$layout() {
        return ds_mask$LAYOUT;
    }

    private static final long ds_mask$OFFSET = $LAYOUT.byteOffset(groupElement("ds_mask"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * domainset_t *ds_mask
     * }
     */
    public static final long ds_mask$offset() {
        return ds_mask$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * domainset_t *ds_mask
     * }
     */
    public static MemorySegment ds_mask(MemorySegment struct) {
        return struct.get(ds_mask$LAYOUT, ds_mask$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * domainset_t *ds_mask
     * }
     */
    public static void ds_mask(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(ds_mask$LAYOUT, ds_mask$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong ds_mask_size$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("ds_mask_size"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * size_t ds_mask_size
     * }
     */
    public static final ValueLayout.OfLong ds_mask_size$layout() {
        return ds_mask_size$LAYOUT;
    }

    private static final long ds_mask_size$OFFSET = $LAYOUT.byteOffset(groupElement("ds_mask_size"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * size_t ds_mask_size
     * }
     */
    public static final long ds_mask_size$offset() {
        return ds_mask_size$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * size_t ds_mask_size
     * }
     */
    public static long ds_mask_size(MemorySegment struct) {
        return struct.get(ds_mask_size$LAYOUT, ds_mask_size$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * size_t ds_mask_size
     * }
     */
    public static void ds_mask_size(MemorySegment struct, long fieldValue) {
        struct.set(ds_mask_size$LAYOUT, ds_mask_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt ds_policy$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("ds_policy"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int ds_policy
     * }
     */
    public static final ValueLayout.OfInt ds_policy$layout() {
        return ds_policy$LAYOUT;
    }

    private static final long ds_policy$OFFSET = $LAYOUT.byteOffset(groupElement("ds_policy"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int ds_policy
     * }
     */
    public static final long ds_policy$offset() {
        return ds_policy$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int ds_policy
     * }
     */
    public static int ds_policy(MemorySegment struct) {
        return struct.get(ds_policy$LAYOUT, ds_policy$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int ds_policy
     * }
     */
    public static void ds_policy(MemorySegment struct, int fieldValue) {
        struct.set(ds_policy$LAYOUT, ds_policy$OFFSET, fieldValue);
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
