package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.linux.kvm.*;
import org.jbhyve.vmm.state.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Conversions between KVM's state structs and the backend-neutral records. */
final class KvmState {
    private KvmState() {}

    static Segment segment(MemorySegment s) {
        return new Segment(kvm_segment.base(s), kvm_segment.limit(s), kvm_segment.selector(s) & 0xffff,
                kvm_segment.type(s) & 0xff, kvm_segment.present(s) != 0, kvm_segment.dpl(s) & 0xff, kvm_segment.db(s) != 0,
                kvm_segment.s(s) != 0, kvm_segment.l(s) != 0, kvm_segment.g(s) != 0, kvm_segment.avl(s) != 0,
                kvm_segment.unusable(s) != 0);
    }

    static void segment(MemorySegment s, Segment v) {
        kvm_segment.base(s, v.base());
        kvm_segment.limit(s, v.limit());
        kvm_segment.selector(s, (short) v.selector());
        kvm_segment.type(s, (byte) v.type());
        kvm_segment.present(s, flag(v.present()));
        kvm_segment.dpl(s, (byte) v.dpl());
        kvm_segment.db(s, flag(v.db()));
        kvm_segment.s(s, flag(v.s()));
        kvm_segment.l(s, flag(v.l()));
        kvm_segment.g(s, flag(v.g()));
        kvm_segment.avl(s, flag(v.avl()));
        kvm_segment.unusable(s, flag(v.unusable()));
    }

    private static byte flag(boolean b) { return (byte) (b ? 1 : 0); }

    static DescriptorTable dtable(MemorySegment d) {
        return new DescriptorTable(kvm_dtable.base(d), kvm_dtable.limit(d) & 0xffff);
    }

    static void dtable(MemorySegment d, DescriptorTable v) {
        kvm_dtable.base(d, v.base());
        kvm_dtable.limit(d, (short) v.limit());
    }

    static SpecialRegisters sregs(MemorySegment s) {
        long[] bitmap = kvm_sregs.interrupt_bitmap(s).toArray(ValueLayout.JAVA_LONG);
        return new SpecialRegisters(segment(kvm_sregs.cs(s)), segment(kvm_sregs.ds(s)), segment(kvm_sregs.es(s)),
                segment(kvm_sregs.fs(s)), segment(kvm_sregs.gs(s)), segment(kvm_sregs.ss(s)),
                segment(kvm_sregs.tr(s)), segment(kvm_sregs.ldt(s)), dtable(kvm_sregs.gdt(s)),
                dtable(kvm_sregs.idt(s)), kvm_sregs.cr0(s), kvm_sregs.cr2(s), kvm_sregs.cr3(s), kvm_sregs.cr4(s),
                kvm_sregs.cr8(s), kvm_sregs.efer(s), kvm_sregs.apic_base(s), bitmap);
    }

    static void sregs(MemorySegment s, SpecialRegisters v) {
        segment(kvm_sregs.cs(s), v.cs());
        segment(kvm_sregs.ds(s), v.ds());
        segment(kvm_sregs.es(s), v.es());
        segment(kvm_sregs.fs(s), v.fs());
        segment(kvm_sregs.gs(s), v.gs());
        segment(kvm_sregs.ss(s), v.ss());
        segment(kvm_sregs.tr(s), v.tr());
        segment(kvm_sregs.ldt(s), v.ldt());
        dtable(kvm_sregs.gdt(s), v.gdt());
        dtable(kvm_sregs.idt(s), v.idt());
        kvm_sregs.cr0(s, v.cr0());
        kvm_sregs.cr2(s, v.cr2());
        kvm_sregs.cr3(s, v.cr3());
        kvm_sregs.cr4(s, v.cr4());
        kvm_sregs.cr8(s, v.cr8());
        kvm_sregs.efer(s, v.efer());
        kvm_sregs.apic_base(s, v.apicBase());
        long[] bitmap = v.interruptBitmap();
        for (int i = 0; i < 4; i++) kvm_sregs.interrupt_bitmap(s, i, bitmap[i]);
    }

    static FpuState fpu(MemorySegment f) {
        return new FpuState(kvm_fpu.fpr(f).toArray(ValueLayout.JAVA_BYTE), kvm_fpu.fcw(f) & 0xffff,
                kvm_fpu.fsw(f) & 0xffff, kvm_fpu.ftwx(f) & 0xff, kvm_fpu.last_opcode(f) & 0xffff,
                kvm_fpu.last_ip(f), kvm_fpu.last_dp(f), kvm_fpu.xmm(f).toArray(ValueLayout.JAVA_BYTE),
                kvm_fpu.mxcsr(f));
    }

    static void fpu(MemorySegment f, FpuState v) {
        MemorySegment.copy(v.fpr(), 0, f, ValueLayout.JAVA_BYTE, kvm_fpu.fpr$offset(), 128);
        kvm_fpu.fcw(f, (short) v.fcw());
        kvm_fpu.fsw(f, (short) v.fsw());
        kvm_fpu.ftwx(f, (byte) v.ftwx());
        kvm_fpu.last_opcode(f, (short) v.lastOpcode());
        kvm_fpu.last_ip(f, v.lastIp());
        kvm_fpu.last_dp(f, v.lastDp());
        MemorySegment.copy(v.xmm(), 0, f, ValueLayout.JAVA_BYTE, kvm_fpu.xmm$offset(), 256);
        kvm_fpu.mxcsr(f, v.mxcsr());
    }

