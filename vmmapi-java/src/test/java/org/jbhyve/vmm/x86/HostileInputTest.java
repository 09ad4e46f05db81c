package org.jbhyve.vmm.x86;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Seeded random instruction bytes against the decoder and the whole emulator: nothing may escape but
 * a result value, every call must end (bounded work), and the results must be self-consistent.
 */
class HostileInputTest {
    private static final int[] PREFIXES = {0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0x40, 0x41,
            0x44, 0x48, 0x4c, 0x4f};
    private static final int[] OPCODES = {0x00, 0x01, 0x02, 0x03, 0x09, 0x11, 0x19, 0x21, 0x29, 0x31, 0x39, 0x3b, 0x63,
            0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4,
            0xa5, 0xaa, 0xab, 0xc6, 0xc7, 0xf6, 0xf7, 0xfe, 0xff, 0x0f};
    private static final int[] TWO_BYTE = {0xb6, 0xb7, 0xbe, 0xbf, 0xa3, 0xab, 0xb3, 0xbb, 0xba, 0x0b, 0xb1};

    /** Purely random bytes, or prefixes + a supported opcode + random tail (reaches the deep paths). */
    private static byte[] instruction(SplittableRandom rnd) {
        int n = 1 + rnd.nextInt(16);
        byte[] b = new byte[n];
        if (rnd.nextInt(3) == 0) {
            for (int i = 0; i < n; i++) b[i] = (byte) rnd.nextInt(256);
            return b;
        }
        int i = 0;
        int prefixes = rnd.nextInt(5);
        for (; i < prefixes && i < n; i++) b[i] = (byte) PREFIXES[rnd.nextInt(PREFIXES.length)];
        if (i < n) {
            int op = OPCODES[rnd.nextInt(OPCODES.length)];
            b[i++] = (byte) op;
            if (op == 0x0f && i < n) b[i++] = (byte) TWO_BYTE[rnd.nextInt(TWO_BYTE.length)];
        }
        for (; i < n; i++) b[i] = (byte) rnd.nextInt(256);
        return b;
    }

