package org.jbhyve.vmm.x86;

import org.jbhyve.bindings.freebsd.vmm.vmm_h;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.boot.LongModeSetup;
import org.jbhyve.vmm.state.Registers;
import org.jbhyve.vmm.state.Segment;
import org.jbhyve.vmm.state.SpecialRegisters;
import org.jbhyve.vmm.x86.TestMachine.Access;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulator against KVM's own instruction emulator on real /dev/kvm. A tiny guest in 64-bit long
 * mode (or compatibility mode with a 32- or 16-bit code segment) executes one instruction whose memory
 * operand is at an unmapped guest physical address, then HLT. KVM decodes it and reports each access
 * as a {@link VmExit.Mmio}; the same bytes and register state then go through
 * {@link FreeBsdInstEmul#emulate} (instruction fetched from guest memory through the guest's page
 * tables, gpa and gla from KVM's first access, as FreeBSD's exit would report them), and both must
 * make the same accesses (address, size, direction, value) and leave the same registers, flags
 * (undefined ones masked) and RAM.
 */
@RequiresKvm
class KvmCrossCheckTest {
    static final long CODE = 0x100000, BUF = 0x200000, BUF_SIZE = 0x2000;
    static final long STACK_LO = 0x6e000, STACK_TOP = 0x70000;
    static final long MMIO = 0x4000_0000L; // no memslot; below 2 GiB so RIP-relative and disp32 reach it

    /** One instruction and the state to run it in. {@code gpr} in {@link Gpr} order; segBase by {@link SegmentRegister}. */
    record Scenario(String name, CpuMode mode, byte[] code, long[] gpr, long rflags, long[] segBase) {
        long rip() { return mode == CpuMode.BITS16 ? 0 : CODE; }

        long csBase() { return mode == CpuMode.BITS16 ? CODE : 0; }

        @Override
        public String toString() {
            return mode + " " + name + " [" + Hex.bytes(code, code.length) + "]";
        }
    }

    record Outcome(List<Access> accesses, long[] gpr, long rip, long rflags, byte[] buf, byte[] stack, String error) {}

    static long device(long gpa, long size) {
        return TestMachine.Mmio.pattern(gpa, size);
    }

    // ---- KVM side ------------------------------------------------------------------------------

    static final class Rig implements AutoCloseable {
        Hypervisor hv;
        VirtualMachine vm;
        Vcpu cpu;
        SpecialRegisters longMode;
        int recreated;

        Rig() { create(); }

        private void create() {
            hv = Hypervisor.open();
            vm = hv.createVm(VmConfig.of("x86emu-cross", 1, 16L << 20).withKernelIrqchip(false));
            LongModeSetup.writeTables(vm.memory());
            cpu = vm.vcpu(0);
            LongModeSetup.enterLongMode(cpu, CODE);
            longMode = cpu.getSpecialRegisters();
        }

        void fillRam() {
            for (long a = BUF; a < BUF + BUF_SIZE; a += 8) vm.memory().writeLong(a, a * 0x0101_0101_0101_0101L ^ 0x5a5a);
            for (long a = STACK_LO; a < STACK_TOP; a += 8) vm.memory().writeLong(a, a * 0x0303_0303_0303_0303L ^ 0xa5a5);
        }

        byte[] snapshot(long gpa, long len) {
            byte[] b = new byte[(int) len];
            vm.memory().read(gpa, b, 0, b.length);
            return b;
        }

        SpecialRegisters sregs(Scenario s) {
            Segment cs = switch (s.mode()) {
                case BITS64 -> Segment.code64(LongModeSetup.CODE64);
                case BITS32 -> Segment.code32(LongModeSetup.CODE32);
                case BITS16 -> new Segment(CODE, 0xffff, LongModeSetup.CODE32, 0xb, true, 0, false, true, false, false,
                        false, false);
            };
            SpecialRegisters l = longMode;
            return new SpecialRegisters(cs, data(s.segBase()[SegmentRegister.DS.ordinal()]),
                    data(s.segBase()[SegmentRegister.ES.ordinal()]), data(s.segBase()[SegmentRegister.FS.ordinal()]),
                    data(s.segBase()[SegmentRegister.GS.ordinal()]), data(s.segBase()[SegmentRegister.SS.ordinal()]),
                    l.tr(), l.ldt(), l.gdt(), l.idt(), l.cr0(), l.cr2(), l.cr3(), l.cr4(), l.cr8(), l.efer(), l.apicBase(),
                    null);
        }

        private static Segment data(long base) {
            return new Segment(base, 0xffffffff, LongModeSetup.DATA, 0x3, true, 0, true, true, false, true, false, false);
        }