    static DebugRegisters debugRegisters(MemorySegment d) {
        return new DebugRegisters(kvm_debugregs.db(d, 0), kvm_debugregs.db(d, 1), kvm_debugregs.db(d, 2),
                kvm_debugregs.db(d, 3), kvm_debugregs.dr6(d), kvm_debugregs.dr7(d));
    }

    /** Fills {@code d}; flags and the reserved words stay 0, as KVM_SET_DEBUGREGS requires. */
    static void debugRegisters(MemorySegment d, DebugRegisters v) {
        d.fill((byte) 0);
        for (int i = 0; i < 4; i++) kvm_debugregs.db(d, i, v.address(i));
        kvm_debugregs.dr6(d, v.dr6());
        kvm_debugregs.dr7(d, v.dr7());
    }

    static VcpuEvents events(MemorySegment e) {
        MemorySegment ex = kvm_vcpu_events.exception(e), in = kvm_vcpu_events.interrupt(e),
                nmi = kvm_vcpu_events.nmi(e), smi = kvm_vcpu_events.smi(e);
        return new VcpuEvents(
                kvm_vcpu_events_exception.injected(ex) != 0, kvm_vcpu_events_exception.nr(ex) & 0xff,
                kvm_vcpu_events_exception.has_error_code(ex) != 0, kvm_vcpu_events_exception.pending(ex) != 0,
                kvm_vcpu_events_exception.error_code(ex),
                kvm_vcpu_events_interrupt.injected(in) != 0, kvm_vcpu_events_interrupt.nr(in) & 0xff,
                kvm_vcpu_events_interrupt.soft(in) != 0, kvm_vcpu_events_interrupt.shadow(in) & 0xff,
                kvm_vcpu_events_nmi.injected(nmi) != 0, kvm_vcpu_events_nmi.pending(nmi) != 0,
                kvm_vcpu_events_nmi.masked(nmi) != 0, kvm_vcpu_events.sipi_vector(e),
                kvm_vcpu_events_smi.smm(smi) != 0, kvm_vcpu_events_smi.pending(smi) != 0,
                kvm_vcpu_events_smi.smm_inside_nmi(smi) != 0, kvm_vcpu_events_smi.latched_init(smi) != 0,
                kvm_vcpu_events.triple_fault_pending(e) != 0, kvm_vcpu_events.exception_has_payload(e) != 0,
                kvm_vcpu_events.exception_payload(e));
    }

    static void events(MemorySegment e, VcpuEvents v) {
        MemorySegment ex = kvm_vcpu_events.exception(e), in = kvm_vcpu_events.interrupt(e),
                nmi = kvm_vcpu_events.nmi(e), smi = kvm_vcpu_events.smi(e);
        kvm_vcpu_events_exception.injected(ex, flag(v.exceptionInjected()));
        kvm_vcpu_events_exception.nr(ex, (byte) v.exceptionNr());
        kvm_vcpu_events_exception.has_error_code(ex, flag(v.exceptionHasErrorCode()));
        kvm_vcpu_events_exception.pending(ex, flag(v.exceptionPending()));
        kvm_vcpu_events_exception.error_code(ex, v.exceptionErrorCode());
        kvm_vcpu_events_interrupt.injected(in, flag(v.interruptInjected()));
        kvm_vcpu_events_interrupt.nr(in, (byte) v.interruptNr());
        kvm_vcpu_events_interrupt.soft(in, flag(v.interruptSoft()));
        kvm_vcpu_events_interrupt.shadow(in, (byte) v.interruptShadow());
        kvm_vcpu_events_nmi.injected(nmi, flag(v.nmiInjected()));
        kvm_vcpu_events_nmi.pending(nmi, flag(v.nmiPending()));
        kvm_vcpu_events_nmi.masked(nmi, flag(v.nmiMasked()));
        kvm_vcpu_events.sipi_vector(e, v.sipiVector());
        kvm_vcpu_events_smi.smm(smi, flag(v.smm()));
        kvm_vcpu_events_smi.pending(smi, flag(v.smiPending()));
        kvm_vcpu_events_smi.smm_inside_nmi(smi, flag(v.smmInsideNmi()));
        kvm_vcpu_events_smi.latched_init(smi, flag(v.latchedInit()));
        kvm_vcpu_events.triple_fault_pending(e, flag(v.tripleFaultPending()));
        kvm_vcpu_events.exception_has_payload(e, flag(v.exceptionHasPayload()));
        kvm_vcpu_events.exception_payload(e, v.exceptionPayload());
        // Tell KVM which optional parts are meant: NMI pending, SIPI vector, the interrupt shadow, and the
        // SMM part, which also carries a latched INIT (an INIT that arrived while it was blocked).
        kvm_vcpu_events.flags(e, kvm_h.KVM_VCPUEVENT_VALID_NMI_PENDING | kvm_h.KVM_VCPUEVENT_VALID_SIPI_VECTOR
                | kvm_h.KVM_VCPUEVENT_VALID_SHADOW | kvm_h.KVM_VCPUEVENT_VALID_SMM);
    }
}
