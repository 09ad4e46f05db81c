package org.jbhyve.vmm.x86;

/** What a decoded instruction does to its memory operand (M), register (R) or immediate (I). */
public enum Operation {
    /** M &larr; R, M &larr; I, or R &larr; M (88/89/8A/8B/C6/C7/A0-A3). */
    MOV,
    /** R &larr; zero-extended M (0F B6/B7). */
    MOVZX,
    /** R &larr; sign-extended M (0F BE/BF, 63 MOVSXD). */
    MOVSX,
    ADD, OR, ADC, SBB, AND, SUB, XOR, CMP,
    /** Flags of M AND R or M AND I (84/85, F6/F7 /0). */
    TEST,
    /** M &larr; NOT M (F6/F7 /2). */
    NOT,
    /** M &larr; -M (F6/F7 /3). */
    NEG,
    /** M &larr; M + 1, CF kept (FE/FF /0). */
    INC,
    /** M &larr; M - 1, CF kept (FE/FF /1). */
    DEC,
    /** CF &larr; bit of M (0F A3, 0F BA /4). */
    BT,
    /** Bit test and set (0F AB, 0F BA /5). */
    BTS,
    /** Bit test and reset (0F B3, 0F BA /6). */
    BTR,
    /** Bit test and complement (0F BB, 0F BA /7). */
    BTC,
    /** M &harr; R (86/87). */
    XCHG,
    /** ES:[rDI] &larr; AL/AX/EAX/RAX, rDI += size (AA/AB). */
    STOS,
    /** ES:[rDI] &larr; seg:[rSI] (A4/A5). */
    MOVS,
    /** Push M onto the stack (FF /6). */
    PUSH,
    /** Pop the stack into M (8F /0). */
    POP;

    boolean isString() {
        return this == STOS || this == MOVS;
    }

    String mnemonic() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
