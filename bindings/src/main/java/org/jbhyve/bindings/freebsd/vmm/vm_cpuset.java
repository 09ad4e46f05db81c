// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_cpuset {
 *     int which;                             // offset   0, size   4
 *     int cpusetsize;                        // offset   4, size   4
 *     cpuset_t *cpus;                        // offset   8, size   8
 * }; // sizeof 16
 * }
 * <p>Argument of {@code VM_GET_CPUS}: {@code which} selects the active, suspended or debug set and
 * the kernel fills {@code cpusetsize} bytes at {@code cpus}. 16 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_cpuset {

    vm_cpuset() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("which"),
        ValueLayout.JAVA_INT.withName("cpusetsize"),
        ValueLayout.ADDRESS.withName("cpus")
    ).withName("vm_cpuset");

    /**
     * The layout of this struct (16 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt which$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("which"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int which
     * }
     */
    public static final ValueLayout.OfInt which$layout() {
        return which$LAYOUT;
    }

    private static final long which$OFFSET = $LAYOUT.byteOffset(groupElement("which"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int which
     * }
     */
    public static final long which$offset() {
        return which$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int which
     * }
     */
    public static int which(MemorySegment struct) {
        return struct.get(which$LAYOUT, which$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int which
     * }
     */
    public static void which(MemorySegment struct, int fieldValue) {
        struct.set(which$LAYOUT, which$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cpusetsize$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("cpusetsize"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int cpusetsize
     * }
     */
    public static final ValueLayout.OfInt cpusetsize$layout() {
        return cpusetsize$LAYOUT;
    }

    private static final long cpusetsize$OFFSET = $LAYOUT.byteOffset(groupElement("cpusetsize"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int cpusetsize
     * }
     */
    public static final long cpusetsize$offset() {
        return cpusetsize$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int cpusetsize
     * }
     */
    public static int cpusetsize(MemorySegment struct) {
        return struct.get(cpusetsize$LAYOUT, cpusetsize$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int cpusetsize
     * }
     */
    public static void cpusetsize(MemorySegment struct, int fieldValue) {
        struct.set(cpusetsize$LAYOUT, cpusetsize$OFFSET, fieldValue);
    }

    private static final AddressLayout cpus$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cpus"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * cpuset_t *cpus
     * }
     */
    public static final AddressLayout cpus$layout() {
        return cpus$LAYOUT;
    }

    private static final long cpus$OFFSET = $LAYOUT.byteOffset(groupElement("cpus"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * cpuset_t *cpus
     * }
     */
    public static final long cpus$offset() {
        return cpus$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * cpuset_t *cpus
     * }
     */
    public static MemorySegment cpus(MemorySegment struct) {
        return struct.get(cpus$LAYOUT, cpus$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * cpuset_t *cpus
     * }
     */
    public static void cpus(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(cpus$LAYOUT, cpus$OFFSET, fieldValue);
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
