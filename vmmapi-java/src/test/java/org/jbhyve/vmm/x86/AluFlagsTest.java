package org.jbhyve.vmm.x86;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every ALU instruction form, at every operand size, through the whole decoder and emulator, against
 * {@link RefAlu}: the memory value, the register value, the written result and all defined flags.
 */
class AluFlagsTest {
    private static final long MMIO = 0xc000_2000L;
    private static final int[] SIZES = {1, 2, 4, 8};

    /** Interesting operands at each size: 0, 1, -1, the sign boundary, nibble carries, random. */
    private static long operand(SplittableRandom rnd, int size) {
        long m = RefAlu.mask(size);
        long sign = 1L << (size * 8 - 1);
        return switch (rnd.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> m;
            case 3 -> sign;
            case 4 -> sign - 1;
            case 5 -> 0xf;
            case 6 -> sign + 1;
            default -> rnd.nextLong() & m;
        };
    }

    /** REX/66 prefix bytes for operand size {@code size} with the given REX.R bit (64-bit mode). */
    private static byte[] prefixes(int size, boolean rexR) {
        int rex = (size == 8 ? 8 : 0) | (rexR ? 4 : 0);
        if (size == 2) return rex != 0 ? new byte[] {0x66, (byte) (0x40 | rex)} : new byte[] {0x66};
        return rex != 0 ? new byte[] {(byte) (0x40 | rex)} : new byte[0];
    }

