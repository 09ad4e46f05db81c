package org.jbhyve.vmm.x86;

import org.jbhyve.vmm.x86.TestMachine.PageTables;
import org.jbhyve.vmm.x86.TestMachine.Ram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.vmm.x86.AccessType.EXECUTE;
import static org.jbhyve.vmm.x86.AccessType.READ;
import static org.jbhyve.vmm.x86.AccessType.WRITE;
import static org.jbhyve.vmm.x86.TestMachine.A;
import static org.jbhyve.vmm.x86.TestMachine.D;
import static org.jbhyve.vmm.x86.TestMachine.P;
import static org.jbhyve.vmm.x86.TestMachine.RW;
import static org.jbhyve.vmm.x86.TestMachine.US;
import static org.jbhyve.vmm.x86.TestMachine.XD;
import static org.jbhyve.vmm.x86.Translation.PageFault.FETCH;
import static org.jbhyve.vmm.x86.Translation.PageFault.RSVD;
import static org.jbhyve.vmm.x86.Translation.PageFault.USER;

class PageWalkerTest {
    private static final int PF_P = Translation.PageFault.P, PF_W = Translation.PageFault.WRITE;

    private final Ram ram = new Ram(1L << 32);

    private static Translation mapped(long gpa, long size) {
        return new Translation.Mapped(gpa, size);
    }

    private static Translation pf(long linear, int code) {
        return new Translation.PageFault(linear, code);
    }

    private static PagingState st(PageTables pt, int cpl, boolean wp, boolean nxe, boolean smep, boolean smap, boolean ac) {
        return new PagingState(pt.mode, pt.cr3(), cpl, wp, nxe, true, smep, smap, ac);
    }

    @Test
    void fourLevelMapsSmallAndLargePagesWithOffsets() {
        PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
        pt.map4k(0x7fff_1234_5000L, 0x9000, P | RW);
        pt.map(0x4000_0000L, 0x8000_0000L, 1L << 30, P | RW);
        pt.map(0x20_0000L, 0x60_0000L, 1L << 21, P | RW);
        pt.map4k(0xffff_8000_0000_0000L, 0xa000, P);
        PageWalker w = new PageWalker(ram);
        PagingState s = pt.state(0);
        assertThat(w.translate(s, 0x7fff_1234_5abcL, READ)).isEqualTo(mapped(0x9abc, 4096));
        assertThat(w.translate(s, 0x4123_4567L, READ)).isEqualTo(mapped(0x8123_4567L, 1L << 30));
        assertThat(w.translate(s, 0x2f_ffffL, WRITE)).isEqualTo(mapped(0x6f_ffffL, 1L << 21));
        assertThat(w.translate(s, 0xffff_8000_0000_0008L, READ)).isEqualTo(mapped(0xa008, 4096));
        assertThat(w.translate(s, 0x1000, READ)).isEqualTo(pf(0x1000, 0));
        assertThat(w.translate(s, 0x1000, WRITE)).isEqualTo(pf(0x1000, PF_W));
        assertThat(w.translate(pt.state(3), 0x1000, READ)).isEqualTo(pf(0x1000, USER));
    }

    @Test
    void nonCanonicalAddressesAreReported() {
        PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
        PageWalker w = new PageWalker(ram);
        assertThat(w.translate(pt.state(0), 0x0000_8000_0000_0000L, READ))
                .isEqualTo(new Translation.NonCanonical(0x0000_8000_0000_0000L));
        assertThat(w.translate(pt.state(0), 0xfff0_0000_0000_0000L, READ)).isInstanceOf(Translation.NonCanonical.class);
    }

    @Test
    void fiveLevelUsesBits56To48() {
        PageTables pt = new PageTables(ram, PagingMode.LEVEL5, 0x100000);
        pt.map4k(0x00ff_0000_0000_1000L, 0x5000, P | RW);
        PageWalker w = new PageWalker(ram);
        assertThat(w.translate(pt.state(0), 0x00ff_0000_0000_1010L, READ)).isEqualTo(mapped(0x5010, 4096));
        assertThat(w.translate(pt.state(0), 0x0100_0000_0000_0000L, READ)).isInstanceOf(Translation.NonCanonical.class);
    }

    @Test
    void writeProtectionUserAndSupervisor() {
        PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
        pt.map4k(0x1000, 0x1000, P | US);        // user, read-only
        pt.map4k(0x2000, 0x2000, P | RW);        // supervisor, writable
        PageWalker w = new PageWalker(ram);
        // supervisor write to a read-only page: faults only with CR0.WP
        assertThat(w.translate(st(pt, 0, true, true, false, false, false), 0x1000, WRITE)).isEqualTo(pf(0x1000, PF_P | PF_W));
        assertThat(w.translate(st(pt, 0, false, true, false, false, false), 0x1000, WRITE)).isEqualTo(mapped(0x1000, 4096));
        // user write to a read-only page always faults
        assertThat(w.translate(st(pt, 3, false, true, false, false, false), 0x1000, WRITE))
                .isEqualTo(pf(0x1000, PF_P | PF_W | USER));
        assertThat(w.translate(pt.state(3), 0x1000, READ)).isEqualTo(mapped(0x1000, 4096));
        // user access to a supervisor page
        assertThat(w.translate(pt.state(3), 0x2000, READ)).isEqualTo(pf(0x2000, PF_P | USER));
        assertThat(w.translate(pt.state(0), 0x2000, WRITE)).isEqualTo(mapped(0x2000, 4096));
    }

