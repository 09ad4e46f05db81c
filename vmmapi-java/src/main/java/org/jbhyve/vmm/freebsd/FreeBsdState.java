package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.state.Segment;
import org.jbhyve.vmm.state.VcpuEvents;

import static org.jbhyve.bindings.freebsd.vmm.vmm_h.*;

/**
 * Conversions between vmm's register interface and the backend-neutral state records.
 *
 * <p><b>Segment access rights.</b> {@code vm_get_desc}/{@code vm_set_desc} exchange them in the VMX
 * access-rights format on Intel and AMD alike (the SVM code converts): bits 3:0 type, 4 S, 6:5 DPL, 7 P,
 * 12 AVL, 13 L, 14 D/B, 15 G, 16 "unusable" (Intel SDM vol. 3, 24.4.1). The limit is byte-granular, as
 * in {@link Segment}. The selector is a register of its own ({@code VM_REG_GUEST_CS} etc.).
 *
 * <p><b>Event information</b> ({@code vm_get_intinfo}) is in the VMX interruption-information format
 * (SDM 24.8.3) that vmm uses for both vendors: bits 7:0 vector, 10:8 type (0 external interrupt, 2 NMI,
 * 3 hardware exception, 4 software interrupt, 5 privileged software exception, 6 software exception),
 * 11 error code valid, 31 valid, 63:32 the error code.
 */
final class FreeBsdState {
    private FreeBsdState() {}

    static final int ACCESS_UNUSABLE = 1 << 16;

    static final long INTINFO_VALID = 1L << 31;
    static final long INTINFO_ERRCODE_VALID = 1L << 11;
    static final int INTINFO_TYPE_HWINTR = 0, INTINFO_TYPE_NMI = 2, INTINFO_TYPE_HWEXCEPTION = 3,
            INTINFO_TYPE_SWINTR = 4, INTINFO_TYPE_PRIV_SWEXC = 5, INTINFO_TYPE_SWEXC = 6;

    /** The general registers in {@link org.jbhyve.vmm.state.Registers} order, as {@code vm_reg_name}s. */
    static final int[] GPRS = {VM_REG_GUEST_RAX, VM_REG_GUEST_RBX, VM_REG_GUEST_RCX, VM_REG_GUEST_RDX,
            VM_REG_GUEST_RSI, VM_REG_GUEST_RDI, VM_REG_GUEST_RSP, VM_REG_GUEST_RBP, VM_REG_GUEST_R8, VM_REG_GUEST_R9,
            VM_REG_GUEST_R10, VM_REG_GUEST_R11, VM_REG_GUEST_R12, VM_REG_GUEST_R13, VM_REG_GUEST_R14, VM_REG_GUEST_R15,
            VM_REG_GUEST_RIP, VM_REG_GUEST_RFLAGS};

    /** Segment registers in {@link org.jbhyve.vmm.state.SpecialRegisters} order: cs, ds, es, fs, gs, ss, tr, ldt. */
    static final int[] SEGMENTS = {VM_REG_GUEST_CS, VM_REG_GUEST_DS, VM_REG_GUEST_ES, VM_REG_GUEST_FS,
            VM_REG_GUEST_GS, VM_REG_GUEST_SS, VM_REG_GUEST_TR, VM_REG_GUEST_LDTR};

    /** Control registers in the order {@link FreeBsdVcpu} reads and writes them: CR0, CR3, CR4, EFER, CR2. */
    static final int[] CONTROL = {VM_REG_GUEST_CR0, VM_REG_GUEST_CR3, VM_REG_GUEST_CR4, VM_REG_GUEST_EFER,
            VM_REG_GUEST_CR2};

    /** DR0..DR3, DR6, DR7 as {@code vm_reg_name}s. */
    static final int[] DEBUG = {VM_REG_GUEST_DR0, VM_REG_GUEST_DR1, VM_REG_GUEST_DR2, VM_REG_GUEST_DR3,
            VM_REG_GUEST_DR6, VM_REG_GUEST_DR7};

