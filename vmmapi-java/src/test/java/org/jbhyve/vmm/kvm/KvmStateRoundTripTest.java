package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.*;
import org.jbhyve.vmm.state.*;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every piece of vCPU and VM state goes into KVM and comes back unchanged. */
@RequiresKvm
class KvmStateRoundTripTest {
    private Hypervisor hv;
    private VirtualMachine vm;
    private Vcpu cpu;

    @BeforeEach
    void create() {
        hv = Hypervisor.open();
        vm = hv.createVm(VmConfig.of("state", 2, 16L << 20));
        cpu = vm.vcpu(0);
    }

    @AfterEach
    void destroy() {
        vm.close();
        hv.close();
    }

    @Test
    void generalRegisters() {
        long[] values = new long[18];
        for (int i = 0; i < 17; i++) values[i] = 0x0101010101010101L * (i + 1);
        values[17] = 0x202; // RFLAGS with IF
        Registers r = Registers.fromArray(values);
        cpu.setRegisters(r);
        assertThat(cpu.getRegisters()).isEqualTo(r);
    }

    @Test
    void segmentAndControlRegisters() {
        SpecialRegisters s = cpu.getSpecialRegisters()
                .withSegments(Segment.code64(0x08), Segment.data(0x10), Segment.tss(0x1000, 0x67, 0x20),
                        Segment.unusableLdt())
                .withTables(new DescriptorTable(0x500, 47), new DescriptorTable(0x3000, 0xfff))
                .withControl(SpecialRegisters.CR0_PE | SpecialRegisters.CR0_PG | SpecialRegisters.CR0_ET
                                | SpecialRegisters.CR0_NE, 0x20000, SpecialRegisters.CR4_PAE,
                        SpecialRegisters.EFER_LME | SpecialRegisters.EFER_LMA | SpecialRegisters.EFER_SCE);
        cpu.setSpecialRegisters(s);
        SpecialRegisters back = cpu.getSpecialRegisters();
        assertThat(back.cs()).isEqualTo(s.cs());
        assertThat(back.ds().selector()).isEqualTo(0x10);
        assertThat(back.gdt()).isEqualTo(s.gdt());
        assertThat(back.idt()).isEqualTo(s.idt());
        assertThat(back.cr3()).isEqualTo(0x20000);
        assertThat(back.cr4()).isEqualTo(SpecialRegisters.CR4_PAE);
        assertThat(back.efer()).isEqualTo(s.efer());
        assertThat(back.cr0() & SpecialRegisters.CR0_PG).isNotZero();
    }

    @Test
    void msrsIncludingTscBeforeDeadline() {
        Map<Integer, Long> set = new LinkedHashMap<>();
        set.put(0xc0000081, 0x0023001000000000L); // STAR
        set.put(0xc0000082, 0xffffffff81000000L); // LSTAR
        set.put(0xc0000102, 0x1234000L);          // KERNEL_GS_BASE
        set.put(0x174, 0x10L);                    // SYSENTER_CS
        cpu.setMsrs(set);
        assertThat(cpu.getMsrs(0xc0000081, 0xc0000082, 0xc0000102, 0x174)).isEqualTo(set);
        // every MSR the backend says a save needs can be read and written back
        Map<Integer, Long> saved = cpu.getMsrs(cpu.savedMsrIndices());
        assertThat(saved).containsKeys(0x10, 0x6e0);
        cpu.setMsrs(saved);
    }

