// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_inout {
 *     uint16_t bytes:3, in:1, string:1, rep:1; // offset   0, size   2
 *     uint16_t port;                         // offset   2, size   2
 *     uint32_t eax;                          // offset   4, size   4
 * }; // sizeof 8
 * }
 * <p>Collateral of a {@code VM_EXITCODE_INOUT} exit, {@code vm_exit.u.inout}, and the first member of
 * {@link vm_inout_str}. The first 16 bits hold C bitfields, exposed here as the raw word
 * {@code bitfield} plus decode helpers ({@link #bytes(MemorySegment)}, {@link #in(MemorySegment)},
 * {@link #string(MemorySegment)}, {@link #rep(MemorySegment)}). {@code port} is unsigned; {@code eax}
 * holds the value of an OUT (and receives the value of an IN). 8 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 */
public class vm_inout {

    vm_inout() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_SHORT.withName("bitfield"),
        ValueLayout.JAVA_SHORT.withName("port"),
        ValueLayout.JAVA_INT.withName("eax")
    ).withName("vm_inout");

    /**
     * The layout of this struct (8 bytes, 4-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfShort bitfield$LAYOUT = (ValueLayout.OfShort)$LAYOUT.select(groupElement("bitfield"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint16_t bytes:3, in:1, string:1, rep:1
     * }
     */
    public static final ValueLayout.OfShort bitfield$layout() {
        return bitfield$LAYOUT;
    }

    private static final long bitfield$OFFSET = $LAYOUT.byteOffset(groupElement("bitfield"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint16_t bytes:3, in:1, string:1, rep:1
     * }
     */
    public static final long bitfield$offset() {
        return bitfield$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint16_t bytes:3, in:1, string:1, rep:1
     * }
     */
    public static short bitfield(MemorySegment struct) {
        return struct.get(bitfield$LAYOUT, bitfield$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint16_t bytes:3, in:1, string:1, rep:1
     * }
     */
    public static void bitfield(MemorySegment struct, short fieldValue) {
        struct.set(bitfield$LAYOUT, bitfield$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort port$LAYOUT = (ValueLayout.OfShort)$LAYOUT.select(groupElement("port"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint16_t port
     * }
     */
    public static final ValueLayout.OfShort port$layout() {
        return port$LAYOUT;
    }

    private static final long port$OFFSET = $LAYOUT.byteOffset(groupElement("port"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint16_t port
     * }
     */
    public static final long port$offset() {
        return port$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint16_t port
     * }
     */
    public static short port(MemorySegment struct) {
        return struct.get(port$LAYOUT, port$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint16_t port
     * }
     */
    public static void port(MemorySegment struct, short fieldValue) {
        struct.set(port$LAYOUT, port$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt eax$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("eax"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint32_t eax
     * }
     */
    public static final ValueLayout.OfInt eax$layout() {
        return eax$LAYOUT;
    }

    private static final long eax$OFFSET = $LAYOUT.byteOffset(groupElement("eax"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint32_t eax
     * }
     */
    public static final long eax$offset() {
        return eax$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint32_t eax
     * }
     */
    public static int eax(MemorySegment struct) {
        return struct.get(eax$LAYOUT, eax$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint32_t eax
     * }
     */
    public static void eax(MemorySegment struct, int fieldValue) {
        struct.set(eax$LAYOUT, eax$OFFSET, fieldValue);
    }

    // Bitfield helpers. jextract generates no accessors for C bitfields, so these stand in for them.
    // The System V amd64 ABI allocates bitfields from the least significant bit of their storage unit,
    // so in the first uint16_t: bytes = bits 0-2, in = bit 3, string = bit 4, rep = bit 5.

    /** Mask of the {@code bytes} bitfield (bits 0-2): the access size in bytes, 1, 2 or 4. */
    public static final int BYTES_MASK = 0x7;

    /** The {@code in} bit (bit 3): set for IN/INS, clear for OUT/OUTS. */
    public static final int IN_BIT = 1 << 3;

    /** The {@code string} bit (bit 4): set for INS/OUTS (a {@code VM_EXITCODE_INOUT_STR} exit). */
    public static final int STRING_BIT = 1 << 4;

    /** The {@code rep} bit (bit 5): set when the string instruction has a REP prefix. */
    public static final int REP_BIT = 1 << 5;

    /**
     * Decodes {@code bytes:3} from the raw bitfield word.
     */
    public static int bytes(short bitfield) {
        return bitfield & BYTES_MASK;
    }

    /**
     * Decodes {@code in:1} from the raw bitfield word.
     */
    public static boolean in(short bitfield) {
        return (bitfield & IN_BIT) != 0;
    }

    /**
     * Decodes {@code string:1} from the raw bitfield word.
     */
    public static boolean string(short bitfield) {
        return (bitfield & STRING_BIT) != 0;
    }

    /**
     * Decodes {@code rep:1} from the raw bitfield word.
     */
    public static boolean rep(short bitfield) {
        return (bitfield & REP_BIT) != 0;
    }

    /**
     * Getter for bitfield {@code uint16_t bytes:3} (1, 2 or 4).
     */
    public static int bytes(MemorySegment struct) {
        return bytes(bitfield(struct));
    }

    /**
     * Getter for bitfield {@code uint16_t in:1}.
     */
    public static boolean in(MemorySegment struct) {
        return in(bitfield(struct));
    }

    /**
     * Getter for bitfield {@code uint16_t string:1}.
     */
    public static boolean string(MemorySegment struct) {
        return string(bitfield(struct));
    }

    /**
     * Getter for bitfield {@code uint16_t rep:1}.
     */
    public static boolean rep(MemorySegment struct) {
        return rep(bitfield(struct));
    }

    /**
     * Encodes the four bitfields into the raw word stored at {@link #bitfield$offset()}; the other
     * ten bits are zero.
     *
     * @throws IllegalArgumentException if {@code bytes} does not fit in three bits
     */
    public static short encode(int bytes, boolean in, boolean string, boolean rep) {
        if ((bytes & ~BYTES_MASK) != 0) {
            throw new IllegalArgumentException("bytes does not fit in 3 bits: " + bytes);
        }
        return (short) (bytes | (in ? IN_BIT : 0) | (string ? STRING_BIT : 0) | (rep ? REP_BIT : 0));
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
