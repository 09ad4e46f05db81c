package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.linux.kvm.kvm_h;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.state.KernelState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The VM-wide kernel state of a KVM VM: PICs, IOAPIC, PIT and kvmclock as blobs, saved and restored. */
@RequiresKvm
class KvmKernelStateTest {
    /** kvm_pit_state2: three 24-byte channels; count_load_time (s64) at byte 16 of each. */
    private static final int PIT_CHANNEL_BYTES = 24, PIT_COUNT_LOAD_TIME = 16;
    /** kvm_ioapic_state: redirtbl[24] of u64 from byte 24. */
    private static final int IOAPIC_REDIRTBL = 24;
    /** kvm_pic_state: imr at byte 2, irq_base at byte 5. */
    private static final int PIC_IMR = 2, PIC_IRQ_BASE = 5;
    /** kvm_clock_data: clock at 0, flags at 8, realtime at 16, host_tsc at 24. */
    private static final int CLOCK_FLAGS = 8;

    private Hypervisor hv;
    private VirtualMachine vm;

    @BeforeEach
    void create() {
        hv = Hypervisor.open();
        vm = hv.createVm(VmConfig.of("kstate", 1, 16L << 20));
    }

    @AfterEach
    void destroy() {
        vm.close();
        hv.close();
    }

    private static Map<String, KernelState> byName(List<KernelState> l) {
        return l.stream().collect(Collectors.toMap(KernelState::name, Function.identity()));
    }

