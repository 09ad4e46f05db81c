package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.vmm.*;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Native failures name the call, the object and the errno; /dev/kvm problems are one sentence. */
class KvmErrorsTest {

    @Test
    void openFailuresSaySentenceWithTheFix() throws Exception {
        assertThat(KvmHypervisor.openFailure(Errno.ENOENT))
                .isEqualTo("cannot open /dev/kvm: no such device (load the kvm_intel or kvm_amd module, "
                        + "and enable VT-x/AMD-V in the firmware or the outer hypervisor)");
        // Joining the device's group is advice only where the group may read and write it.
        var perms = java.nio.file.Files.getPosixFilePermissions(java.nio.file.Path.of("/dev/kvm"));
        boolean groupMay = perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                && perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE);
        assertThat(KvmHypervisor.openFailure(Errno.EACCES)).startsWith(groupMay
                ? "cannot open /dev/kvm: permission denied (add yourself to group "
                : "cannot open /dev/kvm: permission denied (/dev/kvm is "
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms) + ", so only its owner may open it:"
                        + " run as root, or have udev give a group access (KERNEL==\"kvm\", GROUP=\"kvm\", MODE=\"0660\")");
        assertThat(KvmHypervisor.openFailure(Errno.EBUSY)).isEqualTo("cannot open /dev/kvm: EBUSY (device or resource busy)");
    }

    @Test
    void failedCallsNameIoctlTargetAndErrno() {
        VmmException e = VmmException.failed("KVM_SET_USER_MEMORY_REGION", "vm 'x' fd 7", Errno.EINVAL);
        assertThat(e).hasMessage("KVM_SET_USER_MEMORY_REGION on vm 'x' fd 7 failed: EINVAL (invalid argument)");
        assertThat(e.call()).isEqualTo("KVM_SET_USER_MEMORY_REGION");
        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    @RequiresKvm
    void aRealFailureFromTheKernelIsReportedThatWay() {
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine vm = hv.createVm(VmConfig.of("errors", 1, 16L << 20))) {
            // an MMIO-looking ROM mapping at an unaligned size is refused before the kernel sees it
            assertThatThrownBy(() -> vm.mapMemory("rom", 0xfff00000L, 100, true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page aligned");
            // the kernel refuses a second vCPU with an existing id: the message says who and why
            assertThatThrownBy(() -> ((KvmVm) vm).fd().ioctl("KVM_CREATE_VCPU",
                    org.jbhyve.bindings.linux.kvm.kvm_h.KVM_CREATE_VCPU, 0L))
                    .isInstanceOf(VmmException.class)
                    .hasMessageStartingWith("KVM_CREATE_VCPU on vm 'errors' fd ")
                    .hasMessageContaining("failed: EEXIST");
        }
    }

    @Test
    void configValidationRejectsNonsense() {
        assertThatThrownBy(() -> VmConfig.of("a/b", 1, 16L << 20)).hasMessageContaining("without '/'");
        assertThatThrownBy(() -> VmConfig.of("x", 0, 16L << 20)).hasMessageContaining("vCPU count");
        assertThatThrownBy(() -> VmConfig.of("x", 1, 12345)).hasMessageContaining("multiple of 4 KiB");
    }
}
