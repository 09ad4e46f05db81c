// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_task_switch {
 *     uint16_t tsssel;                       // offset   0, size   2
 *     int ext;                               // offset   4, size   4
 *     uint32_t errcode;                      // offset   8, size   4
 *     int errcode_valid;                     // offset  12, size   4
 *     enum task_switch_reason reason;        // offset  16, size   4
 *     struct vm_guest_paging paging;         // offset  24, size  24
 * }; // sizeof 48
 * }
 * <p>Collateral of a {@code VM_EXITCODE_TASK_SWITCH} exit, {@code vm_exit.u.task_switch}.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_task_switch {

    vm_task_switch() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_SHORT.withName("tsssel"),
        MemoryLayout.paddingLayout(2),
        ValueLayout.JAVA_INT.withName("ext"),
        ValueLayout.JAVA_INT.withName("errcode"),
        ValueLayout.JAVA_INT.withName("errcode_valid"),
        ValueLayout.JAVA_INT.withName("reason"),
        MemoryLayout.paddingLayout(4),
        vm_guest_paging.layout().withName("paging")
    ).withName("vm_task_switch");

    /**
     * The layout of this struct (48 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfShort tsssel$LAYOUT = (ValueLayout.OfShort)$LAYOUT.select(groupElement("tsssel"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint16_t tsssel
     * }
     */
    public static final ValueLayout.OfShort tsssel$layout() {
        return tsssel$LAYOUT;
    }

    private static final long tsssel$OFFSET = $LAYOUT.byteOffset(groupElement("tsssel"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint16_t tsssel
     * }
     */
    public static final long tsssel$offset() {
        return tsssel$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint16_t tsssel
     * }
     */
    public static short tsssel(MemorySegment struct) {
        return struct.get(tsssel$LAYOUT, tsssel$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint16_t tsssel
     * }
     */
    public static void tsssel(MemorySegment struct, short fieldValue) {
        struct.set(tsssel$LAYOUT, tsssel$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt ext$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("ext"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int ext
     * }
     */
    public static final ValueLayout.OfInt ext$layout() {
        return ext$LAYOUT;
    }

    private static final long ext$OFFSET = $LAYOUT.byteOffset(groupElement("ext"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int ext
     * }
     */
    public static final long ext$offset() {
        return ext$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int ext
     * }
     */
    public static int ext(MemorySegment struct) {
        return struct.get(ext$LAYOUT, ext$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int ext
     * }
     */
    public static void ext(MemorySegment struct, int fieldValue) {
        struct.set(ext$LAYOUT, ext$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt errcode$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("errcode"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint32_t errcode
     * }
     */
    public static final ValueLayout.OfInt errcode$layout() {
        return errcode$LAYOUT;
    }

    private static final long errcode$OFFSET = $LAYOUT.byteOffset(groupElement("errcode"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint32_t errcode
     * }
     */
    public static final long errcode$offset() {
        return errcode$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint32_t errcode
     * }
     */
    public static int errcode(MemorySegment struct) {
        return struct.get(errcode$LAYOUT, errcode$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint32_t errcode
     * }
     */
    public static void errcode(MemorySegment struct, int fieldValue) {
        struct.set(errcode$LAYOUT, errcode$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt errcode_valid$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("errcode_valid"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int errcode_valid
     * }
     */
    public static final ValueLayout.OfInt errcode_valid$layout() {
        return errcode_valid$LAYOUT;
    }

    private static final long errcode_valid$OFFSET = $LAYOUT.byteOffset(groupElement("errcode_valid"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int errcode_valid
     * }
     */
    public static final long errcode_valid$offset() {
        return errcode_valid$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int errcode_valid
     * }
     */
    public static int errcode_valid(MemorySegment struct) {
        return struct.get(errcode_valid$LAYOUT, errcode_valid$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int errcode_valid
     * }
     */
    public static void errcode_valid(MemorySegment struct, int fieldValue) {
        struct.set(errcode_valid$LAYOUT, errcode_valid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt reason$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("reason"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * enum task_switch_reason reason
     * }
     */
    public static final ValueLayout.OfInt reason$layout() {
        return reason$LAYOUT;
    }

    private static final long reason$OFFSET = $LAYOUT.byteOffset(groupElement("reason"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * enum task_switch_reason reason
     * }
     */
    public static final long reason$offset() {
        return reason$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * enum task_switch_reason reason
     * }
     */
    public static int reason(MemorySegment struct) {
        return struct.get(reason$LAYOUT, reason$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * enum task_switch_reason reason
     * }
     */
    public static void reason(MemorySegment struct, int fieldValue) {
        struct.set(reason$LAYOUT, reason$OFFSET, fieldValue);
    }

    private static final GroupLayout paging$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("paging"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * struct vm_guest_paging paging
     * }
     */
    public static final GroupLayout paging$layout() {
        return paging$LAYOUT;
    }

    private static final long paging$OFFSET = $LAYOUT.byteOffset(groupElement("paging"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * struct vm_guest_paging paging
     * }
     */
    public static final long paging$offset() {
        return paging$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * struct vm_guest_paging paging
     * }
     */
    public static MemorySegment paging(MemorySegment struct) {
        return struct.asSlice(paging$OFFSET, paging$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * struct vm_guest_paging paging
     * }
     */
    public static void paging(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, paging$OFFSET, paging$LAYOUT.byteSize());
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
