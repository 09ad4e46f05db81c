// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_guest_paging {
 *     uint64_t cr3;                          // offset   0, size   8
 *     int cpl;                               // offset   8, size   4
 *     enum vm_cpu_mode cpu_mode;             // offset  12, size   4
 *     enum vm_paging_mode paging_mode;       // offset  16, size   4
 * }; // sizeof 24
 * }
 * <p>The guest paging state reported with INOUT_STR, INST_EMUL, DEBUG and TASK_SWITCH exits
 * (machine/vmm.h). 24 bytes, with 4 bytes of tail padding.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_guest_paging {

    vm_guest_paging() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("cr3"),
        ValueLayout.JAVA_INT.withName("cpl"),
        ValueLayout.JAVA_INT.withName("cpu_mode"),
        ValueLayout.JAVA_INT.withName("paging_mode"),
        MemoryLayout.paddingLayout(4)
    ).withName("vm_guest_paging");

    /**
     * The layout of this struct (24 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfLong cr3$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("cr3"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t cr3
     * }
     */
    public static final ValueLayout.OfLong cr3$layout() {
        return cr3$LAYOUT;
    }

    private static final long cr3$OFFSET = $LAYOUT.byteOffset(groupElement("cr3"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t cr3
     * }
     */
    public static final long cr3$offset() {
        return cr3$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t cr3
     * }
     */
    public static long cr3(MemorySegment struct) {
        return struct.get(cr3$LAYOUT, cr3$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t cr3
     * }
     */
    public static void cr3(MemorySegment struct, long fieldValue) {
        struct.set(cr3$LAYOUT, cr3$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cpl$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("cpl"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int cpl
     * }
     */
    public static final ValueLayout.OfInt cpl$layout() {
        return cpl$LAYOUT;
    }

    private static final long cpl$OFFSET = $LAYOUT.byteOffset(groupElement("cpl"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int cpl
     * }
     */
    public static final long cpl$offset() {
        return cpl$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int cpl
     * }
     */
    public static int cpl(MemorySegment struct) {
        return struct.get(cpl$LAYOUT, cpl$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int cpl
     * }
     */
    public static void cpl(MemorySegment struct, int fieldValue) {
        struct.set(cpl$LAYOUT, cpl$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cpu_mode$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("cpu_mode"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * enum vm_cpu_mode cpu_mode
     * }
     */
    public static final ValueLayout.OfInt cpu_mode$layout() {
        return cpu_mode$LAYOUT;
    }

    private static final long cpu_mode$OFFSET = $LAYOUT.byteOffset(groupElement("cpu_mode"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * enum vm_cpu_mode cpu_mode
     * }
     */
    public static final long cpu_mode$offset() {
        return cpu_mode$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * enum vm_cpu_mode cpu_mode
     * }
     */
    public static int cpu_mode(MemorySegment struct) {
        return struct.get(cpu_mode$LAYOUT, cpu_mode$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * enum vm_cpu_mode cpu_mode
     * }
     */
    public static void cpu_mode(MemorySegment struct, int fieldValue) {
        struct.set(cpu_mode$LAYOUT, cpu_mode$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt paging_mode$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("paging_mode"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * enum vm_paging_mode paging_mode
     * }
     */
    public static final ValueLayout.OfInt paging_mode$layout() {
        return paging_mode$LAYOUT;
    }

    private static final long paging_mode$OFFSET = $LAYOUT.byteOffset(groupElement("paging_mode"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * enum vm_paging_mode paging_mode
     * }
     */
    public static final long paging_mode$offset() {
        return paging_mode$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * enum vm_paging_mode paging_mode
     * }
     */
    public static int paging_mode(MemorySegment struct) {
        return struct.get(paging_mode$LAYOUT, paging_mode$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * enum vm_paging_mode paging_mode
     * }
     */
    public static void paging_mode(MemorySegment struct, int fieldValue) {
        struct.set(paging_mode$LAYOUT, paging_mode$OFFSET, fieldValue);
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
