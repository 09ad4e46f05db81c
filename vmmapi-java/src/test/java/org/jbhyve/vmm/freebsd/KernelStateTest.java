package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.state.KernelState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code VM_SNAPSHOT_REQ} and {@code VM_RESTORE_TIME} (shared/reference/freebsd-bhyve.md, section 1d): the
 * nine structs in bhyve's order, sizes from {@code buf_size - buf_rem}, E2BIG answered with a bigger buffer,
 * ENOTTY explained, blobs of another kernel refused before anything changes.
 */
class KernelStateTest {
    /** snapshot_req values in bhyve's snapshot_kern_structs[] order: vhpet, vm, vioapic, vlapic, vmcx, vatpit, vatpic, vpmtmr, vrtc. */
    static final int[] ORDER = {5, 2, 1, 3, 6, 8, 7, 9, 10};
    static final String[] NAMES = {"vhpet", "vm", "vioapic", "vlapic", "vmcx", "vatpit", "vatpic", "vpmtmr", "vrtc"};

    private static byte[] blob(int req, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (req * 31 + i);
        return b;
    }

    private static void kernelHas(Fixture f, int vlapicSize) {
        for (int req : ORDER) f.model.kernelBlobs.put(req, blob(req, req == 3 ? vlapicSize : 100 + req));
    }

    @Test
    void saveTakesTheNineStructsInBhyvesOrderSizedByBufRem() {
        try (Fixture f = new Fixture(2)) {
            kernelHas(f, 2 * 4200);
            List<KernelState> saved = f.vm.saveKernelState();
            assertThat(saved).extracting(KernelState::name).containsExactly("freebsd.vhpet", "freebsd.vm",
                    "freebsd.vioapic", "freebsd.vlapic", "freebsd.vmcx", "freebsd.vatpit", "freebsd.vatpic",
                    "freebsd.vpmtmr", "freebsd.vrtc");
            for (int i = 0; i < ORDER.length; i++) {
                assertThat(saved.get(i).data()).isEqualTo(f.model.kernelBlobs.get(ORDER[i]));
                assertThat(saved.get(i).version()).isEqualTo(FreeBsdKernelState.VERSION);
                assertThat(saved.get(i).producer()).isEqualTo("freebsd 15.0-RELEASE 1500068");
            }
            assertThat(f.model.snapshotOps).containsExactly(Arrays.stream(NAMES).map(n -> "save " + n).toArray(String[]::new));
        }
    }

    @Test
    void aStructBiggerThanTheBufferIsRetriedWithABiggerOne() {
        try (Fixture f = new Fixture(1)) {
            kernelHas(f, 3 * 1024 * 1024); // more than the first 1 MiB buffer
            List<KernelState> saved = f.vm.saveKernelState();
            assertThat(saved.get(3).size()).isEqualTo(3 * 1024 * 1024);
            assertThat(saved.get(3).data()).isEqualTo(f.model.kernelBlobs.get(3));
            assertThat(f.model.snapshotOps).containsSubsequence("save vioapic", "save vlapic", "save vlapic",
                    "save vlapic", "save vmcx");
        }
    }

    @Test
    void enottyMeansTheKernelLacksBhyveSnapshot() {
        FakeVmmapi api = new FakeVmmapi();
        api.snapshotSupport = false;
        try (Fixture f = new Fixture(api, 1, InstructionEmulation.x86())) {
            assertThatThrownBy(f.vm::saveKernelState).isInstanceOf(VmmException.class)
                    .hasMessage("VM_SNAPSHOT_REQ(SAVE vhpet) on vm 'test' failed: this FreeBSD kernel was built without"
                            + " options BHYVE_SNAPSHOT: see kernel-options/README.md");
            List<KernelState> blobs = List.of(new KernelState("freebsd.vrtc", 1, new byte[8], "freebsd 15.0-RELEASE 1500068"));
            assertThatThrownBy(() -> f.vm.restoreKernelState(blobs)).hasMessageEndingWith(
                    "this FreeBSD kernel was built without options BHYVE_SNAPSHOT: see kernel-options/README.md");
        }
    }