        Outcome run(Scenario s) {
            byte[] code = Arrays.copyOf(s.code(), s.code().length + 1);
            code[code.length - 1] = (byte) 0xf4; // hlt
            vm.memory().write(CODE, code);
            fillRam();
            cpu.setSpecialRegisters(sregs(s));
            long[] g = s.gpr();
            cpu.setRegisters(new Registers(g[Gpr.RAX], g[Gpr.RBX], g[Gpr.RCX], g[Gpr.RDX], g[Gpr.RSI], g[Gpr.RDI],
                    g[Gpr.RSP], g[Gpr.RBP], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15], s.rip(), s.rflags()));
            List<Access> log = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                VmExit e = cpu.run();
                switch (e) {
                    case VmExit.Mmio m -> {
                        if (m.isWrite()) {
                            log.add(Access.w(m.address(), m.size(), m.value()));
                        } else {
                            long v = device(m.address(), m.size());
                            log.add(Access.r(m.address(), m.size(), v));
                            m.setValue(v);
                        }
                    }
                    case VmExit.Halt h -> {
                        Registers r = cpu.getRegisters();
                        long[] out = {r.rax(), r.rcx(), r.rdx(), r.rbx(), r.rsp(), r.rbp(), r.rsi(), r.rdi(), r.r8(), r.r9(),
                                r.r10(), r.r11(), r.r12(), r.r13(), r.r14(), r.r15()};
                        return new Outcome(log, out, r.rip(), r.rflags(), snapshot(BUF, BUF_SIZE),
                                snapshot(STACK_LO, STACK_TOP - STACK_LO), null);
                    }
                    case VmExit.Stopped st -> { }
                    default -> {
                        String err = e.toString();
                        close();
                        create();
                        recreated++;
                        return new Outcome(log, null, 0, 0, null, null, "KVM: " + err);
                    }
                }
            }
            close();
            create();
            return new Outcome(log, null, 0, 0, null, null, "KVM: no HLT after 200 exits");
        }

        @Override
        public void close() {
            vm.close();
            hv.close();
        }
    }

    // ---- emulator side -------------------------------------------------------------------------

    /** Guest RAM with the emulator's writes kept aside, so KVM's run and the emulator's start alike. */
    static final class Overlay implements GuestMemoryAccess {
        final GuestMemoryAccess base;
        final Map<Long, Byte> writes = new HashMap<>();

        Overlay(GuestMemoryAccess base) { this.base = base; }

        @Override public boolean isRam(long gpa, long length) { return base.isRam(gpa, length); }

        int byteAt(long g) {
            Byte b = writes.get(g);
            return b != null ? b & 0xff : (int) base.read(g, 1);
        }

        @Override
        public long read(long gpa, int size) {
            long v = 0;
            for (int i = 0; i < size; i++) v |= (long) byteAt(gpa + i) << (8 * i);
            return v;
        }

        @Override
        public void write(long gpa, int size, long value) {
            for (int i = 0; i < size; i++) writes.put(gpa + i, (byte) (value >>> (8 * i)));
        }

        @Override
        public boolean compareAndSet(long gpa, int size, long expected, long update) {
            long m = size == 8 ? -1L : (1L << (size * 8)) - 1;
            if ((read(gpa, size) & m) != (expected & m)) return false;
            write(gpa, size, update);
            return true;
        }

        byte[] view(long gpa, long len) {
            byte[] b = new byte[(int) len];
            for (int i = 0; i < b.length; i++) b[i] = (byte) byteAt(gpa + i);
            return b;
        }
    }

    static Outcome emulate(Rig rig, Scenario s, long gpa) {
        rig.fillRam();
        SpecialRegisters sr = rig.sregs(s);
        FreeBsdInstEmulTest.VmRegs v = new FreeBsdInstEmulTest.VmRegs();
        for (int i = 0; i < 16; i++) v.r[Gpr.freeBsdRegister(i)] = s.gpr()[i];
        v.r[vmm_h.VM_REG_GUEST_RIP] = s.rip();
        v.r[vmm_h.VM_REG_GUEST_RFLAGS] = s.rflags();
        v.r[vmm_h.VM_REG_GUEST_CR0] = sr.cr0();
        v.r[vmm_h.VM_REG_GUEST_CR4] = sr.cr4();
        v.r[vmm_h.VM_REG_GUEST_EFER] = sr.efer();
        for (SegmentRegister seg : SegmentRegister.values()) v.base[seg.freeBsdRegister()] = s.segBase()[seg.ordinal()];
        v.base[vmm_h.VM_REG_GUEST_CS] = s.csBase();
        v.access[vmm_h.VM_REG_GUEST_SS] = 0xc093; // G, D/B, P, type 3
        FreeBsdInstEmul.Exit exit = new FreeBsdInstEmul.Exit(gpa, gpa, s.csBase(), s.mode() != CpuMode.BITS16, sr.cr3(), 0,
                s.mode() == CpuMode.BITS64 ? CpuMode.FREEBSD_64BIT : CpuMode.FREEBSD_COMPATIBILITY, 3);
        Overlay mem = new Overlay(GuestMemoryAccess.of(rig.vm.memory()));
        TestMachine.Mmio dev = new TestMachine.Mmio(KvmCrossCheckTest::device);
        EmulationResult r = FreeBsdInstEmul.emulate(new InstructionEmulator(), exit, v, mem, dev);
        if (!(r instanceof EmulationResult.Completed c)) {
            return new Outcome(dev.log, null, 0, 0, null, null, "emulator: " + r);
        }
        long[] out = new long[16];
        for (int i = 0; i < 16; i++) out[i] = v.r[Gpr.freeBsdRegister(i)];
        // KVM's RIP is after the HLT that follows the instruction
        return new Outcome(dev.log, out, s.rip() + c.length() + 1, v.r[vmm_h.VM_REG_GUEST_RFLAGS],
                mem.view(BUF, BUF_SIZE), mem.view(STACK_LO, STACK_TOP - STACK_LO), null);
    }

    /** Flags the SDM leaves undefined for the instruction: not compared. */
    static long undefinedFlags(Scenario s) {
        if (!(Decoder.decode(s.code(), s.mode()) instanceof Instruction in)) return 0;
        return switch (in.operation()) {
            case AND, OR, XOR, TEST -> Flags.AF;
            case BT, BTS, BTR, BTC -> Flags.OF | Flags.SF | Flags.AF | Flags.PF;
            default -> 0;
        };
    }

    static boolean lastStraddled;

    /** Runs both and returns the differences (empty when they agree), or null when KVM itself failed. */
    static String compare(Rig rig, Scenario s, List<String> kvmFailures) {
        Outcome k = rig.run(s);
        if (k.error() != null) {
            kvmFailures.add(s + ": " + k.error());
            return null;
        }
        if (k.accesses().isEmpty()) return s + ": KVM made no device access";
        lastStraddled = k.accesses().stream().anyMatch(a -> a.size() != 1 && a.size() != 2 && a.size() != 4 && a.size() != 8
                || ((a.gpa() + a.size()) & 0xfff) == 0 && a.size() < 8 && k.accesses().size() > 1);
        Outcome e = emulate(rig, s, k.accesses().getFirst().gpa());
        StringBuilder d = new StringBuilder();
        if (!k.accesses().equals(e.accesses())) d.append("\n  accesses kvm=").append(k.accesses()).append(" emu=").append(e.accesses());
        if (e.error() != null) return d.insert(0, s + ": " + e.error()).toString();
        for (int i = 0; i < 16; i++) {
            if (k.gpr()[i] != e.gpr()[i]) {
                d.append("\n  ").append(Gpr.name(i)).append(" kvm=").append(Long.toHexString(k.gpr()[i])).append(" emu=")
                        .append(Long.toHexString(e.gpr()[i])).append(" before=").append(Long.toHexString(s.gpr()[i]));
            }
        }
        if (k.rip() != e.rip()) d.append("\n  rip kvm=").append(Long.toHexString(k.rip())).append(" emu=").append(Long.toHexString(e.rip()));
        long mask = (Flags.STATUS | Flags.DF) & ~undefinedFlags(s);
        if ((k.rflags() & mask) != (e.rflags() & mask)) {
            d.append("\n  rflags kvm=").append(Long.toHexString(k.rflags() & mask)).append(" emu=")
                    .append(Long.toHexString(e.rflags() & mask)).append(" before=").append(Long.toHexString(s.rflags()));
        }
        if (!Arrays.equals(k.buf(), e.buf())) d.append("\n  RAM buffer differs");
        if (!Arrays.equals(k.stack(), e.stack())) d.append("\n  stack differs");
        return d.isEmpty() ? "" : s + ":" + d;
    }

    // ---- fixed scenarios -----------------------------------------------------------------------

    static Scenario sc(String name, CpuMode mode, String hex, long rflags, long... regPairs) {
        long[] gpr = new long[16];
        for (int i = 0; i < 16; i++) gpr[i] = 0x0f0e_0d0c_0b0a_0900L + i * 0x1111;
        gpr[Gpr.RSP] = STACK_TOP - 0x100;
        long[] seg = new long[6];
        for (int i = 0; i + 1 < regPairs.length; i += 2) {
            int r = (int) regPairs[i];
            if (r >= 100) seg[r - 100] = regPairs[i + 1];
            else gpr[r] = regPairs[i + 1];
        }
        return new Scenario(name, mode, TestMachine.hex(hex), gpr, rflags | 2, seg);
    }

    static final int DS = 100 + 3, ES = 100, FS = 104, GS = 105, SS = 102;

    static List<Scenario> fixed() {
        long M = MMIO + 0x100;
        CpuMode b64 = CpuMode.BITS64, b32 = CpuMode.BITS32, b16 = CpuMode.BITS16;
        return List.of(
                sc("mov [rbx], eax", b64, "89 03", 0, Gpr.RBX, M),
                sc("mov [rbx], rax", b64, "48 89 03", 0, Gpr.RBX, M),
                sc("mov [rbx], ah", b64, "88 23", 0, Gpr.RBX, M),
                sc("mov [rbx], sil", b64, "40 88 33", 0, Gpr.RBX, M),
                sc("mov r10w, [r11+r12*8+0x10]", b64, "66 47 8b 54 e3 10", 0, 11, M - 0x50, 12, 8),
                sc("mov eax, [rip+x]", b64, "8b 05 fa ff ef 3f", 0),
                sc("mov eax, [moffs64]", b64, "a1 00 01 00 40 00 00 00 00", 0),
                sc("mov [moffs32], ax", b64, "66 67 a3 00 01 00 40", 0),
                sc("mov byte [rbx], imm", b64, "c6 03 9c", 0, Gpr.RBX, M),
                sc("mov qword [rbx], imm32", b64, "48 c7 03 00 00 00 80", 0, Gpr.RBX, M),
                sc("mov eax, fs:[rbx]", b64, "64 8b 03", 0, Gpr.RBX, 0x100, FS, MMIO),
                sc("movzx eax, byte [rbx]", b64, "0f b6 03", 0, Gpr.RBX, M),
                sc("movsx rax, word [rbx]", b64, "48 0f bf 03", 0, Gpr.RBX, M),
                sc("movsxd rax, [rbx]", b64, "48 63 03", 0, Gpr.RBX, M),
                sc("movsxd eax, [rbx]", b64, "63 03", 0, Gpr.RBX, M),
                sc("add [rbx], eax", b64, "01 03", Flags.CF, Gpr.RBX, M),
                sc("adc eax, [rbx]", b64, "13 03", Flags.CF, Gpr.RBX, M),
                sc("sbb byte [rbx], 0x7f", b64, "80 1b 7f", Flags.CF, Gpr.RBX, M),
                sc("sub qword [rbx], -1", b64, "48 83 2b ff", 0, Gpr.RBX, M),
                sc("cmp [rbx], ecx", b64, "39 0b", 0, Gpr.RBX, M),
                sc("and word [rbx], 0x8001", b64, "66 81 23 01 80", 0, Gpr.RBX, M),
                sc("or dl, [rbx]", b64, "0a 13", 0, Gpr.RBX, M),
                sc("lock xor [rbx], edx", b64, "f0 31 13", 0, Gpr.RBX, M),
                sc("test [rbx], eax", b64, "85 03", 0, Gpr.RBX, M),
                sc("test byte [rbx], 0x80", b64, "f6 03 80", 0, Gpr.RBX, M),
                sc("not qword [rbx]", b64, "48 f7 13", 0, Gpr.RBX, M),
                sc("neg word [rbx]", b64, "66 f7 1b", 0, Gpr.RBX, M),
                sc("inc byte [rbx]", b64, "fe 03", Flags.CF, Gpr.RBX, M),
                sc("dec dword [rbx]", b64, "ff 0b", 0, Gpr.RBX, M),
                sc("bt [rbx], eax (37)", b64, "0f a3 03", 0, Gpr.RBX, M, Gpr.RAX, 37),
                sc("bt [rbx], eax (-1)", b64, "0f a3 03", 0, Gpr.RBX, M, Gpr.RAX, 0xffff_ffffL),
                sc("bts qword [rbx], 63", b64, "48 0f ba 2b 3f", 0, Gpr.RBX, M),
                sc("btr [rbx], ax", b64, "66 0f b3 03", 0, Gpr.RBX, M, Gpr.RAX, 21),
                sc("btc [rbx], 3", b64, "0f ba 3b 03", 0, Gpr.RBX, M),
                sc("xchg [rbx], ecx", b64, "87 0b", 0, Gpr.RBX, M),
                sc("xchg [rbx], ch", b64, "86 2b", 0, Gpr.RBX, M),
                sc("stosd", b64, "ab", 0, Gpr.RDI, M),
                sc("rep stosq", b64, "f3 48 ab", 0, Gpr.RDI, M, Gpr.RCX, 3),
                sc("rep stosb DF=1", b64, "f3 aa", Flags.DF, Gpr.RDI, M, Gpr.RCX, 4),
                sc("rep stosd (67)", b64, "f3 67 ab", 0, Gpr.RDI, 0xffff_0000_0000_0000L | M, Gpr.RCX, 0x7777_0000_0000_0002L),
                sc("movsd device->RAM", b64, "a5", 0, Gpr.RSI, M, Gpr.RDI, BUF + 0x100),
                sc("rep movsw RAM->device", b64, "f3 66 a5", 0, Gpr.RSI, BUF + 0x100, Gpr.RDI, M, Gpr.RCX, 3),
                sc("rep movsq device->RAM DF=1", b64, "f3 48 a5", Flags.DF, Gpr.RSI, M, Gpr.RDI, BUF + 0x100, Gpr.RCX, 3),
                sc("movsb device->device", b64, "a4", 0, Gpr.RSI, M, Gpr.RDI, M + 0x80),
                sc("movsd gs:RAM->device", b64, "65 a5", 0, Gpr.RSI, 0x100, GS, BUF, Gpr.RDI, M),
                sc("push qword [rbx]", b64, "ff 33", 0, Gpr.RBX, M),
                sc("push word [rbx]", b64, "66 ff 33", 0, Gpr.RBX, M),
                sc("pop qword [rbx]", b64, "8f 03", 0, Gpr.RBX, M),
                sc("push [rsp+x]", b64, "ff b4 24 00 01 00 00", 0, Gpr.RSP, M - 0x100),
                sc("mov [ebx], eax (32)", b32, "89 03", 0, Gpr.RBX, M),
                sc("mov ax, [ebx+ecx*2] DS base (32)", b32, "66 8b 04 4b", 0, Gpr.RBX, 0x10, Gpr.RCX, 0x8, DS, M - 0x20),
                sc("mov eax, [bx+si] (32, 67)", b32, "67 8b 00", 0, Gpr.RBX, 0x10, Gpr.RSI, 0x8, DS, M - 0x18),
                sc("mov eax, [moffs32] (32)", b32, "a1 00 01 00 40", 0),
                sc("add [ebp+8], al SS base (32)", b32, "00 45 08", 0, Gpr.RBP, 0x10, SS, M - 0x18),
                sc("rep stosd ES base (32)", b32, "f3 ab", 0, Gpr.RDI, 0x10, ES, M - 0x10, Gpr.RCX, 2),
                sc("movsd RAM->device (32)", b32, "a5", 0, Gpr.RSI, 0x10, DS, BUF, Gpr.RDI, 0x20, ES, M - 0x20),
                sc("push dword [ebx] (32)", b32, "ff 33", 0, Gpr.RBX, M),
                sc("pop word [ebx] (32)", b32, "66 8f 03", 0, Gpr.RBX, M),
                sc("mov ax, [bx] (16)", b16, "8b 07", 0, Gpr.RBX, 0x100, DS, MMIO),
                sc("mov [bp+di+4], eax (16)", b16, "66 89 43 04", 0, Gpr.RBP, 0x10, Gpr.RDI, 0x20, SS, M - 0x34),
                sc("mov ax, [disp16] (16)", b16, "a1 34 12", 0, DS, M - 0x1234),
                sc("mov eax, [ebx] (16, 67)", b16, "67 66 8b 03", 0, Gpr.RBX, M),
                sc("movzx ax, byte [si] (16)", b16, "0f b6 04", 0, Gpr.RSI, 0x40, DS, M - 0x40),
                sc("cmp word [bx], 5 (16)", b16, "83 3f 05", 0, Gpr.RBX, 0x100, DS, M - 0x100),
                sc("rep stosw (16)", b16, "f3 ab", 0, Gpr.RDI, 0x100, ES, M - 0x100, Gpr.RCX, 0xabcd_0003L),
                sc("rep movsb device->RAM (16)", b16, "f3 a4", 0, Gpr.RSI, 0x100, DS, M - 0x100, Gpr.RDI, 0x200, ES, BUF,
                        Gpr.RCX, 3),
                sc("push word [bx] (16)", b16, "ff 37", 0, Gpr.RBX, 0x100, DS, M - 0x100),
                sc("pop dword [bx] (16)", b16, "66 8f 07", 0, Gpr.RBX, 0x100, DS, M - 0x100),
                sc("mov [rbx], eax straddling two pages", b64, "89 03", 0, Gpr.RBX, MMIO + 0xffe),
                sc("mov eax, [rbx] straddling 3+1", b64, "8b 03", 0, Gpr.RBX, MMIO + 0xffd),
                sc("add qword [rbx], rcx straddling", b64, "48 01 0b", 0, Gpr.RBX, MMIO + 0xffb),
                sc("stosd straddling", b64, "ab", 0, Gpr.RDI, MMIO + 0xfff),
                sc("movsd device->RAM straddling", b64, "a5", 0, Gpr.RSI, MMIO + 0xffe, Gpr.RDI, BUF + 0x100),
                sc("push qword [rbx] straddling", b64, "ff 33", 0, Gpr.RBX, MMIO + 0xffc));
    }

    @Test
    void fixedScenariosAgreeWithKvm() throws Exception {
        List<String> diffs = new ArrayList<>(), kvmFailures = new ArrayList<>();
        int agreed = 0;
        try (Rig rig = new Rig()) {
            for (Scenario s : fixed()) {
                String d = compare(rig, s, kvmFailures);
                if (d == null) continue;
                if (d.isEmpty()) agreed++;
                else diffs.add(d);
            }
        }
        assertThat(kvmFailures).as("scenarios KVM could not run").isEmpty();
        assertThat(diffs).as("differences from KVM").isEmpty();
        assertThat(agreed).isEqualTo(fixed().size());
    }

    // ---- random scenarios ----------------------------------------------------------------------

    @Test
    void randomEncodingsAgreeWithKvm() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20260401L);
        Generator gen = new Generator(rnd);
        List<String> diffs = new ArrayList<>(), kvmFailures = new ArrayList<>();
        int agreed = 0;
        Map<Operation, Integer> seen = new java.util.EnumMap<>(Operation.class);
        Map<String, Integer> classes = new java.util.TreeMap<>();
        try (Rig rig = new Rig()) {
            for (int i = 0; i < 2000; i++) {
                CpuMode mode = i % 4 == 3 ? CpuMode.BITS32 : i % 8 == 2 ? CpuMode.BITS16 : CpuMode.BITS64;
                Scenario s = gen.next(mode);
                String d = compare(rig, s, kvmFailures);
                if (d == null) continue;
                if (d.isEmpty()) {
                    agreed++;
                    if (lastStraddled) classes.merge("straddles a page", 1, Integer::sum);
                    if (Decoder.decode(s.code(), s.mode()) instanceof Instruction in) {
                        seen.merge(in.operation(), 1, Integer::sum);
                        tally(classes, in);
                    }
                } else {
                    diffs.add(d);
                }
            }
            System.out.println("KVM cross-check: " + agreed + " random encodings agree; by operation " + seen
                    + "; by class " + classes + "; KVM failures " + kvmFailures.size() + ", VM recreated " + rig.recreated
                    + " times");
        }
        for (String c : List.of("mode BITS16", "mode BITS32", "mode BITS64", "addr 2", "addr 4", "addr 8", "rip-relative",
                "sib index", "extended register", "segment override", "lock", "rep", "straddles a page", "size 1", "size 2", "size 4", "size 8",
                "high byte")) {
            assertThat(classes).as("coverage").containsKey(c);
        }
        assertThat(diffs).as("differences from KVM").isEmpty();
        assertThat(kvmFailures).as("scenarios KVM could not run").isEmpty();
        assertThat(seen.keySet()).containsAll(java.util.EnumSet.allOf(Operation.class));
    }

    private static void tally(Map<String, Integer> classes, Instruction in) {
        List<String> keys = new ArrayList<>(List.of("mode " + in.mode(), "addr " + in.addressSize(), "size " + in.operandSize()));
        byte[] b = in.bytes();
        MemoryOperand m = in.memory();
        if (m != null && m.ripRelative()) keys.add("rip-relative");
        if (m != null && m.index() >= 0 && m.addressSize() > 2) keys.add("sib index");
        if (in.register() >= 8 || (m != null && (m.base() >= 8 || m.index() >= 8))) keys.add("extended register");
        if (in.highByte()) keys.add("high byte");
        for (byte x : b) {
            int v = x & 0xff;
            if (v == 0x26 || v == 0x2e || v == 0x36 || v == 0x3e || v == 0x64 || v == 0x65) { keys.add("segment override"); break; }
        }
        if (in.lock()) keys.add("lock");
        if (m != null && in.operation() != Operation.STOS && in.operation() != Operation.MOVS) keys.add("explicit operand");
        if (in.rep() != Instruction.Rep.NONE && in.operation().isString()) keys.add("rep");
        for (String k : keys) classes.merge(k, 1, Integer::sum);
    }

    /** Random encodings of every supported form, with registers solved so the operand hits {@link #MMIO}. */
    static final class Generator {
        enum Kind { REG, IMM8, IMMZ, NONE, MOFFS, STRING, STACK }

        record Form(String name, int[] opcode, Kind kind, int digit, boolean byteOp, boolean lockable, boolean only64,
                    boolean bitReg) {}

        final SplittableRandom rnd;
        final List<Form> forms = new ArrayList<>();

        Generator(SplittableRandom rnd) {
            this.rnd = rnd;
            f("mov m8,r8", Kind.REG, 0, true, false, 0x88);
            f("mov m,r", Kind.REG, 0, false, false, 0x89);
            f("mov r8,m8", Kind.REG, 0, true, false, 0x8a);
            f("mov r,m", Kind.REG, 0, false, false, 0x8b);
            f("mov m8,imm", Kind.IMM8, 0, true, false, 0xc6);
            f("mov m,imm", Kind.IMMZ, 0, false, false, 0xc7);
            for (int op = 0; op < 8; op++) {
                boolean lk = op != 7;
                f("alu" + op + " m8,r8", Kind.REG, 0, true, lk, op * 8);
                f("alu" + op + " m,r", Kind.REG, 0, false, lk, op * 8 + 1);
                f("alu" + op + " r8,m8", Kind.REG, 0, true, false, op * 8 + 2);
                f("alu" + op + " r,m", Kind.REG, 0, false, false, op * 8 + 3);
                f("alu" + op + " m8,imm8", Kind.IMM8, op, true, lk, 0x80);
                f("alu" + op + " m,immz", Kind.IMMZ, op, false, lk, 0x81);
                f("alu" + op + " m,imm8", Kind.IMM8, op, false, lk, 0x83);
            }
            f("test m8,r8", Kind.REG, 0, true, false, 0x84);
            f("test m,r", Kind.REG, 0, false, false, 0x85);
            f("test m8,imm", Kind.IMM8, 0, true, false, 0xf6);
            f("test m,imm", Kind.IMMZ, 0, false, false, 0xf7);
            f("not m8", Kind.NONE, 2, true, true, 0xf6);
            f("not m", Kind.NONE, 2, false, true, 0xf7);
            f("neg m8", Kind.NONE, 3, true, true, 0xf6);
            f("neg m", Kind.NONE, 3, false, true, 0xf7);
            f("inc m8", Kind.NONE, 0, true, true, 0xfe);
            f("dec m8", Kind.NONE, 1, true, true, 0xfe);
            f("inc m", Kind.NONE, 0, false, true, 0xff);
            f("dec m", Kind.NONE, 1, false, true, 0xff);
            f("movzx r,m8", Kind.REG, 0, false, false, 0x0f, 0xb6);
            f("movzx r,m16", Kind.REG, 0, false, false, 0x0f, 0xb7);
            f("movsx r,m8", Kind.REG, 0, false, false, 0x0f, 0xbe);
            f("movsx r,m16", Kind.REG, 0, false, false, 0x0f, 0xbf);
            forms.add(new Form("movsxd", new int[] {0x63}, Kind.REG, 0, false, false, true, false));
            forms.add(new Form("bt m,r", new int[] {0x0f, 0xa3}, Kind.REG, 0, false, false, false, true));
            forms.add(new Form("bts m,r", new int[] {0x0f, 0xab}, Kind.REG, 0, false, true, false, true));
            forms.add(new Form("btr m,r", new int[] {0x0f, 0xb3}, Kind.REG, 0, false, true, false, true));
            forms.add(new Form("btc m,r", new int[] {0x0f, 0xbb}, Kind.REG, 0, false, true, false, true));
            for (int d = 4; d < 8; d++) f("bt" + d + " m,imm8", Kind.IMM8, d, false, d > 4, 0x0f, 0xba);
            f("xchg m8,r8", Kind.REG, 0, true, true, 0x86);
            f("xchg m,r", Kind.REG, 0, false, true, 0x87);
            for (int op : new int[] {0xa0, 0xa1, 0xa2, 0xa3}) f("moffs " + Integer.toHexString(op), Kind.MOFFS, 0, op % 2 == 0, false, op);
            for (int op : new int[] {0xaa, 0xab, 0xa4, 0xa5}) f("string " + Integer.toHexString(op), Kind.STRING, 0, op % 2 == 0, false, op);
            f("push m", Kind.STACK, 6, false, false, 0xff);
            f("pop m", Kind.STACK, 0, false, false, 0x8f);
        }

        private void f(String name, Kind kind, int digit, boolean byteOp, boolean lockable, int... opcode) {
            forms.add(new Form(name, opcode, kind, digit, byteOp, lockable, false, false));
        }

        Scenario next(CpuMode mode) {
            for (int attempt = 0; ; attempt++) {
                Scenario s = attempt(mode);
                if (s != null) return s;
                if (attempt > 1000) throw new IllegalStateException("generator stuck");
            }
        }

        private long r64() { return rnd.nextLong(); }

        /** One try; null when the random choices cannot reach the target (the caller draws again). */
        private Scenario attempt(CpuMode mode) {
            Form form = forms.get(rnd.nextInt(forms.size()));
            boolean is64 = mode == CpuMode.BITS64;
            if (form.only64() && !is64) return null;
            long[] gpr = new long[16];
            for (int i = 0; i < 16; i++) gpr[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(0x200) : r64();
            gpr[Gpr.RSP] = STACK_TOP - 0x400 + rnd.nextInt(0x40) * 8;
            long[] seg = new long[6];
            for (int i = 0; i < 6; i++) seg[i] = is64 && i >= 4 ? rnd.nextLong(1L << 40) : rnd.nextLong(1L << 32);
            long rflags = 2 | (r64() & Flags.STATUS) | (rnd.nextInt(4) == 0 ? Flags.DF : 0);

            // prefixes
            List<Integer> legacy = new ArrayList<>();
            boolean stack = form.kind() == Kind.STACK, string = form.kind() == Kind.STRING;
            int opsz = form.byteOp() ? 0 : rnd.nextInt(is64 ? 3 : 2); // 0 default, 1 = 66, 2 = REX.W
            if (opsz == 1) legacy.add(0x66);
            boolean adsz = rnd.nextInt(4) == 0;
            if (adsz) legacy.add(0x67);
            SegmentRegister override = null;
            if (rnd.nextInt(3) == 0) {
                SegmentRegister[] choices = {SegmentRegister.DS, SegmentRegister.ES, SegmentRegister.FS, SegmentRegister.GS,
                        SegmentRegister.SS};
                override = choices[rnd.nextInt(choices.length)];
                if (string && form.opcode()[0] >= 0xa4 && form.opcode()[0] <= 0xa5 && override == SegmentRegister.ES) return null;
                legacy.add(override.overridePrefix());
            }
            if (form.lockable() && rnd.nextInt(4) == 0) legacy.add(0xf0);
            boolean rep = string && rnd.nextBoolean();
            if (rep) legacy.add(rnd.nextInt(4) == 0 ? 0xf2 : 0xf3);
            java.util.Collections.shuffle(legacy, new java.util.Random(rnd.nextLong()));
            int rex = 0;
            if (is64) {
                rex = (opsz == 2 ? 8 : 0) | rnd.nextInt(8);
                if (rex == 0 && rnd.nextInt(4) == 0) rex = 0x40;
                if (rex != 0) rex |= 0x40;
            }
            int as = is64 ? (adsz ? 4 : 8) : (mode == CpuMode.BITS32) != adsz ? 4 : 2;
            int os = form.byteOp() ? 1 : is64 && (rex & 8) != 0 ? 8
                    : (mode == CpuMode.BITS16) != (opsz == 1) ? 2 : 4;
            if (stack && is64 && os == 4) os = 8;

            ByteArrayOutputStream b = new ByteArrayOutputStream();
            legacy.forEach(b::write);
            if (rex != 0) b.write(rex);
            for (int o : form.opcode()) b.write(o);

            // now and then right at a page end, so that the access straddles two pages
            long target = rnd.nextInt(8) == 0 ? MMIO + 0xff9 + rnd.nextInt(7) : MMIO + 0x40 + rnd.nextInt(0xf00);
            SegmentRegister effSeg;
            int regField = form.kind() == Kind.REG ? rnd.nextInt(8) : form.digit();
            int fullReg = regField | ((rex & 4) != 0 ? 8 : 0);
            long dispValue;
            int dispPos, dispSize;
            // the memory operand: [base + index*scale + disp] or implicit
            int base = -1, index = -1, scale = 1;
            boolean ripRel = false;
            if (form.kind() == Kind.MOFFS) {
                effSeg = override != null ? override : SegmentRegister.DS;
                dispPos = b.size();
                dispSize = as;
                for (int i = 0; i < as; i++) b.write(0);
            } else if (string) {
                effSeg = null;
                dispPos = -1;
                dispSize = 0;
            } else {
                int mod = rnd.nextInt(3), rm = rnd.nextInt(8);
                b.write((mod << 6) | (regField << 3) | rm);
                if (as == 2) {
                    int[][] pairs = {{Gpr.RBX, Gpr.RSI}, {Gpr.RBX, Gpr.RDI}, {Gpr.RBP, Gpr.RSI}, {Gpr.RBP, Gpr.RDI},
                            {Gpr.RSI, -1}, {Gpr.RDI, -1}, {Gpr.RBP, -1}, {Gpr.RBX, -1}};
                    base = pairs[rm][0];
                    index = pairs[rm][1];
                    dispSize = mod == 1 ? 1 : mod == 2 ? 2 : 0;
                    if (mod == 0 && rm == 6) {
                        base = -1;
                        dispSize = 2;
                    }
                    effSeg = override != null ? override : base == Gpr.RBP ? SegmentRegister.SS : SegmentRegister.DS;
                } else {
                    dispSize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
                    if (rm == 4) {
                        int ss = rnd.nextInt(4), idx = rnd.nextInt(8), bs = rnd.nextInt(8);
                        b.write((ss << 6) | (idx << 3) | bs);
                        scale = 1 << ss;
                        int fi = idx | ((rex & 2) != 0 ? 8 : 0);
                        if (fi != 4) index = fi;
                        if (bs == 5 && mod == 0) dispSize = 4;
                        else base = bs | ((rex & 1) != 0 ? 8 : 0);
                    } else if (rm == 5 && mod == 0) {
                        dispSize = 4;
                        ripRel = is64;
                    } else {
                        base = rm | ((rex & 1) != 0 ? 8 : 0);
                    }
                    effSeg = override != null ? override
                            : base == Gpr.RSP || base == Gpr.RBP ? SegmentRegister.SS : SegmentRegister.DS;
                }
                dispPos = b.size();
                for (int i = 0; i < dispSize; i++) b.write(0);
            }
            switch (form.kind()) {
                case IMM8 -> b.write(rnd.nextInt(256));
                case IMMZ -> {
                    int n = os == 2 ? 2 : 4;
                    for (int i = 0; i < n; i++) b.write(rnd.nextInt(256));
                }
                default -> { }
            }
            byte[] code = b.toByteArray();
            if (code.length > 15) return null;

            if (string) {
                int op = form.opcode()[0];
                boolean movs = op == 0xa4 || op == 0xa5;
                int size = os;
                long count = 1 + rnd.nextInt(4);
                long span = rep ? count * size : size;
                long ram = rnd.nextInt(6) == 0 ? BUF + 0xff9 + rnd.nextInt(7) : BUF + 0x800 + rnd.nextInt(0x400);
                int side = movs ? rnd.nextInt(3) : 1; // 0: device->RAM, 1: RAM->device (or stos), 2: device->device
                long src = side == 1 ? ram : target;
                long dst = side == 0 ? ram : side == 2 ? target + 0x80 : target;
                SegmentRegister srcSeg = override != null ? override : SegmentRegister.DS;
                long amask = as == 8 ? -1L : (1L << (as * 8)) - 1;
                if (is64) {
                    gpr[Gpr.RDI] = (gpr[Gpr.RDI] & ~amask) | (dst & amask);
                    long sb = srcSeg == SegmentRegister.FS || srcSeg == SegmentRegister.GS ? seg[srcSeg.ordinal()] : 0;
                    gpr[Gpr.RSI] = (gpr[Gpr.RSI] & ~amask) | ((src - sb) & amask);
                    if (as == 4 && ((src - sb) >>> 32) != 0) return null;
                } else {
                    long di = 0x100 + rnd.nextInt(0xfe00 - (int) span), si = 0x100 + rnd.nextInt(0xfe00 - (int) span);
                    gpr[Gpr.RDI] = (gpr[Gpr.RDI] & ~amask) | di;
                    gpr[Gpr.RSI] = (gpr[Gpr.RSI] & ~amask) | si;
                    seg[SegmentRegister.ES.ordinal()] = (dst - di) & 0xffff_ffffL;
                    if (movs) seg[srcSeg.ordinal()] = (src - si) & 0xffff_ffffL;
                }
                gpr[Gpr.RCX] = (gpr[Gpr.RCX] & ~amask) | count;
                return new Scenario(form.name() + (rep ? " rep" : ""), mode, code, gpr, rflags, seg);
            }

            // solve the addressing registers so that the operand's linear address is the target
            boolean segUsable = !is64 || effSeg == SegmentRegister.FS || effSeg == SegmentRegister.GS;
            long amask = as == 8 ? -1L : (1L << (as * 8)) - 1;
            if (segUsable && is64) { // keep the base canonical
                if (base >= 0) gpr[base] = rnd.nextLong(1L << 32);
                if (index >= 0) gpr[index] = rnd.nextLong(1L << 20);
            }
            long disp = dispSize == 1 ? (byte) rnd.nextInt() : dispSize == 2 ? rnd.nextInt(0x10000)
                    : dispSize == 4 ? rnd.nextInt(0x1000) - 0x800 : dispSize == 8 ? rnd.nextInt(0x1000) : 0;
            if (form.kind() == Kind.MOFFS && !segUsable) disp = target;
            if (form.bitReg()) { // the bit offset: small, and not an addressing register
                if (fullReg == base || fullReg == index) return null;
                long off = rnd.nextInt(200) - 100;
                gpr[fullReg] = (r64() & ~Flags.mask(os)) | (off & Flags.mask(os));
            }
            if (stack && (base == Gpr.RSP || index == Gpr.RSP || (!is64 && effSeg == SegmentRegister.SS))) return null;
            long nextRip = (mode == CpuMode.BITS16 ? 0 : CODE) + code.length;
            if (segUsable) {
                long ea = disp;
                if (base >= 0) ea += gpr[base];
                if (index >= 0) ea += gpr[index] * scale;
                ea &= amask;
                long sb = target - ea;
                if (!is64) sb &= 0xffff_ffffL;
                seg[effSeg.ordinal()] = sb;
            } else if (ripRel) {
                disp = (target - nextRip) & amask;
                disp = (int) disp;
            } else if (base >= 0 && base != index) {
                long rest = disp + (index >= 0 ? gpr[index] * scale : 0);
                gpr[base] = (gpr[base] & ~amask) | ((target - rest) & amask);
            } else if (base >= 0) { // base == index
                if (dispSize == 0) return null;
                long r = (target - disp) / (1 + scale);
                long d = target - r * (1 + scale);
                if (dispSize == 1 && (d < -128 || d > 127)) return null;
                disp = d;
                gpr[base] = (gpr[base] & ~amask) | (r & amask);
            } else if (index >= 0) {
                long r = (target - disp) / scale;
                disp = target - r * scale;
                gpr[index] = (gpr[index] & ~amask) | (r & amask);
            } else if (form.kind() != Kind.MOFFS) {
                disp = target;
            }
            byte[] full = code.clone();
            for (int i = 0; i < dispSize; i++) full[dispPos + i] = (byte) (disp >>> (8 * i));
            if (dispSize == 4 && (disp != (int) disp) && !(as == 4)) {
                // a disp32 sign-extends: it must hold the value exactly
                if (ripRel || base < 0) return null;
            }
            // check with our own arithmetic that the operand really lands on the target
            long ea = disp;
            if (ripRel) ea += nextRip;
            if (base >= 0) ea += gpr[base];
            if (index >= 0) ea += gpr[index] * scale;
            if (dispSize == 4) ea = ea - disp + (int) disp;
            ea &= amask;
            long lin = (segUsable ? seg[effSeg.ordinal()] : 0) + ea;
            if (!is64) lin &= 0xffff_ffffL;
            if (lin != target) return null;
            if (stack) gpr[Gpr.RSP] = STACK_TOP - 0x400 + rnd.nextInt(0x40) * 8;
            return new Scenario(form.name(), mode, full, gpr, rflags, seg);
        }
    }
}
