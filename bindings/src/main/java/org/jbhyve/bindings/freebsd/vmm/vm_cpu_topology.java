// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_cpu_topology {
 *     uint16_t sockets;                      // offset   0, size   2
 *     uint16_t cores;                        // offset   2, size   2
 *     uint16_t threads;                      // offset   4, size   2
 *     uint16_t maxcpus;                      // offset   6, size   2
 * }; // sizeof 8
 * }
 * <p>Argument of {@code VM_SET_TOPOLOGY}/{@code VM_GET_TOPOLOGY}: the four {@code uint16_t} values of
 * libvmmapi's {@code vm_set_topology}, 8 bytes (the size the reference's numbers imply).
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_cpu_topology {

    vm_cpu_topology() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_SHORT.withName("sockets"),
        ValueLayout.JAVA_SHORT.withName("cores"),
        ValueLayout.JAVA_SHORT.withName("threads"),
        ValueLayout.JAVA_SHORT.withName("maxcpus")
    ).withName("vm_cpu_topology");

    /**
     * The layout of this struct (8 bytes, 2-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfShort sockets$LAYOUT = (ValueLayout.OfShort)$LAYOUT.select(groupElement("sockets"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint16_t sockets
     * }
     */
    public static final ValueLayout.OfShort sockets$layout() {
        return sockets$LAYOUT;
    }

    private static final long sockets$OFFSET = $LAYOUT.byteOffset(groupElement("sockets"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint16_t sockets
     * }
     */
    public static final long sockets$offset() {
        return sockets$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint16_t sockets
     * }
     */
    public static short sockets(MemorySegment struct) {
        return struct.get(sockets$LAYOUT, sockets$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint16_t sockets
     * }
     */
    public static void sockets(MemorySegment struct, short fieldValue) {
        struct.set(sockets$LAYOUT, sockets$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort cores$LAYOUT = (ValueLayout.OfShort)$LAYOUT.select(groupElement("cores"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint16_t cores
     * }
     */
    public static final ValueLayout.OfShort cores$layout() {
        return cores$LAYOUT;
    }

    private static final long cores$OFFSET = $LAYOUT.byteOffset(groupElement("cores"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint16_t cores
     * }
     */
    public static final long cores$offset() {
        return cores$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint16_t cores
     * }
     */
    public static short cores(MemorySegment struct) {
        return struct.get(cores$LAYOUT, cores$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint16_t cores
     * }
     */
    public static void cores(MemorySegment struct, short fieldValue) {
        struct.set(cores$LAYOUT, cores$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort threads$LAYOUT = (ValueLayout.OfShort)$LAYOUT.select(groupElement("threads"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint16_t threads
     * }
     */
    public static final ValueLayout.OfShort threads$layout() {
        return threads$LAYOUT;
    }

    private static final long threads$OFFSET = $LAYOUT.byteOffset(groupElement("threads"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint16_t threads
     * }
     */
    public static final long threads$offset() {
        return threads$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint16_t threads
     * }
     */
    public static short threads(MemorySegment struct) {
        return struct.get(threads$LAYOUT, threads$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint16_t threads
     * }
     */
    public static void threads(MemorySegment struct, short fieldValue) {
        struct.set(threads$LAYOUT, threads$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort maxcpus$LAYOUT = (ValueLayout.OfShort)$LAYOUT.select(groupElement("maxcpus"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint16_t maxcpus
     * }
     */
    public static final ValueLayout.OfShort maxcpus$layout() {
        return maxcpus$LAYOUT;
    }

    private static final long maxcpus$OFFSET = $LAYOUT.byteOffset(groupElement("maxcpus"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint16_t maxcpus
     * }
     */
    public static final long maxcpus$offset() {
        return maxcpus$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint16_t maxcpus
     * }
     */
    public static short maxcpus(MemorySegment struct) {
        return struct.get(maxcpus$LAYOUT, maxcpus$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint16_t maxcpus
     * }
     */
    public static void maxcpus(MemorySegment struct, short fieldValue) {
        struct.set(maxcpus$LAYOUT, maxcpus$OFFSET, fieldValue);
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