    @Test
    void anUnknownMsrFailsWithItsNumber() {
        assertThatThrownBy(() -> cpu.setMsrs(Map.of(0x12345678, 1L)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("KVM_SET_MSRS").hasMessageContaining("0x12345678");
    }

    @Test
    void fpuXsaveAndXcrs() {
        FpuState f = cpu.getFpu();
        cpu.setFpu(new FpuState(f.fpr(), 0x27f, f.fsw(), f.ftwx(), f.lastOpcode(), f.lastIp(), f.lastDp(), f.xmm(),
                f.mxcsr()));
        assertThat(cpu.getFpu().fcw()).isEqualTo(0x27f);

        // XSAVE is the authoritative FPU/SSE/AVX state on KVM (KVM_GET_FPU does not report MXCSR on
        // every kernel): change MXCSR and XMM0 in the legacy region, mark SSE present, read it back.
        byte[] xsave = cpu.getXsave();
        assertThat(xsave.length).isGreaterThanOrEqualTo(4096);
        ByteBuffer b = ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(24, 0x1fc0);
        b.put(160, (byte) 0x5a);
        b.putLong(512, b.getLong(512) | 3); // XSTATE_BV: x87 | SSE
        cpu.setXsave(xsave);
        ByteBuffer back = ByteBuffer.wrap(cpu.getXsave()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(back.getInt(24)).isEqualTo(0x1fc0);
        assertThat(back.get(160)).isEqualTo((byte) 0x5a);
        assertThatThrownBy(() -> cpu.setXsave(new byte[100])).hasMessageContaining("XSAVE area is");

        Map<Integer, Long> xcrs = cpu.getXcrs();
        assertThat(xcrs).containsKey(0);
        assertThat(xcrs.get(0) & 1).as("XCR0.x87 is always set").isEqualTo(1);
        cpu.setXcrs(xcrs);
        assertThat(cpu.getXcrs()).isEqualTo(xcrs);
    }

    @Test
    void lapicPageEventsAndMpState() {
        byte[] lapic = cpu.getLapic();
        assertThat(lapic).hasSize(1024);
        assertThat(lapic[0x20 + 3]).as("APIC ID of vCPU 0").isZero();
        assertThat(vm.vcpu(1).getLapic()[0x20 + 3]).as("APIC ID of vCPU 1").isEqualTo((byte) 1);
        lapic[0x80] = 0x20; // TPR
        cpu.setLapic(lapic);
        assertThat(cpu.getLapic()[0x80]).isEqualTo((byte) 0x20);

        VcpuEvents ev = cpu.getEvents();
        VcpuEvents withNmi = new VcpuEvents(false, 0, false, false, 0, false, 0, false, 0, false, true, true,
                ev.sipiVector(), false, false, false, false, false, false, 0);
        cpu.setEvents(withNmi);
        VcpuEvents back = cpu.getEvents();
        assertThat(back.nmiPending()).isTrue();
        assertThat(back.nmiMasked()).isTrue();

        assertThat(cpu.getMpState()).isEqualTo(MpState.RUNNABLE);
        assertThat(vm.vcpu(1).getMpState()).as("APs wait for INIT/SIPI").isEqualTo(MpState.UNINITIALIZED);
        vm.vcpu(1).setMpState(MpState.RUNNABLE);
        assertThat(vm.vcpu(1).getMpState()).isEqualTo(MpState.RUNNABLE);
    }

    @Test
    void cpuidCarriesEachVcpusApicIdAndTheHypervisorBit() {
        List<CpuidEntry> c0 = cpu.getCpuid(), c1 = vm.vcpu(1).getCpuid();
        CpuidEntry leaf1cpu0 = c0.stream().filter(e -> e.function() == 1).findFirst().orElseThrow();
        CpuidEntry leaf1cpu1 = c1.stream().filter(e -> e.function() == 1).findFirst().orElseThrow();
        assertThat(leaf1cpu0.ebx() >>> 24).isZero();
        assertThat(leaf1cpu1.ebx() >>> 24).isEqualTo(1);
        assertThat(leaf1cpu0.ecx() & (1 << 31)).as("hypervisor present").isNotZero();
        cpu.setCpuid(c0);
        assertThat(cpu.getCpuid()).isEqualTo(c0);
    }

    @Test
    void guestMemoryIsSharedWithTheGuestAndBoundsChecked() {
        GuestMemory mem = vm.memory();
        assertThat(mem.size()).isEqualTo(16L << 20);
        mem.writeLong(0x1000, 0x1122334455667788L);
        assertThat(mem.readInt(0x1004)).isEqualTo(0x11223344);
        assertThatThrownBy(() -> mem.readLong((16L << 20) - 4)).isInstanceOf(GuestMemoryException.class);
        assertThatThrownBy(() -> mem.slice(-1, 2)).isInstanceOf(GuestMemoryException.class);
        assertThat(((KvmVm) vm).memoryFd()).as("memfd-backed by default").isPositive();
    }

    @Test
    void irqLinesAndMsiReachTheKernel() {
        vm.assertIrq(5);
        vm.deassertIrq(5);
        vm.pulseIrq(16);
        vm.sendMsi(0xfee00000L, 0x30);
        assertThat(vm.irqLineCount()).isEqualTo(24);
        assertThatThrownBy(() -> vm.assertIrq(24)).isInstanceOf(IllegalArgumentException.class);
        assertThat(vm.kernelDevices()).contains(PlatformDevice.LAPIC, PlatformDevice.IOAPIC, PlatformDevice.PIT_8254);
    }

    @Test
    void romMappingsAreReadOnlyOutsideRam() {
        var rom = vm.mapMemory("rom", 0xfff00000L, 0x100000, true);
        assertThat(rom.byteSize()).isEqualTo(0x100000);
        assertThatThrownBy(() -> vm.mapMemory("overlap", 0x1000, 0x1000, false))
                .hasMessageContaining("overlaps RAM");
        assertThatThrownBy(() -> vm.mapMemory("again", 0xfff00000L, 0x1000, false))
                .hasMessageContaining("overlaps another mapping");
    }
}
