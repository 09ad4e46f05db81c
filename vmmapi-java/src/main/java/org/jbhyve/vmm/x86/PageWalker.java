package org.jbhyve.vmm.x86;

/**
 * Translates guest linear addresses to guest physical addresses by walking the guest's paging
 * structures from CR3 in guest RAM, with the permission checks of the Intel SDM (vol. 3, chapter 4):
 * present, read/write (honouring CR0.WP for supervisor writes), user/supervisor, execute-disable
 * (with EFER.NXE), SMEP and SMAP. Faults are returned as values, never thrown.
 *
 * <p>On success the walker sets the accessed bit of every paging-structure entry it used and, for a
 * write, the dirty bit of the final entry, each with a compare-and-set so that a concurrent change by
 * the guest is never overwritten (the walk restarts instead). Reserved-bit checks are not made
 * (MAXPHYADDR is taken as 52); PAE PDPTEs are read from memory at CR3 rather than from the
 * processor's PDPTE registers.
 */
public final class PageWalker {
    private static final long P = 1, RW = 1 << 1, US = 1 << 2, A = 1 << 5, D = 1 << 6, PS = 1 << 7;
    private static final long XD = 1L << 63;
    private static final long ADDR_MASK = 0x000f_ffff_ffff_f000L;
    private static final int MAX_RETRIES = 16;

    private final GuestMemoryAccess memory;
    private final boolean updateAccessedDirty;

    /** A walker that sets accessed/dirty bits. */
    public PageWalker(GuestMemoryAccess memory) {
        this(memory, true);
    }

    public PageWalker(GuestMemoryAccess memory, boolean updateAccessedDirty) {
        this.memory = java.util.Objects.requireNonNull(memory, "memory");
        this.updateAccessedDirty = updateAccessedDirty;
    }

    /** Translates {@code linear} for an access of {@code type} under {@code state}. */
    public Translation translate(PagingState state, long linear, AccessType type) {
        switch (state.mode()) {
            case FLAT:
                return new Translation.Mapped(linear & 0xffff_ffffL, 1L << 32);
            case LEVEL4:
                if (!canonical(linear, 48)) return new Translation.NonCanonical(linear);
                break;
            case LEVEL5:
                if (!canonical(linear, 57)) return new Translation.NonCanonical(linear);
                break;
            default:
                linear &= 0xffff_ffffL;
        }
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            Translation t = walk(state, linear, type);
            if (t != null) return t;
        }
        return new Translation.Failed("paging structures for linear address 0x" + Long.toHexString(linear)
                + " kept changing during the walk");
    }

    /** True when bits 63..(bits-1) of {@code linear} are all equal. */
    public static boolean canonical(long linear, int bits) {
        long high = linear >> (bits - 1);
        return high == 0 || high == -1;
    }

    /** One walk; null when an accessed/dirty update lost a race and the walk must restart. */
    private Translation walk(PagingState s, long linear, AccessType type) {
        final int levels, entrySize;
        long table;
        switch (s.mode()) {
            case BITS32 -> { levels = 2; entrySize = 4; table = s.cr3() & 0xffff_f000L; }
            case PAE -> { levels = 3; entrySize = 8; table = s.cr3() & 0xffff_ffe0L; }
            case LEVEL4 -> { levels = 4; entrySize = 8; table = s.cr3() & ADDR_MASK; }
            default -> { levels = 5; entrySize = 8; table = s.cr3() & ADDR_MASK; }
        }
        long[] addrs = new long[levels];
        long[] entries = new long[levels];
        int used = 0;
        boolean user = true, writable = true, noExec = false;
        long gpa = -1, pageSize = 0;
        boolean isUser = s.cpl() == 3;
        int baseError = (type == AccessType.WRITE ? Translation.PageFault.WRITE : 0)
                | (isUser ? Translation.PageFault.USER : 0)
                | (type == AccessType.EXECUTE && (s.noExecute() || s.smep()) ? Translation.PageFault.FETCH : 0);

        for (int level = levels; level >= 1; level--) {
            int shift, indexBits;
            if (s.mode() == PagingMode.BITS32) {
                shift = level == 2 ? 22 : 12;
                indexBits = 10;
            } else {
                shift = 12 + 9 * (level - 1);
                indexBits = (s.mode() == PagingMode.PAE && level == 3) ? 2 : 9;
            }
            long index = (linear >>> shift) & ((1L << indexBits) - 1);
            long addr = table + index * entrySize;
            if (!memory.isRam(addr, entrySize)) {
                return new Translation.Failed("paging-structure entry for linear address 0x" + Long.toHexString(linear)
                        + " is at guest physical 0x" + Long.toHexString(addr) + ", outside guest RAM");
            }
            long e = memory.read(addr, entrySize);
            if ((e & P) == 0) return new Translation.PageFault(linear, baseError);
            boolean pdpte = s.mode() == PagingMode.PAE && level == 3; // no rights, no A/D, no PS
            addrs[used] = pdpte ? -1 : addr;
            entries[used] = e;
            used++;
            if (!pdpte) {
                user &= (e & US) != 0;
                writable &= (e & RW) != 0;
                if (entrySize == 8 && s.noExecute()) noExec |= (e & XD) != 0;
            }
            boolean leaf = level == 1;
            // With CR4.PSE clear, 32-bit paging ignores PDE.PS.
            boolean ps = (e & PS) != 0 && (s.mode() != PagingMode.BITS32 || s.pse());
            if (!leaf && !pdpte && ps) {
                boolean allowed = switch (s.mode()) {
                    case BITS32 -> true;              // 4 MiB page in the PD
                    case PAE -> level == 2;           // 2 MiB page in the PD
                    default -> level <= 3;            // 1 GiB (PDPT) or 2 MiB (PD)
                };
                if (!allowed) {
                    return new Translation.PageFault(linear, baseError | Translation.PageFault.P | Translation.PageFault.RSVD);
                }
                leaf = true;
            }
            if (leaf) {
                pageSize = 1L << shift;
                if (s.mode() == PagingMode.BITS32 && level == 2) {
                    // PSE-36: PDE bits 20:13 are physical address bits 39:32.
                    long frame = (e & 0xffc0_0000L) | (((e >>> 13) & 0xff) << 32);
                    gpa = frame | (linear & (pageSize - 1));
                } else {
                    long frame = (entrySize == 4 ? e & 0xffff_f000L : e & ADDR_MASK) & ~(pageSize - 1);
                    gpa = frame | (linear & (pageSize - 1));
                }
                break;
            }
            table = entrySize == 4 ? e & 0xffff_f000L : e & ADDR_MASK;
        }

        int error = baseError | Translation.PageFault.P;
        if (isUser && !user) return new Translation.PageFault(linear, error);
        if (type == AccessType.WRITE && !writable && (isUser || s.writeProtect())) {
            return new Translation.PageFault(linear, error);
        }
        if (type == AccessType.EXECUTE && noExec) return new Translation.PageFault(linear, error);
        if (!isUser && user) {
            if (type == AccessType.EXECUTE && s.smep()) return new Translation.PageFault(linear, error);
            if (type != AccessType.EXECUTE && s.smap() && !s.ac()) return new Translation.PageFault(linear, error);
        }

        if (updateAccessedDirty) {
            for (int i = 0; i < used; i++) {
                if (addrs[i] < 0) continue;
                long e = entries[i];
                long want = e | A;
                if (i == used - 1 && type == AccessType.WRITE) want |= D;
                if (want != e && !memory.compareAndSet(addrs[i], entrySize, e, want)) return null;
            }
        }
        return new Translation.Mapped(gpa, pageSize);
    }
}
