package org.jbhyve.vmm.x86;

import org.jbhyve.vmm.x86.TestMachine.Access;
import org.jbhyve.vmm.x86.TestMachine.PageTables;
import org.jbhyve.vmm.x86.TestMachine.Ram;
import org.jbhyve.vmm.x86.TestMachine.Regs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongBinaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.vmm.x86.CpuMode.BITS16;
import static org.jbhyve.vmm.x86.CpuMode.BITS32;
import static org.jbhyve.vmm.x86.CpuMode.BITS64;
import static org.jbhyve.vmm.x86.Gpr.*;
import static org.jbhyve.vmm.x86.TestMachine.Access.r;
import static org.jbhyve.vmm.x86.TestMachine.Access.w;

/**
 * The encoding table: for each instruction form, the bytes, mode, initial registers and device
 * behaviour, and the expected device accesses, final registers, flags, RAM and length. Registers and
 * flags not named in a row must be unchanged.
 *
 * <p>Environment of every row: RAM is [0, 1 GiB); device memory is at 0xc000_0000 and above. In
 * 64-bit mode 4-level paging identity-maps RAM [0x10000, 0x60000) and device memory
 * [0xc000_0000, 0xc000_8000) with 4 KiB pages; in 32- and 16-bit mode paging is off.
 */
class EncodingTableTest {
    static final long MMIO = 0xc000_1000L;
    static final long BUF = 0x30000L;
    static final long STACK = 0x20000L;
    static final long V64 = 0x1122_3344_5566_7788L;

    static final class Case {
        final String name;
        final CpuMode mode;
        final byte[] code;
        final Regs regs = new Regs();
        long gpa = MMIO;
        long gla = InstructionEmulator.UNKNOWN_GLA;
        LongBinaryOperator device = TestMachine.Mmio::pattern;
        final List<Access> accesses = new ArrayList<>();
        final Map<Integer, Long> outRegs = new LinkedHashMap<>();
        long outFlags, flagMask;
        int length = -1;
        Class<? extends EmulationResult> result = EmulationResult.Completed.class;
        EmulationResult exactResult;
        final List<Consumer<PageTables>> pageSetup = new ArrayList<>();
        final List<Consumer<Ram>> ramSetup = new ArrayList<>();
        final Map<Long, Long> ramExpect = new LinkedHashMap<>(); // gpa -> byte
        int maxRep = InstructionEmulator.DEFAULT_MAX_REP_ITERATIONS;
        int cpl = 0;
        boolean noMemory;

        Case(String name, CpuMode mode, String hex) {
            this.name = name;
            this.mode = mode;
            this.code = TestMachine.hex(hex);
            regs.rip = 0x1000;
        }

        Case set(int reg, long v) { regs.gpr[reg] = v; return this; }

        Case flags(long f) { regs.rflags = f | 0x2; return this; }

        Case seg(SegmentRegister s, long base) { regs.segBase[s.ordinal()] = base; return this; }

        Case rip(long v) { regs.rip = v; return this; }

        Case ss16() { regs.ss32 = false; return this; }

        Case at(long gpa) { this.gpa = gpa; return this; }

        /** The exit reports linear address {@code gla}: the decoded operand must cover it. */
        Case gla(long gla) { this.gla = gla; return this; }

        /** gpa and gla both {@code a} (identity mapping). */
        Case atLinear(long a) { this.gpa = a; this.gla = a; return this; }

        Case reads(long v) { this.device = (g, s) -> v; return this; }

        Case expect(Access... a) { accesses.addAll(List.of(a)); return this; }

        Case out(int reg, long v) { outRegs.put(reg, v); return this; }

        Case outFlags(long v, long mask) { outFlags = v; flagMask = mask; return this; }

        Case len(int n) { length = n; return this; }

        Case result(Class<? extends EmulationResult> c) { result = c; return this; }

        Case result(EmulationResult r) { exactResult = r; result = r.getClass(); return this; }

        Case pages(Consumer<PageTables> c) { pageSetup.add(c); return this; }

        Case ram(Consumer<Ram> c) { ramSetup.add(c); return this; }

        Case ramLong(long gpa, int size, long v) {
            ramSetup.add(ram -> ram.write(gpa, size, v));
            return this;
        }

        Case expectRam(long gpa, int size, long v) {
            for (int i = 0; i < size; i++) ramExpect.put(gpa + i, (v >>> (8 * i)) & 0xff);
            return this;
        }

        Case maxRep(int n) { maxRep = n; return this; }

        Case cpl(int c) { cpl = c; return this; }

        Case noMemory() { noMemory = true; return this; }

        String why;

        /** The failure's reason must contain {@code text}. */
        Case why(String text) { why = text; return this; }

        @Override
        public String toString() { return mode + " " + name; }
    }

    static Case c(String name, CpuMode mode, String hex) {
        return new Case(name, mode, hex);
    }

    static long p(long gpa, int size) {
        return TestMachine.Mmio.pattern(gpa, size);
    }

