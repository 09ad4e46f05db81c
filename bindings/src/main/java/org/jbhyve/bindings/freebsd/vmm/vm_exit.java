// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 ABI; sizes and offsets are pinned by tests against shared/reference/freebsd-bhyve.md.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct vm_exit {
 *     enum vm_exitcode exitcode;             // offset   0, size   4
 *     int inst_length;                       // offset   4, size   4
 *     uint64_t rip;                          // offset   8, size   8
 *     union { ... } u;                       // offset  16, size 120
 * }; // sizeof 136
 * }
 * <p>What {@code VM_RUN} copies out to {@code vm_run.vm_exit}: the exit code (a
 * {@code VM_EXITCODE_*} value of {@link vmm_h}), the instruction length and RIP, then the
 * exit-specific union {@link vm_exit.u} at offset 16. 136 bytes.
 * Reference: shared/reference/freebsd-bhyve.md section 2 ("vmm ABI").
 * {@snippet :
 * MemorySegment u = vm_exit.u(exit);
 * MemorySegment io = vm_exit.u.inout(u);
 * int size = vm_inout.bytes(io);
 * boolean in = vm_inout.in(io);
 * int port = Short.toUnsignedInt(vm_inout.port(io));
 * }
 */
public class vm_exit {

    vm_exit() {
        // Should not be called directly
    }

    /**
     * {@snippet lang=c :
     * union {
     *     struct vm_inout inout;                 // offset   0, size   8
     *     struct vm_inout_str inout_str;         // offset   0, size  88
     *     struct { ... } paging;                 // offset   0, size  16
     *     struct { ... } inst_emul;              // offset   0, size 120
     *     struct { ... } vmx;                    // offset   0, size  24
     *     struct { ... } svm;                    // offset   0, size  24
     *     struct { ... } bpt;                    // offset   0, size   4
     *     struct { ... } dbg;                    // offset   0, size  40
     *     struct { ... } msr;                    // offset   0, size  16
     *     struct { ... } spinup_ap;              // offset   0, size  16
     *     struct { ... } hlt;                    // offset   0, size  16
     *     struct { ... } ioapic_eoi;             // offset   0, size   4
     *     struct { ... } suspended;              // offset   0, size   4
     *     struct { ... } ipi;                    // offset   0, size   8
     *     struct vm_task_switch task_switch;     // offset   0, size  48
     * }; // sizeof 120
     * }
     * <p>The exit-code specific union {@code vm_exit.u} (120 bytes). Offsets of members' fields are
     * relative to the union; use {@link vm_exit#u(MemorySegment)} to slice it out of an exit.
     */
    public static class u {

        u() {
            // Should not be called directly
        }

        /**
         * {@snippet lang=c :
         * struct {
         *     uint64_t gpa;                          // offset   0, size   8
         *     int fault_type;                        // offset   8, size   4
         * }; // sizeof 16
         * }
         * <p>{@code vm_exit.u.paging}: a nested page fault the kernel could not resolve.
         */
        public static class paging {

            paging() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_LONG.withName("gpa"),
                ValueLayout.JAVA_INT.withName("fault_type"),
                MemoryLayout.paddingLayout(4)
            ).withName("paging");

            /**
             * The layout of this struct (16 bytes, 8-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfLong gpa$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("gpa"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t gpa
             * }
             */
            public static final ValueLayout.OfLong gpa$layout() {
                return gpa$LAYOUT;
            }

