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
 * }; // sizeof 32
 * }
 * <p>{@code struct vm_memseg} as FreeBSD 14 defines it: 32 bytes, without the NUMA fields of
 * {@link vm_memseg}. Use with {@code VM_ALLOC_MEMSEG_FBSD14}/{@code VM_GET_MEMSEG_FBSD14}.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_memseg_fbsd14 {

    vm_memseg_fbsd14() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("segid"),
        MemoryLayout.paddingLayout(4),
        ValueLayout.JAVA_LONG.withName("len"),
        MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("name")
    ).withName("vm_memseg_fbsd14");

    /**
     * The layout of this struct (32 bytes, 8-byte aligned)
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
