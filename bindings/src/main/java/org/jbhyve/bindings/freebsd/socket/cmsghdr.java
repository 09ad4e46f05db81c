// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.socket;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct cmsghdr {
 *     socklen_t cmsg_len;                    // offset   0, size   4
 *     int cmsg_level;                        // offset   4, size   4
 *     int cmsg_type;                         // offset   8, size   4
 * }; // sizeof 12
 * }
 * <p>A control-message header (sys/socket.h). The data follows at
 * {@link socket_h#CMSG_DATA_OFFSET} (16: the header size rounded up to 8); see
 * {@link socket_h#CMSG_LEN(long)} and {@link socket_h#CMSG_SPACE(long)}.
 * Reference: shared/reference/freebsd-bhyve.md section 1c (FreeBSD amd64 socket structures).
 */
public class cmsghdr {

    cmsghdr() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("cmsg_len"),
        ValueLayout.JAVA_INT.withName("cmsg_level"),
        ValueLayout.JAVA_INT.withName("cmsg_type")
    ).withName("cmsghdr");

    /**
     * The layout of this struct (12 bytes, 4-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt cmsg_len$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("cmsg_len"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * socklen_t cmsg_len
     * }
     */
    public static final ValueLayout.OfInt cmsg_len$layout() {
        return cmsg_len$LAYOUT;
    }

    private static final long cmsg_len$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_len"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * socklen_t cmsg_len
     * }
     */
    public static final long cmsg_len$offset() {
        return cmsg_len$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * socklen_t cmsg_len
     * }
     */
    public static int cmsg_len(MemorySegment struct) {
        return struct.get(cmsg_len$LAYOUT, cmsg_len$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * socklen_t cmsg_len
     * }
     */
    public static void cmsg_len(MemorySegment struct, int fieldValue) {
        struct.set(cmsg_len$LAYOUT, cmsg_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cmsg_level$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("cmsg_level"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int cmsg_level
     * }
     */
    public static final ValueLayout.OfInt cmsg_level$layout() {
        return cmsg_level$LAYOUT;
    }

    private static final long cmsg_level$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_level"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int cmsg_level
     * }
     */
    public static final long cmsg_level$offset() {
        return cmsg_level$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int cmsg_level
     * }
     */
    public static int cmsg_level(MemorySegment struct) {
        return struct.get(cmsg_level$LAYOUT, cmsg_level$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int cmsg_level
     * }
     */
    public static void cmsg_level(MemorySegment struct, int fieldValue) {
        struct.set(cmsg_level$LAYOUT, cmsg_level$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cmsg_type$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("cmsg_type"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int cmsg_type
     * }
     */
    public static final ValueLayout.OfInt cmsg_type$layout() {
        return cmsg_type$LAYOUT;
    }

    private static final long cmsg_type$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_type"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int cmsg_type
     * }
     */
    public static final long cmsg_type$offset() {
        return cmsg_type$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int cmsg_type
     * }
     */
    public static int cmsg_type(MemorySegment struct) {
        return struct.get(cmsg_type$LAYOUT, cmsg_type$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int cmsg_type
     * }
     */
    public static void cmsg_type(MemorySegment struct, int fieldValue) {
        struct.set(cmsg_type$LAYOUT, cmsg_type$OFFSET, fieldValue);
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
