// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_activate_cpu {
 *     int vcpuid;                            // offset   0, size   4
 * }; // sizeof 4
 * }
 * <p>Argument of {@code VM_ACTIVATE_CPU}, {@code VM_SUSPEND_CPU} and {@code VM_RESUME_CPU}
 * ({@code vcpuid} -1 means all vCPUs for suspend/resume). The reference gives only the numbers
 * (0x8004765A/5C/5D), which imply this 4-byte argument.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_activate_cpu {

    vm_activate_cpu() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("vcpuid")
    ).withName("vm_activate_cpu");

    /**
     * The layout of this struct (4 bytes, 4-byte aligned)
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
