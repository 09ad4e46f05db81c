package org.jbhyve.vmm.x86;

/**
 * How the processor decodes instructions at the faulting RIP: the default operand and address sizes.
 * Real mode, virtual-8086 mode and protected/compatibility mode with a 16-bit code segment (CS.D = 0)
 * all decode as {@link #BITS16}; protected/compatibility mode with CS.D = 1 as {@link #BITS32}; 64-bit
 * long mode (CS.L = 1) as {@link #BITS64}.
 */
public enum CpuMode {
    BITS16(2, 2),
    BITS32(4, 4),
    BITS64(4, 8);

    private final int defaultOperandSize;
    private final int defaultAddressSize;

    CpuMode(int defaultOperandSize, int defaultAddressSize) {
        this.defaultOperandSize = defaultOperandSize;
        this.defaultAddressSize = defaultAddressSize;
    }

    /** Bytes: 2 or 4 (64-bit operands need REX.W). */
    public int defaultOperandSize() { return defaultOperandSize; }

    /** Bytes: 2, 4 or 8. */
    public int defaultAddressSize() { return defaultAddressSize; }

    /** FreeBSD's {@code enum vm_cpu_mode}: CPU_MODE_REAL. */
    public static final int FREEBSD_REAL = 0;
    /** FreeBSD's {@code enum vm_cpu_mode}: CPU_MODE_PROTECTED. */
    public static final int FREEBSD_PROTECTED = 1;
    /** FreeBSD's {@code enum vm_cpu_mode}: CPU_MODE_COMPATIBILITY. */
    public static final int FREEBSD_COMPATIBILITY = 2;
    /** FreeBSD's {@code enum vm_cpu_mode}: CPU_MODE_64BIT. */
    public static final int FREEBSD_64BIT = 3;

    /**
     * The mode for FreeBSD's {@code vm_guest_paging.cpu_mode} and {@code inst_emul.cs_d}, or null for a
     * value that is not a {@code vm_cpu_mode}.
     */
    public static CpuMode fromFreeBsd(int cpuMode, boolean csD) {
        return switch (cpuMode) {
            case FREEBSD_REAL -> BITS16;
            case FREEBSD_PROTECTED, FREEBSD_COMPATIBILITY -> csD ? BITS32 : BITS16;
            case FREEBSD_64BIT -> BITS64;
            default -> null;
        };
    }

    /** Linear addresses are 64 bits wide in 64-bit mode and wrap at 4 GiB otherwise. */
    long linearMask() {
        return this == BITS64 ? -1L : 0xffff_ffffL;
    }
}
