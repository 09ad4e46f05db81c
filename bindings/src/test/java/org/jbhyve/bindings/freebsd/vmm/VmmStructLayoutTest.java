package org.jbhyve.bindings.freebsd.vmm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Struct sizes and field offsets of the vmm bindings against shared/reference/freebsd-bhyve.md.
 *
 * <p>Each row says where its number comes from: {@code REF} means the reference states it (section 2
 * "vmm ABI", or 1d for the snapshot structs); {@code IOCTL} means the reference gives only the ioctl
 * number, whose length field fixes the size; {@code DERIVED} means the reference lists the fields and
 * their types but not this offset, which then follows from the amd64 C layout rules (each member at
 * the next multiple of its alignment).
 */
class VmmStructLayoutTest {

    private static final String REF = "REF";
    private static final String IOCTL = "IOCTL";
    private static final String DERIVED = "DERIVED";

    static Stream<Arguments> sizes() {
        return Stream.of(
                size("vm_run", vm_run.sizeof(), 32, REF),
                size("vm_exit", vm_exit.sizeof(), 136, REF),
                size("vm_exit.u", vm_exit.u.sizeof(), 120, REF),                 // "union u @16 (120 bytes)"
                size("vie", vie.sizeof(), 64, REF),
                size("vm_guest_paging", vm_guest_paging.sizeof(), 24, REF),
                size("seg_desc", seg_desc.sizeof(), 16, DERIVED),               // {u64; u32; u32}
                size("vm_inout", vm_inout.sizeof(), 8, DERIVED),                // eax u32 @4
                size("vm_inout_str", vm_inout_str.sizeof(), 88, DERIVED),       // seg_desc (16) @72
                size("vm_task_switch", vm_task_switch.sizeof(), 48, DERIVED),   // paging (24) @24
                size("vm_register", vm_register.sizeof(), 16, IOCTL),           // 0x80107614
                size("vm_seg_desc", vm_seg_desc.sizeof(), 24, REF),
                size("vm_register_set", vm_register_set.sizeof(), 24, IOCTL),   // 0x80187618
                size("vm_capability", vm_capability.sizeof(), 16, REF),
                size("vm_memseg", vm_memseg.sizeof(), 56, REF),
                size("vm_memseg_fbsd14", vm_memseg_fbsd14.sizeof(), 32, REF),
                size("vm_memmap", vm_memmap.sizeof(), 40, REF),
                size("vm_munmap", vm_munmap.sizeof(), 16, REF),
                size("vm_exception", vm_exception.sizeof(), 20, REF),
                size("vm_lapic_irq", vm_lapic_irq.sizeof(), 8, IOCTL),          // 0x8008761F
                size("vm_lapic_msi", vm_lapic_msi.sizeof(), 16, IOCTL),         // 0x80107624
                size("vm_ioapic_irq", vm_ioapic_irq.sizeof(), 4, IOCTL),        // 0x80047621
                size("vm_isa_irq", vm_isa_irq.sizeof(), 8, IOCTL),              // 0x80087650
                size("vm_nmi", vm_nmi.sizeof(), 4, IOCTL),                      // 0x80047620
                size("vm_activate_cpu", vm_activate_cpu.sizeof(), 4, IOCTL),    // 0x8004765A
                size("vm_cpuset", vm_cpuset.sizeof(), 16, IOCTL),               // 0x8010765B
                size("vm_suspend", vm_suspend.sizeof(), 4, IOCTL),              // 0x80047604
                size("vm_intinfo", vm_intinfo.sizeof(), 24, IOCTL),             // 0xC018761C
                size("vm_x2apic", vm_x2apic.sizeof(), 8, IOCTL),                // 0x8008763C
                size("vm_cpu_topology", vm_cpu_topology.sizeof(), 8, IOCTL),    // 0x8008763F
                size("vm_rtc_data", vm_rtc_data.sizeof(), 8, IOCTL),            // 0xC0087664
                size("vm_rtc_time", vm_rtc_time.sizeof(), 8, IOCTL),            // 0x80087666
                size("vm_snapshot_meta", vm_snapshot_meta.sizeof(), 64, REF),
                size("vm_snapshot_buffer", vm_snapshot_buffer.sizeof(), 32, REF),
                size("vmmctl_vm_create", vmmctl_vm_create.sizeof(), 296, REF),
                size("vmmctl_vm_destroy", vmmctl_vm_destroy.sizeof(), 296, REF),
                // anonymous members of vm_exit.u, from their field lists
                size("vm_exit.u.paging", vm_exit.u.paging.sizeof(), 16, DERIVED),
                size("vm_exit.u.inst_emul", vm_exit.u.inst_emul.sizeof(), 120, DERIVED),
                size("vm_exit.u.vmx", vm_exit.u.vmx.sizeof(), 24, DERIVED),
                size("vm_exit.u.svm", vm_exit.u.svm.sizeof(), 24, DERIVED),
                size("vm_exit.u.bpt", vm_exit.u.bpt.sizeof(), 4, DERIVED),
                size("vm_exit.u.dbg", vm_exit.u.dbg.sizeof(), 40, DERIVED),
                size("vm_exit.u.msr", vm_exit.u.msr.sizeof(), 16, DERIVED),
                size("vm_exit.u.spinup_ap", vm_exit.u.spinup_ap.sizeof(), 16, DERIVED),
                size("vm_exit.u.hlt", vm_exit.u.hlt.sizeof(), 16, DERIVED),
                size("vm_exit.u.ioapic_eoi", vm_exit.u.ioapic_eoi.sizeof(), 4, DERIVED),
                size("vm_exit.u.suspended", vm_exit.u.suspended.sizeof(), 4, DERIVED),
                size("vm_exit.u.ipi", vm_exit.u.ipi.sizeof(), 8, DERIVED));
    }

