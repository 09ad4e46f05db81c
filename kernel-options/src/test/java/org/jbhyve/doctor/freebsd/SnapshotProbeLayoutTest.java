package org.jbhyve.doctor.freebsd;

import org.jbhyve.bindings.freebsd.vmm.vmm_h;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The bytes the snapshot probe hands the FreeBSD kernel, checked here since they cannot be run here. */
class SnapshotProbeLayoutTest {

    @Test
    void ioctlNumbersAreTheReferenceOnes() {
        assertThat(vmm_h.VM_SNAPSHOT_REQ).isEqualTo(0xC0407671L);
        assertThat(vmm_h.VMMCTL_VM_CREATE).isEqualTo(0xC1285600L);
        assertThat(vmm_h.VMMCTL_VM_DESTROY).isEqualTo(0xC1285601L);
    }

    @Test
    void createRequestHasNameAndOptionalDestroyOnCloseFlag() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment plain = SnapshotProbe.createRequest(a, "bhyve-doctor-42", false);
            assertThat(plain.byteSize()).isEqualTo(296);
            assertThat(plain.getString(0, StandardCharsets.US_ASCII)).isEqualTo("bhyve-doctor-42");
            for (long off = 230; off < 296; off++) assertThat(plain.get(ValueLayout.JAVA_BYTE, off)).isZero();

            MemorySegment flagged = SnapshotProbe.createRequest(a, "bhyve-doctor-42", true);
            // struct vmmctl_vm_create { char name[230]; uint32_t flags; int reserved[15]; }: flags at 232.
            assertThat(flagged.get(ValueLayout.JAVA_INT, 232)).isEqualTo(SnapshotProbe.CREATE_DESTROY_ON_CLOSE);
            for (long off = 236; off < 296; off++) assertThat(flagged.get(ValueLayout.JAVA_BYTE, off)).isZero();

            MemorySegment destroy = SnapshotProbe.destroyRequest(a, "bhyve-doctor-42");
            assertThat(destroy.byteSize()).isEqualTo(296);
            assertThat(destroy.getString(0, StandardCharsets.US_ASCII)).isEqualTo("bhyve-doctor-42");
        }
    }

    @Test
    void snapshotRequestIsInvalidSaveWithoutBuffer() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment meta = SnapshotProbe.invalidSnapshotRequest(a);
            assertThat(meta.byteSize()).isEqualTo(64);
            assertThat(meta.get(ValueLayout.JAVA_INT, 16)).isEqualTo(0x7fffffff); // dev_req
            assertThat(meta.get(ValueLayout.JAVA_INT, 56)).isEqualTo(vmm_h.VM_SNAPSHOT_SAVE); // op
            for (long off : new long[] {0, 8, 24, 32, 40, 48}) {
                assertThat(meta.get(ValueLayout.JAVA_LONG, off)).as("offset %d", off).isZero();
            }
            // Not one of the STRUCT_* requests the kernel's vm_snapshot_req() handles.
            assertThat(SnapshotProbe.INVALID_REQUEST).isNotIn(vmm_h.STRUCT_VIOAPIC, vmm_h.STRUCT_VM, vmm_h.STRUCT_VLAPIC,
                    vmm_h.STRUCT_VHPET, vmm_h.STRUCT_VMCX, vmm_h.STRUCT_VATPIC, vmm_h.STRUCT_VATPIT, vmm_h.STRUCT_VPMTMR,
                    vmm_h.STRUCT_VRTC, 0, 4);
        }
    }
}
