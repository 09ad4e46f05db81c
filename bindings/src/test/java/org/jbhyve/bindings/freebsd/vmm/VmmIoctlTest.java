package org.jbhyve.bindings.freebsd.vmm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every ioctl request in {@link vmm_h}, computed from its argument struct's size, against the
 * numbers in shared/reference/freebsd-bhyve.md: section 2 ("VM_RUN", the "Key ioctls" table,
 * "/dev/vmmctl") and section 1d (VM_SNAPSHOT_REQ, VM_RESTORE_TIME). The reference marks them
 * "computed" from the headers; these tests pin our arithmetic and struct sizes to the same values.
 */
class VmmIoctlTest {

    static Stream<Arguments> referenceIoctls() {
        return Stream.of(
                // section 2, "VM_RUN and struct vm_exit"
                arguments("VM_RUN", vmm_h.VM_RUN, 0x80207601L),
                // section 2, "Key ioctls"
                arguments("VM_SUSPEND", vmm_h.VM_SUSPEND, 0x80047604L),
                arguments("VM_REINIT", vmm_h.VM_REINIT, 0x20007605L),
                arguments("VM_SET_CAPABILITY", vmm_h.VM_SET_CAPABILITY, 0x80107602L),
                arguments("VM_GET_CAPABILITY", vmm_h.VM_GET_CAPABILITY, 0xC0107603L),
                arguments("VM_ALLOC_MEMSEG", vmm_h.VM_ALLOC_MEMSEG, 0x8038760EL),
                arguments("VM_GET_MEMSEG", vmm_h.VM_GET_MEMSEG, 0xC038760FL),
                arguments("VM_MMAP_MEMSEG", vmm_h.VM_MMAP_MEMSEG, 0x80287610L),
                arguments("VM_MMAP_GETNEXT", vmm_h.VM_MMAP_GETNEXT, 0xC0287611L),
                arguments("VM_MUNMAP_MEMSEG", vmm_h.VM_MUNMAP_MEMSEG, 0x80107613L),
                arguments("VM_SET_REGISTER", vmm_h.VM_SET_REGISTER, 0x80107614L),
                arguments("VM_GET_REGISTER", vmm_h.VM_GET_REGISTER, 0xC0107615L),
                arguments("VM_SET_SEGMENT_DESCRIPTOR", vmm_h.VM_SET_SEGMENT_DESCRIPTOR, 0x80187616L),
                arguments("VM_GET_SEGMENT_DESCRIPTOR", vmm_h.VM_GET_SEGMENT_DESCRIPTOR, 0xC0187617L),
                arguments("VM_SET_REGISTER_SET", vmm_h.VM_SET_REGISTER_SET, 0x80187618L),
                arguments("VM_GET_REGISTER_SET", vmm_h.VM_GET_REGISTER_SET, 0xC0187619L),
                arguments("VM_GET_INTINFO", vmm_h.VM_GET_INTINFO, 0xC018761CL),
                arguments("VM_SET_INTINFO", vmm_h.VM_SET_INTINFO, 0x8018761DL),
                arguments("VM_INJECT_EXCEPTION", vmm_h.VM_INJECT_EXCEPTION, 0x8014761EL),
                arguments("VM_LAPIC_IRQ", vmm_h.VM_LAPIC_IRQ, 0x8008761FL),
                arguments("VM_INJECT_NMI", vmm_h.VM_INJECT_NMI, 0x80047620L),
                arguments("VM_IOAPIC_ASSERT_IRQ", vmm_h.VM_IOAPIC_ASSERT_IRQ, 0x80047621L),
                arguments("VM_IOAPIC_DEASSERT_IRQ", vmm_h.VM_IOAPIC_DEASSERT_IRQ, 0x80047622L),
                arguments("VM_IOAPIC_PULSE_IRQ", vmm_h.VM_IOAPIC_PULSE_IRQ, 0x80047623L),
                arguments("VM_LAPIC_MSI", vmm_h.VM_LAPIC_MSI, 0x80107624L),
                arguments("VM_LAPIC_LOCAL_IRQ", vmm_h.VM_LAPIC_LOCAL_IRQ, 0x80087625L),
                arguments("VM_IOAPIC_PINCOUNT", vmm_h.VM_IOAPIC_PINCOUNT, 0x40047626L),
                arguments("VM_RESTART_INSTRUCTION", vmm_h.VM_RESTART_INSTRUCTION, 0x80047627L),
                arguments("VM_SET_X2APIC_STATE", vmm_h.VM_SET_X2APIC_STATE, 0x8008763CL),
                arguments("VM_SET_TOPOLOGY", vmm_h.VM_SET_TOPOLOGY, 0x8008763FL),
                arguments("VM_GET_TOPOLOGY", vmm_h.VM_GET_TOPOLOGY, 0x40087640L),
                arguments("VM_ISA_ASSERT_IRQ", vmm_h.VM_ISA_ASSERT_IRQ, 0x80087650L),
                arguments("VM_ISA_DEASSERT_IRQ", vmm_h.VM_ISA_DEASSERT_IRQ, 0x80087651L),
                arguments("VM_ISA_PULSE_IRQ", vmm_h.VM_ISA_PULSE_IRQ, 0x80087652L),
                arguments("VM_ACTIVATE_CPU", vmm_h.VM_ACTIVATE_CPU, 0x8004765AL),
                arguments("VM_GET_CPUS", vmm_h.VM_GET_CPUS, 0x8010765BL),
                arguments("VM_SUSPEND_CPU", vmm_h.VM_SUSPEND_CPU, 0x8004765CL),
                arguments("VM_RESUME_CPU", vmm_h.VM_RESUME_CPU, 0x8004765DL),
                arguments("VM_RTC_READ", vmm_h.VM_RTC_READ, 0xC0087664L),
                arguments("VM_RTC_WRITE", vmm_h.VM_RTC_WRITE, 0x80087665L),
                arguments("VM_RTC_SETTIME", vmm_h.VM_RTC_SETTIME, 0x80087666L),
                arguments("VM_RTC_GETTIME", vmm_h.VM_RTC_GETTIME, 0x40087667L),
                // section 1d (also the last two rows of the table)
                arguments("VM_SNAPSHOT_REQ", vmm_h.VM_SNAPSHOT_REQ, 0xC0407671L),
                arguments("VM_RESTORE_TIME", vmm_h.VM_RESTORE_TIME, 0xC0047673L),
                // section 2, "Creating a VM and opening its device"
                arguments("VMMCTL_VM_CREATE", vmm_h.VMMCTL_VM_CREATE, 0xC1285600L),
                arguments("VMMCTL_VM_DESTROY", vmm_h.VMMCTL_VM_DESTROY, 0xC1285601L));
    }