    static Stream<Arguments> offsets() {
        return Stream.of(
                // struct vm_run {int cpuid @0; cpuset_t *cpuset @8; size_t cpusetsize @16; struct vm_exit *vm_exit @24}
                off("vm_run", "cpuid", vm_run.cpuid$offset(), 0, REF),
                off("vm_run", "cpuset", vm_run.cpuset$offset(), 8, REF),
                off("vm_run", "cpusetsize", vm_run.cpusetsize$offset(), 16, REF),
                off("vm_run", "vm_exit", vm_run.vm_exit$offset(), 24, REF),

                // struct vm_exit: exitcode @0, inst_length @4, rip @8, union u @16
                off("vm_exit", "exitcode", vm_exit.exitcode$offset(), 0, REF),
                off("vm_exit", "inst_length", vm_exit.inst_length$offset(), 4, REF),
                off("vm_exit", "rip", vm_exit.rip$offset(), 8, REF),
                off("vm_exit", "u", vm_exit.u$offset(), 16, REF),

                // union members, relative to u (all at 0)
                off("vm_exit.u", "inout", vm_exit.u.inout$offset(), 0, REF),
                off("vm_exit.u", "inout_str", vm_exit.u.inout_str$offset(), 0, REF),
                off("vm_exit.u", "paging", vm_exit.u.paging$offset(), 0, REF),
                off("vm_exit.u", "inst_emul", vm_exit.u.inst_emul$offset(), 0, REF),
                off("vm_exit.u", "vmx", vm_exit.u.vmx$offset(), 0, REF),
                off("vm_exit.u", "svm", vm_exit.u.svm$offset(), 0, REF),
                off("vm_exit.u", "bpt", vm_exit.u.bpt$offset(), 0, REF),
                off("vm_exit.u", "dbg", vm_exit.u.dbg$offset(), 0, REF),
                off("vm_exit.u", "msr", vm_exit.u.msr$offset(), 0, REF),
                off("vm_exit.u", "spinup_ap", vm_exit.u.spinup_ap$offset(), 0, REF),
                off("vm_exit.u", "hlt", vm_exit.u.hlt$offset(), 0, REF),
                off("vm_exit.u", "ioapic_eoi", vm_exit.u.ioapic_eoi$offset(), 0, REF),
                off("vm_exit.u", "suspended", vm_exit.u.suspended$offset(), 0, REF),
                off("vm_exit.u", "ipi", vm_exit.u.ipi$offset(), 0, REF),
                off("vm_exit.u", "task_switch", vm_exit.u.task_switch$offset(), 0, REF),

                // inout: u16 bitfield @0; port u16 @2; eax u32 @4
                off("vm_inout", "bitfield", vm_inout.bitfield$offset(), 0, REF),
                off("vm_inout", "port", vm_inout.port$offset(), 2, REF),
                off("vm_inout", "eax", vm_inout.eax$offset(), 4, REF),

                // inout_str: inout @0, paging @8, rflags @32, cr0 @40, index @48, count @56,
                // addrsize @64, seg_name @68, seg_desc @72
                off("vm_inout_str", "inout", vm_inout_str.inout$offset(), 0, REF),
                off("vm_inout_str", "paging", vm_inout_str.paging$offset(), 8, REF),
                off("vm_inout_str", "rflags", vm_inout_str.rflags$offset(), 32, REF),
                off("vm_inout_str", "cr0", vm_inout_str.cr0$offset(), 40, REF),
                off("vm_inout_str", "index", vm_inout_str.index$offset(), 48, REF),
                off("vm_inout_str", "count", vm_inout_str.count$offset(), 56, REF),
                off("vm_inout_str", "addrsize", vm_inout_str.addrsize$offset(), 64, REF),
                off("vm_inout_str", "seg_name", vm_inout_str.seg_name$offset(), 68, REF),
                off("vm_inout_str", "seg_desc", vm_inout_str.seg_desc$offset(), 72, REF),

                // paging: gpa @0, fault_type @8
                off("vm_exit.u.paging", "gpa", vm_exit.u.paging.gpa$offset(), 0, REF),
                off("vm_exit.u.paging", "fault_type", vm_exit.u.paging.fault_type$offset(), 8, REF),

                // inst_emul: gpa @0, gla @8, cs_base @16, cs_d @24, paging @32, vie @56
                off("vm_exit.u.inst_emul", "gpa", vm_exit.u.inst_emul.gpa$offset(), 0, REF),
                off("vm_exit.u.inst_emul", "gla", vm_exit.u.inst_emul.gla$offset(), 8, REF),
                off("vm_exit.u.inst_emul", "cs_base", vm_exit.u.inst_emul.cs_base$offset(), 16, REF),
                off("vm_exit.u.inst_emul", "cs_d", vm_exit.u.inst_emul.cs_d$offset(), 24, REF),
                off("vm_exit.u.inst_emul", "paging", vm_exit.u.inst_emul.paging$offset(), 32, REF),
                off("vm_exit.u.inst_emul", "vie", vm_exit.u.inst_emul.vie$offset(), 56, REF),

                // vmx: status @0, exit_reason @4, exit_qualification @8, inst_type @16, inst_error @20
                off("vm_exit.u.vmx", "status", vm_exit.u.vmx.status$offset(), 0, REF),
                off("vm_exit.u.vmx", "exit_reason", vm_exit.u.vmx.exit_reason$offset(), 4, REF),
                off("vm_exit.u.vmx", "exit_qualification", vm_exit.u.vmx.exit_qualification$offset(), 8, REF),
                off("vm_exit.u.vmx", "inst_type", vm_exit.u.vmx.inst_type$offset(), 16, REF),
                off("vm_exit.u.vmx", "inst_error", vm_exit.u.vmx.inst_error$offset(), 20, REF),

                // svm: exitcode, exitinfo1, exitinfo2 (u64 each)
                off("vm_exit.u.svm", "exitcode", vm_exit.u.svm.exitcode$offset(), 0, DERIVED),
                off("vm_exit.u.svm", "exitinfo1", vm_exit.u.svm.exitinfo1$offset(), 8, DERIVED),
                off("vm_exit.u.svm", "exitinfo2", vm_exit.u.svm.exitinfo2$offset(), 16, DERIVED),

                // bpt: inst_length
                off("vm_exit.u.bpt", "inst_length", vm_exit.u.bpt.inst_length$offset(), 0, DERIVED),

                // dbg: trace_trap, pushf_intercept, tf_shadow_val, paging @16
                off("vm_exit.u.dbg", "trace_trap", vm_exit.u.dbg.trace_trap$offset(), 0, DERIVED),
                off("vm_exit.u.dbg", "pushf_intercept", vm_exit.u.dbg.pushf_intercept$offset(), 4, DERIVED),
                off("vm_exit.u.dbg", "tf_shadow_val", vm_exit.u.dbg.tf_shadow_val$offset(), 8, DERIVED),
                off("vm_exit.u.dbg", "paging", vm_exit.u.dbg.paging$offset(), 16, REF),

                // msr: code u32 @0, wval u64 @8
                off("vm_exit.u.msr", "code", vm_exit.u.msr.code$offset(), 0, REF),
                off("vm_exit.u.msr", "wval", vm_exit.u.msr.wval$offset(), 8, REF),

                // spinup_ap: vcpu @0, rip @8
                off("vm_exit.u.spinup_ap", "vcpu", vm_exit.u.spinup_ap.vcpu$offset(), 0, REF),
                off("vm_exit.u.spinup_ap", "rip", vm_exit.u.spinup_ap.rip$offset(), 8, REF),

                // hlt: rflags, intr_status (the reference gives no types; both are 64-bit)
                off("vm_exit.u.hlt", "rflags", vm_exit.u.hlt.rflags$offset(), 0, DERIVED),
                off("vm_exit.u.hlt", "intr_status", vm_exit.u.hlt.intr_status$offset(), 8, DERIVED),

                // ioapic_eoi: vector; suspended: how
                off("vm_exit.u.ioapic_eoi", "vector", vm_exit.u.ioapic_eoi.vector$offset(), 0, DERIVED),
                off("vm_exit.u.suspended", "how", vm_exit.u.suspended.how$offset(), 0, DERIVED),

                // ipi: mode u32 @0, vector u8 @4
                off("vm_exit.u.ipi", "mode", vm_exit.u.ipi.mode$offset(), 0, REF),
                off("vm_exit.u.ipi", "vector", vm_exit.u.ipi.vector$offset(), 4, REF),

                // task_switch: tsssel u16 @0, ext @4, errcode @8, errcode_valid @12, reason @16, paging @24
                off("vm_task_switch", "tsssel", vm_task_switch.tsssel$offset(), 0, REF),
                off("vm_task_switch", "ext", vm_task_switch.ext$offset(), 4, REF),
                off("vm_task_switch", "errcode", vm_task_switch.errcode$offset(), 8, REF),
                off("vm_task_switch", "errcode_valid", vm_task_switch.errcode_valid$offset(), 12, REF),
                off("vm_task_switch", "reason", vm_task_switch.reason$offset(), 16, REF),
                off("vm_task_switch", "paging", vm_task_switch.paging$offset(), 24, REF),

                // vm_guest_paging = {u64 cr3; int cpl; enum cpu_mode; enum paging_mode} (24 bytes)
                off("vm_guest_paging", "cr3", vm_guest_paging.cr3$offset(), 0, DERIVED),
                off("vm_guest_paging", "cpl", vm_guest_paging.cpl$offset(), 8, DERIVED),
                off("vm_guest_paging", "cpu_mode", vm_guest_paging.cpu_mode$offset(), 12, DERIVED),
                off("vm_guest_paging", "paging_mode", vm_guest_paging.paging_mode$offset(), 16, DERIVED),

                // seg_desc = {u64 base; u32 limit; u32 access}
                off("seg_desc", "base", seg_desc.base$offset(), 0, DERIVED),
                off("seg_desc", "limit", seg_desc.limit$offset(), 8, DERIVED),
                off("seg_desc", "access", seg_desc.access$offset(), 12, DERIVED),

                // {int cpuid; int regnum; u64 regval}
                off("vm_register", "cpuid", vm_register.cpuid$offset(), 0, DERIVED),
                off("vm_register", "regnum", vm_register.regnum$offset(), 4, DERIVED),
                off("vm_register", "regval", vm_register.regval$offset(), 8, DERIVED),

                // {cpuid, regnum, seg_desc} (24 B)
                off("vm_seg_desc", "cpuid", vm_seg_desc.cpuid$offset(), 0, DERIVED),
                off("vm_seg_desc", "regnum", vm_seg_desc.regnum$offset(), 4, DERIVED),
                off("vm_seg_desc", "desc", vm_seg_desc.desc$offset(), 8, DERIVED),

                // {cpuid, u32 count, int *regnums, u64 *regvals}
                off("vm_register_set", "cpuid", vm_register_set.cpuid$offset(), 0, DERIVED),
                off("vm_register_set", "count", vm_register_set.count$offset(), 4, DERIVED),
                off("vm_register_set", "regnums", vm_register_set.regnums$offset(), 8, DERIVED),
                off("vm_register_set", "regvals", vm_register_set.regvals$offset(), 16, DERIVED),

                // {cpuid, captype, capval, allcpus} (16 B)
                off("vm_capability", "cpuid", vm_capability.cpuid$offset(), 0, DERIVED),
                off("vm_capability", "captype", vm_capability.captype$offset(), 4, DERIVED),
                off("vm_capability", "capval", vm_capability.capval$offset(), 8, DERIVED),
                off("vm_capability", "allcpus", vm_capability.allcpus$offset(), 12, DERIVED),

                // vm_memseg{int segid; size_t len; char name[16]; domainset_t *ds_mask; size_t ds_mask_size; int ds_policy;}
                off("vm_memseg", "segid", vm_memseg.segid$offset(), 0, DERIVED),
                off("vm_memseg", "len", vm_memseg.len$offset(), 8, DERIVED),
                off("vm_memseg", "name", vm_memseg.name$offset(), 16, DERIVED),
                off("vm_memseg", "ds_mask", vm_memseg.ds_mask$offset(), 32, DERIVED),
                off("vm_memseg", "ds_mask_size", vm_memseg.ds_mask_size$offset(), 40, DERIVED),
                off("vm_memseg", "ds_policy", vm_memseg.ds_policy$offset(), 48, DERIVED),
                off("vm_memseg_fbsd14", "segid", vm_memseg_fbsd14.segid$offset(), 0, DERIVED),
                off("vm_memseg_fbsd14", "len", vm_memseg_fbsd14.len$offset(), 8, DERIVED),
                off("vm_memseg_fbsd14", "name", vm_memseg_fbsd14.name$offset(), 16, DERIVED),

                // vm_memmap{vm_paddr_t gpa; int segid; vm_ooffset_t segoff; size_t len; int prot; int flags;}
                off("vm_memmap", "gpa", vm_memmap.gpa$offset(), 0, DERIVED),
                off("vm_memmap", "segid", vm_memmap.segid$offset(), 8, DERIVED),
                off("vm_memmap", "segoff", vm_memmap.segoff$offset(), 16, DERIVED),
                off("vm_memmap", "len", vm_memmap.len$offset(), 24, DERIVED),
                off("vm_memmap", "prot", vm_memmap.prot$offset(), 32, DERIVED),
                off("vm_memmap", "flags", vm_memmap.flags$offset(), 36, DERIVED),

                // vm_munmap: 16 bytes, fields not listed (gpa, len)
                off("vm_munmap", "gpa", vm_munmap.gpa$offset(), 0, IOCTL),
                off("vm_munmap", "len", vm_munmap.len$offset(), 8, IOCTL),

                // {cpuid, vector, u32 error_code, error_code_valid, restart_instruction} (20 B)
                off("vm_exception", "cpuid", vm_exception.cpuid$offset(), 0, DERIVED),
                off("vm_exception", "vector", vm_exception.vector$offset(), 4, DERIVED),
                off("vm_exception", "error_code", vm_exception.error_code$offset(), 8, DERIVED),
                off("vm_exception", "error_code_valid", vm_exception.error_code_valid$offset(), 12, DERIVED),
                off("vm_exception", "restart_instruction", vm_exception.restart_instruction$offset(), 16, DERIVED),

                off("vm_lapic_irq", "cpuid", vm_lapic_irq.cpuid$offset(), 0, DERIVED),
                off("vm_lapic_irq", "vector", vm_lapic_irq.vector$offset(), 4, DERIVED),
                // {u64 msg; u64 addr}
                off("vm_lapic_msi", "msg", vm_lapic_msi.msg$offset(), 0, DERIVED),
                off("vm_lapic_msi", "addr", vm_lapic_msi.addr$offset(), 8, DERIVED),
                off("vm_ioapic_irq", "irq", vm_ioapic_irq.irq$offset(), 0, DERIVED),
                off("vm_isa_irq", "atpic_irq", vm_isa_irq.atpic_irq$offset(), 0, DERIVED),
                off("vm_isa_irq", "ioapic_irq", vm_isa_irq.ioapic_irq$offset(), 4, DERIVED),
                off("vm_nmi", "cpuid", vm_nmi.cpuid$offset(), 0, IOCTL),
                off("vm_activate_cpu", "vcpuid", vm_activate_cpu.vcpuid$offset(), 0, IOCTL),
                // {which, cpusetsize, cpuset_t*}
                off("vm_cpuset", "which", vm_cpuset.which$offset(), 0, DERIVED),
                off("vm_cpuset", "cpusetsize", vm_cpuset.cpusetsize$offset(), 4, DERIVED),
                off("vm_cpuset", "cpus", vm_cpuset.cpus$offset(), 8, DERIVED),
                off("vm_suspend", "how", vm_suspend.how$offset(), 0, DERIVED),
                off("vm_intinfo", "vcpuid", vm_intinfo.vcpuid$offset(), 0, IOCTL),
                off("vm_intinfo", "info1", vm_intinfo.info1$offset(), 8, IOCTL),
                off("vm_intinfo", "info2", vm_intinfo.info2$offset(), 16, IOCTL),
                off("vm_x2apic", "cpuid", vm_x2apic.cpuid$offset(), 0, IOCTL),
                off("vm_x2apic", "state", vm_x2apic.state$offset(), 4, IOCTL),
                off("vm_cpu_topology", "sockets", vm_cpu_topology.sockets$offset(), 0, IOCTL),
                off("vm_cpu_topology", "cores", vm_cpu_topology.cores$offset(), 2, IOCTL),
                off("vm_cpu_topology", "threads", vm_cpu_topology.threads$offset(), 4, IOCTL),
                off("vm_cpu_topology", "maxcpus", vm_cpu_topology.maxcpus$offset(), 6, IOCTL),
                off("vm_rtc_data", "offset", vm_rtc_data.offset$offset(), 0, IOCTL),
                off("vm_rtc_data", "value", vm_rtc_data.value$offset(), 4, IOCTL),
                off("vm_rtc_time", "secs", vm_rtc_time.secs$offset(), 0, IOCTL),

                // section 1d: vm_snapshot_meta
                off("vm_snapshot_meta", "dev_data", vm_snapshot_meta.dev_data$offset(), 0, REF),
                off("vm_snapshot_meta", "dev_name", vm_snapshot_meta.dev_name$offset(), 8, REF),
                off("vm_snapshot_meta", "dev_req", vm_snapshot_meta.dev_req$offset(), 16, REF),
                off("vm_snapshot_meta", "buffer", vm_snapshot_meta.buffer$offset(), 24, REF),
                off("vm_snapshot_meta", "op", vm_snapshot_meta.op$offset(), 56, REF),
                // buffer = {buf_start @24; buf_size @32; buf @40; buf_rem @48}, relative to buffer
                off("vm_snapshot_buffer", "buf_start", vm_snapshot_buffer.buf_start$offset(), 24 - 24, REF),
                off("vm_snapshot_buffer", "buf_size", vm_snapshot_buffer.buf_size$offset(), 32 - 24, REF),
                off("vm_snapshot_buffer", "buf", vm_snapshot_buffer.buf$offset(), 40 - 24, REF),
                off("vm_snapshot_buffer", "buf_rem", vm_snapshot_buffer.buf_rem$offset(), 48 - 24, REF),

                // vmmctl structs: {char name[230]; int reserved[16]} = 296
                off("vmmctl_vm_create", "name", vmmctl_vm_create.name$offset(), 0, DERIVED),
                off("vmmctl_vm_create", "reserved", vmmctl_vm_create.reserved$offset(), 232, DERIVED),
                off("vmmctl_vm_destroy", "name", vmmctl_vm_destroy.name$offset(), 0, DERIVED),
                off("vmmctl_vm_destroy", "reserved", vmmctl_vm_destroy.reserved$offset(), 232, DERIVED));
    }

