package org.jbhyve.vmm.x86;

import java.util.Arrays;

/**
 * Decodes the x86 instructions that guests use on device memory (see {@link Operation}) from raw
 * bytes, following the Intel SDM (vol. 2, chapter 2 and the opcode map in appendix A): legacy
 * prefixes in any order (operand size 66, address size 67, segment overrides, REP/REPNE, LOCK), a REX
 * prefix in 64-bit mode (dropped when a legacy prefix follows it), the opcode, ModRM, SIB,
 * displacement (including RIP-relative addressing) and immediate.
 *
 * <p>Anything else, and every form that cannot touch memory (ModRM mod=11), yields a
 * {@link DecodeFailure}; so do truncated byte strings and instructions longer than 15 bytes. The
 * decoder never throws for any input and reads at most 15 bytes.
 */
public final class Decoder {
    public static final int MAX_INSTRUCTION_LENGTH = 15;

    private Decoder() {}

    public static DecodeResult decode(byte[] code, CpuMode mode) {
        return decode(code, code.length, mode);
    }

    /** Decodes the instruction at the start of the first {@code length} bytes of {@code code}. */
    public static DecodeResult decode(byte[] code, int length, CpuMode mode) {
        java.util.Objects.requireNonNull(code, "code");
        java.util.Objects.requireNonNull(mode, "mode");
        int avail = Math.max(0, Math.min(length, Math.min(code.length, MAX_INSTRUCTION_LENGTH)));
        Parser p = new Parser(code, avail, mode);
        try {
            return p.parse();
        } catch (Fail f) {
            return new DecodeFailure(f.getMessage(), Arrays.copyOf(code, avail));
        } catch (RuntimeException e) {
            return new DecodeFailure("internal decoder error: " + e, Arrays.copyOf(code, avail));
        }
    }