    static List<Case> cases() {
        List<Case> t = new ArrayList<>();
        // ---- MOV, all operand sizes, register classes --------------------------------------------
        t.add(c("mov [rbx], eax", BITS64, "89 03").set(RBX, MMIO).set(RAX, V64).expect(w(MMIO, 4, 0x55667788L)).len(2));
        t.add(c("mov [rbx], rax", BITS64, "48 89 03").set(RBX, MMIO).set(RAX, V64).expect(w(MMIO, 8, V64)).len(3));
        t.add(c("mov [rbx], ax", BITS64, "66 89 03").set(RBX, MMIO).set(RAX, V64).expect(w(MMIO, 2, 0x7788)).len(3));
        t.add(c("mov [rbx], al", BITS64, "88 03").set(RBX, MMIO).set(RAX, V64).expect(w(MMIO, 1, 0x88)).len(2));
        t.add(c("mov [rbx], ah (no REX)", BITS64, "88 23").set(RBX, MMIO).set(RAX, V64).expect(w(MMIO, 1, 0x77)));
        t.add(c("mov [rbx], bh", BITS64, "88 3b").set(RBX, MMIO).expect(w(MMIO, 1, (MMIO >> 8) & 0xff)));
        t.add(c("mov [rbx], spl (REX)", BITS64, "40 88 23").set(RBX, MMIO).set(RSP, 0x1234).expect(w(MMIO, 1, 0x34)));
        t.add(c("mov [rbx], dil (REX)", BITS64, "40 88 3b").set(RBX, MMIO).set(RDI, 0xabcd).expect(w(MMIO, 1, 0xcd)));
        t.add(c("mov [rbx], r8b (REX.R)", BITS64, "44 88 03").set(RBX, MMIO).set(R8, 0x99).expect(w(MMIO, 1, 0x99)));
        t.add(c("mov [rbx], r15 (REX.WR)", BITS64, "4c 89 3b").set(RBX, MMIO).set(R15, -2L).expect(w(MMIO, 8, -2L)));
        t.add(c("mov [r8], eax (REX.B)", BITS64, "41 89 00").set(R8, MMIO).set(RAX, 7).atLinear(MMIO)
                .expect(w(MMIO, 4, 7)));
        t.add(c("mov eax, [rbx] zero-extends", BITS64, "8b 03").set(RBX, MMIO).set(RAX, -1L).reads(0x8000_0001L)
                .expect(r(MMIO, 4, 0x8000_0001L)).out(RAX, 0x8000_0001L));
        t.add(c("mov al, [rbx] merges", BITS64, "8a 03").set(RBX, MMIO).set(RAX, V64).reads(0xee)
                .expect(r(MMIO, 1, 0xee)).out(RAX, 0x1122_3344_5566_77eeL));
        t.add(c("mov ah, [rbx] merges", BITS64, "8a 23").set(RBX, MMIO).set(RAX, V64).reads(0xee)
                .expect(r(MMIO, 1, 0xee)).out(RAX, 0x1122_3344_5566_ee88L));
        t.add(c("mov sil, [rbx] (REX)", BITS64, "40 8a 33").set(RBX, MMIO).set(RSI, V64).reads(0xee)
                .expect(r(MMIO, 1, 0xee)).out(RSI, 0x1122_3344_5566_77eeL));
        t.add(c("mov ax, [rbx] merges", BITS64, "66 8b 03").set(RBX, MMIO).set(RAX, V64).reads(0xbeef)
                .expect(r(MMIO, 2, 0xbeef)).out(RAX, 0x1122_3344_5566_beefL));
        t.add(c("mov rax, [rbx]", BITS64, "48 8b 03").set(RBX, MMIO).expect(r(MMIO, 8, p(MMIO, 8))).out(RAX, p(MMIO, 8)));
        t.add(c("mov r8, [rbx] (REX.WR)", BITS64, "4c 8b 03").set(RBX, MMIO).expect(r(MMIO, 8, p(MMIO, 8))).out(R8, p(MMIO, 8)));
        t.add(c("mov r9d, [r10] (REX.RB)", BITS64, "45 8b 0a").set(R10, MMIO).set(R9, -1L).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(R9, p(MMIO, 4)));
        t.add(c("mov byte [rbx], 0xab", BITS64, "c6 03 ab").set(RBX, MMIO).expect(w(MMIO, 1, 0xab)).len(3));
        t.add(c("mov word [rbx], 0x1234", BITS64, "66 c7 03 34 12").set(RBX, MMIO).expect(w(MMIO, 2, 0x1234)).len(5));
        t.add(c("mov dword [rbx], imm32", BITS64, "c7 03 78 56 34 12").set(RBX, MMIO).expect(w(MMIO, 4, 0x12345678)).len(6));
        t.add(c("mov qword [rbx], -1 (imm32 sign-extended)", BITS64, "48 c7 03 ff ff ff ff").set(RBX, MMIO)
                .expect(w(MMIO, 8, -1L)).len(7));
        t.add(c("mov qword [rbx], 0x80000000 sign-extends", BITS64, "48 c7 03 00 00 00 80").set(RBX, MMIO)
                .expect(w(MMIO, 8, 0xffff_ffff_8000_0000L)));
        t.add(c("mov byte [rbx+disp32], imm8", BITS64, "c6 83 10 00 00 00 5a").set(RBX, MMIO - 0x10)
                .atLinear(MMIO).expect(w(MMIO, 1, 0x5a)).len(7));

        // ---- moffs ------------------------------------------------------------------------------
        t.add(c("mov eax, [moffs64]", BITS64, "a1 00 10 00 c0 00 00 00 00").atLinear(MMIO).set(RAX, -1L)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(9));
        t.add(c("mov [moffs64], rax", BITS64, "48 a3 00 10 00 c0 00 00 00 00").atLinear(MMIO).set(RAX, V64)
                .expect(w(MMIO, 8, V64)).len(10));
        t.add(c("mov al, [moffs64]", BITS64, "a0 00 10 00 c0 00 00 00 00").atLinear(MMIO).set(RAX, V64)
                .expect(r(MMIO, 1, p(MMIO, 1))).out(RAX, (V64 & ~0xffL) | p(MMIO, 1)));
        t.add(c("mov [moffs64], al", BITS64, "a2 00 10 00 c0 00 00 00 00").atLinear(MMIO).set(RAX, V64)
                .expect(w(MMIO, 1, 0x88)));
        t.add(c("mov [moffs64], ax (66)", BITS64, "66 a3 00 10 00 c0 00 00 00 00").atLinear(MMIO).set(RAX, V64)
                .expect(w(MMIO, 2, 0x7788)).len(10));
        t.add(c("mov eax, [moffs32] (67)", BITS64, "67 a1 00 10 00 c0").atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(6));
        t.add(c("mov eax, fs:[moffs64]", BITS64, "64 a1 00 10 00 00 00 00 00 00").seg(SegmentRegister.FS, 0xc000_0000L)
                .atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(10));
        t.add(c("mov eax, ds:[moffs64] ignores DS base", BITS64, "3e a1 00 10 00 c0 00 00 00 00")
                .seg(SegmentRegister.DS, 0x5000).atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)));
        t.add(c("mov [moffs32], eax", BITS32, "a3 00 10 00 c0").atLinear(MMIO).set(RAX, V64)
                .expect(w(MMIO, 4, 0x55667788L)).len(5));
        t.add(c("mov al, [moffs16] with DS base", BITS16, "a0 34 12").seg(SegmentRegister.DS, 0xc000_0000L)
                .atLinear(0xc000_1234L).set(RAX, 0).expect(r(0xc000_1234L, 1, p(0xc000_1234L, 1)))
                .out(RAX, p(0xc000_1234L, 1)).len(3));
        t.add(c("mov eax, [moffs32] (67 in 16-bit mode, 66)", BITS16, "66 67 a1 00 10 00 c0").atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(7));

        // ---- ModRM / SIB / displacement classes (gla checks the effective address) -----------------
        t.add(c("[rbx+rcx*4]", BITS64, "8b 04 8b").set(RBX, MMIO - 0x40).set(RCX, 0x10).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(3));
        t.add(c("[rbx+rcx*2]", BITS64, "8b 04 4b").set(RBX, MMIO - 0x20).set(RCX, 0x10).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)));
        t.add(c("[rbx+rcx*8+disp8]", BITS64, "8b 44 cb 08").set(RBX, MMIO - 0x88).set(RCX, 0x10).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(4));
        t.add(c("[rsp] (SIB, no index)", BITS64, "8b 04 24").set(RSP, MMIO).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(3));
        t.add(c("[rbx+r12] (REX.X makes index 100 a register)", BITS64, "42 8b 04 23").set(RBX, MMIO - 0x100)
                .set(R12, 0x100).atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(4));
        t.add(c("[r12] needs SIB", BITS64, "41 8b 04 24").set(R12, MMIO).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(4));
        t.add(c("[r13+0] (mod 01, not RIP-relative)", BITS64, "41 8b 45 00").set(R13, MMIO).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(4));
        t.add(c("[r13+r12*1+0]", BITS64, "43 8b 44 25 00").set(R13, MMIO - 8).set(R12, 8).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(5));
        t.add(c("SIB base 101 mod 00: disp32, no base (REX.B ignored)", BITS64, "41 8b 04 25 00 10 00 00")
                .set(R13, 0x5555).gla(0x1000).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(8));
        t.add(c("SIB disp32 sign-extends in 64-bit mode", BITS64, "8b 04 25 f0 ff ff ff").gla(0xffff_ffff_ffff_fff0L)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(7));
        t.add(c("[disp32+rcx*1] (SIB, no base)", BITS64, "8b 04 0d 00 10 00 00").set(RCX, 0xc000_0000L).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(7));
        t.add(c("[rbx-0x10] (disp8 negative)", BITS64, "8b 43 f0").set(RBX, MMIO + 0x10).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(3));
        t.add(c("[rbx+disp32]", BITS64, "8b 83 00 01 00 00").set(RBX, MMIO - 0x100).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(6));
        t.add(c("[rbp+disp8] (SS default, base 0 in 64-bit)", BITS64, "8b 45 08").set(RBP, MMIO - 8)
                .seg(SegmentRegister.SS, 0x7000).atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)));
        t.add(c("[rip+disp32]", BITS64, "8b 05 f0 0f 00 00").rip(0xc000_0000L).atLinear(0xc000_0ff6L)
                .expect(r(0xc000_0ff6L, 4, p(0xc000_0ff6L, 4))).out(RAX, p(0xc000_0ff6L, 4)).len(6));
        t.add(c("[rip-disp32] with prefixes counts the full length", BITS64, "66 c7 05 f8 ff ff ff 34 12")
                .rip(MMIO).atLinear(MMIO + 9 - 8).expect(w(MMIO + 1, 2, 0x1234)).len(9));
        t.add(c("[eip+disp32] (67) wraps at 4 GiB", BITS64, "67 8b 05 20 00 00 00").rip(0xffff_fff0L).gla(0x17)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(7));
        t.add(c("[ebx] (67) ignores the upper half of rbx", BITS64, "67 8b 03").set(RBX, 0xffff_ffff_0000_0000L | MMIO)
                .atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(3));
        t.add(c("[ebx+0x10] (67) wraps at 4 GiB", BITS64, "67 8b 43 10").set(RBX, 0xffff_fff8L).gla(0x8)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)));
        t.add(c("gs:[rbx] adds the GS base", BITS64, "65 8b 03").seg(SegmentRegister.GS, 0xc000_0000L).set(RBX, 0x1000)
                .atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(3));
        t.add(c("cs:[rbx] override ignored in 64-bit", BITS64, "2e 8b 03").seg(SegmentRegister.CS, 0x1000_0000L)
                .set(RBX, MMIO).atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(3));
        t.add(c("66 then REX.W: REX.W wins", BITS64, "66 48 89 03").set(RBX, MMIO).set(RAX, V64).expect(w(MMIO, 8, V64)).len(4));
        t.add(c("REX then 66: the REX is dropped", BITS64, "48 66 89 03").set(RBX, MMIO).set(RAX, V64)
                .expect(w(MMIO, 2, 0x7788)).len(4));
        t.add(c("REX.R dropped when a legacy prefix follows", BITS64, "44 66 89 03").set(RBX, MMIO).set(RAX, V64)
                .set(R8, 0).expect(w(MMIO, 2, 0x7788)).len(4));
        t.add(c("two REX prefixes: the last counts", BITS64, "4c 48 89 03").set(RBX, MMIO).set(RAX, V64)
                .expect(w(MMIO, 8, V64)).len(4));
        t.add(c("lock, segment, 66, 67 prefixes together", BITS64, "f0 65 66 67 01 03").seg(SegmentRegister.GS, 0x100)
                .set(RBX, MMIO - 0x100).set(RAX, 1).reads(0xfffe).atLinear(MMIO)
                .expect(r(MMIO, 2, 0xfffe), w(MMIO, 2, 0xffff)).outFlags(Flags.SF | Flags.PF, Flags.STATUS).len(6));
        t.add(c("last segment override wins", BITS64, "64 65 8b 03").seg(SegmentRegister.FS, 0x10).seg(SegmentRegister.GS, 0x20)
                .set(RBX, MMIO - 0x20).atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(4));
        t.add(c("F3 on MOV (XRELEASE hint) ignored", BITS64, "f3 89 03").set(RBX, MMIO).set(RAX, 5).expect(w(MMIO, 4, 5)).len(3));
        t.add(c("gla inside the access (second half)", BITS64, "89 03").set(RBX, MMIO).set(RAX, 9).at(MMIO + 2)
                .gla(MMIO + 2).expect(w(MMIO, 4, 9)));
        t.add(c("exactly 15 bytes", BITS64, "66 66 66 66 66 66 66 66 66 66 66 c7 03 34 12").set(RBX, MMIO)
                .expect(w(MMIO, 2, 0x1234)).len(15));

        // ---- 32-bit and 16-bit modes ------------------------------------------------------------
        t.add(c("mov eax, [ebx] uses only ebx", BITS32, "8b 03").set(RBX, 0xdead_0000_0000_0000L | MMIO).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)));
        t.add(c("mov [ebx], ax (66)", BITS32, "66 89 03").set(RBX, MMIO).set(RAX, V64).expect(w(MMIO, 2, 0x7788)));
        t.add(c("DS base is added, linear wraps at 4 GiB", BITS32, "8b 03").seg(SegmentRegister.DS, 0xf000_0000L)
                .set(RBX, 0xd000_1000L).atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)));
        t.add(c("[ebp+disp8] uses the SS base", BITS32, "89 45 04").seg(SegmentRegister.SS, 0xc000_0000L)
                .seg(SegmentRegister.DS, 0x1234).set(RBP, 0xffc).set(RAX, 3).atLinear(MMIO).expect(w(MMIO, 4, 3)).len(3));
        t.add(c("es: override", BITS32, "26 89 03").seg(SegmentRegister.ES, 0xc000_0000L).set(RBX, 0x1000)
                .set(RAX, 4).atLinear(MMIO).expect(w(MMIO, 4, 4)).len(3));
        t.add(c("[disp32] is absolute, not RIP-relative", BITS32, "8b 05 00 10 00 c0").rip(0x5000).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(6));
        t.add(c("SIB [ebx+ecx*4]", BITS32, "8b 04 8b").set(RBX, MMIO - 0x40).set(RCX, 0x10).atLinear(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)));
        t.add(c("[bx] (67: 16-bit addressing)", BITS32, "67 8b 07").seg(SegmentRegister.DS, 0xc000_0000L)
                .set(RBX, 0xffff_1000L).atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(3));
        t.add(c("82 /0: add byte [ebx], imm8 (alias of 80)", BITS32, "82 03 05").set(RBX, MMIO).reads(0xfb)
                .expect(r(MMIO, 1, 0xfb), w(MMIO, 1, 0)).outFlags(Flags.ZF | Flags.PF | Flags.CF | Flags.AF, Flags.STATUS).len(3));
        t.add(c("movzx eax, byte [ebx]", BITS32, "0f b6 03").set(RBX, MMIO).set(RAX, -1L).reads(0x80)
                .expect(r(MMIO, 1, 0x80)).out(RAX, 0x80).len(3));
        t.add(c("mov ax, [bx]", BITS16, "8b 07").seg(SegmentRegister.DS, 0xc000_0000L).set(RBX, 0x1000).set(RAX, V64)
                .atLinear(MMIO).reads(0x1234).expect(r(MMIO, 2, 0x1234)).out(RAX, (V64 & ~0xffffL) | 0x1234).len(2));
        t.add(c("mov eax, [bx] (66)", BITS16, "66 8b 07").seg(SegmentRegister.DS, 0xc000_0000L).set(RBX, 0x1000)
                .atLinear(MMIO).expect(r(MMIO, 4, p(MMIO, 4))).out(RAX, p(MMIO, 4)).len(3));
        t.add(c("[bx+si+disp8]", BITS16, "89 40 10").seg(SegmentRegister.DS, 0xc000_0000L).set(RBX, 0xf00)
                .set(RSI, 0xf0).set(RAX, 0xabcd).atLinear(MMIO).expect(w(MMIO, 2, 0xabcd)).len(3));
        t.add(c("[bx+di]", BITS16, "89 01").seg(SegmentRegister.DS, 0xc000_0000L).set(RBX, 0xf00).set(RDI, 0x100)
                .set(RAX, 1).atLinear(MMIO).expect(w(MMIO, 2, 1)));
        t.add(c("[bp+si] uses SS", BITS16, "89 02").seg(SegmentRegister.SS, 0xc000_0000L).set(RBP, 0xf00).set(RSI, 0x100)
                .set(RAX, 2).atLinear(MMIO).expect(w(MMIO, 2, 2)));
        t.add(c("[bp+di-2] uses SS", BITS16, "89 43 fe").seg(SegmentRegister.SS, 0xc000_0000L).set(RBP, 0xf02)
                .set(RDI, 0x100).set(RAX, 3).atLinear(MMIO).expect(w(MMIO, 2, 3)));
        t.add(c("[si]", BITS16, "89 04").seg(SegmentRegister.DS, 0xc000_0000L).set(RSI, 0x1000).set(RAX, 4)
                .atLinear(MMIO).expect(w(MMIO, 2, 4)));
        t.add(c("[di+disp16]", BITS16, "89 85 00 10").seg(SegmentRegister.DS, 0xc000_0000L).set(RDI, 0).set(RAX, 5)
                .atLinear(MMIO).expect(w(MMIO, 2, 5)).len(4));
        t.add(c("[disp16]", BITS16, "89 06 00 10").seg(SegmentRegister.DS, 0xc000_0000L).set(RAX, 6).atLinear(MMIO)
                .expect(w(MMIO, 2, 6)).len(4));
        t.add(c("[bp+disp8] uses SS", BITS16, "89 46 00").seg(SegmentRegister.SS, 0xc000_1000L).set(RBP, 0).set(RAX, 7)
                .atLinear(MMIO).expect(w(MMIO, 2, 7)).len(3));
        t.add(c("16-bit effective address wraps at 64 KiB", BITS16, "89 47 20").seg(SegmentRegister.DS, 0xc000_0ff0L)
                .set(RBX, 0xfff0).set(RAX, 8).atLinear(MMIO).expect(w(MMIO, 2, 8)).len(3));
        t.add(c("[ebx] (67: 32-bit addressing in 16-bit mode)", BITS16, "67 89 03").set(RBX, MMIO).set(RAX, 9)
                .atLinear(MMIO).expect(w(MMIO, 2, 9)).len(3));
        t.add(c("mov word [bx], imm16", BITS16, "c7 07 cd ab").seg(SegmentRegister.DS, 0xc000_0000L).set(RBX, 0x1000)
                .atLinear(MMIO).expect(w(MMIO, 2, 0xabcd)).len(4));
        t.add(c("mov dword [bx], imm32 (66)", BITS16, "66 c7 07 78 56 34 12").seg(SegmentRegister.DS, 0xc000_0000L)
                .set(RBX, 0x1000).atLinear(MMIO).expect(w(MMIO, 4, 0x12345678)).len(7));

        // ---- operands straddling a page boundary: translated per page, split like KVM -----------
        t.add(c("mov [rbx], eax across two device pages", BITS64, "89 03").set(RBX, MMIO + 0xffe).set(RAX, V64)
                .atLinear(MMIO + 0xffe).expect(w(MMIO + 0xffe, 2, 0x7788), w(MMIO + 0x1000, 2, 0x5566)));
        t.add(c("mov eax, [rbx] split 3+1", BITS64, "8b 03").set(RBX, MMIO + 0xffd).at(MMIO + 0xffd).reads(0xa1b2c3d4L)
                .expect(r(MMIO + 0xffd, 3, 0xb2c3d4), r(MMIO + 0x1000, 1, 0xd4)).out(RAX, 0xd4b2c3d4L));
        t.add(c("mov [rbx], eax from a device page into RAM", BITS64, "89 03").set(RBX, 0xc000_1ffeL).set(RAX, V64)
                .pages(pt -> pt.map4k(0xc000_2000L, 0x31000, 3)).at(0xc000_1ffeL)
                .expect(w(0xc000_1ffeL, 2, 0x7788)).expectRam(0x31000, 2, 0x5566));
        t.add(c("add eax, [rbx] from RAM into a device page (exit on the 2nd page)", BITS64, "03 03").set(RBX, 0x3fffe)
                .set(RAX, 1).pages(pt -> pt.map4k(0x40000, 0xc000_3000L, 3)).ramLong(0x3fffe, 2, 0xffff)
                .at(0xc000_3000L).gla(0x40000).reads(0x1234).expect(r(0xc000_3000L, 2, 0x1234)).out(RAX, 0x1235_0000L)
                .outFlags(Flags.AF | Flags.PF, Flags.STATUS));
        t.add(c("straddling operand that does not touch the exit's gpa", BITS64, "89 03").set(RBX, MMIO + 0xffe)
                .at(MMIO + 0x2000).result(EmulationResult.EmulationFailure.class).why("does not access the faulting address"));
        t.add(c("straddling operand without guest memory: one access at gpa", BITS64, "89 03").set(RBX, MMIO + 0xffe)
                .set(RAX, 7).at(MMIO + 0xffe).noMemory().expect(w(MMIO + 0xffe, 4, 7)));

        // ---- MOVZX / MOVSX / MOVSXD ---------------------------------------------------------------
        t.add(c("movzx eax, byte", BITS64, "0f b6 03").set(RBX, MMIO).set(RAX, -1L).reads(0xff)
                .expect(r(MMIO, 1, 0xff)).out(RAX, 0xff).len(3));
        t.add(c("movzx ax, byte (66) merges", BITS64, "66 0f b6 03").set(RBX, MMIO).set(RAX, V64).reads(0xff)
                .expect(r(MMIO, 1, 0xff)).out(RAX, (V64 & ~0xffffL) | 0xff).len(4));
        t.add(c("movzx rax, word", BITS64, "48 0f b7 03").set(RBX, MMIO).set(RAX, -1L).reads(0x8001)
                .expect(r(MMIO, 2, 0x8001)).out(RAX, 0x8001).len(4));
        t.add(c("movzx r8d, byte (REX.R)", BITS64, "44 0f b6 03").set(RBX, MMIO).set(R8, -1L).reads(0x7f)
                .expect(r(MMIO, 1, 0x7f)).out(R8, 0x7f).len(4));
        t.add(c("movsx eax, byte", BITS64, "0f be 03").set(RBX, MMIO).set(RAX, -1L).reads(0x80)
                .expect(r(MMIO, 1, 0x80)).out(RAX, 0xffff_ff80L).len(3));
        t.add(c("movsx rax, byte", BITS64, "48 0f be 03").set(RBX, MMIO).reads(0x80)
                .expect(r(MMIO, 1, 0x80)).out(RAX, 0xffff_ffff_ffff_ff80L));
        t.add(c("movsx rax, word", BITS64, "48 0f bf 03").set(RBX, MMIO).reads(0x8000)
                .expect(r(MMIO, 2, 0x8000)).out(RAX, 0xffff_ffff_ffff_8000L));
        t.add(c("movsx ax, byte (66)", BITS64, "66 0f be 03").set(RBX, MMIO).set(RAX, V64).reads(0x80)
                .expect(r(MMIO, 1, 0x80)).out(RAX, (V64 & ~0xffffL) | 0xff80));
        t.add(c("movsx eax, word positive", BITS64, "0f bf 03").set(RBX, MMIO).set(RAX, -1L).reads(0x7fff)
                .expect(r(MMIO, 2, 0x7fff)).out(RAX, 0x7fff));
        t.add(c("movsxd rax, dword", BITS64, "48 63 03").set(RBX, MMIO).reads(0x8000_0000L)
                .expect(r(MMIO, 4, 0x8000_0000L)).out(RAX, 0xffff_ffff_8000_0000L).len(3));
        t.add(c("movsxd r11, dword positive", BITS64, "4c 63 1b").set(RBX, MMIO).set(R11, -1L).reads(0x7000_0000L)
                .expect(r(MMIO, 4, 0x7000_0000L)).out(R11, 0x7000_0000L));
        t.add(c("movsxd ax, dword (66): reads 4 bytes like the hardware, keeps 16", BITS64, "66 63 03").set(RBX, MMIO)
                .set(RAX, V64).reads(0x8001_8002L).expect(r(MMIO, 4, 0x8001_8002L)).out(RAX, (V64 & ~0xffffL) | 0x8002).len(3));
        t.add(c("movsxd eax, dword (no REX.W) moves 32 bits", BITS64, "63 03").set(RBX, MMIO).set(RAX, -1L)
                .reads(0x8000_0000L).expect(r(MMIO, 4, 0x8000_0000L)).out(RAX, 0x8000_0000L).len(2));
        t.add(c("movsx ax, word (16-bit mode)", BITS16, "0f bf 07").seg(SegmentRegister.DS, 0xc000_0000L).set(RBX, 0x1000)
                .set(RAX, V64).reads(0x8000).atLinear(MMIO).expect(r(MMIO, 2, 0x8000)).out(RAX, (V64 & ~0xffffL) | 0x8000));

        // ---- ALU: every form once with hand-checked flags (AluFlagsTest covers values) ------------
        long f = Flags.STATUS;
        t.add(c("add [rbx], eax", BITS64, "01 03").set(RBX, MMIO).set(RAX, 1).reads(0xffff_ffffL)
                .expect(r(MMIO, 4, 0xffff_ffffL), w(MMIO, 4, 0)).outFlags(Flags.CF | Flags.ZF | Flags.PF | Flags.AF, f));
        t.add(c("add eax, [rbx]", BITS64, "03 03").set(RBX, MMIO).set(RAX, 0x7fff_ffffL).reads(1)
                .expect(r(MMIO, 4, 1)).out(RAX, 0x8000_0000L).outFlags(Flags.OF | Flags.SF | Flags.AF | Flags.PF, f));
        t.add(c("add [rbx], cl (byte)", BITS64, "00 0b").set(RBX, MMIO).set(RCX, 0x80).reads(0x80)
                .expect(r(MMIO, 1, 0x80), w(MMIO, 1, 0)).outFlags(Flags.CF | Flags.OF | Flags.ZF | Flags.PF, f));
        t.add(c("add ah, [rbx]", BITS64, "02 23").set(RBX, MMIO).set(RAX, 0x0100).reads(0x01)
                .expect(r(MMIO, 1, 1)).out(RAX, 0x0200).outFlags(0, f));
        t.add(c("add word [rbx], imm16", BITS64, "66 81 03 01 00").set(RBX, MMIO).reads(0xffff)
                .expect(r(MMIO, 2, 0xffff), w(MMIO, 2, 0)).outFlags(Flags.CF | Flags.ZF | Flags.PF | Flags.AF, f).len(5));
        t.add(c("add word [rbx], imm8 sign-extended", BITS64, "66 83 03 80").set(RBX, MMIO).reads(0x100)
                .expect(r(MMIO, 2, 0x100), w(MMIO, 2, 0x80)).outFlags(Flags.CF, f).len(4));
        t.add(c("add qword [rbx], imm32 sign-extended", BITS64, "48 81 03 00 00 00 80").set(RBX, MMIO).reads(0x8000_0000L)
                .expect(r(MMIO, 8, 0x8000_0000L), w(MMIO, 8, 0)).outFlags(Flags.CF | Flags.ZF | Flags.PF, f).len(7));
        t.add(c("add dword [rbx], -1 (83)", BITS64, "83 03 ff").set(RBX, MMIO).reads(0)
                .expect(r(MMIO, 4, 0), w(MMIO, 4, 0xffff_ffffL)).outFlags(Flags.SF | Flags.PF, f).len(3));
        t.add(c("or [rbx], edx clears CF/OF", BITS64, "09 13").set(RBX, MMIO).set(RDX, 0x8000_0000L).reads(1)
                .flags(Flags.CF | Flags.OF).expect(r(MMIO, 4, 1), w(MMIO, 4, 0x8000_0001L))
                .outFlags(Flags.SF, f & ~Flags.AF));
        t.add(c("adc [rbx], eax with CF", BITS64, "11 03").set(RBX, MMIO).set(RAX, 1).reads(1).flags(Flags.CF)
                .expect(r(MMIO, 4, 1), w(MMIO, 4, 3)).outFlags(Flags.PF, f));
        t.add(c("sbb eax, [rbx] with CF", BITS64, "1b 03").set(RBX, MMIO).set(RAX, 1).reads(0).flags(Flags.CF)
                .expect(r(MMIO, 4, 0)).out(RAX, 0).outFlags(Flags.ZF | Flags.PF, f));
        t.add(c("and [rbx], al", BITS64, "20 03").set(RBX, MMIO).set(RAX, 0x0f).reads(0xf0)
                .expect(r(MMIO, 1, 0xf0), w(MMIO, 1, 0)).outFlags(Flags.ZF | Flags.PF, f & ~Flags.AF));
        t.add(c("and rax, [rbx]", BITS64, "48 23 03").set(RBX, MMIO).set(RAX, -1L).reads(0x8000_0000_0000_0000L)
                .expect(r(MMIO, 8, 0x8000_0000_0000_0000L)).out(RAX, 0x8000_0000_0000_0000L)
                .outFlags(Flags.SF | Flags.PF, f & ~Flags.AF));
        t.add(c("sub [rbx], eax borrows", BITS64, "29 03").set(RBX, MMIO).set(RAX, 1).reads(0)
                .expect(r(MMIO, 4, 0), w(MMIO, 4, 0xffff_ffffL)).outFlags(Flags.CF | Flags.SF | Flags.PF | Flags.AF, f));
        t.add(c("sub eax, [rbx] signed overflow", BITS64, "2b 03").set(RBX, MMIO).set(RAX, 0x8000_0000L).reads(1)
                .expect(r(MMIO, 4, 1)).out(RAX, 0x7fff_ffffL).outFlags(Flags.OF | Flags.AF | Flags.PF, f));
        t.add(c("xor [rbx], eax", BITS64, "31 03").set(RBX, MMIO).set(RAX, 0xff).reads(0xff)
                .expect(r(MMIO, 4, 0xff), w(MMIO, 4, 0)).outFlags(Flags.ZF | Flags.PF, f & ~Flags.AF));
        t.add(c("xor dl, [rbx]", BITS64, "32 13").set(RBX, MMIO).set(RDX, 0x1234).reads(0x01)
                .expect(r(MMIO, 1, 1)).out(RDX, 0x1235).outFlags(Flags.PF, f & ~Flags.AF));
        t.add(c("cmp [rbx], eax: no write", BITS64, "39 03").set(RBX, MMIO).set(RAX, 5).reads(5)
                .expect(r(MMIO, 4, 5)).outFlags(Flags.ZF | Flags.PF, f));
        t.add(c("cmp al, [rbx]: register kept", BITS64, "3a 03").set(RBX, MMIO).set(RAX, 1).reads(2)
                .expect(r(MMIO, 1, 2)).outFlags(Flags.CF | Flags.SF | Flags.AF | Flags.PF, f));
        t.add(c("cmp byte [rbx], imm8", BITS64, "80 3b 10").set(RBX, MMIO).reads(0x10)
                .expect(r(MMIO, 1, 0x10)).outFlags(Flags.ZF | Flags.PF, f).len(3));
        t.add(c("cmp dword [rbx], imm8 (83)", BITS64, "83 3b 00").set(RBX, MMIO).reads(0x8000_0000L)
                .expect(r(MMIO, 4, 0x8000_0000L)).outFlags(Flags.SF | Flags.PF, f));
        t.add(c("test [rbx], eax", BITS64, "85 03").set(RBX, MMIO).set(RAX, 0x100).reads(0x100).flags(Flags.CF | Flags.OF)
                .expect(r(MMIO, 4, 0x100)).outFlags(Flags.PF, f & ~Flags.AF));
        t.add(c("test [rbx], ah", BITS64, "84 23").set(RBX, MMIO).set(RAX, 0x8000).reads(0x80)
                .expect(r(MMIO, 1, 0x80)).outFlags(Flags.SF, f & ~Flags.AF));
        t.add(c("test byte [rbx], imm8", BITS64, "f6 03 01").set(RBX, MMIO).reads(0xfe)
                .expect(r(MMIO, 1, 0xfe)).outFlags(Flags.ZF | Flags.PF, f & ~Flags.AF).len(3));
        t.add(c("test dword [rbx], imm32", BITS64, "f7 03 00 00 00 80").set(RBX, MMIO).reads(0x8000_0000L)
                .expect(r(MMIO, 4, 0x8000_0000L)).outFlags(Flags.SF | Flags.PF, f & ~Flags.AF).len(6));
        t.add(c("test qword [rbx], imm32 sign-extended", BITS64, "48 f7 03 00 00 00 80").set(RBX, MMIO)
                .reads(0x8000_0000_0000_0000L).expect(r(MMIO, 8, 0x8000_0000_0000_0000L))
                .outFlags(Flags.SF | Flags.PF, f & ~Flags.AF).len(7));
        t.add(c("test word [bx], imm16 (16-bit mode)", BITS16, "f7 07 00 80").seg(SegmentRegister.DS, 0xc000_0000L)
                .set(RBX, 0x1000).atLinear(MMIO).reads(0x8000).expect(r(MMIO, 2, 0x8000))
                .outFlags(Flags.SF | Flags.PF, f & ~Flags.AF).len(4));
        t.add(c("not dword [rbx]", BITS64, "f7 13").set(RBX, MMIO).reads(0x0f0f_0f0fL).flags(Flags.CF)
                .expect(r(MMIO, 4, 0x0f0f_0f0fL), w(MMIO, 4, 0xf0f0_f0f0L)));
        t.add(c("neg dword [rbx]", BITS64, "f7 1b").set(RBX, MMIO).reads(1)
                .expect(r(MMIO, 4, 1), w(MMIO, 4, 0xffff_ffffL)).outFlags(Flags.CF | Flags.SF | Flags.PF | Flags.AF, f));
        t.add(c("neg byte [rbx] of 0", BITS64, "f6 1b").set(RBX, MMIO).reads(0).flags(Flags.CF)
                .expect(r(MMIO, 1, 0), w(MMIO, 1, 0)).outFlags(Flags.ZF | Flags.PF, f));
        t.add(c("inc byte [rbx] keeps CF", BITS64, "fe 03").set(RBX, MMIO).reads(0xff).flags(Flags.CF)
                .expect(r(MMIO, 1, 0xff), w(MMIO, 1, 0)).outFlags(Flags.CF | Flags.ZF | Flags.PF | Flags.AF, f));
        t.add(c("inc qword [rbx] overflows", BITS64, "48 ff 03").set(RBX, MMIO).reads(Long.MAX_VALUE)
                .expect(r(MMIO, 8, Long.MAX_VALUE), w(MMIO, 8, Long.MIN_VALUE)).outFlags(Flags.OF | Flags.SF | Flags.AF | Flags.PF, f));
        t.add(c("dec dword [rbx]", BITS64, "ff 0b").set(RBX, MMIO).reads(1)
                .expect(r(MMIO, 4, 1), w(MMIO, 4, 0)).outFlags(Flags.ZF | Flags.PF, f & ~Flags.CF));

        // ---- BT family ------------------------------------------------------------------------
        t.add(c("bt [rbx], eax (bit 5 set)", BITS64, "0f a3 03").set(RBX, MMIO).set(RAX, 5).reads(0x20).atLinear(MMIO)
                .expect(r(MMIO, 4, 0x20)).outFlags(Flags.CF, Flags.CF).len(3));
        t.add(c("bt [rbx], eax (bit 5 clear)", BITS64, "0f a3 03").set(RBX, MMIO).set(RAX, 5).reads(0xffdf).flags(Flags.CF)
                .expect(r(MMIO, 4, 0xffdf)).outFlags(0, Flags.CF));
        t.add(c("bt [rbx], eax: offset 37 selects the next dword", BITS64, "0f a3 03").set(RBX, MMIO).set(RAX, 37)
                .reads(0x20).atLinear(MMIO + 4).expect(r(MMIO + 4, 4, 0x20)).outFlags(Flags.CF, Flags.CF));
        t.add(c("bt [rbx], eax: offset -1 selects bit 31 of the previous dword", BITS64, "0f a3 03").set(RBX, MMIO + 4)
                .set(RAX, 0xffff_ffffL).reads(0x8000_0000L).atLinear(MMIO).expect(r(MMIO, 4, 0x8000_0000L))
                .outFlags(Flags.CF, Flags.CF));
        t.add(c("bt [rbx], ax: offset 17 selects the next word", BITS64, "66 0f a3 03").set(RBX, MMIO).set(RAX, 17)
                .reads(0x2).atLinear(MMIO + 2).expect(r(MMIO + 2, 2, 2)).outFlags(Flags.CF, Flags.CF).len(4));
        t.add(c("bt [rbx], rax: offset 67 selects the next qword", BITS64, "48 0f a3 03").set(RBX, MMIO).set(RAX, 67)
                .reads(0x8).atLinear(MMIO + 8).expect(r(MMIO + 8, 8, 8)).outFlags(Flags.CF, Flags.CF));
        t.add(c("bt dword [rbx], 5", BITS64, "0f ba 23 05").set(RBX, MMIO).reads(0x20).atLinear(MMIO)
                .expect(r(MMIO, 4, 0x20)).outFlags(Flags.CF, Flags.CF).len(4));
        t.add(c("bt dword [rbx], 37: imm taken modulo 32", BITS64, "0f ba 23 25").set(RBX, MMIO).reads(0x20).atLinear(MMIO)
                .expect(r(MMIO, 4, 0x20)).outFlags(Flags.CF, Flags.CF));
        t.add(c("bts [rbx], eax", BITS64, "0f ab 03").set(RBX, MMIO).set(RAX, 1).reads(0)
                .expect(r(MMIO, 4, 0), w(MMIO, 4, 2)).outFlags(0, Flags.CF));
        t.add(c("btr [rbx], eax", BITS64, "0f b3 03").set(RBX, MMIO).set(RAX, 1).reads(3)
                .expect(r(MMIO, 4, 3), w(MMIO, 4, 1)).outFlags(Flags.CF, Flags.CF));
        t.add(c("btc [rbx], eax", BITS64, "0f bb 03").set(RBX, MMIO).set(RAX, 0).reads(1)
                .expect(r(MMIO, 4, 1), w(MMIO, 4, 0)).outFlags(Flags.CF, Flags.CF));
        t.add(c("bts qword [rbx], 63", BITS64, "48 0f ba 2b 3f").set(RBX, MMIO).reads(0)
                .expect(r(MMIO, 8, 0), w(MMIO, 8, Long.MIN_VALUE)).outFlags(0, Flags.CF).len(5));
        t.add(c("btr word [rbx], 15", BITS64, "66 0f ba 33 0f").set(RBX, MMIO).reads(0x8001)
                .expect(r(MMIO, 2, 0x8001), w(MMIO, 2, 1)).outFlags(Flags.CF, Flags.CF));
        t.add(c("btc dword [rbx], 0", BITS64, "0f ba 3b 00").set(RBX, MMIO).reads(0)
                .expect(r(MMIO, 4, 0), w(MMIO, 4, 1)).outFlags(0, Flags.CF));

        // ---- XCHG -----------------------------------------------------------------------------
        t.add(c("xchg [rbx], eax", BITS64, "87 03").set(RBX, MMIO).set(RAX, V64).reads(0xaabbccddL)
                .expect(r(MMIO, 4, 0xaabbccddL), w(MMIO, 4, 0x55667788L)).out(RAX, 0xaabbccddL).len(2));
        t.add(c("xchg [rbx], ah", BITS64, "86 23").set(RBX, MMIO).set(RAX, 0x1234).reads(0x56)
                .expect(r(MMIO, 1, 0x56), w(MMIO, 1, 0x12)).out(RAX, 0x5634));
        t.add(c("xchg [rbx], r9 (REX.WR)", BITS64, "4c 87 0b").set(RBX, MMIO).set(R9, V64).reads(-1L)
                .expect(r(MMIO, 8, -1L), w(MMIO, 8, V64)).out(R9, -1L));
        t.add(c("lock xchg [rbx], ax", BITS64, "f0 66 87 03").set(RBX, MMIO).set(RAX, V64).reads(1)
                .expect(r(MMIO, 2, 1), w(MMIO, 2, 0x7788)).out(RAX, (V64 & ~0xffffL) | 1).len(4));

        // ---- STOS -----------------------------------------------------------------------------
        t.add(c("stosb", BITS64, "aa").set(RDI, MMIO).set(RAX, V64).expect(w(MMIO, 1, 0x88)).out(RDI, MMIO + 1).len(1));
        t.add(c("stosw", BITS64, "66 ab").set(RDI, MMIO).set(RAX, V64).expect(w(MMIO, 2, 0x7788)).out(RDI, MMIO + 2).len(2));
        t.add(c("stosd", BITS64, "ab").set(RDI, MMIO).set(RAX, V64).expect(w(MMIO, 4, 0x55667788L)).out(RDI, MMIO + 4));
        t.add(c("stosq", BITS64, "48 ab").set(RDI, MMIO).set(RAX, V64).expect(w(MMIO, 8, V64)).out(RDI, MMIO + 8));
        t.add(c("stosd with DF=1", BITS64, "ab").set(RDI, MMIO).set(RAX, 1).flags(Flags.DF).expect(w(MMIO, 4, 1))
                .out(RDI, MMIO - 4));
        t.add(c("rep stosd DF=0", BITS64, "f3 ab").set(RDI, MMIO).set(RCX, 3).set(RAX, 7)
                .expect(w(MMIO, 4, 7), w(MMIO + 4, 4, 7), w(MMIO + 8, 4, 7)).out(RDI, MMIO + 12).out(RCX, 0).len(2));
        t.add(c("rep stosd DF=1", BITS64, "f3 ab").set(RDI, MMIO).set(RCX, 3).set(RAX, 7).flags(Flags.DF)
                .expect(w(MMIO, 4, 7), w(MMIO - 4, 4, 7), w(MMIO - 8, 4, 7)).out(RDI, MMIO - 12).out(RCX, 0));
        t.add(c("rep stosq", BITS64, "f3 48 ab").set(RDI, MMIO).set(RCX, 2).set(RAX, V64)
                .expect(w(MMIO, 8, V64), w(MMIO + 8, 8, V64)).out(RDI, MMIO + 16).out(RCX, 0).len(3));
        t.add(c("repne stosb repeats too", BITS64, "f2 aa").set(RDI, MMIO).set(RCX, 2).set(RAX, 1)
                .expect(w(MMIO, 1, 1), w(MMIO + 1, 1, 1)).out(RDI, MMIO + 2).out(RCX, 0));
        t.add(c("rep stosd, count 0: nothing", BITS64, "f3 ab").set(RDI, MMIO).set(RCX, 0).len(2));
        t.add(c("rep stosd (67): ECX/EDI, upper halves cleared", BITS64, "f3 67 ab")
                .set(RDI, 0xffff_ffff_0000_0000L | MMIO).set(RCX, 0xffff_ffff_0000_0002L).set(RAX, 3)
                .expect(w(MMIO, 4, 3), w(MMIO + 4, 4, 3)).out(RDI, MMIO + 8).out(RCX, 0).len(3));
        t.add(c("rep stosd crossing into the next device page", BITS64, "f3 ab").set(RDI, MMIO + 0xff8).set(RCX, 3)
                .set(RAX, 5).at(MMIO + 0xff8)
                .expect(w(MMIO + 0xff8, 4, 5), w(MMIO + 0xffc, 4, 5), w(MMIO + 0x1000, 4, 5))
                .out(RDI, MMIO + 0x1004).out(RCX, 0));
        t.add(c("stosd straddling two device pages: split at the boundary", BITS64, "ab").set(RDI, MMIO + 0xffe)
                .at(MMIO + 0xffe).set(RAX, 0x11223344).expect(w(MMIO + 0xffe, 2, 0x3344), w(MMIO + 0x1000, 2, 0x1122))
                .out(RDI, MMIO + 0x1002));
        t.add(c("rep stosw (16-bit): CX, DI wrap at 64 KiB", BITS16, "f3 ab").seg(SegmentRegister.ES, 0xc000_0000L)
                .set(RDI, 0xabcd_fffeL).set(RCX, 0x5555_0002L).set(RAX, 0x1234).at(0xc000_fffeL)
                .expect(w(0xc000_fffeL, 2, 0x1234), w(0xc000_0000L, 2, 0x1234)).out(RDI, 0xabcd_0002L).out(RCX, 0x5555_0000L));
        t.add(c("stosd uses ES even with a DS override (32-bit)", BITS32, "3e ab").seg(SegmentRegister.ES, 0xc000_0000L)
                .seg(SegmentRegister.DS, 0x1000).set(RDI, 0x1000).set(RAX, 1).expect(w(MMIO, 4, 1)).out(RDI, 0x1004).len(2));
        t.add(c("stosd into RAM only: not the faulting address", BITS64, "ab").set(RDI, BUF).set(RAX, 1)
                .result(EmulationResult.EmulationFailure.class).why("does not access the faulting address"));
        t.add(c("rep stosd batches: Restart after maxRep", BITS64, "f3 ab").set(RDI, MMIO).set(RCX, 5).set(RAX, 2).maxRep(2)
                .expect(w(MMIO, 4, 2), w(MMIO + 4, 4, 2)).out(RDI, MMIO + 8).out(RCX, 3)
                .result(new EmulationResult.Restart(2)));

        // ---- MOVS -----------------------------------------------------------------------------
        t.add(c("movsb device -> RAM", BITS64, "a4").set(RSI, MMIO).set(RDI, BUF).reads(0xab)
                .expect(r(MMIO, 1, 0xab)).expectRam(BUF, 1, 0xab).out(RSI, MMIO + 1).out(RDI, BUF + 1).len(1));
        t.add(c("movsd RAM -> device", BITS64, "a5").set(RSI, BUF).set(RDI, MMIO).ramLong(BUF, 4, 0x11223344L)
                .expect(w(MMIO, 4, 0x11223344L)).out(RSI, BUF + 4).out(RDI, MMIO + 4));
        t.add(c("movsq device -> device", BITS64, "48 a5").set(RSI, MMIO).set(RDI, MMIO + 0x100).at(MMIO + 0x100)
                .expect(r(MMIO, 8, p(MMIO, 8)), w(MMIO + 0x100, 8, p(MMIO, 8))).out(RSI, MMIO + 8).out(RDI, MMIO + 0x108).len(2));
        t.add(c("movsw (66)", BITS64, "66 a5").set(RSI, MMIO).set(RDI, BUF).reads(0xbeef)
                .expect(r(MMIO, 2, 0xbeef)).expectRam(BUF, 2, 0xbeef).out(RSI, MMIO + 2).out(RDI, BUF + 2));
        t.add(c("rep movsd device -> RAM DF=0", BITS64, "f3 a5").set(RSI, MMIO).set(RDI, BUF).set(RCX, 4)
                .expect(r(MMIO, 4, p(MMIO, 4)), r(MMIO + 4, 4, p(MMIO + 4, 4)), r(MMIO + 8, 4, p(MMIO + 8, 4)),
                        r(MMIO + 12, 4, p(MMIO + 12, 4)))
                .expectRam(BUF, 4, p(MMIO, 4)).expectRam(BUF + 12, 4, p(MMIO + 12, 4))
                .out(RSI, MMIO + 16).out(RDI, BUF + 16).out(RCX, 0).len(2));
        t.add(c("rep movsd RAM -> device DF=1", BITS64, "f3 a5").set(RSI, BUF + 8).set(RDI, MMIO).set(RCX, 3)
                .flags(Flags.DF).ramLong(BUF, 4, 0xa0).ramLong(BUF + 4, 4, 0xa1).ramLong(BUF + 8, 4, 0xa2)
                .expect(w(MMIO, 4, 0xa2), w(MMIO - 4, 4, 0xa1), w(MMIO - 8, 4, 0xa0))
                .out(RSI, BUF - 4).out(RDI, MMIO - 12).out(RCX, 0));
        t.add(c("rep movsq RAM -> device", BITS64, "f3 48 a5").set(RSI, BUF).set(RDI, MMIO).set(RCX, 2)
                .ramLong(BUF, 8, V64).ramLong(BUF + 8, 8, ~V64).expect(w(MMIO, 8, V64), w(MMIO + 8, 8, ~V64))
                .out(RSI, BUF + 16).out(RDI, MMIO + 16).out(RCX, 0).len(3));
        t.add(c("rep movsb device -> RAM across discontiguous RAM pages", BITS64, "f3 a4").set(RSI, MMIO)
                .set(RDI, 0x40ffeL).set(RCX, 4)
                .pages(pt -> { pt.map4k(0x40000, 0x50000, 3); pt.map4k(0x41000, 0x70000, 3); })
                .expect(r(MMIO, 1, p(MMIO, 1)), r(MMIO + 1, 1, p(MMIO + 1, 1)), r(MMIO + 2, 1, p(MMIO + 2, 1)),
                        r(MMIO + 3, 1, p(MMIO + 3, 1)))
                .expectRam(0x50ffe, 1, p(MMIO, 1)).expectRam(0x50fff, 1, p(MMIO + 1, 1))
                .expectRam(0x70000, 1, p(MMIO + 2, 1)).expectRam(0x70001, 1, p(MMIO + 3, 1))
                .out(RSI, MMIO + 4).out(RDI, 0x41002L).out(RCX, 0));
        t.add(c("movsd splitting one element across discontiguous RAM pages", BITS64, "a5").set(RSI, MMIO)
                .set(RDI, 0x40ffeL).reads(0xa1b2c3d4L)
                .pages(pt -> { pt.map4k(0x40000, 0x50000, 3); pt.map4k(0x41000, 0x70000, 3); })
                .expect(r(MMIO, 4, 0xa1b2c3d4L)).expectRam(0x50ffe, 2, 0xc3d4).expectRam(0x70000, 2, 0xa1b2)
                .out(RSI, MMIO + 4).out(RDI, 0x41002L));
        t.add(c("movsd RAM -> device with an FS source override", BITS64, "64 a5").seg(SegmentRegister.FS, 0x10000)
                .set(RSI, BUF - 0x10000).set(RDI, MMIO).ramLong(BUF, 4, 0xfeed).expect(w(MMIO, 4, 0xfeed))
                .out(RSI, BUF - 0x10000 + 4).out(RDI, MMIO + 4).len(2));
        t.add(c("movsd (32-bit, segment bases)", BITS32, "a5").seg(SegmentRegister.DS, 0x100).seg(SegmentRegister.ES, 0xc000_0000L)
                .set(RSI, BUF - 0x100).set(RDI, 0x1000).ramLong(BUF, 4, 0x77).expect(w(MMIO, 4, 0x77))
                .out(RSI, BUF - 0x100 + 4).out(RDI, 0x1004));
        t.add(c("movsb (16-bit, DS:SI -> ES:DI)", BITS16, "a4").seg(SegmentRegister.DS, 0x30000).seg(SegmentRegister.ES, 0xc000_0000L)
                .set(RSI, 0x10).set(RDI, 0x1000).ramLong(0x30010, 1, 0x5a).expect(w(MMIO, 1, 0x5a)).out(RSI, 0x11).out(RDI, 0x1001));
        t.add(c("movsd: neither side is the faulting address", BITS64, "a5").set(RSI, BUF).set(RDI, BUF + 0x100)
                .result(EmulationResult.EmulationFailure.class).why("does not access the faulting address"));
        t.add(c("movsd device -> unmapped page: #PF(W), no device access", BITS64, "a5").set(RSI, MMIO).set(RDI, 0x90000L)
                .result(new EmulationResult.Fault(14, true, Translation.PageFault.WRITE, 0x90000L)));
        t.add(c("movsd device -> read-only page: #PF(P|W)", BITS64, "a5").set(RSI, MMIO).set(RDI, 0x40000L)
                .pages(pt -> pt.map4k(0x40000, 0x40000, 1))
                .result(new EmulationResult.Fault(14, true, Translation.PageFault.P | Translation.PageFault.WRITE, 0x40000L)));
        t.add(c("movsd at CPL3 from a supervisor page: #PF(P|U)", BITS64, "a5").set(RSI, 0x40000L).set(RDI, MMIO).cpl(3)
                .pages(pt -> { pt.map4k(0x40000, 0x40000, 3); pt.map4k(MMIO, MMIO, 7); })
                .result(new EmulationResult.Fault(14, true, Translation.PageFault.P | Translation.PageFault.USER, 0x40000L)));
        t.add(c("rep movsd faults on the 2nd element: the 1st is kept", BITS64, "f3 a5").set(RSI, MMIO).set(RDI, 0x40ffcL)
                .set(RCX, 3).pages(pt -> pt.map4k(0x40000, 0x40000, 3))
                .expect(r(MMIO, 4, p(MMIO, 4))).expectRam(0x40ffc, 4, p(MMIO, 4))
                .out(RSI, MMIO + 4).out(RDI, 0x41000L).out(RCX, 2)
                .result(new EmulationResult.Fault(14, true, Translation.PageFault.WRITE, 0x41000L)));
        t.add(c("movsd from a non-canonical address: #GP(0)", BITS64, "a5").set(RSI, 0x8000_0000_0000_0000L).set(RDI, MMIO)
                .result(new EmulationResult.Fault(13, true, 0, 0)));
        t.add(c("movsd without guest memory access: failure", BITS64, "a5").set(RSI, MMIO).set(RDI, BUF).noMemory()
                .result(EmulationResult.EmulationFailure.class).why("needs guest memory"));

        // ---- PUSH / POP -----------------------------------------------------------------------
        t.add(c("push qword [rbx]", BITS64, "ff 33").set(RBX, MMIO).set(RSP, STACK)
                .expect(r(MMIO, 8, p(MMIO, 8))).expectRam(STACK - 8, 8, p(MMIO, 8)).out(RSP, STACK - 8).len(2));
        t.add(c("push word [rbx] (66)", BITS64, "66 ff 33").set(RBX, MMIO).set(RSP, STACK).reads(0xbeef)
                .expect(r(MMIO, 2, 0xbeef)).expectRam(STACK - 2, 2, 0xbeef).out(RSP, STACK - 2).len(3));
        t.add(c("push qword [rbx] with REX.W", BITS64, "48 ff 33").set(RBX, MMIO).set(RSP, STACK)
                .expect(r(MMIO, 8, p(MMIO, 8))).expectRam(STACK - 8, 8, p(MMIO, 8)).out(RSP, STACK - 8));
        // linear page STACK maps to the device page at MMIO; the stack below it is RAM
        t.add(c("push [rsp+8]: address from rsp before the push", BITS64, "ff 74 24 08").set(RSP, STACK)
                .pages(pt -> pt.map4k(STACK, MMIO, 3)).at(MMIO + 8).gla(STACK + 8)
                .expect(r(MMIO + 8, 8, p(MMIO + 8, 8))).expectRam(STACK - 8, 8, p(MMIO + 8, 8))
                .out(RSP, STACK - 8).len(4));
        t.add(c("push to an unmapped stack: #PF(W), no device access", BITS64, "ff 33").set(RBX, MMIO).set(RSP, 0x90008L)
                .result(new EmulationResult.Fault(14, true, Translation.PageFault.WRITE, 0x90000L)));
        t.add(c("push with a non-canonical rsp: #SS(0)", BITS64, "ff 33").set(RBX, MMIO).set(RSP, 0x8000_0000_0000_0008L)
                .result(new EmulationResult.Fault(12, true, 0, 0)));
        t.add(c("pop qword [rbx]", BITS64, "8f 03").set(RBX, MMIO).set(RSP, STACK - 8).ramLong(STACK - 8, 8, V64)
                .expect(w(MMIO, 8, V64)).out(RSP, STACK).len(2));
        t.add(c("pop word [rbx] (66)", BITS64, "66 8f 03").set(RBX, MMIO).set(RSP, STACK - 8).ramLong(STACK - 8, 8, V64)
                .expect(w(MMIO, 2, 0x7788)).out(RSP, STACK - 6).len(3));
        t.add(c("pop [rsp+0x10]: address from rsp after the pop", BITS64, "8f 44 24 10").set(RSP, STACK - 8)
                .pages(pt -> pt.map4k(STACK, MMIO, 3)).ramLong(STACK - 8, 8, 5).at(MMIO + 0x10).gla(STACK + 0x10)
                .expect(w(MMIO + 0x10, 8, 5)).out(RSP, STACK).len(4));
        t.add(c("pop dword [ebx] with the stack in device memory", BITS32, "8f 03").set(RBX, MMIO + 0x100)
                .seg(SegmentRegister.SS, 0xc000_0000L).set(RSP, 0x1000).at(MMIO)
                .expect(r(MMIO, 4, p(MMIO, 4)), w(MMIO + 0x100, 4, p(MMIO, 4))).out(RSP, 0x1004));
        t.add(c("push dword [ebx] from RAM onto a device-memory stack", BITS32, "ff 33").set(RBX, BUF)
                .ramLong(BUF, 4, 0x600d).seg(SegmentRegister.SS, 0xc000_0000L).set(RSP, 0x1004).at(MMIO)
                .expect(w(MMIO, 4, 0x600d)).out(RSP, 0x1000));
        t.add(c("push [rbx]: neither side is the faulting address", BITS64, "ff 33").set(RBX, BUF).set(RSP, STACK)
                .result(EmulationResult.EmulationFailure.class).why("does not access the faulting address"));
        t.add(c("pop [rbx]: gla must match the device side", BITS64, "8f 03").set(RBX, MMIO).set(RSP, STACK - 8)
                .gla(MMIO + 0x40).result(EmulationResult.EmulationFailure.class).why("does not access the faulting address"));
        t.add(c("push dword [ebx] (32-bit, SS base)", BITS32, "ff 33").set(RBX, MMIO).set(RSP, 0x1000)
                .seg(SegmentRegister.SS, STACK - 0x1000).expect(r(MMIO, 4, p(MMIO, 4))).expectRam(STACK - 4, 4, p(MMIO, 4))
                .out(RSP, 0xffc));
        t.add(c("pop dword [ebx] (32-bit)", BITS32, "8f 03").set(RBX, MMIO).set(RSP, STACK - 4).ramLong(STACK - 4, 4, 0x99)
                .expect(w(MMIO, 4, 0x99)).out(RSP, STACK));
        t.add(c("push word [bx] with a 16-bit stack: SP wraps", BITS16, "ff 37").seg(SegmentRegister.DS, 0xc000_0000L)
                .seg(SegmentRegister.SS, STACK).ss16().set(RBX, 0x1000).set(RSP, 0x1234_0000L).atLinear(MMIO).reads(0xcafe)
                .expect(r(MMIO, 2, 0xcafe)).expectRam(STACK + 0xfffe, 2, 0xcafe).out(RSP, 0x1234_fffeL));
        t.add(c("pop word [bx] with a 16-bit stack", BITS16, "8f 07").seg(SegmentRegister.DS, 0xc000_0000L)
                .seg(SegmentRegister.SS, STACK).ss16().set(RBX, 0x1000).set(RSP, 0xfffe).ramLong(STACK + 0xfffe, 2, 0x4321)
                .atLinear(MMIO).expect(w(MMIO, 2, 0x4321)).out(RSP, 0));

        // ---- refused ---------------------------------------------------------------------------
        t.add(c("register form (mod=11)", BITS64, "89 c0").result(DecodeFailure.class).why("names a register"));
        t.add(c("ud2", BITS64, "0f 0b").result(DecodeFailure.class).why("opcode 0F 0b"));
        t.add(c("VEX prefix", BITS64, "c5 f9 7e 03").result(DecodeFailure.class).why("opcode c5"));
        t.add(c("EVEX prefix", BITS64, "62 f1 7c 48 11 03").result(DecodeFailure.class).why("opcode 62"));
        t.add(c("truncated: no ModRM", BITS64, "8b").result(DecodeFailure.class).why("cut off"));
        t.add(c("truncated: immediate cut", BITS64, "c7 03 78 56").result(DecodeFailure.class).why("cut off"));
        t.add(c("truncated: SIB disp32 cut", BITS64, "8b 04 25 00 10").result(DecodeFailure.class).why("cut off"));
        t.add(c("16 bytes", BITS64, "66 66 66 66 66 66 66 66 66 66 66 66 48 c7 03 34 12 00 00").result(DecodeFailure.class).why("longer than 15"));
        t.add(c("inc/dec register outside 64-bit mode", BITS32, "40").result(DecodeFailure.class).why("INC/DEC"));
        t.add(c("63 is ARPL outside 64-bit mode", BITS32, "63 03").result(DecodeFailure.class).why("ARPL"));
        t.add(c("82 invalid in 64-bit mode", BITS64, "82 03 01").result(DecodeFailure.class).why("invalid in 64-bit"));
        t.add(c("F3 0F B8 (popcnt)", BITS64, "f3 0f b8 03").result(DecodeFailure.class).why("F2/F3"));
        t.add(c("F3 0F B6 (not movzx)", BITS64, "f3 0f b6 03").result(DecodeFailure.class).why("F2/F3"));
        t.add(c("8F /1 (XOP)", BITS64, "8f 0b").result(DecodeFailure.class).why("not POP"));
        t.add(c("C6 /1", BITS64, "c6 0b 00").result(DecodeFailure.class).why("not MOV"));
        t.add(c("FF /2 call", BITS64, "ff 13").result(DecodeFailure.class).why("call/jmp"));
        t.add(c("F6 /4 mul", BITS64, "f6 23").result(DecodeFailure.class).why("mul"));
        t.add(c("0F BA /0 reserved", BITS64, "0f ba 03 05").result(DecodeFailure.class).why("reserved"));
        t.add(c("cmpxchg not supported", BITS64, "0f b1 0b").result(DecodeFailure.class).why("opcode 0F b1"));
        t.add(c("empty", BITS64, "").result(DecodeFailure.class).why("cut off"));
        t.add(c("gla does not match the operand", BITS64, "89 03").set(RBX, MMIO).gla(MMIO + 0x100)
                .result(EmulationResult.EmulationFailure.class).why("exit reports linear address"));
        t.add(c("gla just past the operand", BITS64, "89 03").set(RBX, MMIO).gla(MMIO + 4)
                .result(EmulationResult.EmulationFailure.class).why("exit reports linear address"));
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void table(Case c) {
        Ram ram = new Ram(0x4000_0000L);
        PagingState paging;
        if (c.mode == BITS64) {
            PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
            pt.identity(0x10000, 0x40000);
            pt.identity(0xc000_0000L, 0xc000_8000L);
            c.pageSetup.forEach(s -> s.accept(pt));
            paging = new PagingState(PagingMode.LEVEL4, pt.cr3(), c.cpl, true, true, true, false, false, false);
        } else {
            paging = PagingState.flat();
        }
        c.ramSetup.forEach(s -> s.accept(ram));
        Regs regs = c.regs.copy();
        TestMachine.Mmio dev = new TestMachine.Mmio(c.device);
        EmulationContext ctx = c.noMemory ? new EmulationContext(c.mode, regs, dev, null, null)
                : new EmulationContext(c.mode, regs, dev, ram, paging);
        EmulationResult res = new InstructionEmulator(c.maxRep).emulate(ctx, c.code, c.gpa, c.gla);

        assertThat(res).as("result").isInstanceOf(c.result);
        if (c.exactResult != null) assertThat(res).isEqualTo(c.exactResult);
        if (res instanceof EmulationResult.Completed done) {
            assertThat(done.length()).as("length").isEqualTo(c.length >= 0 ? c.length : c.code.length);
        }
        if (res instanceof DecodeFailure df) {
            assertThat(df.hex()).isEqualTo(Hex.bytes(c.code, Math.min(c.code.length, 15)));
            assertThat(df.toString()).contains(df.hex());
            assertThat(df.reason()).doesNotContain("internal");
        }
        if (c.why != null) {
            String reason = switch (res) {
                case DecodeFailure df -> df.reason();
                case EmulationResult.EmulationFailure ef -> ef.reason();
                default -> "";
            };
            assertThat(reason).contains(c.why);
        }
        assertThat(dev.log).as("device accesses").isEqualTo(c.accesses);

        Regs want = c.regs.copy();
        c.outRegs.forEach((reg, v) -> want.gpr[reg] = v);
        if (c.flagMask != 0) {
            assertThat(regs.rflags & c.flagMask).as("flags").isEqualTo(c.outFlags & c.flagMask);
            want.rflags = (want.rflags & ~c.flagMask) | (regs.rflags & c.flagMask);
        }
        assertThat(regs).as("registers").isEqualTo(want);
        c.ramExpect.forEach((gpa, b) -> assertThat((long) ram.byteAt(gpa)).as("RAM 0x%x", gpa).isEqualTo(b));
    }
}
