package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.VmExit;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.FreeBsdRegs.*;
import static org.jbhyve.vmm.freebsd.FakeVmmapi.exit;

/**
 * {@code INS}/{@code OUTS} ({@code VM_EXITCODE_INOUT_STR}): the string is walked through the guest's segment
 * and paging, handed to the VMM as one PortIo of up to a page of elements, and completed (INS data stored,
 * rSI/rDI/rCX updated, RIP restarted while elements remain) on the next run().
 */
class StringIoTest {
    static final int REAL = 0, PROTECTED = 1, LONG = 3;
    static final int FLAT = 0, LEVEL4 = 3;
    static final int SEG_ES = 22, SEG_DS = 25, SEG_SS = 24;
    static final long CR0_PE_PG = 0x8000_0011L, CR4_PAE = 0x20, EFER_LMA_LME = 0x500;

    private static void longMode(FakeVmmapi.Cpu c) {
        c.regs[CR4] = CR4_PAE;
        c.regs[EFER] = EFER_LMA_LME;
        c.regs[CR0] = CR0_PE_PG;
    }

    @Test
    void repOutsbInRealModeReadsTheStringAndAdvancesSiAndCx() {
        try (Fixture f = new Fixture(1)) {
            GuestMemory m = f.vm.memory();
            m.write(0x1020, "hello".getBytes(StandardCharsets.US_ASCII));
            long rsi = 0xdead_0000_0000_0020L, rcx = 0xbeef_0000_0000_0005L; // 16-bit: only SI and CX count
            f.cpu(0).add(exit(ExitImages.inoutStr(0x3f8, 1, false, true, 0x7c00, 2, 0, 0, REAL, FLAT, 0x2, 0x10,
                    rsi, rcx, 2, SEG_DS, 0x1000)), exit(ExitImages.hlt(0x7c02, 2)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(io.port()).isEqualTo(0x3f8);
            assertThat(io.isOut()).isTrue();
            assertThat(io.count()).isEqualTo(5);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < io.count(); i++) s.append((char) io.value(i));
            assertThat(s).hasToString("hello");
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[RSI]).isEqualTo(0xdead_0000_0000_0025L);
            assertThat(f.cpu(0).regs[RCX]).isEqualTo(0xbeef_0000_0000_0000L);
            assertThat(f.cpu(0).entries).as("done: entered after the instruction").containsExactly(0xfff0L, 0x7c02L);
        }
    }

