package org.jbhyve.vmm.x86;

/** What {@link PageWalker#translate} found for a linear address. */
public sealed interface Translation {
    /** The address maps to guest physical address {@code gpa} through a page of {@code pageSize} bytes. */
    record Mapped(long gpa, long pageSize) implements Translation {}

    /**
     * The access would raise #PF: CR2 would hold {@code linear}, and the error code has bit 0 (P, the page
     * was present), 1 (W/R), 2 (U/S, CPL 3), 3 (RSVD) and 4 (I/D, instruction fetch).
     */
    record PageFault(long linear, int errorCode) implements Translation {
        public static final int P = 1, WRITE = 2, USER = 4, RSVD = 8, FETCH = 16;
    }

    /** A 64-bit linear address that is not canonical: #GP(0), or #SS(0) for the stack. */
    record NonCanonical(long linear) implements Translation {}

    /** The walk could not be done, e.g. a paging-structure entry lies outside guest RAM. */
    record Failed(String reason) implements Translation {}
}
