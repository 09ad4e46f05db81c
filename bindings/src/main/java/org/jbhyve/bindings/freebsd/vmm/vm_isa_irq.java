// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_isa_irq {
 *     int atpic_irq;                         // offset   0, size   4
 *     int ioapic_irq;                        // offset   4, size   4
 * }; // sizeof 8
 * }
 * <p>Argument of {@code VM_ISA_ASSERT_IRQ}, {@code _DEASSERT_IRQ} and {@code _PULSE_IRQ}; -1 in either
 * field skips that controller. 8 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_isa_irq {

    vm_isa_irq() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("atpic_irq"),
        ValueLayout.JAVA_INT.withName("ioapic_irq")
    ).withName("vm_isa_irq");

    /**
     * The layout of this struct (8 bytes, 4-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt atpic_irq$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("atpic_irq"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int atpic_irq
     * }
     */
    public static final ValueLayout.OfInt atpic_irq$layout() {
        return atpic_irq$LAYOUT;
    }

    private static final long atpic_irq$OFFSET = $LAYOUT.byteOffset(groupElement("atpic_irq"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int atpic_irq
     * }
     */
    public static final long atpic_irq$offset() {
        return atpic_irq$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int atpic_irq
     * }
     */
    public static int atpic_irq(MemorySegment struct) {
        return struct.get(atpic_irq$LAYOUT, atpic_irq$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int atpic_irq
     * }
     */
    public static void atpic_irq(MemorySegment struct, int fieldValue) {
        struct.set(atpic_irq$LAYOUT, atpic_irq$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt ioapic_irq$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("ioapic_irq"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int ioapic_irq
     * }
     */
    public static final ValueLayout.OfInt ioapic_irq$layout() {
        return ioapic_irq$LAYOUT;
    }

    private static final long ioapic_irq$OFFSET = $LAYOUT.byteOffset(groupElement("ioapic_irq"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int ioapic_irq
     * }
     */
    public static final long ioapic_irq$offset() {
        return ioapic_irq$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int ioapic_irq
     * }
     */
    public static int ioapic_irq(MemorySegment struct) {
        return struct.get(ioapic_irq$LAYOUT, ioapic_irq$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int ioapic_irq
     * }
     */
    public static void ioapic_irq(MemorySegment struct, int fieldValue) {
        struct.set(ioapic_irq$LAYOUT, ioapic_irq$OFFSET, fieldValue);
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