    private static long clock(KernelState k) {
        return ByteBuffer.wrap(k.data()).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static int clockFlags(KernelState k) {
        return ByteBuffer.wrap(k.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(CLOCK_FLAGS);
    }

    /** The PIT blob without the three count_load_time fields (host time, reset by every KVM_SET_PIT2). */
    private static byte[] pitWithoutLoadTimes(KernelState pit) {
        byte[] d = pit.data();
        for (int ch = 0; ch < 3; ch++) {
            Arrays.fill(d, ch * PIT_CHANNEL_BYTES + PIT_COUNT_LOAD_TIME, ch * PIT_CHANNEL_BYTES + PIT_COUNT_LOAD_TIME + 8,
                    (byte) 0);
        }
        return d;
    }

    private static KernelState with(KernelState k, byte[] data) {
        return new KernelState(k.name(), k.version(), data, k.producer());
    }

    @Test
    void savesTheFiveBlobsWithTheirSizesAndTheKernelRelease() throws Exception {
        List<KernelState> saved = vm.saveKernelState();
        assertThat(saved).extracting(KernelState::name).containsExactly(KvmKernelState.PIC_MASTER,
                KvmKernelState.PIC_SLAVE, KvmKernelState.IOAPIC, KvmKernelState.PIT, KvmKernelState.CLOCK);
        assertThat(saved).extracting(KernelState::size).containsExactly(512, 512, 512, 112, 48);
        assertThat(saved).extracting(KernelState::version).containsOnly(1);
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        assertThat(saved).extracting(KernelState::producer).containsOnly("kvm " + release);
        // the IOAPIC sits at its architectural address
        ByteBuffer ioapic = ByteBuffer.wrap(byName(saved).get(KvmKernelState.IOAPIC).data()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(ioapic.getLong(0)).isEqualTo(0xfec00000L);
    }

    @Test
    void saveRestoreSaveInTheSameVmGivesTheSameBytes() {
        List<KernelState> first = vm.saveKernelState();
        vm.restoreKernelState(first);
        Map<String, KernelState> a = byName(first), b = byName(vm.saveKernelState());
        for (String chip : List.of(KvmKernelState.PIC_MASTER, KvmKernelState.PIC_SLAVE, KvmKernelState.IOAPIC)) {
            assertThat(b.get(chip)).as(chip).isEqualTo(a.get(chip));
        }
        assertThat(pitWithoutLoadTimes(b.get(KvmKernelState.PIT))).isEqualTo(pitWithoutLoadTimes(a.get(KvmKernelState.PIT)));
        // The clock's value goes on from the saved one. Its flags, realtime and host_tsc describe the host at
        // the moment of the read (KVM_CLOCK_TSC_STABLE, for one, appears once KVM uses its master clock,
        // which KVM_SET_CLOCK itself switches on), not guest state, and restore does not write them.
        int hostFlags = kvm_h.KVM_CLOCK_TSC_STABLE | kvm_h.KVM_CLOCK_REALTIME | kvm_h.KVM_CLOCK_HOST_TSC;
        assertThat(clockFlags(b.get(KvmKernelState.CLOCK)) & ~hostFlags).as("no flags but the host ones").isZero();
        long c1 = clock(a.get(KvmKernelState.CLOCK)), c2 = clock(b.get(KvmKernelState.CLOCK));
        assertThat(c2).isGreaterThanOrEqualTo(c1).isLessThan(c1 + 2_000_000_000L);
    }

    @Test
    void restoredBlobsTakeEffectInAFreshVm() {
        Map<String, KernelState> saved = byName(vm.saveKernelState());
        // Program the controllers through their blobs: IOAPIC pin 10 -> vector 0x30 (edge, unmasked, APIC
        // ID 0), master PIC at vector base 0x20 with IRQ 2 unmasked, PIT channel 2 (the speaker channel,
        // which raises no interrupt) with count 0x1234 in mode 2.
        byte[] ioapic = saved.get(KvmKernelState.IOAPIC).data();
        ByteBuffer.wrap(ioapic).order(ByteOrder.LITTLE_ENDIAN).putLong(IOAPIC_REDIRTBL + 10 * 8, 0x30L);
        byte[] pic = saved.get(KvmKernelState.PIC_MASTER).data();
        pic[PIC_IMR] = (byte) 0xfb;
        pic[PIC_IRQ_BASE] = 0x20;
        byte[] pit = saved.get(KvmKernelState.PIT).data();
        ByteBuffer p = ByteBuffer.wrap(pit).order(ByteOrder.LITTLE_ENDIAN);
        int ch2 = 2 * PIT_CHANNEL_BYTES;
        p.putInt(ch2, 0x1234);        // count
        p.put(ch2 + 10, (byte) 3);    // rw_mode: lsb then msb
        p.put(ch2 + 11, (byte) 2);    // mode 2, rate generator
        // and a guest clock that has been running for an hour
        long hour = 3_600_000_000_000L;
        byte[] clock = saved.get(KvmKernelState.CLOCK).data();
        ByteBuffer.wrap(clock).order(ByteOrder.LITTLE_ENDIAN).putLong(0, hour);
        List<KernelState> patched = List.of(with(saved.get(KvmKernelState.PIT), pit),
                with(saved.get(KvmKernelState.IOAPIC), ioapic), with(saved.get(KvmKernelState.PIC_MASTER), pic),
                with(saved.get(KvmKernelState.CLOCK), clock), saved.get(KvmKernelState.PIC_SLAVE));

        try (VirtualMachine fresh = hv.createVm(VmConfig.of("kstate-fresh", 1, 16L << 20))) {
            fresh.restoreKernelState(patched); // any order: the backend sorts
            Map<String, KernelState> back = byName(fresh.saveKernelState());
            assertThat(back.get(KvmKernelState.IOAPIC).data()).isEqualTo(ioapic);
            assertThat(back.get(KvmKernelState.PIC_MASTER).data()).isEqualTo(pic);
            ByteBuffer q = ByteBuffer.wrap(back.get(KvmKernelState.PIT).data()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(q.getInt(2 * PIT_CHANNEL_BYTES)).isEqualTo(0x1234);
            assertThat(q.get(2 * PIT_CHANNEL_BYTES + 11)).isEqualTo((byte) 2);
            assertThat(pitWithoutLoadTimes(back.get(KvmKernelState.PIT))).isEqualTo(
                    pitWithoutLoadTimes(with(saved.get(KvmKernelState.PIT), pit)));
            // the fresh VM's clock now continues from the restored value, not from its own start
            assertThat(clock(back.get(KvmKernelState.CLOCK))).isBetween(hour, hour + 2_000_000_000L);
        }
    }

    @Test
    void theClockContinuesFromTheCheckpointInsteadOfJumping() throws Exception {
        KernelState clock = byName(vm.saveKernelState()).get(KvmKernelState.CLOCK);
        Thread.sleep(300); // the VM is "stopped" for 300 ms
        vm.restoreKernelState(List.of(clock));
        long after = clock(byName(vm.saveKernelState()).get(KvmKernelState.CLOCK));
        long saved = clock(clock);
        assertThat(after - saved).as("guest ns passed across the restore").isGreaterThanOrEqualTo(0)
                .isLessThan(250_000_000L);
    }

    @Test
    void aVmWithoutTheIrqchipHasOnlyTheClock() {
        try (VirtualMachine bare = hv.createVm(VmConfig.of("kstate-bare", 1, 16L << 20).withKernelIrqchip(false))) {
            List<KernelState> saved = bare.saveKernelState();
            assertThat(saved).extracting(KernelState::name).containsExactly(KvmKernelState.CLOCK);
            bare.restoreKernelState(saved);
            KernelState ioapic = byName(vm.saveKernelState()).get(KvmKernelState.IOAPIC);
            assertThatThrownBy(() -> bare.restoreKernelState(List.of(ioapic)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'kvm.irqchip.ioapic'").hasMessageContaining("no in-kernel irqchip");
        }
    }

    @Test
    void wrongSizesUnknownNamesVersionsAndDuplicatesAreRefusedBeforeAnythingChanges() {
        Map<String, KernelState> saved = byName(vm.saveKernelState());
        KernelState pit = saved.get(KvmKernelState.PIT);
        KernelState pic = saved.get(KvmKernelState.PIC_MASTER);
        byte[] changedPic = pic.data();
        changedPic[PIC_IRQ_BASE] = 0x68;

        KernelState shortPit = with(pit, Arrays.copyOf(pit.data(), 100));
        assertThatThrownBy(() -> vm.restoreKernelState(List.of(with(pic, changedPic), shortPit)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot restore kernel state 'kvm.pit' (from " + pit.producer() + "): it is 100 bytes, "
                        + "struct kvm_pit_state2 is 112");
        assertThat(byName(vm.saveKernelState()).get(KvmKernelState.PIC_MASTER)).as("nothing applied")
                .isEqualTo(pic);

        KernelState longChip = with(pic, new byte[520]);
        assertThatThrownBy(() -> vm.restoreKernelState(List.of(longChip)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kvm.irqchip.pic-master'").hasMessageContaining("520 bytes")
                .hasMessageContaining("is 512");

        KernelState unknown = new KernelState("kvm.hpet", 1, new byte[16], pit.producer());
        assertThatThrownBy(() -> vm.restoreKernelState(List.of(unknown)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kvm.hpet'").hasMessageContaining("unknown name")
                .hasMessageContaining("kvm.irqchip.pic-master, kvm.irqchip.pic-slave, kvm.irqchip.ioapic, kvm.pit, kvm.clock");

        KernelState v2 = new KernelState(KvmKernelState.PIT, 2, pit.data(), pit.producer());
        assertThatThrownBy(() -> vm.restoreKernelState(List.of(v2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");

        List<KernelState> twice = new ArrayList<>(List.of(pit, pit));
        assertThatThrownBy(() -> vm.restoreKernelState(twice))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kvm.pit' is given twice");
    }
}