    private static long value(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1L;
            case 2 -> 0xc000_0000L + rnd.nextInt(0x10000);
            case 3 -> rnd.nextInt(0x80000);
            case 4 -> 1L << rnd.nextInt(64);
            default -> rnd.nextLong();
        };
    }

    @Test
    void randomBytesNeverThrowNeverLoopAndStayConsistent() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            SplittableRandom rnd = new SplittableRandom(0x6a62687976654cL);
            CpuMode[] modes = CpuMode.values();
            int decoded = 0, completed = 0, faults = 0;
            TestMachine.Ram ram = new TestMachine.Ram(0x4000_0000L);
            TestMachine.PageTables pt = new TestMachine.PageTables(ram, PagingMode.LEVEL4, 0x100000);
            pt.identity(0, 0x80000);
            pt.identity(0xc000_0000L, 0xc001_0000L);
            InstructionEmulator emu = new InstructionEmulator();
            for (int iter = 0; iter < 60_000; iter++) {
                byte[] code = instruction(rnd);
                CpuMode mode = modes[rnd.nextInt(modes.length)];
                // the decoder alone
                DecodeResult d = Decoder.decode(code, mode);
                switch (d) {
                    case Instruction in -> {
                        decoded++;
                        assertThat(in.length()).isBetween(1, 15).isLessThanOrEqualTo(code.length);
                        assertThat(in.bytes()).isEqualTo(Arrays.copyOf(code, in.length()));
                        assertThat(in.toString()).isNotEmpty();
                    }
                    case DecodeFailure f -> {
                        assertThat(f.reason()).doesNotContain("internal");
                        assertThat(f.bytes()).isEqualTo(Arrays.copyOf(code, Math.min(code.length, 15)));
                    }
                }
                // the whole emulator, with random registers, device and (sometimes) garbage page tables
                TestMachine.Regs regs = new TestMachine.Regs();
                for (int r = 0; r < 16; r++) regs.gpr[r] = value(rnd);
                regs.rflags = rnd.nextLong() & (Flags.STATUS | Flags.DF) | 2;
                regs.rip = value(rnd);
                for (int s = 0; s < 6; s++) regs.segBase[s] = rnd.nextInt(4) == 0 ? value(rnd) : 0;
                regs.ss32 = rnd.nextBoolean();
                long devSeed = rnd.nextLong();
                TestMachine.Mmio dev = new TestMachine.Mmio((g, s) -> g * devSeed);
                PagingState paging = switch (rnd.nextInt(4)) {
                    case 0 -> PagingState.flat();
                    case 1 -> PagingState.of(PagingMode.values()[rnd.nextInt(5)], rnd.nextInt(0x200) * 0x1000L, rnd.nextInt(4));
                    default -> mode == CpuMode.BITS64 ? pt.state(rnd.nextInt(4)) : PagingState.flat();
                };
                if (rnd.nextInt(50) == 0) { // scribble over guest RAM, page tables included
                    for (int k = 0; k < 64; k++) ram.write(rnd.nextInt(0x120000) & ~7, 8, rnd.nextLong());
                }
                long gpa = rnd.nextBoolean() ? 0xc000_0000L + rnd.nextInt(0x10000) : value(rnd);
                long gla = rnd.nextBoolean() ? InstructionEmulator.UNKNOWN_GLA : value(rnd);
                TestMachine.Regs before = regs.copy();
                EmulationResult res = emu.emulate(new EmulationContext(mode, regs, dev, ram, paging), code, gpa, gla);
                switch (res) {
                    case EmulationResult.Completed c -> {
                        completed++;
                        assertThat(d).isInstanceOf(Instruction.class);
                        assertThat(c.length()).isEqualTo(((Instruction) d).length());
                        assertThat(regs.rip).isEqualTo(before.rip);
                    }
                    case EmulationResult.Restart r -> assertThat(((Instruction) d).operation().isString()).isTrue();
                    case EmulationResult.Fault f -> faults++;
                    case EmulationResult.EmulationFailure f -> {
                        assertThat(f.reason()).as(f.toString()).doesNotContain(" failed: ");
                        if (d instanceof Instruction) assertThat(regs).isEqualTo(before);
                    }
                    case DecodeFailure f -> assertThat(f).isEqualTo(d);
                    case EmulationResult.Deferred x -> throw new AssertionError("synchronous device cannot defer");
                }
                assertThat(dev.log.size()).as("device accesses are bounded").isLessThanOrEqualTo(2 * emu.maxRepIterations());
            }
            // the generator must reach the emulator, not just the decoder's error paths
            assertThat(decoded).isGreaterThan(15_000);
            assertThat(completed).isGreaterThan(5_000);
            assertThat(faults).isGreaterThan(100);
        });
    }

    @Test
    void everyLengthAndEveryPrefixRunIsBounded() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            // 15 prefixes then an opcode: must stop at 15 bytes, whatever the bytes are
            for (int p : PREFIXES) {
                byte[] b = new byte[40];
                Arrays.fill(b, (byte) p);
                for (CpuMode m : CpuMode.values()) {
                    DecodeResult d = Decoder.decode(b, m);
                    assertThat(d).isInstanceOf(DecodeFailure.class);
                    assertThat(((DecodeFailure) d).bytes()).hasSize(15);
                }
            }
            // every single byte and every two-byte 0F xx opcode, each followed by zeros
            for (int op = 0; op < 256; op++) {
                for (CpuMode m : CpuMode.values()) {
                    byte[] b = new byte[15];
                    b[0] = (byte) op;
                    Decoder.decode(b, m);
                    b[0] = 0x0f;
                    b[1] = (byte) op;
                    Decoder.decode(b, m);
                }
            }
        });
    }
}