    private static byte[] concat(byte[] a, int... rest) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + rest.length);
        for (int i = 0; i < rest.length; i++) r[a.length + i] = (byte) rest[i];
        return r;
    }

    private static final Operation[] ALU = {Operation.ADD, Operation.OR, Operation.ADC, Operation.SBB,
            Operation.AND, Operation.SUB, Operation.XOR, Operation.CMP};

    @ParameterizedTest
    @EnumSource(names = {"ADD", "OR", "ADC", "SBB", "AND", "SUB", "XOR", "CMP"})
    void registerFormsMatchTheReference(Operation op) {
        SplittableRandom rnd = new SplittableRandom(op.ordinal() * 7919L);
        int opIndex = java.util.Arrays.asList(ALU).indexOf(op);
        for (int size : SIZES) {
            for (int iter = 0; iter < 400; iter++) {
                long mem = operand(rnd, size), reg = operand(rnd, size);
                int carry = rnd.nextInt(2);
                boolean memDest = rnd.nextBoolean();
                int regNum = rnd.nextInt(16);
                if (regNum == Gpr.RBX || regNum == Gpr.RSP) regNum = Gpr.RDX;
                if (size == 1 && regNum >= 4 && regNum < 8) regNum = Gpr.RCX; // no REX: would be AH..BH
                int opcode = (opIndex << 3) | (memDest ? 0 : 2) | (size == 1 ? 0 : 1);
                byte[] code = concat(prefixes(size, regNum >= 8), opcode, ((regNum & 7) << 3) | 3);
                check(op, code, size, mem, reg, carry, memDest, regNum, rnd.nextLong());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"ADD", "OR", "ADC", "SBB", "AND", "SUB", "XOR", "CMP"})
    void immediateFormsMatchTheReference(Operation op) {
        SplittableRandom rnd = new SplittableRandom(op.ordinal() * 104729L);
        int opIndex = java.util.Arrays.asList(ALU).indexOf(op);
        for (int size : SIZES) {
            for (int iter = 0; iter < 300; iter++) {
                long mem = operand(rnd, size);
                int carry = rnd.nextInt(2);
                boolean imm8 = size == 1 || rnd.nextBoolean();
                long imm;
                byte[] code;
                int modrm = (opIndex << 3) | 3;
                if (size == 1) {
                    imm = (byte) rnd.nextInt();
                    code = concat(prefixes(1, false), 0x80, modrm, (int) imm & 0xff);
                } else if (imm8) {
                    imm = (byte) rnd.nextInt();
                    code = concat(prefixes(size, false), 0x83, modrm, (int) imm & 0xff);
                } else if (size == 2) {
                    imm = (short) rnd.nextInt();
                    code = concat(prefixes(2, false), 0x81, modrm, (int) imm & 0xff, (int) (imm >> 8) & 0xff);
                } else {
                    imm = rnd.nextInt();
                    code = concat(prefixes(size, false), 0x81, modrm, (int) imm & 0xff, (int) (imm >> 8) & 0xff,
                            (int) (imm >> 16) & 0xff, (int) (imm >> 24) & 0xff);
                }
                // the immediate is sign-extended to the operand size
                checkImm(op, code, size, mem, imm & RefAlu.mask(size), carry, rnd.nextLong());
            }
        }
    }

    private void check(Operation op, byte[] code, int size, long mem, long reg, int carry, boolean memDest, int regNum,
                       long junk) {
        TestMachine.Regs r = new TestMachine.Regs();
        for (int i = 0; i < 16; i++) r.gpr[i] = junk * (i + 1);
        r.gpr[Gpr.RBX] = MMIO;
        long full = (junk & ~RefAlu.mask(size)) | reg;
        r.gpr[regNum] = full;
        long inFlags = 0x2 | (carry == 1 ? Flags.CF : 0) | (junk & (Flags.STATUS & ~Flags.CF));
        r.rflags = inFlags;
        TestMachine.Mmio dev = new TestMachine.Mmio((g, s) -> mem);
        EmulationContext ctx = new EmulationContext(CpuMode.BITS64, r, dev, null, null);
        EmulationResult res = new InstructionEmulator().emulate(ctx, code, MMIO, MMIO);
        String what = Hex.bytes(code, code.length) + " mem=" + Long.toHexString(mem) + " reg=" + Long.toHexString(reg)
                + " cf=" + carry;
        assertThat(res).as(what).isEqualTo(new EmulationResult.Completed(code.length));

        long a = memDest ? mem : reg, b = memDest ? reg : mem;
        RefAlu.Out want = RefAlu.op(op, a, b, carry, size);
        long defined = RefAlu.defined(op);
        assertThat(r.rflags & defined).as(what + " flags").isEqualTo(want.flags() & defined);
        assertThat(r.rflags & ~Flags.STATUS).as(what + " other flags").isEqualTo(inFlags & ~Flags.STATUS);

        var expected = new java.util.ArrayList<TestMachine.Access>();
        expected.add(TestMachine.Access.r(MMIO, size, mem));
        if (memDest && op != Operation.CMP) expected.add(TestMachine.Access.w(MMIO, size, want.value()));
        assertThat(dev.log).as(what).isEqualTo(expected);
        long wantReg = full;
        if (!memDest && op != Operation.CMP) {
            wantReg = size == 4 ? want.value() : (full & ~RefAlu.mask(size)) | want.value();
        }
        assertThat(r.gpr[regNum]).as(what + " register").isEqualTo(wantReg);
    }

    private void checkImm(Operation op, byte[] code, int size, long mem, long imm, int carry, long junk) {
        TestMachine.Regs r = new TestMachine.Regs();
        r.gpr[Gpr.RBX] = MMIO;
        long inFlags = 0x2 | (carry == 1 ? Flags.CF : 0) | (junk & (Flags.STATUS & ~Flags.CF));
        r.rflags = inFlags;
        TestMachine.Mmio dev = new TestMachine.Mmio((g, s) -> mem);
        EmulationContext ctx = new EmulationContext(CpuMode.BITS64, r, dev, null, null);
        EmulationResult res = new InstructionEmulator().emulate(ctx, code, MMIO, MMIO);
        String what = Hex.bytes(code, code.length) + " mem=" + Long.toHexString(mem) + " imm=" + Long.toHexString(imm);
        assertThat(res).as(what).isEqualTo(new EmulationResult.Completed(code.length));
        RefAlu.Out want = RefAlu.op(op, mem, imm, carry, size);
        long defined = RefAlu.defined(op);
        assertThat(r.rflags & defined).as(what + " flags").isEqualTo(want.flags() & defined);
        var expected = new java.util.ArrayList<TestMachine.Access>();
        expected.add(TestMachine.Access.r(MMIO, size, mem));
        if (op != Operation.CMP) expected.add(TestMachine.Access.w(MMIO, size, want.value()));
        assertThat(dev.log).as(what).isEqualTo(expected);
    }

    @Test
    void testNegIncDecMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int size : SIZES) {
            for (int iter = 0; iter < 300; iter++) {
                long mem = operand(rnd, size);
                long reg = operand(rnd, size);
                long inFlags = 0x2 | (rnd.nextLong() & Flags.STATUS);
                byte[] pre = prefixes(size, false);
                int grp = size == 1 ? 0xf6 : 0xf7, incdec = size == 1 ? 0xfe : 0xff;
                // test [rbx], reg(rdx) ; neg [rbx] ; inc [rbx] ; dec [rbx]
                record F(byte[] code, RefAlu.Out want, long defined, boolean writes) {}
                F[] forms = {
                        new F(concat(pre, size == 1 ? 0x84 : 0x85, 0x13), RefAlu.logic(mem & reg, size),
                                Flags.STATUS & ~Flags.AF, false),
                        new F(concat(pre, grp, 0x1b), RefAlu.sub(0, mem, 0, size), Flags.STATUS, true),
                        new F(concat(pre, incdec, 0x03), RefAlu.add(mem, 1, 0, size), Flags.STATUS & ~Flags.CF, true),
                        new F(concat(pre, incdec, 0x0b), RefAlu.sub(mem, 1, 0, size), Flags.STATUS & ~Flags.CF, true),
                };
                for (F f : forms) {
                    TestMachine.Regs r = new TestMachine.Regs();
                    r.gpr[Gpr.RBX] = MMIO;
                    r.gpr[Gpr.RDX] = reg;
                    r.rflags = inFlags;
                    TestMachine.Mmio dev = new TestMachine.Mmio((g, s) -> mem);
                    EmulationResult res = new InstructionEmulator().emulate(
                            new EmulationContext(CpuMode.BITS64, r, dev, null, null), f.code, MMIO, MMIO);
                    String what = Hex.bytes(f.code, f.code.length) + " mem=" + Long.toHexString(mem);
                    assertThat(res).as(what).isInstanceOf(EmulationResult.Completed.class);
                    assertThat(r.rflags & f.defined).as(what).isEqualTo(f.want.flags() & f.defined);
                    assertThat(r.rflags & ~f.defined & ~Flags.AF).as(what + " untouched")
                            .isEqualTo(inFlags & ~f.defined & ~Flags.AF);
                    if (f.writes) {
                        assertThat(dev.log.getLast()).as(what).isEqualTo(TestMachine.Access.w(MMIO, size, f.want.value()));
                    } else {
                        assertThat(dev.log).hasSize(1);
                    }
                }
            }
        }
    }

    @Test
    void flagHelpersAgreeWithTheReferenceExhaustivelyAtEightBits() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0; c < 2; c++) {
                    Flags.Result add = Flags.add(a, b, c, 1);
                    RefAlu.Out ra = RefAlu.add(a, b, c, 1);
                    assertThat(add.value()).isEqualTo(ra.value());
                    if (add.flags() != ra.flags()) {
                        throw new AssertionError("add " + a + "+" + b + "+" + c + ": " + add.flags() + " vs " + ra.flags());
                    }
                    Flags.Result sub = Flags.sub(a, b, c, 1);
                    RefAlu.Out rs = RefAlu.sub(a, b, c, 1);
                    assertThat(sub.value()).isEqualTo(rs.value());
                    if (sub.flags() != rs.flags()) {
                        throw new AssertionError("sub " + a + "-" + b + "-" + c + ": " + sub.flags() + " vs " + rs.flags());
                    }
                }
            }
        }
    }
}
