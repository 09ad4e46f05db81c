package org.jbhyve.bindings.freebsd.vmm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bindings.freebsd.vmm.vmm_h.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Enum and constant values of {@link vmm_h} against shared/reference/freebsd-bhyve.md: section 2
 * ("Exit codes", "Other enums", "Guest memory", libvmmapi) and section 1d (snapshot enums).
 * Values the reference leaves implicit ("RBX, RCX, ..." after "RAX 0") follow C enum numbering.
 */
class VmmConstantsTest {

    static Stream<Arguments> exitCodes() {
        return Stream.of(
                arguments("INOUT", VM_EXITCODE_INOUT, 0), arguments("VMX", VM_EXITCODE_VMX, 1),
                arguments("BOGUS", VM_EXITCODE_BOGUS, 2), arguments("RDMSR", VM_EXITCODE_RDMSR, 3),
                arguments("WRMSR", VM_EXITCODE_WRMSR, 4), arguments("HLT", VM_EXITCODE_HLT, 5),
                arguments("MTRAP", VM_EXITCODE_MTRAP, 6), arguments("PAUSE", VM_EXITCODE_PAUSE, 7),
                arguments("PAGING", VM_EXITCODE_PAGING, 8), arguments("INST_EMUL", VM_EXITCODE_INST_EMUL, 9),
                arguments("SPINUP_AP", VM_EXITCODE_SPINUP_AP, 10), arguments("DEPRECATED1", VM_EXITCODE_DEPRECATED1, 11),
                arguments("RENDEZVOUS", VM_EXITCODE_RENDEZVOUS, 12), arguments("IOAPIC_EOI", VM_EXITCODE_IOAPIC_EOI, 13),
                arguments("SUSPENDED", VM_EXITCODE_SUSPENDED, 14), arguments("INOUT_STR", VM_EXITCODE_INOUT_STR, 15),
                arguments("TASK_SWITCH", VM_EXITCODE_TASK_SWITCH, 16), arguments("MONITOR", VM_EXITCODE_MONITOR, 17),
                arguments("MWAIT", VM_EXITCODE_MWAIT, 18), arguments("SVM", VM_EXITCODE_SVM, 19),
                arguments("REQIDLE", VM_EXITCODE_REQIDLE, 20), arguments("DEBUG", VM_EXITCODE_DEBUG, 21),
                arguments("VMINSN", VM_EXITCODE_VMINSN, 22), arguments("BPT", VM_EXITCODE_BPT, 23),
                arguments("IPI", VM_EXITCODE_IPI, 24), arguments("DB", VM_EXITCODE_DB, 25),
                arguments("MAX", VM_EXITCODE_MAX, 26));
    }

    @ParameterizedTest(name = "VM_EXITCODE_{0} = {2}")
    @MethodSource("exitCodes")
    void exitCodes(String name, int actual, int expected) {
        assertThat(actual).isEqualTo(expected);
    }

