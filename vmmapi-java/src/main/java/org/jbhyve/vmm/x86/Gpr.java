package org.jbhyve.vmm.x86;

/**
 * General-purpose register numbers as the instruction encoding uses them (ModRM.reg/rm, SIB, extended
 * by REX.R/X/B to 0..15). {@link RegisterAccess} takes these numbers.
 */
public final class Gpr {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
            R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;
    public static final int COUNT = 16;

    private static final String[] NAMES64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
    private static final String[] NAMES32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] NAMES16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] NAMES8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    private static final String[] HIGH8 = {"ah", "ch", "dh", "bh"};

    /**
     * FreeBSD's {@code vm_reg_name} for each register number: RAX 0, RBX 1, RCX 2, RDX 3, RSI 4,
     * RDI 5, RBP 6, R8..R15 7..14, RSP 19 (shared/reference/freebsd-bhyve.md, section 2).
     */
    private static final int[] FREEBSD = {0, 2, 3, 1, 19, 6, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14};

    private Gpr() {}

    /** The FreeBSD {@code vm_reg_name} of register {@code reg} (0..15). */
    public static int freeBsdRegister(int reg) {
        return FREEBSD[reg];
    }

    /** The assembler name of register {@code reg} at {@code size} bytes; {@code highByte} for AH..BH. */
    public static String name(int reg, int size, boolean highByte) {
        if (highByte) return HIGH8[reg];
        return switch (size) {
            case 1 -> reg < 8 ? NAMES8[reg] : "r" + reg + "b";
            case 2 -> reg < 8 ? NAMES16[reg] : "r" + reg + "w";
            case 4 -> reg < 8 ? NAMES32[reg] : "r" + reg + "d";
            default -> NAMES64[reg];
        };
    }

    /** The 64-bit assembler name of register {@code reg}. */
    public static String name(int reg) {
        return NAMES64[reg];
    }
}