    @ParameterizedTest(name = "sizeof({0}) = {2} [{3}]")
    @MethodSource("sizes")
    void sizeMatchesTheReference(String struct, long actual, long expected, String source) {
        assertThat(actual).as("sizeof(%s) (%s)", struct, source).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}.{1} @ {3} [{4}]")
    @MethodSource("offsets")
    void offsetMatchesTheReference(String struct, String field, long actual, long expected, String source) {
        assertThat(actual).as("offsetof(%s, %s) (%s)", struct, field, source).isEqualTo(expected);
    }

    @Test
    void absoluteOffsetsInsideVmExitMatchTheReference() {
        // section 2: union u @16; inst_emul.vie @56 of u; vm_exit is 136 = 16 + 120 bytes
        assertThat(vm_exit.u$offset() + vm_exit.u.inst_emul.vie$offset()).isEqualTo(72);
        assertThat(vm_exit.u$offset() + vm_exit.u.inst_emul.vie$offset() + vie.sizeof()).isEqualTo(vm_exit.sizeof());
        // section 1d: vm_snapshot_meta.buffer.buf_rem @48
        assertThat(vm_snapshot_meta.buffer$offset() + vm_snapshot_buffer.buf_rem$offset()).isEqualTo(48);
    }

    @Test
    void memsegNameArraysAre16Bytes() {
        assertThat(vm_memseg.name$layout().byteSize()).isEqualTo(16);
        assertThat(vm_memseg_fbsd14.name$layout().byteSize()).isEqualTo(16);
        assertThat(vmmctl_vm_create.name$layout().byteSize()).isEqualTo(vmm_h.VM_MAX_NAMELEN + 1);
        assertThat(vmmctl_vm_create.reserved$dimensions()).containsExactly(16);
    }

