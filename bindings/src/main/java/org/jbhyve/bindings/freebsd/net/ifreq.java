// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 net/if.h; size and offsets pinned by FreeBsdNetTest. Not in
// shared/reference/freebsd-bhyve.md: taken from FreeBSD's sys/net/if.h, and compared with the real
// header by bindings/jextract/freebsd/regenerate.sh on a FreeBSD host.

package org.jbhyve.bindings.freebsd.net;

import java.lang.foreign.*;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct ifreq {
 *     char ifr_name[IFNAMSIZ];               // offset   0, size  16
 *     union {
 *         struct sockaddr ifru_addr;         //                size  16
 *         short ifru_flags[2];               //                size   4
 *         int ifru_mtu;                      //                size   4
 *         caddr_t ifru_data;                 //                size   8
 *         ...                                // (more members, none larger than 16 bytes)
 *     } ifr_ifru;                            // offset  16, size  16
 * }; // sizeof 32, aligned to 8
 * }
 * <p>The interface request of the {@code SIOC*IF*} socket ioctls and of {@code TAPGIFNAME}. The
 * union lists only the members jbhyve needs plus the two that fix its size and alignment
 * ({@code ifru_addr}, 16 bytes; {@code ifru_data}, a pointer); {@code struct sockaddr} is kept as
 * 16 opaque bytes. {@link #ifr_flags} stands for the C macro {@code ifr_flags}
 * ({@code ifr_ifru.ifru_flags[0]}), which jextract does not translate.
 */
public class ifreq {

    ifreq() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("ifr_name"),
        MemoryLayout.unionLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("ifru_addr"),
            MemoryLayout.sequenceLayout(2, ValueLayout.JAVA_SHORT).withName("ifru_flags"),
            ValueLayout.JAVA_INT.withName("ifru_mtu"),
            ValueLayout.ADDRESS.withName("ifru_data")
        ).withName("ifr_ifru")
    ).withName("ifreq");

    /**
     * The layout of this struct (32 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final SequenceLayout ifr_name$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("ifr_name"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * char ifr_name[16]
     * }
     */
    public static final SequenceLayout ifr_name$layout() {
        return ifr_name$LAYOUT;
    }

    private static final long ifr_name$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_name"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * char ifr_name[16]
     * }
     */
    public static final long ifr_name$offset() {
        return ifr_name$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * char ifr_name[16]
     * }
     */
    public static MemorySegment ifr_name(MemorySegment struct) {
        return struct.asSlice(ifr_name$OFFSET, ifr_name$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * char ifr_name[16]
     * }
     */
    public static void ifr_name(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, ifr_name$OFFSET, ifr_name$LAYOUT.byteSize());
    }

    private static final GroupLayout ifr_ifru$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("ifr_ifru"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * union { ... } ifr_ifru
     * }
     */
    public static final GroupLayout ifr_ifru$layout() {
        return ifr_ifru$LAYOUT;
    }

    private static final long ifr_ifru$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_ifru"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * union { ... } ifr_ifru
     * }
     */
    public static final long ifr_ifru$offset() {
        return ifr_ifru$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * union { ... } ifr_ifru
     * }
     */
    public static MemorySegment ifr_ifru(MemorySegment struct) {
        return struct.asSlice(ifr_ifru$OFFSET, ifr_ifru$LAYOUT.byteSize());
    }

    private static final VarHandle ifr_flags$HANDLE = $LAYOUT.varHandle(groupElement("ifr_ifru"),
            groupElement("ifru_flags"), sequenceElement(0));

    /** Offset of the C macro {@code ifr_flags}: {@code ifr_ifru.ifru_flags[0]}. */
    public static final long ifr_flags$offset() {
        return $LAYOUT.byteOffset(groupElement("ifr_ifru"), groupElement("ifru_flags"), sequenceElement(0));
    }

    /**
     * Getter for the C macro {@code ifr_flags} ({@code ifr_ifru.ifru_flags[0]}): the low 16 interface
     * flags ({@code IFF_UP}, ...).
     */
    public static short ifr_flags(MemorySegment struct) {
        return (short)ifr_flags$HANDLE.get(struct, 0L);
    }

    /** Setter for the C macro {@code ifr_flags} ({@code ifr_ifru.ifru_flags[0]}). */
    public static void ifr_flags(MemorySegment struct, short fieldValue) {
        ifr_flags$HANDLE.set(struct, 0L, fieldValue);
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
}