    @Test
    void repInswInLongModeWithTheDirectionFlagGoesDownThroughThePageTables() {
        try (Fixture f = new Fixture(1)) {
            GuestMemory m = f.vm.memory();
            PageTables pt = new PageTables(m, 0x10000);
            pt.map4k(0x7fff_0000_0000L, 0x200000, PageTables.P | PageTables.RW);
            longMode(f.cpu(0));
            f.cpu(0).add(exit(ExitImages.inoutStr(0x1f0, 2, true, true, 0x40_0000, 3, pt.cr3(), 0, LONG, LEVEL4,
                    0x402 /* DF */, CR0_PE_PG, 0x7fff_0000_0006L, 3, 8, SEG_ES, 0x1234_0000L /* ignored in 64-bit mode */)),
                    exit(ExitImages.hlt(0x40_0003, 2)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(io.isIn()).isTrue();
            assertThat(io.count()).isEqualTo(3);
            assertThat(io.value(0)).as("pre-filled").isEqualTo(0xffff);
            for (int i = 0; i < 3; i++) io.setValue(i, 0x1110 + i);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(m.readShort(0x200006)).isEqualTo((short) 0x1110);
            assertThat(m.readShort(0x200004)).isEqualTo((short) 0x1111);
            assertThat(m.readShort(0x200002)).isEqualTo((short) 0x1112);
            assertThat(f.cpu(0).regs[RDI]).isEqualTo(0x7fff_0000_0000L);
            assertThat(f.cpu(0).regs[RCX]).isZero();
            assertThat(m.readLong(pt.cr3() + ((0x7fff_0000_0000L >>> 39) & 511) * 8) & 0x20).as("accessed bit set by the walk")
                    .isNotZero();
        }
    }

    @Test
    void longStringsGoInPageSizedBatchesAndTheInstructionRestarts() {
        try (Fixture f = new Fixture(1)) {
            GuestMemory m = f.vm.memory();
            for (int i = 0; i < 5000; i++) m.writeByte(0x100000 + i, (byte) i);
            f.cpu(0).add(exit(ExitImages.inoutStr(0x80, 1, false, true, 0x5000, 2, 0, 0, PROTECTED, FLAT, 2, 0x11,
                            0xffff_ffff_0010_0000L, 5000, 4, SEG_DS, 0)),
                    exit(ExitImages.inoutStr(0x80, 1, false, true, 0x5000, 2, 0, 0, PROTECTED, FLAT, 2, 0x11,
                            0x0010_1000L, 904, 4, SEG_DS, 0)),
                    exit(ExitImages.hlt(0x5002, 2)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(io.count()).isEqualTo(StringIo.MAX_BATCH_BYTES);
            assertThat(io.value(4095)).isEqualTo(4095 & 0xff);
            io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(f.cpu(0).regs[RSI]).as("32-bit address size: zero-extended").isEqualTo(0x0010_1000L);
            assertThat(f.cpu(0).regs[RCX]).isEqualTo(904);
            assertThat(f.cpu(0).entries).as("restarted at the instruction").contains(0x5000L);
            assertThat(io.count()).isEqualTo(904);
            assertThat(io.value(0)).isEqualTo(4096 & 0xff);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[RCX]).isZero();
            assertThat(f.cpu(0).entries).endsWith(0x5002L);
        }
    }

    @Test
    void anElementStraddlingTwoUnrelatedPagesIsTranslatedPageByPage() {
        try (Fixture f = new Fixture(1)) {
            GuestMemory m = f.vm.memory();
            PageTables pt = new PageTables(m, 0x10000);
            pt.map4k(0x400000, 0x300000, PageTables.P);
            pt.map4k(0x401000, 0x100000, PageTables.P);
            m.writeShort(0x300ffe, (short) 0x2211);
            m.writeShort(0x100000, (short) 0x4433);
            m.writeInt(0x100002, 0x88776655);
            longMode(f.cpu(0));
            f.cpu(0).add(exit(ExitImages.inoutStr(0xcfc, 4, false, true, 0x1000, 3, pt.cr3(), 0, LONG, LEVEL4, 2,
                    CR0_PE_PG, 0x400ffe, 2, 8, SEG_DS, 0)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(io.count()).isEqualTo(2);
            assertThat(io.value(0)).isEqualTo(0x44332211);
            assertThat(io.value(1)).isEqualTo(0x88776655);
        }
    }

    @Test
    void aPageFaultOnTheFirstElementIsInjectedAndTheVmmSeesNothing() {
        try (Fixture f = new Fixture(1)) {
            PageTables pt = new PageTables(f.vm.memory(), 0x10000);
            pt.map4k(0x400000, 0x300000, PageTables.P | PageTables.RW);
            longMode(f.cpu(0));
            f.cpu(0).add(exit(ExitImages.inoutStr(0x60, 1, true, true, 0x1000, 2, pt.cr3(), 0, LONG, LEVEL4, 2,
                    CR0_PE_PG, 0x500000, 8, 8, SEG_ES, 0)), exit(ExitImages.hlt(0x1000, 2)));
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[CR2]).isEqualTo(0x500000);
            assertThat(f.api.calls).contains("vm_inject_exception(0, 14, true, 0x2, true)"); // not present, write
            assertThat(f.cpu(0).entries).as("the ins restarts to take the #PF").endsWith(0x1000L);
        }
    }

    @Test
    void aFaultFurtherOnShortensTheBatchAndTheRestFaultsOnItsOwnLater() {
        try (Fixture f = new Fixture(1)) {
            PageTables pt = new PageTables(f.vm.memory(), 0x10000);
            pt.map4k(0x400000, 0x300000, PageTables.P | PageTables.RW);
            longMode(f.cpu(0));
            f.cpu(0).add(exit(ExitImages.inoutStr(0x60, 4, true, true, 0x1000, 2, pt.cr3(), 0, LONG, LEVEL4, 2,
                    CR0_PE_PG, 0x400ff4, 8, 8, SEG_ES, 0)), exit(ExitImages.hlt(0x1000, 2)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(io.count()).isEqualTo(3);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[RCX]).isEqualTo(5);
            assertThat(f.cpu(0).regs[RDI]).isEqualTo(0x401000);
            assertThat(f.cpu(0).entries).endsWith(0x1000L);
            assertThat(f.api.calls).noneMatch(c -> c.startsWith("vm_inject_exception"));
        }
    }

    @Test
    void nonCanonicalIsGpAndMisalignedUserAccessWithAcIsAc() {
        try (Fixture f = new Fixture(1)) {
            PageTables pt = new PageTables(f.vm.memory(), 0x10000);
            pt.map4k(0x400000, 0x300000, PageTables.P | PageTables.RW | PageTables.US);
            longMode(f.cpu(0));
            f.cpu(0).add(exit(ExitImages.inoutStr(0x60, 1, true, false, 0x1000, 2, pt.cr3(), 0, LONG, LEVEL4, 2,
                            CR0_PE_PG, 0x0000_8000_0000_0000L, 1, 8, SEG_ES, 0)),
                    exit(ExitImages.inoutStr(0x60, 4, true, false, 0x1000, 2, pt.cr3(), 3, LONG, LEVEL4,
                            2 | 1L << 18 /* AC */, CR0_PE_PG | 1L << 18 /* AM */, 0x400001, 1, 8, SEG_ES, 0)),
                    exit(ExitImages.hlt(0x1000, 2)));
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.api.calls).containsSubsequence("vm_inject_exception(0, 13, true, 0x0, true)",
                    "vm_inject_exception(0, 17, true, 0x0, true)");
        }
    }

    @Test
    void stringIoToMemoryThatIsNotRamIsAnInternalError() {
        try (Fixture f = new Fixture(1)) {
            f.cpu(0).add(exit(ExitImages.inoutStr(0x60, 1, true, true, 0x1000, 2, 0, 0, PROTECTED, FLAT, 2, 0x11,
                    0xd000_0000L, 4, 4, SEG_ES, 0)));
            VmExit e = f.vcpu(0).run();
            assertThat(e).isInstanceOfSatisfying(VmExit.InternalError.class, ie -> {
                assertThat(ie.suberror()).isEqualTo(1);
                assertThat(ie.data()).startsWith(0x60, 0x1000, 0xd000_0000L);
            });
            assertThat(f.vcpu(0).lastFailure()).contains("is not guest RAM");
        }
    }

    @Test
    void aZeroCountDoesNothingAndANonRepStringIgnoresRcx() {
        try (Fixture f = new Fixture(1)) {
            f.vm.memory().writeShort(0x2000, (short) 0x5a5a);
            f.cpu(0).regs[RCX] = 77;
            f.cpu(0).add(exit(ExitImages.inoutStr(0x60, 1, true, true, 0x1000, 2, 0, 0, PROTECTED, FLAT, 2, 0x11,
                            0x2000, 0, 4, SEG_ES, 0)),
                    exit(ExitImages.inoutStr(0x60, 2, false, false, 0x1002, 2, 0, 0, PROTECTED, FLAT, 2, 0x11,
                            0x2000, 1, 4, SEG_DS, 0)),
                    exit(ExitImages.hlt(0x1004, 2)));
            VmExit.PortIo io = (VmExit.PortIo) f.vcpu(0).run();
            assertThat(io.count()).isEqualTo(1);
            assertThat(io.value()).isEqualTo(0x5a5a);
            assertThat(f.vcpu(0).run()).isInstanceOf(VmExit.Halt.class);
            assertThat(f.cpu(0).regs[RSI]).isEqualTo(0x2002);
            assertThat(f.cpu(0).regs[RCX]).isEqualTo(77);
            assertThat(f.cpu(0).entries).containsExactly(0xfff0L, 0x1002L, 0x1004L);
        }
    }
}
