// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_run {
 *     int cpuid;                             // offset   0, size   4
 *     cpuset_t *cpuset;                      // offset   8, size   8
 *     size_t cpusetsize;                     // offset  16, size   8
 *     struct vm_exit *vm_exit;               // offset  24, size   8
 * }; // sizeof 32
 * }
 * <p>Argument of {@code VM_RUN} ({@code _IOW('v', 1, struct vm_run)}): the kernel writes the exit to
 * {@code *vm_exit} and, for {@code VM_EXITCODE_IPI}, the destination set to {@code *cpuset}. 32 bytes.
 *
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_run {

    vm_run() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("cpuid"),
        MemoryLayout.paddingLayout(4),
        ValueLayout.ADDRESS.withName("cpuset"),
        ValueLayout.JAVA_LONG.withName("cpusetsize"),
        ValueLayout.ADDRESS.withName("vm_exit")
    ).withName("vm_run");

    /**
     * The layout of this struct (32 bytes, 8-byte aligned)
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

    private static final AddressLayout cpuset$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cpuset"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * cpuset_t *cpuset
     * }
     */
    public static final AddressLayout cpuset$layout() {
        return cpuset$LAYOUT;
    }

    private static final long cpuset$OFFSET = $LAYOUT.byteOffset(groupElement("cpuset"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * cpuset_t *cpuset
     * }
     */
    public static final long cpuset$offset() {
        return cpuset$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * cpuset_t *cpuset
     * }
     */
    public static MemorySegment cpuset(MemorySegment struct) {
        return struct.get(cpuset$LAYOUT, cpuset$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * cpuset_t *cpuset
     * }
     */
    public static void cpuset(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(cpuset$LAYOUT, cpuset$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong cpusetsize$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("cpusetsize"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * size_t cpusetsize
     * }
     */
    public static final ValueLayout.OfLong cpusetsize$layout() {
        return cpusetsize$LAYOUT;
    }

    private static final long cpusetsize$OFFSET = $LAYOUT.byteOffset(groupElement("cpusetsize"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * size_t cpusetsize
     * }
     */
    public static final long cpusetsize$offset() {
        return cpusetsize$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * size_t cpusetsize
     * }
     */
    public static long cpusetsize(MemorySegment struct) {
        return struct.get(cpusetsize$LAYOUT, cpusetsize$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * size_t cpusetsize
     * }
     */
    public static void cpusetsize(MemorySegment struct, long fieldValue) {
        struct.set(cpusetsize$LAYOUT, cpusetsize$OFFSET, fieldValue);
    }

    private static final AddressLayout vm_exit$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("vm_exit"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * struct vm_exit *vm_exit
     * }
     */
    public static final AddressLayout vm_exit$layout() {
        return vm_exit$LAYOUT;
    }

    private static final long vm_exit$OFFSET = $LAYOUT.byteOffset(groupElement("vm_exit"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * struct vm_exit *vm_exit
     * }
     */
    public static final long vm_exit$offset() {
        return vm_exit$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * struct vm_exit *vm_exit
     * }
     */
    public static MemorySegment vm_exit(MemorySegment struct) {
        return struct.get(vm_exit$LAYOUT, vm_exit$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * struct vm_exit *vm_exit
     * }
     */
    public static void vm_exit(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(vm_exit$LAYOUT, vm_exit$OFFSET, fieldValue);
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