    /** Every struct class, top-level and nested, in the vmm package. */
    static List<Class<?>> structClasses() {
        List<Class<?>> top = List.of(
                vm_run.class, vm_exit.class, vie.class, vm_guest_paging.class, seg_desc.class, vm_inout.class,
                vm_inout_str.class, vm_task_switch.class, vm_register.class, vm_seg_desc.class,
                vm_register_set.class, vm_capability.class, vm_memseg.class, vm_memseg_fbsd14.class,
                vm_memmap.class, vm_munmap.class, vm_exception.class, vm_lapic_irq.class, vm_lapic_msi.class,
                vm_ioapic_irq.class, vm_isa_irq.class, vm_nmi.class, vm_activate_cpu.class, vm_cpuset.class,
                vm_suspend.class, vm_intinfo.class, vm_x2apic.class, vm_cpu_topology.class, vm_rtc_data.class,
                vm_rtc_time.class, vm_snapshot_meta.class, vm_snapshot_buffer.class, vmmctl_vm_create.class,
                vmmctl_vm_destroy.class);
        List<Class<?>> all = new ArrayList<>();
        for (Class<?> c : top) {
            addWithNested(c, all);
        }
        return all;
    }

    private static void addWithNested(Class<?> c, List<Class<?>> out) {
        out.add(c);
        for (Class<?> nested : c.getDeclaredClasses()) {
            if (Modifier.isPublic(nested.getModifiers())) {
                addWithNested(nested, out);
            }
        }
    }