    @Test
    void restorePutsTheBlobsBackInBhyvesOrderWhateverTheListOrderThenRestoresTime() {
        try (Fixture f = new Fixture(2)) {
            kernelHas(f, 8400);
            List<KernelState> saved = new ArrayList<>(f.vm.saveKernelState());
            java.util.Collections.reverse(saved);
            f.model.snapshotOps.clear();
            f.vm.restoreKernelState(saved);
            List<String> expected = new ArrayList<>(Arrays.stream(NAMES).map(n -> "restore " + n).toList());
            expected.add("restore_time");
            assertThat(f.model.snapshotOps).containsExactlyElementsOf(expected);
            for (int req : ORDER) assertThat(f.model.restored.get(req)).isEqualTo(f.model.kernelBlobs.get(req));
        }
    }

    @Test
    void blobsFromAnotherKernelAreRefusedBeforeAnythingChanges() {
        try (Fixture f = new Fixture(1)) {
            kernelHas(f, 4200);
            List<KernelState> saved = f.vm.saveKernelState();
            f.model.snapshotOps.clear();
            List<KernelState> older = saved.stream().map(k -> k.name().equals("freebsd.vrtc")
                    ? new KernelState(k.name(), 1, k.data(), "freebsd 14.3-RELEASE 1403000") : k).toList();
            assertThatThrownBy(() -> f.vm.restoreKernelState(older)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot restore kernel state 'freebsd.vrtc' into vm 'test': it comes from"
                            + " 14.3-RELEASE (kern.osreldate 1403000), and this kernel is 15.0-RELEASE (kern.osreldate"
                            + " 1500068); vmm's snapshot structs are raw C structs without versions, so they restore only"
                            + " on a kernel with the same kern.osreldate");
            assertThat(f.model.snapshotOps).isEmpty();
            assertThatThrownBy(() -> f.vm.restoreKernelState(List.of(new KernelState("kvm.pit", 1, new byte[112], "kvm 6.1"))))
                    .hasMessageContaining("unknown name (bhyve's vmm has freebsd.vhpet, freebsd.vm,");
            assertThatThrownBy(() -> f.vm.restoreKernelState(List.of(saved.get(0), saved.get(0))))
                    .hasMessage("kernel state 'freebsd.vhpet' is given twice");
            assertThatThrownBy(() -> f.vm.restoreKernelState(List.of(new KernelState("freebsd.vm", 2, new byte[4],
                    "freebsd 15.0-RELEASE 1500068")))).hasMessageContaining("version 2");
            assertThatThrownBy(() -> f.vm.restoreKernelState(List.of(new KernelState("freebsd.vm", 1, new byte[0],
                    "freebsd 15.0-RELEASE 1500068")))).hasMessageContaining("it is empty");
            assertThat(f.model.snapshotOps).isEmpty();
        }
    }

    @Test
    void aBlobTheKernelDoesNotConsumeWhollyIsNotThisKernelsLayout() {
        try (Fixture f = new Fixture(1)) {
            kernelHas(f, 4200);
            List<KernelState> saved = f.vm.saveKernelState();
            KernelState longer = new KernelState("freebsd.vatpit", 1, Arrays.copyOf(saved.get(5).data(), saved.get(5).size() + 8),
                    saved.get(5).producer());
            assertThatThrownBy(() -> f.vm.restoreKernelState(List.of(longer))).isInstanceOf(VmmException.class)
                    .hasMessageContaining("VM_SNAPSHOT_REQ(RESTORE vatpit) on vm 'test' took 108 of the blob's 116 bytes");
        }
    }

    @Test
    void theProducerCarriesReleaseAndOsreldate() {
        assertThat(FreeBsdKernelState.producer("15.0-RELEASE-p2", 1500068)).isEqualTo("freebsd 15.0-RELEASE-p2 1500068");
        assertThat(FreeBsdKernelState.osreldateOf("freebsd 15.0-RELEASE-p2 1500068")).isEqualTo(1500068);
        assertThat(FreeBsdKernelState.osreldateOf("kvm 6.1")).isEqualTo(-1);
        assertThat(FreeBsdKernelState.names()).hasSize(9).startsWith("freebsd.vhpet");
    }
}
