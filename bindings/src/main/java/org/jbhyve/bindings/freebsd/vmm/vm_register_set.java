// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_register_set {
 *     int cpuid;                             // offset   0, size   4
 *     unsigned int count;                    // offset   4, size   4
 *     const int *regnums;                    // offset   8, size   8
 *     uint64_t *regvals;                     // offset  16, size   8
 * }; // sizeof 24
 * }
 * <p>Argument of {@code VM_SET_REGISTER_SET}/{@code VM_GET_REGISTER_SET}: {@code count} register
 * numbers and values in caller memory. 24 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_register_set {

    vm_register_set() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("cpuid"),
        ValueLayout.JAVA_INT.withName("count"),
        ValueLayout.ADDRESS.withName("regnums"),
        ValueLayout.ADDRESS.withName("regvals")
    ).withName("vm_register_set");

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

    private static final ValueLayout.OfInt count$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("count"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * unsigned int count
     * }
     */
    public static final ValueLayout.OfInt count$layout() {
        return count$LAYOUT;
    }

    private static final long count$OFFSET = $LAYOUT.byteOffset(groupElement("count"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * unsigned int count
     * }
     */
    public static final long count$offset() {
        return count$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * unsigned int count
     * }
     */
    public static int count(MemorySegment struct) {
        return struct.get(count$LAYOUT, count$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * unsigned int count
     * }
     */
    public static void count(MemorySegment struct, int fieldValue) {
        struct.set(count$LAYOUT, count$OFFSET, fieldValue);
    }

    private static final AddressLayout regnums$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("regnums"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int *regnums
     * }
     */
    public static final AddressLayout regnums$layout() {
        return regnums$LAYOUT;
    }

    private static final long regnums$OFFSET = $LAYOUT.byteOffset(groupElement("regnums"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int *regnums
     * }
     */
    public static final long regnums$offset() {
        return regnums$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int *regnums
     * }
     */
    public static MemorySegment regnums(MemorySegment struct) {
        return struct.get(regnums$LAYOUT, regnums$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int *regnums
     * }
     */
    public static void regnums(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(regnums$LAYOUT, regnums$OFFSET, fieldValue);
    }

    private static final AddressLayout regvals$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("regvals"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t *regvals
     * }
     */
    public static final AddressLayout regvals$layout() {
        return regvals$LAYOUT;
    }

    private static final long regvals$OFFSET = $LAYOUT.byteOffset(groupElement("regvals"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t *regvals
     * }
     */
    public static final long regvals$offset() {
        return regvals$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t *regvals
     * }
     */
    public static MemorySegment regvals(MemorySegment struct) {
        return struct.get(regvals$LAYOUT, regvals$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t *regvals
     * }
     */
    public static void regvals(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(regvals$LAYOUT, regvals$OFFSET, fieldValue);
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
