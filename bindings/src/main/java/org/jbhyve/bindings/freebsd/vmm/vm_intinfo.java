// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_intinfo {
 *     int vcpuid;                            // offset   0, size   4
 *     uint64_t info1;                        // offset   8, size   8
 *     uint64_t info2;                        // offset  16, size   8
 * }; // sizeof 24
 * }
 * <p>Argument of {@code VM_GET_INTINFO}/{@code VM_SET_INTINFO}. The reference gives only the numbers
 * (0xC018761C/0x8018761D): 24 bytes, i.e. a vcpuid and two 64-bit event words, as libvmmapi's
 * {@code vm_get_intinfo(vcpu, uint64_t *i1, uint64_t *i2)} implies.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_intinfo {

    vm_intinfo() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("vcpuid"),
        MemoryLayout.paddingLayout(4),
        ValueLayout.JAVA_LONG.withName("info1"),
        ValueLayout.JAVA_LONG.withName("info2")
    ).withName("vm_intinfo");

    /**
     * The layout of this struct (24 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt vcpuid$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("vcpuid"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int vcpuid
     * }
     */
    public static final ValueLayout.OfInt vcpuid$layout() {
        return vcpuid$LAYOUT;
    }

    private static final long vcpuid$OFFSET = $LAYOUT.byteOffset(groupElement("vcpuid"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int vcpuid
     * }
     */
    public static final long vcpuid$offset() {
        return vcpuid$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int vcpuid
     * }
     */
    public static int vcpuid(MemorySegment struct) {
        return struct.get(vcpuid$LAYOUT, vcpuid$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int vcpuid
     * }
     */
    public static void vcpuid(MemorySegment struct, int fieldValue) {
        struct.set(vcpuid$LAYOUT, vcpuid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong info1$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("info1"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t info1
     * }
     */
    public static final ValueLayout.OfLong info1$layout() {
        return info1$LAYOUT;
    }

    private static final long info1$OFFSET = $LAYOUT.byteOffset(groupElement("info1"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t info1
     * }
     */
    public static final long info1$offset() {
        return info1$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t info1
     * }
     */
    public static long info1(MemorySegment struct) {
        return struct.get(info1$LAYOUT, info1$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t info1
     * }
     */
    public static void info1(MemorySegment struct, long fieldValue) {
        struct.set(info1$LAYOUT, info1$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong info2$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("info2"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t info2
     * }
     */
    public static final ValueLayout.OfLong info2$layout() {
        return info2$LAYOUT;
    }

    private static final long info2$OFFSET = $LAYOUT.byteOffset(groupElement("info2"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t info2
     * }
     */
    public static final long info2$offset() {
        return info2$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t info2
     * }
     */
    public static long info2(MemorySegment struct) {
        return struct.get(info2$LAYOUT, info2$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t info2
     * }
     */
    public static void info2(MemorySegment struct, long fieldValue) {
        struct.set(info2$LAYOUT, info2$OFFSET, fieldValue);
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