    static Stream<Arguments> registers() {
        return Stream.of(
                arguments("RAX", VM_REG_GUEST_RAX, 0), arguments("RBX", VM_REG_GUEST_RBX, 1),
                arguments("RCX", VM_REG_GUEST_RCX, 2), arguments("RDX", VM_REG_GUEST_RDX, 3),
                arguments("RSI", VM_REG_GUEST_RSI, 4), arguments("RDI", VM_REG_GUEST_RDI, 5),
                arguments("RBP", VM_REG_GUEST_RBP, 6),
                arguments("R8", VM_REG_GUEST_R8, 7), arguments("R9", VM_REG_GUEST_R9, 8),
                arguments("R10", VM_REG_GUEST_R10, 9), arguments("R11", VM_REG_GUEST_R11, 10),
                arguments("R12", VM_REG_GUEST_R12, 11), arguments("R13", VM_REG_GUEST_R13, 12),
                arguments("R14", VM_REG_GUEST_R14, 13), arguments("R15", VM_REG_GUEST_R15, 14),
                arguments("CR0", VM_REG_GUEST_CR0, 15), arguments("CR3", VM_REG_GUEST_CR3, 16),
                arguments("CR4", VM_REG_GUEST_CR4, 17), arguments("DR7", VM_REG_GUEST_DR7, 18),
                arguments("RSP", VM_REG_GUEST_RSP, 19), arguments("RIP", VM_REG_GUEST_RIP, 20),
                arguments("RFLAGS", VM_REG_GUEST_RFLAGS, 21),
                arguments("ES", VM_REG_GUEST_ES, 22), arguments("CS", VM_REG_GUEST_CS, 23),
                arguments("SS", VM_REG_GUEST_SS, 24), arguments("DS", VM_REG_GUEST_DS, 25),
                arguments("FS", VM_REG_GUEST_FS, 26), arguments("GS", VM_REG_GUEST_GS, 27),
                arguments("LDTR", VM_REG_GUEST_LDTR, 28), arguments("TR", VM_REG_GUEST_TR, 29),
                arguments("IDTR", VM_REG_GUEST_IDTR, 30), arguments("GDTR", VM_REG_GUEST_GDTR, 31),
                arguments("EFER", VM_REG_GUEST_EFER, 32), arguments("CR2", VM_REG_GUEST_CR2, 33),
                arguments("PDPTE0", VM_REG_GUEST_PDPTE0, 34), arguments("PDPTE1", VM_REG_GUEST_PDPTE1, 35),
                arguments("PDPTE2", VM_REG_GUEST_PDPTE2, 36), arguments("PDPTE3", VM_REG_GUEST_PDPTE3, 37),
                arguments("INTR_SHADOW", VM_REG_GUEST_INTR_SHADOW, 38),
                arguments("DR0", VM_REG_GUEST_DR0, 39), arguments("DR1", VM_REG_GUEST_DR1, 40),
                arguments("DR2", VM_REG_GUEST_DR2, 41), arguments("DR3", VM_REG_GUEST_DR3, 42),
                arguments("DR6", VM_REG_GUEST_DR6, 43),
                arguments("ENTRY_INST_LENGTH", VM_REG_GUEST_ENTRY_INST_LENGTH, 44),
                arguments("FS_BASE", VM_REG_GUEST_FS_BASE, 45), arguments("GS_BASE", VM_REG_GUEST_GS_BASE, 46),
                arguments("KGS_BASE", VM_REG_GUEST_KGS_BASE, 47), arguments("TPR", VM_REG_GUEST_TPR, 48),
                arguments("LAST (VM_REG_LAST)", VM_REG_LAST, 49));
    }

    @ParameterizedTest(name = "VM_REG_GUEST_{0} = {2}")
    @MethodSource("registers")
    void registerNames(String name, int actual, int expected) {
        assertThat(actual).isEqualTo(expected);
    }

    static Stream<Arguments> capabilities() {
        return Stream.of(
                arguments("HALT_EXIT", VM_CAP_HALT_EXIT, 0), arguments("MTRAP_EXIT", VM_CAP_MTRAP_EXIT, 1),
                arguments("PAUSE_EXIT", VM_CAP_PAUSE_EXIT, 2),
                arguments("UNRESTRICTED_GUEST", VM_CAP_UNRESTRICTED_GUEST, 3),
                arguments("ENABLE_INVPCID", VM_CAP_ENABLE_INVPCID, 4), arguments("BPT_EXIT", VM_CAP_BPT_EXIT, 5),
                arguments("RDPID", VM_CAP_RDPID, 6), arguments("RDTSCP", VM_CAP_RDTSCP, 7),
                arguments("IPI_EXIT", VM_CAP_IPI_EXIT, 8), arguments("MASK_HWINTR", VM_CAP_MASK_HWINTR, 9),
                arguments("RFLAGS_TF", VM_CAP_RFLAGS_TF, 10));
    }

    @ParameterizedTest(name = "VM_CAP_{0} = {2}")
    @MethodSource("capabilities")
    void capabilityTypes(String name, int actual, int expected) {
        assertThat(actual).isEqualTo(expected);
    }