            private static final long gpa$OFFSET = $LAYOUT.byteOffset(groupElement("gpa"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t gpa
             * }
             */
            public static final long gpa$offset() {
                return gpa$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t gpa
             * }
             */
            public static long gpa(MemorySegment struct) {
                return struct.get(gpa$LAYOUT, gpa$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t gpa
             * }
             */
            public static void gpa(MemorySegment struct, long fieldValue) {
                struct.set(gpa$LAYOUT, gpa$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfInt fault_type$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("fault_type"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int fault_type
             * }
             */
            public static final ValueLayout.OfInt fault_type$layout() {
                return fault_type$LAYOUT;
            }

            private static final long fault_type$OFFSET = $LAYOUT.byteOffset(groupElement("fault_type"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int fault_type
             * }
             */
            public static final long fault_type$offset() {
                return fault_type$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int fault_type
             * }
             */
            public static int fault_type(MemorySegment struct) {
                return struct.get(fault_type$LAYOUT, fault_type$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int fault_type
             * }
             */
            public static void fault_type(MemorySegment struct, int fieldValue) {
                struct.set(fault_type$LAYOUT, fault_type$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     uint64_t gpa;                          // offset   0, size   8
         *     uint64_t gla;                          // offset   8, size   8
         *     uint64_t cs_base;                      // offset  16, size   8
         *     int cs_d;                              // offset  24, size   4
         *     struct vm_guest_paging paging;         // offset  32, size  24
         *     struct vie vie;                        // offset  56, size  64
         * }; // sizeof 120
         * }
         * <p>{@code vm_exit.u.inst_emul}: an access to an unbacked GPA (MMIO). {@code vie} is the kernel's
         * instruction decoder state, kept opaque here.
         */
        public static class inst_emul {

            inst_emul() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_LONG.withName("gpa"),
                ValueLayout.JAVA_LONG.withName("gla"),
                ValueLayout.JAVA_LONG.withName("cs_base"),
                ValueLayout.JAVA_INT.withName("cs_d"),
                MemoryLayout.paddingLayout(4),
                vm_guest_paging.layout().withName("paging"),
                vie.layout().withName("vie")
            ).withName("inst_emul");

            /**
             * The layout of this struct (120 bytes, 8-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfLong gpa$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("gpa"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t gpa
             * }
             */
            public static final ValueLayout.OfLong gpa$layout() {
                return gpa$LAYOUT;
            }

            private static final long gpa$OFFSET = $LAYOUT.byteOffset(groupElement("gpa"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t gpa
             * }
             */
            public static final long gpa$offset() {
                return gpa$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t gpa
             * }
             */
            public static long gpa(MemorySegment struct) {
                return struct.get(gpa$LAYOUT, gpa$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t gpa
             * }
             */
            public static void gpa(MemorySegment struct, long fieldValue) {
                struct.set(gpa$LAYOUT, gpa$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfLong gla$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("gla"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t gla
             * }
             */
            public static final ValueLayout.OfLong gla$layout() {
                return gla$LAYOUT;
            }

            private static final long gla$OFFSET = $LAYOUT.byteOffset(groupElement("gla"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t gla
             * }
             */
            public static final long gla$offset() {
                return gla$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t gla
             * }
             */
            public static long gla(MemorySegment struct) {
                return struct.get(gla$LAYOUT, gla$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t gla
             * }
             */
            public static void gla(MemorySegment struct, long fieldValue) {
                struct.set(gla$LAYOUT, gla$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfLong cs_base$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("cs_base"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t cs_base
             * }
             */
            public static final ValueLayout.OfLong cs_base$layout() {
                return cs_base$LAYOUT;
            }

            private static final long cs_base$OFFSET = $LAYOUT.byteOffset(groupElement("cs_base"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t cs_base
             * }
             */
            public static final long cs_base$offset() {
                return cs_base$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t cs_base
             * }
             */
            public static long cs_base(MemorySegment struct) {
                return struct.get(cs_base$LAYOUT, cs_base$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t cs_base
             * }
             */
            public static void cs_base(MemorySegment struct, long fieldValue) {
                struct.set(cs_base$LAYOUT, cs_base$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfInt cs_d$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("cs_d"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int cs_d
             * }
             */
            public static final ValueLayout.OfInt cs_d$layout() {
                return cs_d$LAYOUT;
            }

            private static final long cs_d$OFFSET = $LAYOUT.byteOffset(groupElement("cs_d"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int cs_d
             * }
             */
            public static final long cs_d$offset() {
                return cs_d$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int cs_d
             * }
             */
            public static int cs_d(MemorySegment struct) {
                return struct.get(cs_d$LAYOUT, cs_d$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int cs_d
             * }
             */
            public static void cs_d(MemorySegment struct, int fieldValue) {
                struct.set(cs_d$LAYOUT, cs_d$OFFSET, fieldValue);
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

            private static final GroupLayout vie$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("vie"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * struct vie vie
             * }
             */
            public static final GroupLayout vie$layout() {
                return vie$LAYOUT;
            }

            private static final long vie$OFFSET = $LAYOUT.byteOffset(groupElement("vie"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * struct vie vie
             * }
             */
            public static final long vie$offset() {
                return vie$OFFSET;
            }

            /**
             * Getter for field (a slice of {@code struct}, not a copy):
             * {@snippet lang=c :
             * struct vie vie
             * }
             */
            public static MemorySegment vie(MemorySegment struct) {
                return struct.asSlice(vie$OFFSET, vie$LAYOUT.byteSize());
            }

            /**
             * Setter for field (copies {@code fieldValue} in):
             * {@snippet lang=c :
             * struct vie vie
             * }
             */
            public static void vie(MemorySegment struct, MemorySegment fieldValue) {
                MemorySegment.copy(fieldValue, 0L, struct, vie$OFFSET, vie$LAYOUT.byteSize());
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

        /**
         * {@snippet lang=c :
         * struct {
         *     int status;                            // offset   0, size   4
         *     uint32_t exit_reason;                  // offset   4, size   4
         *     uint64_t exit_qualification;           // offset   8, size   8
         *     int inst_type;                         // offset  16, size   4
         *     int inst_error;                        // offset  20, size   4
         * }; // sizeof 24
         * }
         * <p>{@code vm_exit.u.vmx}: raw Intel VMX exit information.
         */
        public static class vmx {

            vmx() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("status"),
                ValueLayout.JAVA_INT.withName("exit_reason"),
                ValueLayout.JAVA_LONG.withName("exit_qualification"),
                ValueLayout.JAVA_INT.withName("inst_type"),
                ValueLayout.JAVA_INT.withName("inst_error")
            ).withName("vmx");

            /**
             * The layout of this struct (24 bytes, 8-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfInt status$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("status"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int status
             * }
             */
            public static final ValueLayout.OfInt status$layout() {
                return status$LAYOUT;
            }

            private static final long status$OFFSET = $LAYOUT.byteOffset(groupElement("status"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int status
             * }
             */
            public static final long status$offset() {
                return status$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int status
             * }
             */
            public static int status(MemorySegment struct) {
                return struct.get(status$LAYOUT, status$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int status
             * }
             */
            public static void status(MemorySegment struct, int fieldValue) {
                struct.set(status$LAYOUT, status$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfInt exit_reason$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("exit_reason"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint32_t exit_reason
             * }
             */
            public static final ValueLayout.OfInt exit_reason$layout() {
                return exit_reason$LAYOUT;
            }

            private static final long exit_reason$OFFSET = $LAYOUT.byteOffset(groupElement("exit_reason"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint32_t exit_reason
             * }
             */
            public static final long exit_reason$offset() {
                return exit_reason$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint32_t exit_reason
             * }
             */
            public static int exit_reason(MemorySegment struct) {
                return struct.get(exit_reason$LAYOUT, exit_reason$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint32_t exit_reason
             * }
             */
            public static void exit_reason(MemorySegment struct, int fieldValue) {
                struct.set(exit_reason$LAYOUT, exit_reason$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfLong exit_qualification$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("exit_qualification"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t exit_qualification
             * }
             */
            public static final ValueLayout.OfLong exit_qualification$layout() {
                return exit_qualification$LAYOUT;
            }

            private static final long exit_qualification$OFFSET = $LAYOUT.byteOffset(groupElement("exit_qualification"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t exit_qualification
             * }
             */
            public static final long exit_qualification$offset() {
                return exit_qualification$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t exit_qualification
             * }
             */
            public static long exit_qualification(MemorySegment struct) {
                return struct.get(exit_qualification$LAYOUT, exit_qualification$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t exit_qualification
             * }
             */
            public static void exit_qualification(MemorySegment struct, long fieldValue) {
                struct.set(exit_qualification$LAYOUT, exit_qualification$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfInt inst_type$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("inst_type"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int inst_type
             * }
             */
            public static final ValueLayout.OfInt inst_type$layout() {
                return inst_type$LAYOUT;
            }

            private static final long inst_type$OFFSET = $LAYOUT.byteOffset(groupElement("inst_type"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int inst_type
             * }
             */
            public static final long inst_type$offset() {
                return inst_type$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int inst_type
             * }
             */
            public static int inst_type(MemorySegment struct) {
                return struct.get(inst_type$LAYOUT, inst_type$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int inst_type
             * }
             */
            public static void inst_type(MemorySegment struct, int fieldValue) {
                struct.set(inst_type$LAYOUT, inst_type$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfInt inst_error$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("inst_error"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int inst_error
             * }
             */
            public static final ValueLayout.OfInt inst_error$layout() {
                return inst_error$LAYOUT;
            }

            private static final long inst_error$OFFSET = $LAYOUT.byteOffset(groupElement("inst_error"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int inst_error
             * }
             */
            public static final long inst_error$offset() {
                return inst_error$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int inst_error
             * }
             */
            public static int inst_error(MemorySegment struct) {
                return struct.get(inst_error$LAYOUT, inst_error$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int inst_error
             * }
             */
            public static void inst_error(MemorySegment struct, int fieldValue) {
                struct.set(inst_error$LAYOUT, inst_error$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     uint64_t exitcode;                     // offset   0, size   8
         *     uint64_t exitinfo1;                    // offset   8, size   8
         *     uint64_t exitinfo2;                    // offset  16, size   8
         * }; // sizeof 24
         * }
         * <p>{@code vm_exit.u.svm}: raw AMD SVM exit information.
         */
        public static class svm {

            svm() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_LONG.withName("exitcode"),
                ValueLayout.JAVA_LONG.withName("exitinfo1"),
                ValueLayout.JAVA_LONG.withName("exitinfo2")
            ).withName("svm");

            /**
             * The layout of this struct (24 bytes, 8-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfLong exitcode$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("exitcode"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t exitcode
             * }
             */
            public static final ValueLayout.OfLong exitcode$layout() {
                return exitcode$LAYOUT;
            }

            private static final long exitcode$OFFSET = $LAYOUT.byteOffset(groupElement("exitcode"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t exitcode
             * }
             */
            public static final long exitcode$offset() {
                return exitcode$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t exitcode
             * }
             */
            public static long exitcode(MemorySegment struct) {
                return struct.get(exitcode$LAYOUT, exitcode$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t exitcode
             * }
             */
            public static void exitcode(MemorySegment struct, long fieldValue) {
                struct.set(exitcode$LAYOUT, exitcode$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfLong exitinfo1$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("exitinfo1"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t exitinfo1
             * }
             */
            public static final ValueLayout.OfLong exitinfo1$layout() {
                return exitinfo1$LAYOUT;
            }

            private static final long exitinfo1$OFFSET = $LAYOUT.byteOffset(groupElement("exitinfo1"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t exitinfo1
             * }
             */
            public static final long exitinfo1$offset() {
                return exitinfo1$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t exitinfo1
             * }
             */
            public static long exitinfo1(MemorySegment struct) {
                return struct.get(exitinfo1$LAYOUT, exitinfo1$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t exitinfo1
             * }
             */
            public static void exitinfo1(MemorySegment struct, long fieldValue) {
                struct.set(exitinfo1$LAYOUT, exitinfo1$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfLong exitinfo2$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("exitinfo2"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t exitinfo2
             * }
             */
            public static final ValueLayout.OfLong exitinfo2$layout() {
                return exitinfo2$LAYOUT;
            }

            private static final long exitinfo2$OFFSET = $LAYOUT.byteOffset(groupElement("exitinfo2"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t exitinfo2
             * }
             */
            public static final long exitinfo2$offset() {
                return exitinfo2$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t exitinfo2
             * }
             */
            public static long exitinfo2(MemorySegment struct) {
                return struct.get(exitinfo2$LAYOUT, exitinfo2$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t exitinfo2
             * }
             */
            public static void exitinfo2(MemorySegment struct, long fieldValue) {
                struct.set(exitinfo2$LAYOUT, exitinfo2$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     int inst_length;                       // offset   0, size   4
         * }; // sizeof 4
         * }
         * <p>{@code vm_exit.u.bpt}: a guest breakpoint (INT3).
         */
        public static class bpt {

            bpt() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("inst_length")
            ).withName("bpt");

            /**
             * The layout of this struct (4 bytes, 4-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfInt inst_length$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("inst_length"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int inst_length
             * }
             */
            public static final ValueLayout.OfInt inst_length$layout() {
                return inst_length$LAYOUT;
            }

            private static final long inst_length$OFFSET = $LAYOUT.byteOffset(groupElement("inst_length"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int inst_length
             * }
             */
            public static final long inst_length$offset() {
                return inst_length$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int inst_length
             * }
             */
            public static int inst_length(MemorySegment struct) {
                return struct.get(inst_length$LAYOUT, inst_length$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int inst_length
             * }
             */
            public static void inst_length(MemorySegment struct, int fieldValue) {
                struct.set(inst_length$LAYOUT, inst_length$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     int trace_trap;                        // offset   0, size   4
         *     int pushf_intercept;                   // offset   4, size   4
         *     int tf_shadow_val;                     // offset   8, size   4
         *     struct vm_guest_paging paging;         // offset  16, size  24
         * }; // sizeof 40
         * }
         * <p>{@code vm_exit.u.dbg}: single-step (RFLAGS.TF) state.
         */
        public static class dbg {

            dbg() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("trace_trap"),
                ValueLayout.JAVA_INT.withName("pushf_intercept"),
                ValueLayout.JAVA_INT.withName("tf_shadow_val"),
                MemoryLayout.paddingLayout(4),
                vm_guest_paging.layout().withName("paging")
            ).withName("dbg");

            /**
             * The layout of this struct (40 bytes, 8-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfInt trace_trap$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("trace_trap"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int trace_trap
             * }
             */
            public static final ValueLayout.OfInt trace_trap$layout() {
                return trace_trap$LAYOUT;
            }

            private static final long trace_trap$OFFSET = $LAYOUT.byteOffset(groupElement("trace_trap"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int trace_trap
             * }
             */
            public static final long trace_trap$offset() {
                return trace_trap$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int trace_trap
             * }
             */
            public static int trace_trap(MemorySegment struct) {
                return struct.get(trace_trap$LAYOUT, trace_trap$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int trace_trap
             * }
             */
            public static void trace_trap(MemorySegment struct, int fieldValue) {
                struct.set(trace_trap$LAYOUT, trace_trap$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfInt pushf_intercept$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("pushf_intercept"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int pushf_intercept
             * }
             */
            public static final ValueLayout.OfInt pushf_intercept$layout() {
                return pushf_intercept$LAYOUT;
            }

            private static final long pushf_intercept$OFFSET = $LAYOUT.byteOffset(groupElement("pushf_intercept"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int pushf_intercept
             * }
             */
            public static final long pushf_intercept$offset() {
                return pushf_intercept$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int pushf_intercept
             * }
             */
            public static int pushf_intercept(MemorySegment struct) {
                return struct.get(pushf_intercept$LAYOUT, pushf_intercept$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int pushf_intercept
             * }
             */
            public static void pushf_intercept(MemorySegment struct, int fieldValue) {
                struct.set(pushf_intercept$LAYOUT, pushf_intercept$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfInt tf_shadow_val$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("tf_shadow_val"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int tf_shadow_val
             * }
             */
            public static final ValueLayout.OfInt tf_shadow_val$layout() {
                return tf_shadow_val$LAYOUT;
            }

            private static final long tf_shadow_val$OFFSET = $LAYOUT.byteOffset(groupElement("tf_shadow_val"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int tf_shadow_val
             * }
             */
            public static final long tf_shadow_val$offset() {
                return tf_shadow_val$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int tf_shadow_val
             * }
             */
            public static int tf_shadow_val(MemorySegment struct) {
                return struct.get(tf_shadow_val$LAYOUT, tf_shadow_val$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int tf_shadow_val
             * }
             */
            public static void tf_shadow_val(MemorySegment struct, int fieldValue) {
                struct.set(tf_shadow_val$LAYOUT, tf_shadow_val$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     uint32_t code;                         // offset   0, size   4
         *     uint64_t wval;                         // offset   8, size   8
         * }; // sizeof 16
         * }
         * <p>{@code vm_exit.u.msr}: RDMSR/WRMSR; {@code code} is ECX, {@code wval} the value written.
         */
        public static class msr {

            msr() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("code"),
                MemoryLayout.paddingLayout(4),
                ValueLayout.JAVA_LONG.withName("wval")
            ).withName("msr");

            /**
             * The layout of this struct (16 bytes, 8-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfInt code$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("code"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint32_t code
             * }
             */
            public static final ValueLayout.OfInt code$layout() {
                return code$LAYOUT;
            }

            private static final long code$OFFSET = $LAYOUT.byteOffset(groupElement("code"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint32_t code
             * }
             */
            public static final long code$offset() {
                return code$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint32_t code
             * }
             */
            public static int code(MemorySegment struct) {
                return struct.get(code$LAYOUT, code$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint32_t code
             * }
             */
            public static void code(MemorySegment struct, int fieldValue) {
                struct.set(code$LAYOUT, code$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfLong wval$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("wval"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t wval
             * }
             */
            public static final ValueLayout.OfLong wval$layout() {
                return wval$LAYOUT;
            }

            private static final long wval$OFFSET = $LAYOUT.byteOffset(groupElement("wval"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t wval
             * }
             */
            public static final long wval$offset() {
                return wval$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t wval
             * }
             */
            public static long wval(MemorySegment struct) {
                return struct.get(wval$LAYOUT, wval$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t wval
             * }
             */
            public static void wval(MemorySegment struct, long fieldValue) {
                struct.set(wval$LAYOUT, wval$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     int vcpu;                              // offset   0, size   4
         *     uint64_t rip;                          // offset   8, size   8
         * }; // sizeof 16
         * }
         * <p>{@code vm_exit.u.spinup_ap} (obsolete exit code, kept for the layout).
         */
        public static class spinup_ap {

            spinup_ap() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("vcpu"),
                MemoryLayout.paddingLayout(4),
                ValueLayout.JAVA_LONG.withName("rip")
            ).withName("spinup_ap");

            /**
             * The layout of this struct (16 bytes, 8-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfInt vcpu$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("vcpu"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int vcpu
             * }
             */
            public static final ValueLayout.OfInt vcpu$layout() {
                return vcpu$LAYOUT;
            }

            private static final long vcpu$OFFSET = $LAYOUT.byteOffset(groupElement("vcpu"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int vcpu
             * }
             */
            public static final long vcpu$offset() {
                return vcpu$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int vcpu
             * }
             */
            public static int vcpu(MemorySegment struct) {
                return struct.get(vcpu$LAYOUT, vcpu$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int vcpu
             * }
             */
            public static void vcpu(MemorySegment struct, int fieldValue) {
                struct.set(vcpu$LAYOUT, vcpu$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfLong rip$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("rip"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t rip
             * }
             */
            public static final ValueLayout.OfLong rip$layout() {
                return rip$LAYOUT;
            }

            private static final long rip$OFFSET = $LAYOUT.byteOffset(groupElement("rip"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t rip
             * }
             */
            public static final long rip$offset() {
                return rip$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t rip
             * }
             */
            public static long rip(MemorySegment struct) {
                return struct.get(rip$LAYOUT, rip$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t rip
             * }
             */
            public static void rip(MemorySegment struct, long fieldValue) {
                struct.set(rip$LAYOUT, rip$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     uint64_t rflags;                       // offset   0, size   8
         *     uint64_t intr_status;                  // offset   8, size   8
         * }; // sizeof 16
         * }
         * <p>{@code vm_exit.u.hlt}.
         */
        public static class hlt {

            hlt() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_LONG.withName("rflags"),
                ValueLayout.JAVA_LONG.withName("intr_status")
            ).withName("hlt");

            /**
             * The layout of this struct (16 bytes, 8-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfLong rflags$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("rflags"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t rflags
             * }
             */
            public static final ValueLayout.OfLong rflags$layout() {
                return rflags$LAYOUT;
            }

            private static final long rflags$OFFSET = $LAYOUT.byteOffset(groupElement("rflags"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t rflags
             * }
             */
            public static final long rflags$offset() {
                return rflags$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t rflags
             * }
             */
            public static long rflags(MemorySegment struct) {
                return struct.get(rflags$LAYOUT, rflags$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t rflags
             * }
             */
            public static void rflags(MemorySegment struct, long fieldValue) {
                struct.set(rflags$LAYOUT, rflags$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfLong intr_status$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("intr_status"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint64_t intr_status
             * }
             */
            public static final ValueLayout.OfLong intr_status$layout() {
                return intr_status$LAYOUT;
            }

            private static final long intr_status$OFFSET = $LAYOUT.byteOffset(groupElement("intr_status"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint64_t intr_status
             * }
             */
            public static final long intr_status$offset() {
                return intr_status$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint64_t intr_status
             * }
             */
            public static long intr_status(MemorySegment struct) {
                return struct.get(intr_status$LAYOUT, intr_status$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint64_t intr_status
             * }
             */
            public static void intr_status(MemorySegment struct, long fieldValue) {
                struct.set(intr_status$LAYOUT, intr_status$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     int vector;                            // offset   0, size   4
         * }; // sizeof 4
         * }
         * <p>{@code vm_exit.u.ioapic_eoi}.
         */
        public static class ioapic_eoi {

            ioapic_eoi() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("vector")
            ).withName("ioapic_eoi");

            /**
             * The layout of this struct (4 bytes, 4-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfInt vector$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("vector"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * int vector
             * }
             */
            public static final ValueLayout.OfInt vector$layout() {
                return vector$LAYOUT;
            }

            private static final long vector$OFFSET = $LAYOUT.byteOffset(groupElement("vector"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * int vector
             * }
             */
            public static final long vector$offset() {
                return vector$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * int vector
             * }
             */
            public static int vector(MemorySegment struct) {
                return struct.get(vector$LAYOUT, vector$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * int vector
             * }
             */
            public static void vector(MemorySegment struct, int fieldValue) {
                struct.set(vector$LAYOUT, vector$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     enum vm_suspend_how how;               // offset   0, size   4
         * }; // sizeof 4
         * }
         * <p>{@code vm_exit.u.suspended}: {@code how} is a {@code VM_SUSPEND_*} value.
         */
        public static class suspended {

            suspended() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("how")
            ).withName("suspended");

            /**
             * The layout of this struct (4 bytes, 4-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfInt how$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("how"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * enum vm_suspend_how how
             * }
             */
            public static final ValueLayout.OfInt how$layout() {
                return how$LAYOUT;
            }

            private static final long how$OFFSET = $LAYOUT.byteOffset(groupElement("how"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * enum vm_suspend_how how
             * }
             */
            public static final long how$offset() {
                return how$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * enum vm_suspend_how how
             * }
             */
            public static int how(MemorySegment struct) {
                return struct.get(how$LAYOUT, how$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * enum vm_suspend_how how
             * }
             */
            public static void how(MemorySegment struct, int fieldValue) {
                struct.set(how$LAYOUT, how$OFFSET, fieldValue);
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

        /**
         * {@snippet lang=c :
         * struct {
         *     uint32_t mode;                         // offset   0, size   4
         *     uint8_t vector;                        // offset   4, size   1
         * }; // sizeof 8
         * }
         * <p>{@code vm_exit.u.ipi}; the destination set is copied to {@code vm_run.cpuset}.
         */
        public static class ipi {

            ipi() {
                // Should not be called directly
            }

            private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("mode"),
                ValueLayout.JAVA_BYTE.withName("vector"),
                MemoryLayout.paddingLayout(3)
            ).withName("ipi");

            /**
             * The layout of this struct (8 bytes, 4-byte aligned)
             */
            public static final GroupLayout layout() {
                return $LAYOUT;
            }

            private static final ValueLayout.OfInt mode$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("mode"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint32_t mode
             * }
             */
            public static final ValueLayout.OfInt mode$layout() {
                return mode$LAYOUT;
            }

            private static final long mode$OFFSET = $LAYOUT.byteOffset(groupElement("mode"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint32_t mode
             * }
             */
            public static final long mode$offset() {
                return mode$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint32_t mode
             * }
             */
            public static int mode(MemorySegment struct) {
                return struct.get(mode$LAYOUT, mode$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint32_t mode
             * }
             */
            public static void mode(MemorySegment struct, int fieldValue) {
                struct.set(mode$LAYOUT, mode$OFFSET, fieldValue);
            }

            private static final ValueLayout.OfByte vector$LAYOUT = (ValueLayout.OfByte)$LAYOUT.select(groupElement("vector"));

            /**
             * Layout for field:
             * {@snippet lang=c :
             * uint8_t vector
             * }
             */
            public static final ValueLayout.OfByte vector$layout() {
                return vector$LAYOUT;
            }

            private static final long vector$OFFSET = $LAYOUT.byteOffset(groupElement("vector"));

            /**
             * Offset for field:
             * {@snippet lang=c :
             * uint8_t vector
             * }
             */
            public static final long vector$offset() {
                return vector$OFFSET;
            }

            /**
             * Getter for field:
             * {@snippet lang=c :
             * uint8_t vector
             * }
             */
            public static byte vector(MemorySegment struct) {
                return struct.get(vector$LAYOUT, vector$OFFSET);
            }

            /**
             * Setter for field:
             * {@snippet lang=c :
             * uint8_t vector
             * }
             */
            public static void vector(MemorySegment struct, byte fieldValue) {
                struct.set(vector$LAYOUT, vector$OFFSET, fieldValue);
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

        private static final GroupLayout $LAYOUT = MemoryLayout.unionLayout(
            vm_inout.layout().withName("inout"),
            vm_inout_str.layout().withName("inout_str"),
            paging.layout().withName("paging"),
            inst_emul.layout().withName("inst_emul"),
            vmx.layout().withName("vmx"),
            svm.layout().withName("svm"),
            bpt.layout().withName("bpt"),
            dbg.layout().withName("dbg"),
            msr.layout().withName("msr"),
            spinup_ap.layout().withName("spinup_ap"),
            hlt.layout().withName("hlt"),
            ioapic_eoi.layout().withName("ioapic_eoi"),
            suspended.layout().withName("suspended"),
            ipi.layout().withName("ipi"),
            vm_task_switch.layout().withName("task_switch")
        ).withName("u");

        /**
         * The layout of this union (120 bytes, 8-byte aligned)
         */
        public static final GroupLayout layout() {
            return $LAYOUT;
        }

        private static final GroupLayout inout$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("inout"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct vm_inout inout
         * }
         */
        public static final GroupLayout inout$layout() {
            return inout$LAYOUT;
        }

        private static final long inout$OFFSET = $LAYOUT.byteOffset(groupElement("inout"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct vm_inout inout
         * }
         */
        public static final long inout$offset() {
            return inout$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct vm_inout inout
         * }
         */
        public static MemorySegment inout(MemorySegment union) {
            return union.asSlice(inout$OFFSET, inout$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct vm_inout inout
         * }
         */
        public static void inout(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, inout$OFFSET, inout$LAYOUT.byteSize());
        }

        private static final GroupLayout inout_str$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("inout_str"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct vm_inout_str inout_str
         * }
         */
        public static final GroupLayout inout_str$layout() {
            return inout_str$LAYOUT;
        }

        private static final long inout_str$OFFSET = $LAYOUT.byteOffset(groupElement("inout_str"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct vm_inout_str inout_str
         * }
         */
        public static final long inout_str$offset() {
            return inout_str$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct vm_inout_str inout_str
         * }
         */
        public static MemorySegment inout_str(MemorySegment union) {
            return union.asSlice(inout_str$OFFSET, inout_str$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct vm_inout_str inout_str
         * }
         */
        public static void inout_str(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, inout_str$OFFSET, inout_str$LAYOUT.byteSize());
        }

        private static final GroupLayout paging$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("paging"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } paging
         * }
         */
        public static final GroupLayout paging$layout() {
            return paging$LAYOUT;
        }

        private static final long paging$OFFSET = $LAYOUT.byteOffset(groupElement("paging"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } paging
         * }
         */
        public static final long paging$offset() {
            return paging$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } paging
         * }
         */
        public static MemorySegment paging(MemorySegment union) {
            return union.asSlice(paging$OFFSET, paging$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } paging
         * }
         */
        public static void paging(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, paging$OFFSET, paging$LAYOUT.byteSize());
        }

        private static final GroupLayout inst_emul$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("inst_emul"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } inst_emul
         * }
         */
        public static final GroupLayout inst_emul$layout() {
            return inst_emul$LAYOUT;
        }

        private static final long inst_emul$OFFSET = $LAYOUT.byteOffset(groupElement("inst_emul"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } inst_emul
         * }
         */
        public static final long inst_emul$offset() {
            return inst_emul$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } inst_emul
         * }
         */
        public static MemorySegment inst_emul(MemorySegment union) {
            return union.asSlice(inst_emul$OFFSET, inst_emul$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } inst_emul
         * }
         */
        public static void inst_emul(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, inst_emul$OFFSET, inst_emul$LAYOUT.byteSize());
        }

        private static final GroupLayout vmx$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("vmx"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } vmx
         * }
         */
        public static final GroupLayout vmx$layout() {
            return vmx$LAYOUT;
        }

        private static final long vmx$OFFSET = $LAYOUT.byteOffset(groupElement("vmx"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } vmx
         * }
         */
        public static final long vmx$offset() {
            return vmx$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } vmx
         * }
         */
        public static MemorySegment vmx(MemorySegment union) {
            return union.asSlice(vmx$OFFSET, vmx$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } vmx
         * }
         */
        public static void vmx(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, vmx$OFFSET, vmx$LAYOUT.byteSize());
        }

        private static final GroupLayout svm$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("svm"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } svm
         * }
         */
        public static final GroupLayout svm$layout() {
            return svm$LAYOUT;
        }

        private static final long svm$OFFSET = $LAYOUT.byteOffset(groupElement("svm"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } svm
         * }
         */
        public static final long svm$offset() {
            return svm$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } svm
         * }
         */
        public static MemorySegment svm(MemorySegment union) {
            return union.asSlice(svm$OFFSET, svm$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } svm
         * }
         */
        public static void svm(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, svm$OFFSET, svm$LAYOUT.byteSize());
        }

        private static final GroupLayout bpt$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("bpt"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } bpt
         * }
         */
        public static final GroupLayout bpt$layout() {
            return bpt$LAYOUT;
        }

        private static final long bpt$OFFSET = $LAYOUT.byteOffset(groupElement("bpt"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } bpt
         * }
         */
        public static final long bpt$offset() {
            return bpt$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } bpt
         * }
         */
        public static MemorySegment bpt(MemorySegment union) {
            return union.asSlice(bpt$OFFSET, bpt$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } bpt
         * }
         */
        public static void bpt(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, bpt$OFFSET, bpt$LAYOUT.byteSize());
        }

        private static final GroupLayout dbg$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("dbg"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } dbg
         * }
         */
        public static final GroupLayout dbg$layout() {
            return dbg$LAYOUT;
        }

        private static final long dbg$OFFSET = $LAYOUT.byteOffset(groupElement("dbg"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } dbg
         * }
         */
        public static final long dbg$offset() {
            return dbg$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } dbg
         * }
         */
        public static MemorySegment dbg(MemorySegment union) {
            return union.asSlice(dbg$OFFSET, dbg$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } dbg
         * }
         */
        public static void dbg(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, dbg$OFFSET, dbg$LAYOUT.byteSize());
        }

        private static final GroupLayout msr$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("msr"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } msr
         * }
         */
        public static final GroupLayout msr$layout() {
            return msr$LAYOUT;
        }

        private static final long msr$OFFSET = $LAYOUT.byteOffset(groupElement("msr"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } msr
         * }
         */
        public static final long msr$offset() {
            return msr$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } msr
         * }
         */
        public static MemorySegment msr(MemorySegment union) {
            return union.asSlice(msr$OFFSET, msr$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } msr
         * }
         */
        public static void msr(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, msr$OFFSET, msr$LAYOUT.byteSize());
        }

        private static final GroupLayout spinup_ap$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("spinup_ap"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } spinup_ap
         * }
         */
        public static final GroupLayout spinup_ap$layout() {
            return spinup_ap$LAYOUT;
        }

        private static final long spinup_ap$OFFSET = $LAYOUT.byteOffset(groupElement("spinup_ap"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } spinup_ap
         * }
         */
        public static final long spinup_ap$offset() {
            return spinup_ap$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } spinup_ap
         * }
         */
        public static MemorySegment spinup_ap(MemorySegment union) {
            return union.asSlice(spinup_ap$OFFSET, spinup_ap$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } spinup_ap
         * }
         */
        public static void spinup_ap(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, spinup_ap$OFFSET, spinup_ap$LAYOUT.byteSize());
        }

        private static final GroupLayout hlt$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("hlt"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } hlt
         * }
         */
        public static final GroupLayout hlt$layout() {
            return hlt$LAYOUT;
        }

        private static final long hlt$OFFSET = $LAYOUT.byteOffset(groupElement("hlt"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } hlt
         * }
         */
        public static final long hlt$offset() {
            return hlt$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } hlt
         * }
         */
        public static MemorySegment hlt(MemorySegment union) {
            return union.asSlice(hlt$OFFSET, hlt$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } hlt
         * }
         */
        public static void hlt(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, hlt$OFFSET, hlt$LAYOUT.byteSize());
        }

        private static final GroupLayout ioapic_eoi$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("ioapic_eoi"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } ioapic_eoi
         * }
         */
        public static final GroupLayout ioapic_eoi$layout() {
            return ioapic_eoi$LAYOUT;
        }

        private static final long ioapic_eoi$OFFSET = $LAYOUT.byteOffset(groupElement("ioapic_eoi"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } ioapic_eoi
         * }
         */
        public static final long ioapic_eoi$offset() {
            return ioapic_eoi$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } ioapic_eoi
         * }
         */
        public static MemorySegment ioapic_eoi(MemorySegment union) {
            return union.asSlice(ioapic_eoi$OFFSET, ioapic_eoi$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } ioapic_eoi
         * }
         */
        public static void ioapic_eoi(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, ioapic_eoi$OFFSET, ioapic_eoi$LAYOUT.byteSize());
        }

        private static final GroupLayout suspended$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("suspended"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } suspended
         * }
         */
        public static final GroupLayout suspended$layout() {
            return suspended$LAYOUT;
        }

        private static final long suspended$OFFSET = $LAYOUT.byteOffset(groupElement("suspended"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } suspended
         * }
         */
        public static final long suspended$offset() {
            return suspended$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } suspended
         * }
         */
        public static MemorySegment suspended(MemorySegment union) {
            return union.asSlice(suspended$OFFSET, suspended$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } suspended
         * }
         */
        public static void suspended(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, suspended$OFFSET, suspended$LAYOUT.byteSize());
        }

        private static final GroupLayout ipi$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("ipi"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct { ... } ipi
         * }
         */
        public static final GroupLayout ipi$layout() {
            return ipi$LAYOUT;
        }

        private static final long ipi$OFFSET = $LAYOUT.byteOffset(groupElement("ipi"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct { ... } ipi
         * }
         */
        public static final long ipi$offset() {
            return ipi$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct { ... } ipi
         * }
         */
        public static MemorySegment ipi(MemorySegment union) {
            return union.asSlice(ipi$OFFSET, ipi$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct { ... } ipi
         * }
         */
        public static void ipi(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, ipi$OFFSET, ipi$LAYOUT.byteSize());
        }

        private static final GroupLayout task_switch$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("task_switch"));

        /**
         * Layout for field:
         * {@snippet lang=c :
         * struct vm_task_switch task_switch
         * }
         */
        public static final GroupLayout task_switch$layout() {
            return task_switch$LAYOUT;
        }

        private static final long task_switch$OFFSET = $LAYOUT.byteOffset(groupElement("task_switch"));

        /**
         * Offset for field:
         * {@snippet lang=c :
         * struct vm_task_switch task_switch
         * }
         */
        public static final long task_switch$offset() {
            return task_switch$OFFSET;
        }

        /**
         * Getter for field (a slice of {@code union}, not a copy):
         * {@snippet lang=c :
         * struct vm_task_switch task_switch
         * }
         */
        public static MemorySegment task_switch(MemorySegment union) {
            return union.asSlice(task_switch$OFFSET, task_switch$LAYOUT.byteSize());
        }

        /**
         * Setter for field (copies {@code fieldValue} in):
         * {@snippet lang=c :
         * struct vm_task_switch task_switch
         * }
         */
        public static void task_switch(MemorySegment union, MemorySegment fieldValue) {
            MemorySegment.copy(fieldValue, 0L, union, task_switch$OFFSET, task_switch$LAYOUT.byteSize());
        }

        /**
         * Obtains a slice of {@code array} which selects the array element at {@code index}.
         * The returned segment has address {@code array.address() + index * layout().byteSize()}
         */
        public static MemorySegment asSlice(MemorySegment array, long index) {
            return array.asSlice(layout().byteSize() * index, layout().byteSize());
        }

        /**
         * The size (in bytes) of this union
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

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("exitcode"),
        ValueLayout.JAVA_INT.withName("inst_length"),
        ValueLayout.JAVA_LONG.withName("rip"),
        u.layout().withName("u")
    ).withName("vm_exit");

    /**
     * The layout of this struct (136 bytes, 8-byte aligned)
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt exitcode$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("exitcode"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * enum vm_exitcode exitcode
     * }
     */
    public static final ValueLayout.OfInt exitcode$layout() {
        return exitcode$LAYOUT;
    }

    private static final long exitcode$OFFSET = $LAYOUT.byteOffset(groupElement("exitcode"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * enum vm_exitcode exitcode
     * }
     */
    public static final long exitcode$offset() {
        return exitcode$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * enum vm_exitcode exitcode
     * }
     */
    public static int exitcode(MemorySegment struct) {
        return struct.get(exitcode$LAYOUT, exitcode$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * enum vm_exitcode exitcode
     * }
     */
    public static void exitcode(MemorySegment struct, int fieldValue) {
        struct.set(exitcode$LAYOUT, exitcode$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt inst_length$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("inst_length"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int inst_length
     * }
     */
    public static final ValueLayout.OfInt inst_length$layout() {
        return inst_length$LAYOUT;
    }

    private static final long inst_length$OFFSET = $LAYOUT.byteOffset(groupElement("inst_length"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int inst_length
     * }
     */
    public static final long inst_length$offset() {
        return inst_length$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int inst_length
     * }
     */
    public static int inst_length(MemorySegment struct) {
        return struct.get(inst_length$LAYOUT, inst_length$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int inst_length
     * }
     */
    public static void inst_length(MemorySegment struct, int fieldValue) {
        struct.set(inst_length$LAYOUT, inst_length$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rip$LAYOUT = (ValueLayout.OfLong)$LAYOUT.select(groupElement("rip"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint64_t rip
     * }
     */
    public static final ValueLayout.OfLong rip$layout() {
        return rip$LAYOUT;
    }

    private static final long rip$OFFSET = $LAYOUT.byteOffset(groupElement("rip"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint64_t rip
     * }
     */
    public static final long rip$offset() {
        return rip$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint64_t rip
     * }
     */
    public static long rip(MemorySegment struct) {
        return struct.get(rip$LAYOUT, rip$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint64_t rip
     * }
     */
    public static void rip(MemorySegment struct, long fieldValue) {
        struct.set(rip$LAYOUT, rip$OFFSET, fieldValue);
    }

    private static final GroupLayout u$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("u"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * union { ... } u
     * }
     */
    public static final GroupLayout u$layout() {
        return u$LAYOUT;
    }

    private static final long u$OFFSET = $LAYOUT.byteOffset(groupElement("u"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * union { ... } u
     * }
     */
    public static final long u$offset() {
        return u$OFFSET;
    }

    /**
     * Getter for field (a slice of {@code struct}, not a copy):
     * {@snippet lang=c :
     * union { ... } u
     * }
     */
    public static MemorySegment u(MemorySegment struct) {
        return struct.asSlice(u$OFFSET, u$LAYOUT.byteSize());
    }

    /**
     * Setter for field (copies {@code fieldValue} in):
     * {@snippet lang=c :
     * union { ... } u
     * }
     */
    public static void u(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, u$OFFSET, u$LAYOUT.byteSize());
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