    @ParameterizedTest(name = "{0} = 0x{2}")
    @MethodSource("referenceIoctls")
    void computedRequestMatchesTheReference(String name, long computed, long documented) {
        assertThat(computed)
                .as("%s: computed 0x%X, reference 0x%X", name, computed, documented)
                .isEqualTo(documented);
    }

    /**
     * The reference gives no numbers for the FreeBSD 14 memseg ioctls, only the 32-byte size
     * ("`_14` = 32 bytes", section 2); same command numbers as the 15 ones (0x0E/0x0F).
     */
    static Stream<Arguments> fbsd14Ioctls() {
        return Stream.of(
                arguments("VM_ALLOC_MEMSEG_FBSD14", vmm_h.VM_ALLOC_MEMSEG_FBSD14, 0x8020760EL),
                arguments("VM_GET_MEMSEG_FBSD14", vmm_h.VM_GET_MEMSEG_FBSD14, 0xC020760FL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fbsd14Ioctls")
    void fbsd14MemsegRequestsUseThe32ByteStruct(String name, long computed, long expected) {
        assertThat(computed).isEqualTo(expected);
        assertThat(FreeBsdIoctl.IOCPARM_LEN(computed)).isEqualTo(32);
    }

    static Stream<Arguments> iocnums() {
        return Stream.of(
                arguments(vmm_h.VM_RUN, vmm_h.IOCNUM_RUN),
                arguments(vmm_h.VM_SUSPEND, vmm_h.IOCNUM_SUSPEND),
                arguments(vmm_h.VM_ALLOC_MEMSEG, vmm_h.IOCNUM_ALLOC_MEMSEG),
                arguments(vmm_h.VM_MUNMAP_MEMSEG, vmm_h.IOCNUM_MUNMAP_MEMSEG),
                arguments(vmm_h.VM_GET_INTINFO, vmm_h.IOCNUM_GET_INTINFO),
                arguments(vmm_h.VM_IOAPIC_PINCOUNT, vmm_h.IOCNUM_IOAPIC_PINCOUNT),
                arguments(vmm_h.VM_SET_X2APIC_STATE, vmm_h.IOCNUM_SET_X2APIC_STATE),
                arguments(vmm_h.VM_ISA_PULSE_IRQ, vmm_h.IOCNUM_ISA_PULSE_IRQ),
                arguments(vmm_h.VM_GET_CPUS, vmm_h.IOCNUM_GET_CPUSET),
                arguments(vmm_h.VM_RTC_GETTIME, vmm_h.IOCNUM_RTC_GETTIME),
                arguments(vmm_h.VM_SNAPSHOT_REQ, vmm_h.IOCNUM_SNAPSHOT_REQ),
                arguments(vmm_h.VM_RESTORE_TIME, vmm_h.IOCNUM_RESTORE_TIME));
    }

    @ParameterizedTest
    @MethodSource("iocnums")
    void iocnumIsTheLowByteAndTheGroupIsV(long request, int iocnum) {
        assertThat(FreeBsdIoctl.IOCNUM(request)).isEqualTo(iocnum);
        assertThat(FreeBsdIoctl.IOCGROUP(request)).isEqualTo('v');
    }
}
