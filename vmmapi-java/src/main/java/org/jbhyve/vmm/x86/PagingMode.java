package org.jbhyve.vmm.x86;

/** How linear addresses become guest physical addresses. */
public enum PagingMode {
    /** Paging off (CR0.PG = 0): physical = linear, 32 bits. */
    FLAT,
    /** 32-bit paging: two levels of 4-byte entries, 4 MiB pages with CR4.PSE (and PSE-36 high bits). */
    BITS32,
    /** PAE paging: a 4-entry PDPT then two levels of 8-byte entries; 2 MiB pages. */
    PAE,
    /** 4-level paging (IA-32e): 48-bit linear addresses; 2 MiB and 1 GiB pages. */
    LEVEL4,
    /** 5-level paging (CR4.LA57): 57-bit linear addresses. */
    LEVEL5;

    /** FreeBSD's {@code enum vm_paging_mode} values: FLAT 0, 32 1, PAE 2, 64 3, 64_LA57 4. */
    public static PagingMode fromFreeBsd(int pagingMode) {
        return switch (pagingMode) {
            case 0 -> FLAT;
            case 1 -> BITS32;
            case 2 -> PAE;
            case 3 -> LEVEL4;
            case 4 -> LEVEL5;
            default -> null;
        };
    }
}