    @Test
    void rightsCombineOverAllLevels() {
        PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
        pt.upperFlags = P | US;                  // upper levels read-only
        pt.map4k(0x3000, 0x3000, P | RW | US);
        PageWalker w = new PageWalker(ram);
        assertThat(w.translate(pt.state(3), 0x3000, WRITE)).isEqualTo(pf(0x3000, PF_P | PF_W | USER));
        assertThat(w.translate(pt.state(3), 0x3000, READ)).isEqualTo(mapped(0x3000, 4096));
    }

    @Test
    void executeDisableSmepAndSmap() {
        PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
        pt.map4k(0x4000, 0x4000, P | RW | XD);
        pt.map4k(0x5000, 0x5000, P | RW | US);
        PageWalker w = new PageWalker(ram);
        assertThat(w.translate(st(pt, 0, true, true, false, false, false), 0x4000, EXECUTE))
                .isEqualTo(pf(0x4000, PF_P | FETCH));
        assertThat(w.translate(st(pt, 0, true, true, false, false, false), 0x4000, READ)).isEqualTo(mapped(0x4000, 4096));
        // without EFER.NXE the XD bit is not honoured (and fetch faults do not set I/D)
        assertThat(w.translate(st(pt, 0, true, false, false, false, false), 0x4000, EXECUTE)).isEqualTo(mapped(0x4000, 4096));
        assertThat(w.translate(st(pt, 0, true, true, true, false, false), 0x5000, EXECUTE))
                .isEqualTo(pf(0x5000, PF_P | FETCH));
        assertThat(w.translate(st(pt, 0, true, true, false, true, false), 0x5000, READ)).isEqualTo(pf(0x5000, PF_P));
        assertThat(w.translate(st(pt, 0, true, true, false, true, true), 0x5000, READ)).isEqualTo(mapped(0x5000, 4096));
        assertThat(w.translate(st(pt, 3, true, true, true, true, false), 0x5000, READ)).isEqualTo(mapped(0x5000, 4096));
    }

    @Test
    void accessedAndDirtyBitsAreSet() {
        PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
        pt.map4k(0x6000, 0x6000, P | RW);
        PageWalker w = new PageWalker(ram);
        long pml4e = pt.cr3();
        long pte = leafAddress(pt.cr3(), 0x6000);
        assertThat(ram.readLong(pte) & (A | D)).isZero();
        w.translate(pt.state(0), 0x6000, READ);
        assertThat(ram.readLong(pml4e) & A).isEqualTo(A);
        assertThat(ram.readLong(pte) & (A | D)).isEqualTo(A);
        w.translate(pt.state(0), 0x6000, WRITE);
        assertThat(ram.readLong(pte) & (A | D)).isEqualTo(A | D);
        // a faulting walk changes nothing, and so does a walker told not to
        pt.map4k(0x7000, 0x7000, P);
        long pte7 = leafAddress(pt.cr3(), 0x7000);
        w.translate(pt.state(3), 0x7000, READ);
        assertThat(ram.readLong(pte7) & A).isZero();
        new PageWalker(ram, false).translate(pt.state(0), 0x7000, READ);
        assertThat(ram.readLong(pte7) & A).isZero();
    }

    private long leafAddress(long cr3, long linear) {
        long table = cr3;
        for (int level = 4; level > 1; level--) {
            long e = ram.readLong(table + ((linear >>> (12 + 9 * (level - 1))) & 511) * 8);
            table = e & 0x000f_ffff_ffff_f000L;
        }
        return table + ((linear >>> 12) & 511) * 8;
    }

    @Test
    void aRaceOnTheAccessedBitRestartsTheWalk() {
        PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
        pt.map4k(0x6000, 0x6000, P | RW);
        int[] failures = {1};
        GuestMemoryAccess flaky = new GuestMemoryAccess() {
            @Override public boolean isRam(long gpa, long length) { return ram.isRam(gpa, length); }
            @Override public long read(long gpa, int size) { return ram.read(gpa, size); }
            @Override public void write(long gpa, int size, long value) { ram.write(gpa, size, value); }
            @Override public boolean compareAndSet(long gpa, int size, long expected, long update) {
                if (failures[0]-- > 0) return false;
                return ram.compareAndSet(gpa, size, expected, update);
            }
        };
        assertThat(new PageWalker(flaky).translate(pt.state(0), 0x6000, READ)).isEqualTo(mapped(0x6000, 4096));
        failures[0] = Integer.MAX_VALUE;
        pt.map4k(0x8000, 0x8000, P | RW);
        assertThat(new PageWalker(flaky).translate(pt.state(0), 0x8000, READ)).isInstanceOf(Translation.Failed.class);
    }

