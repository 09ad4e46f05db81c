// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_capability {
 *     int cpuid;                             // offset   0, size   4
 *     enum vm_cap_type captype;              // offset   4, size   4
 *     int capval;                            // offset   8, size   4
 *     int allcpus;                           // offset  12, size   4
 * }; // sizeof 16
 * }
 * <p>Argument of {@code VM_SET_CAPABILITY}/{@code VM_GET_CAPABILITY}. 16 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_capability {

    vm_capability() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("cpuid"),
        ValueLayout.JAVA_INT.withName("captype"),
        ValueLayout.JAVA_INT.withName("capval"),
        ValueLayout.JAVA_INT.withName("allcpus")
    ).withName("vm_capability");

    /**
     * The layout of this struct (16 bytes, 4-byte aligned)
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

    private static final ValueLayout.OfInt captype$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("captype"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * enum vm_cap_type captype
     * }
     */
    public static final ValueLayout.OfInt captype$layout() {
        return captype$LAYOUT;
    }

    private static final long captype$OFFSET = $LAYOUT.byteOffset(groupElement("captype"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * enum vm_cap_type captype
     * }
     */
    public static final long captype$offset() {
        return captype$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * enum vm_cap_type captype
     * }
     */
    public static int captype(MemorySegment struct) {
        return struct.get(captype$LAYOUT, captype$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * enum vm_cap_type captype
     * }
     */
    public static void captype(MemorySegment struct, int fieldValue) {
        struct.set(captype$LAYOUT, captype$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt capval$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("capval"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int capval
     * }
     */
    public static final ValueLayout.OfInt capval$layout() {
        return capval$LAYOUT;
    }

    private static final long capval$OFFSET = $LAYOUT.byteOffset(groupElement("capval"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int capval
     * }
     */
    public static final long capval$offset() {
        return capval$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int capval
     * }
     */
    public static int capval(MemorySegment struct) {
        return struct.get(capval$LAYOUT, capval$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int capval
     * }
     */
    public static void capval(MemorySegment struct, int fieldValue) {
        struct.set(capval$LAYOUT, capval$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt allcpus$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("allcpus"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int allcpus
     * }
     */
    public static final ValueLayout.OfInt allcpus$layout() {
        return allcpus$LAYOUT;
    }

    private static final long allcpus$OFFSET = $LAYOUT.byteOffset(groupElement("allcpus"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int allcpus
     * }
     */
    public static final long allcpus$offset() {
        return allcpus$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int allcpus
     * }
     */
    public static int allcpus(MemorySegment struct) {
        return struct.get(allcpus$LAYOUT, allcpus$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int allcpus
     * }
     */
    public static void allcpus(MemorySegment struct, int fieldValue) {
        struct.set(allcpus$LAYOUT, allcpus$OFFSET, fieldValue);
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
