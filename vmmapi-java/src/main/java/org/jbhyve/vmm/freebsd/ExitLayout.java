package org.jbhyve.vmm.freebsd;

import org.jbhyve.bindings.freebsd.vmm.seg_desc;
import org.jbhyve.bindings.freebsd.vmm.vm_exit;
import org.jbhyve.bindings.freebsd.vmm.vm_guest_paging;
import org.jbhyve.bindings.freebsd.vmm.vm_inout;
import org.jbhyve.bindings.freebsd.vmm.vm_inout_str;

/**
 * Absolute byte offsets of the {@code struct vm_exit} fields the backend reads, from the bindings (which
 * tests pin to shared/reference/freebsd-bhyve.md, section 2). Reading a field is then one
 * {@code MemorySegment.get} at a constant offset, with no slice object: the exit decoder allocates
 * nothing.
 */
final class ExitLayout {
    private ExitLayout() {}

    static final long SIZE = vm_exit.sizeof();
    static final long EXITCODE = vm_exit.exitcode$offset();
    static final long INST_LENGTH = vm_exit.inst_length$offset();
    static final long RIP = vm_exit.rip$offset();
    static final long U = vm_exit.u$offset();

    // inout / inout_str
    static final long INOUT = U + vm_exit.u.inout$offset();
    static final long INOUT_BITS = INOUT + vm_inout.bitfield$offset();
    static final long INOUT_PORT = INOUT + vm_inout.port$offset();
    static final long INOUT_EAX = INOUT + vm_inout.eax$offset();
    static final long STR = U + vm_exit.u.inout_str$offset();
    static final long STR_PAGING = STR + vm_inout_str.paging$offset();
    static final long STR_RFLAGS = STR + vm_inout_str.rflags$offset();
    static final long STR_CR0 = STR + vm_inout_str.cr0$offset();
    static final long STR_INDEX = STR + vm_inout_str.index$offset();
    static final long STR_COUNT = STR + vm_inout_str.count$offset();
    static final long STR_ADDRSIZE = STR + vm_inout_str.addrsize$offset();
    static final long STR_SEG_NAME = STR + vm_inout_str.seg_name$offset();
    static final long STR_SEG_BASE = STR + vm_inout_str.seg_desc$offset() + seg_desc.base$offset();

    // vm_guest_paging, relative to the struct
    static final long PAGING_CR3 = vm_guest_paging.cr3$offset();
    static final long PAGING_CPL = vm_guest_paging.cpl$offset();
    static final long PAGING_CPU_MODE = vm_guest_paging.cpu_mode$offset();
    static final long PAGING_MODE = vm_guest_paging.paging_mode$offset();

    // inst_emul
    static final long EMUL = U + vm_exit.u.inst_emul$offset();
    static final long EMUL_GPA = EMUL + vm_exit.u.inst_emul.gpa$offset();
    static final long EMUL_GLA = EMUL + vm_exit.u.inst_emul.gla$offset();
    static final long EMUL_CS_BASE = EMUL + vm_exit.u.inst_emul.cs_base$offset();
    static final long EMUL_CS_D = EMUL + vm_exit.u.inst_emul.cs_d$offset();
    static final long EMUL_PAGING = EMUL + vm_exit.u.inst_emul.paging$offset();

    // vmx / svm
    static final long VMX = U + vm_exit.u.vmx$offset();
    static final long VMX_STATUS = VMX + vm_exit.u.vmx.status$offset();
    static final long VMX_REASON = VMX + vm_exit.u.vmx.exit_reason$offset();
    static final long VMX_QUALIFICATION = VMX + vm_exit.u.vmx.exit_qualification$offset();
    static final long VMX_INST_TYPE = VMX + vm_exit.u.vmx.inst_type$offset();
    static final long VMX_INST_ERROR = VMX + vm_exit.u.vmx.inst_error$offset();
    static final long SVM = U + vm_exit.u.svm$offset();
    static final long SVM_EXITCODE = SVM + vm_exit.u.svm.exitcode$offset();
    static final long SVM_EXITINFO1 = SVM + vm_exit.u.svm.exitinfo1$offset();
    static final long SVM_EXITINFO2 = SVM + vm_exit.u.svm.exitinfo2$offset();

    // msr, suspended, ipi, spinup_ap, hlt
    static final long MSR_CODE = U + vm_exit.u.msr$offset() + vm_exit.u.msr.code$offset();
    static final long MSR_WVAL = U + vm_exit.u.msr$offset() + vm_exit.u.msr.wval$offset();
    static final long SUSPENDED_HOW = U + vm_exit.u.suspended$offset() + vm_exit.u.suspended.how$offset();
    static final long IPI_MODE = U + vm_exit.u.ipi$offset() + vm_exit.u.ipi.mode$offset();
    static final long IPI_VECTOR = U + vm_exit.u.ipi$offset() + vm_exit.u.ipi.vector$offset();
    static final long SPINUP_VCPU = U + vm_exit.u.spinup_ap$offset() + vm_exit.u.spinup_ap.vcpu$offset();
    static final long SPINUP_RIP = U + vm_exit.u.spinup_ap$offset() + vm_exit.u.spinup_ap.rip$offset();
    static final long HLT_RFLAGS = U + vm_exit.u.hlt$offset() + vm_exit.u.hlt.rflags$offset();
}