    static int access(Segment s) {
        return (s.type() & 0xf) | (s.s() ? 1 << 4 : 0) | (s.dpl() & 3) << 5 | (s.present() ? 1 << 7 : 0)
                | (s.avl() ? 1 << 12 : 0) | (s.l() ? 1 << 13 : 0) | (s.db() ? 1 << 14 : 0) | (s.g() ? 1 << 15 : 0)
                | (s.unusable() ? ACCESS_UNUSABLE : 0);
    }

    static Segment segment(long base, int limit, int access, long selector) {
        return new Segment(base, limit, (int) selector & 0xffff, access & 0xf, (access & 1 << 7) != 0,
                access >> 5 & 3, (access & 1 << 14) != 0, (access & 1 << 4) != 0, (access & 1 << 13) != 0,
                (access & 1 << 15) != 0, (access & 1 << 12) != 0, (access & ACCESS_UNUSABLE) != 0);
    }

    /**
     * The events of {@code vm_get_intinfo} and {@code VM_REG_GUEST_INTR_SHADOW}: {@code info1} (the event that
     * was being delivered when the vCPU exited, re-injected on the next entry) becomes the injected exception,
     * interrupt or NMI; {@code info2} (an exception made pending with {@code vm_inject_exception}) the pending
     * exception, unless {@code info1} already holds an exception (the record has room for one; the kernel's
     * {@code vm} blob keeps both).
     */
    static VcpuEvents events(long info1, long info2, long intrShadow) {
        boolean excInjected = false, excPending = false, excHasErr = false, intrInjected = false, intrSoft = false,
                nmiInjected = false;
        int excNr = 0, excErr = 0, intrNr = 0;
        if ((info1 & INTINFO_VALID) != 0) {
            int type = (int) (info1 >> 8) & 7;
            int vector = (int) info1 & 0xff;
            switch (type) {
                case INTINFO_TYPE_HWINTR, INTINFO_TYPE_SWINTR -> {
                    intrInjected = true;
                    intrNr = vector;
                    intrSoft = type == INTINFO_TYPE_SWINTR;
                }
                case INTINFO_TYPE_NMI -> nmiInjected = true;
                default -> {
                    excInjected = true;
                    excNr = vector;
                    excHasErr = (info1 & INTINFO_ERRCODE_VALID) != 0;
                    excErr = (int) (info1 >>> 32);
                }
            }
        }
        if (!excInjected && (info2 & INTINFO_VALID) != 0) {
            excPending = true;
            excNr = (int) info2 & 0xff;
            excHasErr = (info2 & INTINFO_ERRCODE_VALID) != 0;
            excErr = (int) (info2 >>> 32);
        }
        return new VcpuEvents(excInjected, excNr, excHasErr, excPending, excErr, intrInjected, intrNr, intrSoft,
                (int) intrShadow & 1, nmiInjected, false, false, 0, false, false, false, false, false, false, 0);
    }

    /** The {@code info1} of {@code vm_set_intinfo} for the injected event of {@code e}, or 0. */
    static long injectedIntinfo(VcpuEvents e) {
        if (e.exceptionInjected()) {
            long info = INTINFO_VALID | (long) INTINFO_TYPE_HWEXCEPTION << 8 | (e.exceptionNr() & 0xff);
            if (e.exceptionHasErrorCode()) info |= INTINFO_ERRCODE_VALID | (long) e.exceptionErrorCode() << 32;
            return info;
        }
        if (e.nmiInjected()) return INTINFO_VALID | (long) INTINFO_TYPE_NMI << 8 | 2;
        if (e.interruptInjected()) {
            return INTINFO_VALID | (long) (e.interruptSoft() ? INTINFO_TYPE_SWINTR : INTINFO_TYPE_HWINTR) << 8
                    | (e.interruptNr() & 0xff);
        }
        return 0;
    }

    /** {@code value} written into {@code old} the way a register of {@code size} bytes is: merged below 4, zero-extended at 4. */
    static long merge(long old, long value, int size) {
        return switch (size) {
            case 1 -> (old & ~0xffL) | (value & 0xffL);
            case 2 -> (old & ~0xffffL) | (value & 0xffffL);
            case 4 -> value & 0xffff_ffffL;
            default -> value;
        };
    }

    /** All ones in the low {@code size} bytes. */
    static long mask(int size) {
        return size >= 8 ? -1L : (1L << (size * 8)) - 1;
    }
}