    private static String structName(Class<?> c) {
        return c.getCanonicalName().substring(c.getPackageName().length() + 1);
    }

    @Test
    void everyFieldOfEveryStructIsPinnedByARow() {
        Set<String> pinned = offsets().map(a -> a.get()[0] + "." + a.get()[1]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> sized = sizes().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        Set<String> fields = new TreeSet<>();
        for (Class<?> c : structClasses()) {
            assertThat(sized).as("size row for %s", structName(c)).contains(structName(c));
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().endsWith("$offset") && Modifier.isPublic(m.getModifiers())) {
                    fields.add(structName(c) + "." + m.getName().substring(0, m.getName().length() - "$offset".length()));
                }
            }
        }
        assertThat(pinned).containsAll(fields);
        assertThat(fields).containsAll(pinned);
    }

    @Test
    void layoutsHaveTheCSizeAndAlignmentAndNameEveryField() throws ReflectiveOperationException {
        for (Class<?> c : structClasses()) {
            GroupLayout layout = (GroupLayout) c.getMethod("layout").invoke(null);
            long sizeof = (long) c.getMethod("sizeof").invoke(null);
            assertThat(layout.byteSize()).as(structName(c)).isEqualTo(sizeof);
            // C rounds every struct's size up to its alignment; our layouts must carry that tail padding.
            assertThat(sizeof % layout.byteAlignment()).as("tail padding of %s", structName(c)).isZero();
            for (MemoryLayout member : layout.memberLayouts()) {
                if (!(member instanceof PaddingLayout)) {
                    assertThat(member.name()).as("member of %s", structName(c)).isPresent();
                }
            }
        }
    }

    private static Arguments size(String struct, long actual, long expected, String source) {
        return arguments(struct, actual, expected, source);
    }

    private static Arguments off(String struct, String field, long actual, long expected, String source) {
        return arguments(struct, field, actual, expected, source);
    }
}