    static Stream<Arguments> suspendHows() {
        return Stream.of(
                arguments("NONE", VM_SUSPEND_NONE, 0), arguments("RESET", VM_SUSPEND_RESET, 1),
                arguments("POWEROFF", VM_SUSPEND_POWEROFF, 2), arguments("HALT", VM_SUSPEND_HALT, 3),
                arguments("TRIPLEFAULT", VM_SUSPEND_TRIPLEFAULT, 4), arguments("DESTROY", VM_SUSPEND_DESTROY, 5),
                arguments("LAST", VM_SUSPEND_LAST, 6));
    }

    @ParameterizedTest(name = "VM_SUSPEND_{0} = {2}")
    @MethodSource("suspendHows")
    void suspendHows(String name, int actual, int expected) {
        assertThat(actual).isEqualTo(expected);
    }

    static Stream<Arguments> snapshotRequests() {
        // section 1d, enum snapshot_req (current main) and enum vm_snapshot_op
        return Stream.of(
                arguments("STRUCT_VIOAPIC", STRUCT_VIOAPIC, 1), arguments("STRUCT_VM", STRUCT_VM, 2),
                arguments("STRUCT_VLAPIC", STRUCT_VLAPIC, 3), arguments("VM_MEM", VM_MEM, 4),
                arguments("STRUCT_VHPET", STRUCT_VHPET, 5), arguments("STRUCT_VMCX", STRUCT_VMCX, 6),
                arguments("STRUCT_VATPIC", STRUCT_VATPIC, 7), arguments("STRUCT_VATPIT", STRUCT_VATPIT, 8),
                arguments("STRUCT_VPMTMR", STRUCT_VPMTMR, 9), arguments("STRUCT_VRTC", STRUCT_VRTC, 10),
                arguments("VM_SNAPSHOT_SAVE", VM_SNAPSHOT_SAVE, 0),
                arguments("VM_SNAPSHOT_RESTORE", VM_SNAPSHOT_RESTORE, 1));
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("snapshotRequests")
    void snapshotEnums(String name, int actual, int expected) {
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void memorySegmentsAndFlags() {
        // section 2, "Guest memory"
        assertThat(VM_SYSMEM).isZero();
        assertThat(VM_MAXMEMDOM).isEqualTo(8);
        assertThat(VM_BOOTROM).isEqualTo(8);
        assertThat(VM_FRAMEBUFFER).isEqualTo(9);
        assertThat(VM_PCIROM).isEqualTo(10);
        assertThat(new int[] {VM_SYSMEM_FBSD14, VM_BOOTROM_FBSD14, VM_FRAMEBUFFER_FBSD14, VM_PCIROM_FBSD14})
                .containsExactly(0, 1, 2, 3);
        assertThat(VM_MEMMAP_F_WIRED).isEqualTo(1);
        assertThat(VM_MEMMAP_F_IOMMU).isEqualTo(2);
        assertThat(VM_MAX_NAMELEN).isEqualTo(229);
        // libvmmapi: styles NONE 0, ALL 1, SPARSE 2; VM_MEM_F_INCORE 1, VM_MEM_F_WIRED 2; VMMAPI_OPEN_CREATE 0x1
        assertThat(new int[] {VM_MMAP_NONE, VM_MMAP_ALL, VM_MMAP_SPARSE}).containsExactly(0, 1, 2);
        assertThat(VM_MEM_F_INCORE).isEqualTo(1);
        assertThat(VM_MEM_F_WIRED).isEqualTo(2);
        assertThat(VMMAPI_OPEN_CREATE).isEqualTo(0x1);
    }

    /** lib/libvmmapi/vmmapi.h: {@code #define VMMAPI_OPEN_REINIT 0x02}, "reinitialize the VM if it exists". */
    @Test
    void vmOpenfReinitFlag() {
        assertThat(VMMAPI_OPEN_REINIT).isEqualTo(0x02);
    }

    @Test
    void vmmapiHeaderClassInheritsTheConstants() {
        assertThat(vmmapi_h.VM_EXITCODE_HLT).isEqualTo(5);
        assertThat(vmmapi_h.VM_RUN).isEqualTo(0x80207601L);
        assertThat(vmmapi_h.VMMAPI_OPEN_CREATE).isEqualTo(1);
    }
}
