// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_register {
 *     int cpuid;                             // offset   0, size   4
 *     int regnum;                            // offset   4, size   4
 *     uint64_t regval;                       // offset   8, size   8
 * }; // sizeof 16
 * }
 * <p>Argument of {@code VM_SET_REGISTER}/{@code VM_GET_REGISTER}; {@code regnum} is a
 * {@code VM_REG_GUEST_*} value. 16 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_register {

    vm_register() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("cpuid"),
        ValueLayout.JAVA_INT.withName("regnum"),
        ValueLayout.JAVA_LONG.withName("regval")
    ).withName("vm_register");

    /**
     * The layout of this struct (16 bytes, 8-byte aligned)
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

    private static final ValueLayout.OfInt regnum$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("regnum"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int regnum
     * }
     */
    public static final ValueLayout.OfInt regnum$layout() {
        return regnum$LAYOUT;
    }

    private static final long regnum$OFFSET = $LAYOUT.byteOffset(groupElement("regnum"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int regnum
     * }
     */
    public static final long regnum$offset() {
        return regnum$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int regnum
     * }
     */
    public static int regnum(MemorySegment struct) {
        return struct.get(regnum$LAYOUT, regnum$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int regnum
     * }
     */
    public static void regnum(MemorySegment struct, int fieldValue) {
        struct.set(regnum$LAYOUT, regnum$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong regval$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("regval"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t regval
     * }
     */
    public static final ValueLayout.OfLong regval$layout() {
        return regval$LAYOUT;
    }

    private static final long regval$OFFSET = $LAYOUT.byteOffset(groupElement("regval"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t regval
     * }
     */
    public static final long regval$offset() {
        return regval$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t regval
     * }
     */
    public static long regval(MemorySegment struct) {
        return struct.get(regval$LAYOUT, regval$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t regval
     * }
     */
    public static void regval(MemorySegment struct, long fieldValue) {
        struct.set(regval$LAYOUT, regval$OFFSET, fieldValue);
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
