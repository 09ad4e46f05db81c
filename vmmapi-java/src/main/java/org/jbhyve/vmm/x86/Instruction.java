package org.jbhyve.vmm.x86;

import java.util.Arrays;

/**
 * A decoded instruction that accesses memory, in the form the emulator executes.
 *
 * @param operation           what it does
 * @param mode                the mode it was decoded in
 * @param bytes               its encoding; {@link #length()} bytes, the amount to advance RIP by
 * @param operandSize         width of the operation and of its register operand: 1, 2, 4 or 8
 * @param memorySize          bytes read or written at the memory operand per access (the source width
 *                            for MOVZX/MOVSX/MOVSXD, otherwise {@code operandSize})
 * @param addressSize         2, 4 or 8
 * @param memory              the explicit memory operand; for STOS the destination ES:[rDI], for MOVS
 *                            the source seg:[rSI] (the destination is ES:[rDI])
 * @param memoryIsDestination the memory operand is written (or, for CMP/TEST/BT, is the first operand)
 * @param source              the other operand: the ModRM.reg register, an immediate, or none
 * @param register            the register operand (0..15; RAX for A0-A3 and string instructions), or -1
 * @param highByte            {@code register} names AH, CH, DH or BH (register 0..3)
 * @param immediate           the immediate, sign-extended to 64 bits (imm8 of 0F BA is zero-extended)
 * @param rep                 the repeat prefix (only meaningful for STOS/MOVS)
 * @param lock                a LOCK prefix was present (ignored)
 */
public record Instruction(Operation operation, CpuMode mode, byte[] bytes, int operandSize, int memorySize,
                          int addressSize, MemoryOperand memory, boolean memoryIsDestination, Source source,
                          int register, boolean highByte, long immediate, Rep rep, boolean lock)
        implements DecodeResult {

    /** The operand that is not the memory operand. */
    public enum Source { NONE, REGISTER, IMMEDIATE }

    /** F3 is REP, F2 is REPNE; both repeat STOS and MOVS. */
    public enum Rep { NONE, REP, REPNE }

    public Instruction {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() { return bytes.clone(); }

    /** The instruction length in bytes (1..15). */
    public int length() { return bytes.length; }

    /** The encoding as space-separated hex. */
    public String hex() { return Hex.bytes(bytes, bytes.length); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instruction i && operation == i.operation && mode == i.mode && Arrays.equals(bytes, i.bytes);
    }

    @Override
    public int hashCode() { return operation.hashCode() * 31 + Arrays.hashCode(bytes); }

    /** Intel-syntax disassembly, e.g. {@code mov dword ds:[rbx+rcx*4+0x10], eax}. */
    @Override
    public String toString() {
        String sizeName = switch (memorySize) {
            case 1 -> "byte";
            case 2 -> "word";
            case 4 -> "dword";
            default -> "qword";
        };
        String mem = sizeName + " " + memory;
        String reg = register < 0 ? "" : Gpr.name(register, operandSize, highByte);
        String imm = "0x" + Long.toHexString(MemoryOperand.mask(immediate, Math.max(operandSize, 1)));
        String prefix = rep == Rep.NONE || !operation.isString() ? "" : (rep == Rep.REP ? "rep " : "repne ");
        String text = switch (operation) {
            case STOS -> "stos " + sizeName + " " + memory + ", " + reg;
            case MOVS -> "movs " + sizeName + " " + SegmentRegister.ES.lower() + ":[" + Gpr.name(Gpr.RDI, addressSize, false)
                    + "], " + mem;
            case PUSH, POP, NOT, NEG, INC, DEC -> operation.mnemonic() + " " + mem;
            case MOVZX, MOVSX -> operation.mnemonic() + " " + reg + ", " + mem;
            default -> {
                String other = source == Source.IMMEDIATE ? imm : reg;
                yield operation.mnemonic() + " " + (memoryIsDestination ? mem + ", " + other : other + ", " + mem);
            }
        };
        return prefix + text;
    }
}