    /** Control flow for a failed decode; never escapes this class. */
    private static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fail(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Parser {
        private final byte[] code;
        private final int avail;
        private final CpuMode mode;
        private final boolean is64;
        int pos;

        private boolean lock, opsizePrefix, adsizePrefix;
        private Instruction.Rep rep = Instruction.Rep.NONE;
        private SegmentRegister segOverride;
        private int rex;
        private int modrmReg, modrmMod, modrmRm;

        Parser(byte[] code, int avail, CpuMode mode) {
            this.code = code;
            this.avail = avail;
            this.mode = mode;
            this.is64 = mode == CpuMode.BITS64;
        }

        private int next() {
            if (pos >= MAX_INSTRUCTION_LENGTH) throw new Fail("instruction is longer than 15 bytes");
            if (pos >= avail) {
                throw new Fail("instruction is cut off: needs more than the " + avail + " bytes available");
            }
            return code[pos++] & 0xff;
        }

        private long next16() {
            int lo = next();
            return lo | (long) next() << 8;
        }

        private long next32() {
            long lo = next16();
            return lo | next16() << 16;
        }

        private long next64() {
            long lo = next32();
            return lo | next32() << 32;
        }

        private boolean rexW() { return (rex & 8) != 0; }

        private boolean rexR() { return (rex & 4) != 0; }

        private boolean rexX() { return (rex & 2) != 0; }

        private boolean rexB() { return (rex & 1) != 0; }

        private Fail fail(String why) {
            return new Fail(why);
        }

        DecodeResult parse() {
            int op;
            while (true) {
                op = next();
                switch (op) {
                    case 0xf0 -> lock = true;
                    case 0xf2 -> rep = Instruction.Rep.REPNE;
                    case 0xf3 -> rep = Instruction.Rep.REP;
                    case 0x26 -> segOverride = SegmentRegister.ES;
                    case 0x2e -> segOverride = SegmentRegister.CS;
                    case 0x36 -> segOverride = SegmentRegister.SS;
                    case 0x3e -> segOverride = SegmentRegister.DS;
                    case 0x64 -> segOverride = SegmentRegister.FS;
                    case 0x65 -> segOverride = SegmentRegister.GS;
                    case 0x66 -> opsizePrefix = true;
                    case 0x67 -> adsizePrefix = true;
                    default -> {
                        if (is64 && (op & 0xf0) == 0x40) {
                            rex = op;
                            continue;
                        }
                        return opcode(op);
                    }
                }
                rex = 0; // a REX prefix counts only immediately before the opcode
            }
        }

        private int operandSize() {
            if (is64 && rexW()) return 8;
            int def = mode.defaultOperandSize();
            return opsizePrefix ? 6 - def : def; // 66 swaps 2 and 4
        }

        private int addressSize() {
            return switch (mode) {
                case BITS64 -> adsizePrefix ? 4 : 8;
                case BITS32 -> adsizePrefix ? 2 : 4;
                case BITS16 -> adsizePrefix ? 4 : 2;
            };
        }

        /** PUSH/POP: 64-bit mode uses 64-bit operands unless 66 asks for 16 (there is no 32-bit form). */
        private int stackOperandSize() {
            if (is64) return opsizePrefix && !rexW() ? 2 : 8;
            return operandSize();
        }

        private DecodeResult opcode(int op) {
            return switch (op) {
                case 0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1a, 0x1b,
                     0x20, 0x21, 0x22, 0x23, 0x28, 0x29, 0x2a, 0x2b, 0x30, 0x31, 0x32, 0x33, 0x38, 0x39, 0x3a, 0x3b -> {
                    Operation o = Operation.values()[Operation.ADD.ordinal() + (op >> 3)];
                    int size = (op & 1) == 0 ? 1 : operandSize();
                    MemoryOperand m = modrm();
                    yield reg(o, size, size, m, (op & 2) == 0);
                }
                case 0x0f -> twoByte(next());
                case 0x63 -> {
                    if (!is64) throw fail("opcode 63 is ARPL outside 64-bit mode");
                    // MOVSXD reads a doubleword whatever the operand size: with 66 the processor (AMD EPYC,
                    // measured with a page-end probe) and KVM both read 4 bytes and keep the low 16 bits, where
                    // the Intel SDM lists "MOVSXD r16, r/m16". The device sees what the hardware would do.
                    int size = operandSize();
                    MemoryOperand m = modrm();
                    yield reg(Operation.MOVSX, size, 4, m, false);
                }
                case 0x80, 0x81, 0x82, 0x83 -> {
                    if (op == 0x82 && is64) throw fail("opcode 82 is invalid in 64-bit mode");
                    int size = op == 0x81 || op == 0x83 ? operandSize() : 1;
                    MemoryOperand m = modrm();
                    Operation o = Operation.values()[Operation.ADD.ordinal() + (modrmReg & 7)];
                    long imm = op == 0x81 ? immZ(size) : (byte) next();
                    yield imm(o, size, m, imm);
                }
                case 0x84, 0x85 -> {
                    int size = op == 0x84 ? 1 : operandSize();
                    yield reg(Operation.TEST, size, size, modrm(), true);
                }
                case 0x86, 0x87 -> {
                    int size = op == 0x86 ? 1 : operandSize();
                    yield reg(Operation.XCHG, size, size, modrm(), true);
                }
                case 0x88, 0x89, 0x8a, 0x8b -> {
                    int size = (op & 1) == 0 ? 1 : operandSize();
                    yield reg(Operation.MOV, size, size, modrm(), (op & 2) == 0);
                }
                case 0x8f -> {
                    MemoryOperand m = modrm();
                    if ((modrmReg & 7) != 0) throw fail("8F /" + (modrmReg & 7) + " is not POP (XOP encoding?)");
                    int size = stackOperandSize();
                    yield build(Operation.POP, size, size, m, true, Instruction.Source.NONE, -1, false, 0);
                }
                case 0xa0, 0xa1, 0xa2, 0xa3 -> {
                    int size = (op & 1) == 0 ? 1 : operandSize();
                    int as = addressSize();
                    long off = switch (as) {
                        case 2 -> next16();
                        case 4 -> next32();
                        default -> next64();
                    };
                    SegmentRegister seg = segOverride != null ? segOverride : SegmentRegister.DS;
                    MemoryOperand m = new MemoryOperand(seg, -1, -1, 1, off, false, as);
                    yield build(Operation.MOV, size, size, m, (op & 2) != 0, Instruction.Source.REGISTER, Gpr.RAX,
                            false, 0);
                }
                case 0xa4, 0xa5 -> {
                    int size = op == 0xa4 ? 1 : operandSize();
                    SegmentRegister seg = segOverride != null ? segOverride : SegmentRegister.DS;
                    MemoryOperand src = new MemoryOperand(seg, Gpr.RSI, -1, 1, 0, false, addressSize());
                    yield build(Operation.MOVS, size, size, src, false, Instruction.Source.NONE, -1, false, 0);
                }
                case 0xaa, 0xab -> {
                    int size = op == 0xaa ? 1 : operandSize();
                    MemoryOperand dst = new MemoryOperand(SegmentRegister.ES, Gpr.RDI, -1, 1, 0, false, addressSize());
                    yield build(Operation.STOS, size, size, dst, true, Instruction.Source.REGISTER, Gpr.RAX, false, 0);
                }
                case 0xc6, 0xc7 -> {
                    int size = op == 0xc6 ? 1 : operandSize();
                    MemoryOperand m = modrm();
                    if ((modrmReg & 7) != 0) throw fail(Integer.toHexString(op) + " /" + (modrmReg & 7) + " is not MOV");
                    long imm = op == 0xc6 ? (byte) next() : immZ(size);
                    yield imm(Operation.MOV, size, m, imm);
                }
                case 0xf6, 0xf7 -> {
                    int size = op == 0xf6 ? 1 : operandSize();
                    MemoryOperand m = modrm();
                    yield switch (modrmReg & 7) {
                        case 0 -> imm(Operation.TEST, size, m, op == 0xf6 ? (byte) next() : immZ(size));
                        case 2 -> unary(Operation.NOT, size, m);
                        case 3 -> unary(Operation.NEG, size, m);
                        default -> throw fail(Integer.toHexString(op) + " /" + (modrmReg & 7)
                                + " (mul/imul/div/idiv or reserved) is not supported");
                    };
                }
                case 0xfe, 0xff -> {
                    MemoryOperand m = modrm();
                    int r = modrmReg & 7;
                    if (r == 0 || r == 1) {
                        yield unary(r == 0 ? Operation.INC : Operation.DEC, op == 0xfe ? 1 : operandSize(), m);
                    }
                    if (op == 0xff && r == 6) {
                        int size = stackOperandSize();
                        yield build(Operation.PUSH, size, size, m, false, Instruction.Source.NONE, -1, false, 0);
                    }
                    throw fail(Integer.toHexString(op) + " /" + r + " (call/jmp/reserved) is not supported");
                }
                default -> {
                    if ((op & 0xf0) == 0x40) throw fail("opcode " + hex(op) + " is INC/DEC of a register outside 64-bit mode");
                    throw fail("opcode " + hex(op) + " is not an instruction this emulator supports on MMIO");
                }
            };
        }

        private DecodeResult twoByte(int op) {
            if (rep != Instruction.Rep.NONE) {
                throw fail("0F " + hex(op) + " with an F2/F3 prefix is a different instruction; not supported");
            }
            return switch (op) {
                case 0xb6, 0xb7, 0xbe, 0xbf -> {
                    int size = operandSize();
                    int src = (op & 1) == 0 ? 1 : 2;
                    yield reg(op < 0xbe ? Operation.MOVZX : Operation.MOVSX, size, src, modrm(), false);
                }
                case 0xa3, 0xab, 0xb3, 0xbb -> {
                    Operation o = switch (op) {
                        case 0xa3 -> Operation.BT;
                        case 0xab -> Operation.BTS;
                        case 0xb3 -> Operation.BTR;
                        default -> Operation.BTC;
                    };
                    int size = operandSize();
                    yield reg(o, size, size, modrm(), true);
                }
                case 0xba -> {
                    int size = operandSize();
                    MemoryOperand m = modrm();
                    int r = modrmReg & 7;
                    if (r < 4) throw fail("0F BA /" + r + " is reserved");
                    Operation o = Operation.values()[Operation.BT.ordinal() + r - 4];
                    yield imm(o, size, m, next());
                }
                default -> throw fail("opcode 0F " + hex(op) + " is not an instruction this emulator supports on MMIO");
            };
        }

        /** A full-size immediate: 16 bits for 16-bit operands, else 32 bits sign-extended. */
        private long immZ(int size) {
            return size == 2 ? (short) next16() : (int) next32();
        }

        private Instruction reg(Operation o, int size, int memSize, MemoryOperand m, boolean memDest) {
            boolean high = size == 1 && rex == 0 && modrmReg >= 4 && modrmReg < 8;
            int r = high ? modrmReg - 4 : modrmReg;
            return build(o, size, memSize, m, memDest, Instruction.Source.REGISTER, r, high, 0);
        }

        private Instruction imm(Operation o, int size, MemoryOperand m, long imm) {
            return build(o, size, size, m, true, Instruction.Source.IMMEDIATE, -1, false, imm);
        }

        private Instruction unary(Operation o, int size, MemoryOperand m) {
            return build(o, size, size, m, true, Instruction.Source.NONE, -1, false, 0);
        }

        private Instruction build(Operation o, int size, int memSize, MemoryOperand m, boolean memDest,
                                  Instruction.Source source, int register, boolean high, long imm) {
            return new Instruction(o, mode, Arrays.copyOf(code, pos), size, memSize, addressSize(), m, memDest, source,
                    register, high, imm, rep, lock);
        }

        /** Reads ModRM (and SIB and displacement); the r/m operand must be memory. */
        private MemoryOperand modrm() {
            int b = next();
            modrmMod = b >> 6;
            modrmReg = ((b >> 3) & 7) | (rexR() ? 8 : 0);
            modrmRm = b & 7;
            if (modrmMod == 3) {
                throw fail("ModRM " + hex(b) + " names a register, not memory: this cannot be an MMIO access");
            }
            int as = addressSize();
            if (as == 2) return modrm16(as);
            int base = -1, index = -1, scale = 1;
            long disp = 0;
            boolean ripRel = false;
            if (modrmRm == 4) {
                int sib = next();
                scale = 1 << (sib >> 6);
                int idx = ((sib >> 3) & 7) | (rexX() ? 8 : 0);
                if (idx != 4) index = idx;
                int b3 = sib & 7;
                if (b3 == 5 && modrmMod == 0) {
                    disp = (int) next32();
                } else {
                    base = b3 | (rexB() ? 8 : 0);
                }
            } else if (modrmRm == 5 && modrmMod == 0) {
                disp = (int) next32();
                ripRel = is64;
            } else {
                base = modrmRm | (rexB() ? 8 : 0);
            }
            if (modrmMod == 1) disp = (byte) next();
            else if (modrmMod == 2) disp = (int) next32();
            SegmentRegister def = base == Gpr.RSP || base == Gpr.RBP ? SegmentRegister.SS : SegmentRegister.DS;
            return new MemoryOperand(segOverride != null ? segOverride : def, base, index, scale, disp, ripRel, as);
        }

        private MemoryOperand modrm16(int as) {
            int base, index = -1;
            switch (modrmRm) {
                case 0 -> { base = Gpr.RBX; index = Gpr.RSI; }
                case 1 -> { base = Gpr.RBX; index = Gpr.RDI; }
                case 2 -> { base = Gpr.RBP; index = Gpr.RSI; }
                case 3 -> { base = Gpr.RBP; index = Gpr.RDI; }
                case 4 -> base = Gpr.RSI;
                case 5 -> base = Gpr.RDI;
                case 6 -> base = modrmMod == 0 ? -1 : Gpr.RBP;
                default -> base = Gpr.RBX;
            }
            long disp = 0;
            if (modrmMod == 0 && modrmRm == 6) disp = next16();
            else if (modrmMod == 1) disp = (byte) next();
            else if (modrmMod == 2) disp = (short) next16();
            SegmentRegister def = base == Gpr.RBP ? SegmentRegister.SS : SegmentRegister.DS;
            return new MemoryOperand(segOverride != null ? segOverride : def, base, index, 1, disp, false, as);
        }

        private static String hex(int b) {
            return String.format("%02x", b);
        }
    }
}