    @Test
    void tablesOutsideRamFailAndReservedLargePagesFault() {
        PagingState s = PagingState.of(PagingMode.LEVEL4, 0x2_0000_0000L, 0);
        Translation t = new PageWalker(ram).translate(s, 0x1000, READ);
        assertThat(t).isInstanceOf(Translation.Failed.class);
        assertThat(((Translation.Failed) t).reason()).contains("outside guest RAM");

        PageTables pt = new PageTables(ram, PagingMode.LEVEL4, 0x100000);
        ram.write(pt.cr3(), 8, 0x200000 | P | RW | TestMachine.PS); // PS in a PML4E is reserved
        assertThat(new PageWalker(ram).translate(pt.state(0), 0x1000, READ)).isEqualTo(pf(0x1000, PF_P | RSVD));
    }

    @Test
    void paePaging() {
        PageTables pt = new PageTables(ram, PagingMode.PAE, 0x100000);
        pt.map4k(0xc000_1000L, 0x1234_5000L, P | RW);
        pt.map(0x4020_0000L, 0x8_0060_0000L, 1L << 21, P | RW | XD);
        PageWalker w = new PageWalker(ram);
        PagingState s = pt.state(0);
        assertThat(w.translate(s, 0xc000_1ff0L, READ)).isEqualTo(mapped(0x1234_5ff0L, 4096));
        assertThat(w.translate(s, 0x4021_0000L, READ)).isEqualTo(mapped(0x8_0061_0000L, 1L << 21));
        assertThat(w.translate(s, 0x4021_0000L, EXECUTE)).isEqualTo(pf(0x4021_0000L, PF_P | FETCH));
        assertThat(w.translate(s, 0x8000_0000L, READ)).isEqualTo(pf(0x8000_0000L, 0)); // PDPTE 2 not present
        // linear addresses are 32 bits wide
        assertThat(w.translate(s, 0x1_c000_1000L, READ)).isEqualTo(mapped(0x1234_5000L, 4096));
    }

    @Test
    void thirtyTwoBitPaging() {
        PageTables pt = new PageTables(ram, PagingMode.BITS32, 0x100000);
        pt.map4k(0xc000_1000L, 0x0abc_d000L, P | RW);
        pt.map(0x0040_0000L, 0x3_8080_0000L, 1L << 22, P | RW);   // PSE-36: bits 39:32 = 3
        PageWalker w = new PageWalker(ram);
        PagingState s = new PagingState(PagingMode.BITS32, pt.cr3(), 0, true, false, true, false, false, false);
        assertThat(w.translate(s, 0xc000_1004L, WRITE)).isEqualTo(mapped(0x0abc_d004L, 4096));
        assertThat(w.translate(s, 0x0041_2345L, READ)).isEqualTo(mapped(0x3_8081_2345L, 1L << 22));
        // with CR4.PSE clear, PDE.PS is ignored: the PDE points to a page table
        PagingState noPse = new PagingState(PagingMode.BITS32, pt.cr3(), 0, true, false, false, false, false, false);
        long pde = ram.read(pt.cr3() + 1 * 4, 4);
        long table = pde & 0xffff_f000L;
        ram.write(table + 0x12 * 4, 4, 0x0777_7000L | P);
        assertThat(w.translate(noPse, 0x0041_2345L, READ)).isEqualTo(mapped(0x0777_7345L, 4096));
        assertThat(w.translate(s, 0x0080_0000L, READ)).isEqualTo(pf(0x0080_0000L, 0));
    }

    @Test
    void flatIsIdentityOver32Bits() {
        PageWalker w = new PageWalker(ram);
        assertThat(w.translate(PagingState.flat(), 0x1_2345_6789L, WRITE)).isEqualTo(mapped(0x2345_6789L, 1L << 32));
    }

    @Test
    void modeFromControlRegisters() {
        assertThat(PagingState.modeOf(0, 0, 0)).isEqualTo(PagingMode.FLAT);
        assertThat(PagingState.modeOf(PagingState.CR0_PG, 0, 0)).isEqualTo(PagingMode.BITS32);
        assertThat(PagingState.modeOf(PagingState.CR0_PG, PagingState.CR4_PAE, 0)).isEqualTo(PagingMode.PAE);
        assertThat(PagingState.modeOf(PagingState.CR0_PG, PagingState.CR4_PAE, PagingState.EFER_LMA)).isEqualTo(PagingMode.LEVEL4);
        assertThat(PagingState.modeOf(PagingState.CR0_PG, PagingState.CR4_PAE | PagingState.CR4_LA57, PagingState.EFER_LMA))
                .isEqualTo(PagingMode.LEVEL5);
        PagingState s = PagingState.fromRegisters(PagingMode.LEVEL4, 0x1000, 3, PagingState.CR0_WP,
                PagingState.CR4_SMAP | PagingState.CR4_SMEP, PagingState.EFER_NXE, PagingState.RFLAGS_AC);
        assertThat(s).isEqualTo(new PagingState(PagingMode.LEVEL4, 0x1000, 3, true, true, false, true, true, true));
    }
}
