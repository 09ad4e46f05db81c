package org.jbhyve.vmm.x86;

import org.jbhyve.vmm.x86.TestMachine.Access;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exit-driven protocol: emulating through {@link ReplayingMmio}, completing one device access per
 * "exit" and re-entering the "guest" on Restart, ends in exactly the state a synchronous device
 * produces, with the same device accesses in the same order.
 */
class ReplayingMmioTest {
    private static final long MMIO = 0xc000_1000L;

    private record Setup(TestMachine.Regs regs, TestMachine.Ram ram, PagingState paging) {}

    private static Setup setup(String hex) {
        TestMachine.Ram ram = new TestMachine.Ram(0x4000_0000L);
        TestMachine.PageTables pt = new TestMachine.PageTables(ram, PagingMode.LEVEL4, 0x100000);
        pt.identity(0x10000, 0x40000);
        pt.identity(0xc000_0000L, 0xc000_4000L);
        for (int i = 0; i < 64; i++) ram.write(0x30000 + i * 8L, 8, 0x0101_0101_0101_0101L * (i + 1));
        TestMachine.Regs r = new TestMachine.Regs();
        r.gpr[Gpr.RAX] = 0x1122_3344_5566_7788L;
        r.gpr[Gpr.RBX] = MMIO;
        r.gpr[Gpr.RSP] = 0x20000;
        r.gpr[Gpr.RCX] = 5;
        return new Setup(r, ram, pt.state(0));
    }

    /** The MMIO address the next exit reports, as the hardware would: where the instruction touches MMIO. */
    private static long faultingGpa(String hex, TestMachine.Regs r) {
        if (hex.endsWith("a5") || hex.endsWith("a4")) {
            return r.gpr[Gpr.RSI] >= 0xc000_0000L ? r.gpr[Gpr.RSI] : r.gpr[Gpr.RDI];
        }
        if (hex.endsWith("ab") || hex.endsWith("aa")) return r.gpr[Gpr.RDI];
        return r.gpr[Gpr.RBX];
    }

    @ParameterizedTest
    @ValueSource(strings = {"89 03", "8b 03", "01 03", "87 03", "39 03", "ff 33", "8f 03", "0f ab 03",
            "f3 a5:rsi=mmio", "f3 a5:rdi=mmio", "f3 48 a5:both", "f3 ab", "a5:rsi=mmio"})
    void exitDrivenEqualsSynchronous(String spec) {
        for (int maxRep : new int[] {1, 2, 256}) {
            String hex = spec.replaceAll(":.*$", "");
            byte[] code = TestMachine.hex(hex);
            // synchronous reference
            Setup a = setup(hex);
            prepare(spec, a.regs());
            TestMachine.Mmio syncDev = new TestMachine.Mmio();
            InstructionEmulator emu = new InstructionEmulator(maxRep);
            EmulationResult r;
            do {
                r = emu.emulate(new EmulationContext(CpuMode.BITS64, a.regs(), syncDev, a.ram(), a.paging()), code,
                        faultingGpa(hex, a.regs()), InstructionEmulator.UNKNOWN_GLA);
            } while (r instanceof EmulationResult.Restart);
            assertThat(r).isEqualTo(new EmulationResult.Completed(code.length));

            // exit-driven
            Setup b = setup(hex);
            prepare(spec, b.regs());
            TestMachine.Mmio device = new TestMachine.Mmio();
            ReplayingMmio replay = new ReplayingMmio();
            int exits = 0;
            List<TestMachine.Regs> seenWhileDeferred = new ArrayList<>();
            EmulationResult res;
            outer:
            while (true) {
                replay.reset();
                while (true) {
                    TestMachine.Regs before = b.regs().copy();
                    res = emu.emulate(new EmulationContext(CpuMode.BITS64, b.regs(), replay, b.ram(), b.paging()), code,
                            faultingGpa(hex, b.regs()), InstructionEmulator.UNKNOWN_GLA);
                    if (res != EmulationResult.Deferred.INSTANCE) break;
                    assertThat(b.regs()).as("nothing changes while an access is pending").isEqualTo(before);
                    seenWhileDeferred.add(before);
                    ReplayingMmio.Access p = replay.pending();
                    exits++;
                    if (p.write()) {
                        device.write(p.gpa(), p.size(), p.value());
                        replay.complete(0);
                    } else {
                        replay.complete(device.read(p.gpa(), p.size()));
                    }
                }
                if (res instanceof EmulationResult.Restart) continue outer; // re-enter the guest, exit again
                break;
            }
            assertThat(res).as(spec).isEqualTo(new EmulationResult.Completed(code.length));
            assertThat(device.log).as(spec).isEqualTo(syncDev.log);
            assertThat(exits).isEqualTo(syncDev.log.size());
            assertThat(b.regs()).as(spec).isEqualTo(a.regs());
            for (long g = 0x1f000; g < 0x31000; g += 8) assertThat(b.ram().readLong(g)).isEqualTo(a.ram().readLong(g));
        }
    }

    private static void prepare(String spec, TestMachine.Regs r) {
        if (spec.contains("rsi=mmio")) {
            r.gpr[Gpr.RSI] = MMIO;
            r.gpr[Gpr.RDI] = 0x30000;
        } else if (spec.contains("rdi=mmio")) {
            r.gpr[Gpr.RSI] = 0x30000;
            r.gpr[Gpr.RDI] = MMIO;
        } else if (spec.contains("both")) {
            r.gpr[Gpr.RSI] = MMIO;
            r.gpr[Gpr.RDI] = MMIO + 0x800;
        } else {
            r.gpr[Gpr.RDI] = MMIO;
        }
    }

    @Test
    void aReplayThatDiffersFailsTheEmulation() {
        ReplayingMmio replay = new ReplayingMmio();
        assertThatThrownBy(() -> replay.read(0x1000, 4)).isSameAs(MmioAccess.Deferred.INSTANCE);
        assertThat(replay.pending()).isEqualTo(new ReplayingMmio.Access(0x1000, 4, false, 0));
        replay.complete(0x1_2345_6789L);
        assertThat(replay.completed()).containsExactly(new ReplayingMmio.Access(0x1000, 4, false, 0x2345_6789L));
        assertThat(replay.read(0x1000, 4)).isEqualTo(0x2345_6789L);
        assertThatThrownBy(() -> replay.complete(0)).isInstanceOf(IllegalStateException.class);

        // an instruction rewritten between exits: replaying a write where a read was is refused
        TestMachine.Regs regs = new TestMachine.Regs();
        regs.gpr[Gpr.RBX] = MMIO;
        ReplayingMmio r2 = new ReplayingMmio();
        EmulationContext ctx = new EmulationContext(CpuMode.BITS64, regs, r2, null, null);
        InstructionEmulator emu = new InstructionEmulator();
        assertThat(emu.emulate(ctx, TestMachine.hex("8b 03"), MMIO, MMIO)).isEqualTo(EmulationResult.Deferred.INSTANCE);
        r2.complete(5);
        EmulationResult res = emu.emulate(ctx, TestMachine.hex("89 03"), MMIO, MMIO);
        assertThat(res).isInstanceOf(EmulationResult.EmulationFailure.class);
        assertThat(((EmulationResult.EmulationFailure) res).reason()).contains("different access");
    }

    @Test
    void accessRecordsPrintUsefully() {
        assertThat(new ReplayingMmio.Access(0xc0001000L, 4, true, 0x12).toString()).isEqualTo("write 0xc0001000 size 4 value 0x12");
        assertThat(new Access(1, 2, false, 3).toString()).isEqualTo("R 1/2=3");
    }
}
