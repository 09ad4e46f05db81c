package org.jbhyve.vmm.x86;

/**
 * What the page walker needs from the vCPU: the paging mode and CR3 (FreeBSD's
 * {@code vm_guest_paging}), the current privilege level, and the control bits that change the
 * permission checks.
 *
 * @param writeProtect CR0.WP: supervisor writes honour read-only pages
 * @param noExecute    EFER.NXE: the XD bit (63) of PAE and 4/5-level entries forbids fetches
 * @param pse          CR4.PSE: 32-bit paging honours 4 MiB pages
 * @param smep         CR4.SMEP: supervisor fetches from user pages fault
 * @param smap         CR4.SMAP: supervisor data accesses to user pages fault unless {@code ac}
 * @param ac           RFLAGS.AC at the time of the access (the SMAP override)
 */
public record PagingState(PagingMode mode, long cr3, int cpl, boolean writeProtect, boolean noExecute,
                          boolean pse, boolean smep, boolean smap, boolean ac) {
    public static final long CR0_PG = 1L << 31, CR0_WP = 1L << 16;
    public static final long CR4_PSE = 1L << 4, CR4_PAE = 1L << 5, CR4_LA57 = 1L << 12, CR4_SMEP = 1L << 20,
            CR4_SMAP = 1L << 21;
    public static final long EFER_LMA = 1L << 10, EFER_NXE = 1L << 11;
    public static final long RFLAGS_AC = 1L << 18;

    public PagingState {
        java.util.Objects.requireNonNull(mode, "mode");
        if (cpl < 0 || cpl > 3) throw new IllegalArgumentException("CPL must be 0..3, got " + cpl);
    }

    /** Paging off, ring 0. */
    public static PagingState flat() {
        return new PagingState(PagingMode.FLAT, 0, 0, true, false, false, false, false, false);
    }

    /** {@code mode} with CR3 {@code cr3} at {@code cpl}, CR0.WP and EFER.NXE set, CR4.PSE set, no SMEP/SMAP. */
    public static PagingState of(PagingMode mode, long cr3, int cpl) {
        return new PagingState(mode, cr3, cpl, true, true, true, false, false, false);
    }

    /**
     * The state for FreeBSD's {@code vm_guest_paging} ({@code cr3}, {@code cpl}, {@code paging_mode})
     * plus CR0, CR4, EFER and RFLAGS.
     */
    public static PagingState fromRegisters(PagingMode mode, long cr3, int cpl, long cr0, long cr4, long efer,
                                            long rflags) {
        return new PagingState(mode, cr3, cpl, (cr0 & CR0_WP) != 0, (efer & EFER_NXE) != 0, (cr4 & CR4_PSE) != 0,
                (cr4 & CR4_SMEP) != 0, (cr4 & CR4_SMAP) != 0, (rflags & RFLAGS_AC) != 0);
    }

    /** The paging mode the architecture selects from CR0.PG, CR4.PAE, CR4.LA57 and EFER.LMA. */
    public static PagingMode modeOf(long cr0, long cr4, long efer) {
        if ((cr0 & CR0_PG) == 0) return PagingMode.FLAT;
        if ((cr4 & CR4_PAE) == 0) return PagingMode.BITS32;
        if ((efer & EFER_LMA) == 0) return PagingMode.PAE;
        return (cr4 & CR4_LA57) != 0 ? PagingMode.LEVEL5 : PagingMode.LEVEL4;
    }
}
