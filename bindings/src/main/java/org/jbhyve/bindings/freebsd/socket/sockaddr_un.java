// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.socket;

import java.lang.foreign.*;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct sockaddr_un {
 *     uint8_t sun_len;                       // offset   0, size   1
 *     sa_family_t sun_family;                // offset   1, size   1
 *     char sun_path[104];                    // offset   2, size 104
 * }; // sizeof 106
 * }
 * <p>A FreeBSD {@code AF_UNIX} socket address: unlike Linux it starts with a length byte,
 * then an 8-bit family, then 104 path bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 1c (FreeBSD amd64 socket structures).
 */
public class sockaddr_un {

    sockaddr_un() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_BYTE.withName("sun_len"),
        ValueLayout.JAVA_BYTE.withName("sun_family"),
        MemoryLayout.sequenceLayout(104, ValueLayout.JAVA_BYTE).withName("sun_path")
    ).withName("sockaddr_un");

    /**
     * The layout of this struct (106 bytes, 1-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfByte sun_len$LAYOUT = (ValueLayout.OfByte)$LAYOUT.select(groupElement("sun_len"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint8_t sun_len
     * }
     */
    public static final ValueLayout.OfByte sun_len$layout() {
        return sun_len$LAYOUT;
    }

    private static final long sun_len$OFFSET = $LAYOUT.byteOffset(groupElement("sun_len"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint8_t sun_len
     * }
     */
    public static final long sun_len$offset() {
        return sun_len$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint8_t sun_len
     * }
     */
    public static byte sun_len(MemorySegment struct) {
        return struct.get(sun_len$LAYOUT, sun_len$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint8_t sun_len
     * }
     */
    public static void sun_len(MemorySegment struct, byte fieldValue) {
        struct.set(sun_len$LAYOUT, sun_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfByte sun_family$LAYOUT = (ValueLayout.OfByte)$LAYOUT.select(groupElement("sun_family"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * sa_family_t sun_family
     * }
     */
    public static final ValueLayout.OfByte sun_family$layout() {
        return sun_family$LAYOUT;
    }

    private static final long sun_family$OFFSET = $LAYOUT.byteOffset(groupElement("sun_family"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * sa_family_t sun_family
     * }
     */
    public static final long sun_family$offset() {
        return sun_family$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * sa_family_t sun_family
     * }
     */
    public static byte sun_family(MemorySegment struct) {
        return struct.get(sun_family$LAYOUT, sun_family$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * sa_family_t sun_family
     * }
     */
    public static void sun_family(MemorySegment struct, byte fieldValue) {
        struct.set(sun_family$LAYOUT, sun_family$OFFSET, fieldValue);
    }

    private static final SequenceLayout sun_path$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("sun_path"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * char sun_path[104]
     * }
     */
    public static final SequenceLayout sun_path$layout() {
        return sun_path$LAYOUT;
    }

    private static final long sun_path$OFFSET = $LAYOUT.byteOffset(groupElement("sun_path"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * char sun_path[104]
     * }
     */
    public static final long sun_path$offset() {
        return sun_path$OFFSET;
    }

    private static final long[] sun_path$DIMS = { 104 };

    /**
     * Dimensions for array field:
     * {@snippet lang=c :
     * char sun_path[104]
     * }
     */
    public static long[] sun_path$dimensions() {
        return sun_path$DIMS.clone();
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * char sun_path[104]
     * }
     */
    public static MemorySegment sun_path(MemorySegment struct) {
        return struct.asSlice(sun_path$OFFSET, sun_path$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * char sun_path[104]
     * }
     */
    public static void sun_path(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, sun_path$OFFSET, sun_path$LAYOUT.byteSize());
    }

    private static final VarHandle sun_path$ELEM_HANDLE = sun_path$LAYOUT.varHandle(sequenceElement());

    /**
     * Indexed getter for field:
     * {@snippet lang=c :
     * char sun_path[104]
     * }
     */
    public static byte sun_path(MemorySegment struct, long index0) {
        return (byte)sun_path$ELEM_HANDLE.get(struct, sun_path$OFFSET, index0);
    }

    /**
     * Indexed setter for field:
     * {@snippet lang=c :
     * char sun_path[104]
     * }
     */
    public static void sun_path(MemorySegment struct, long index0, byte fieldValue) {
        sun_path$ELEM_HANDLE.set(struct, sun_path$OFFSET, index0, fieldValue);
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
