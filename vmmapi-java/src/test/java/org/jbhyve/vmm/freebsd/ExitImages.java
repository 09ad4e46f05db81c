package org.jbhyve.vmm.freebsd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Hand-made byte images of {@code struct vm_exit} (136 bytes, little-endian), written with raw offsets from
 * shared/reference/freebsd-bhyve.md, section 2, independently of the bindings and of {@link ExitLayout}:
 * exitcode @0, inst_length @4, rip @8, union u @16. Offsets below are relative to u:
 * <ul>
 *   <li>inout: bits (bytes:3, in:1, string:1, rep:1) @0, port u16 @2, eax u32 @4;</li>
 *   <li>inout_str: inout @0, paging @8 (cr3 @0, cpl @8, cpu_mode @12, paging_mode @16), rflags @32, cr0 @40,
 *       index @48, count @56, addrsize @64, seg_name @68, seg_desc @72 (base @0, limit @8, access @12);</li>
 *   <li>inst_emul: gpa @0, gla @8, cs_base @16, cs_d @24, paging @32, vie @56;</li>
 *   <li>vmx: status @0, exit_reason @4, exit_qualification @8, inst_type @16, inst_error @20;</li>
 *   <li>svm: exitcode @0, exitinfo1 @8, exitinfo2 @16;</li>
 *   <li>msr: code u32 @0, wval u64 @8; spinup_ap: vcpu @0, rip @8; hlt: rflags @0; suspended: how @0;
 *       ipi: mode u32 @0, vector u8 @4.</li>
 * </ul>
 */
final class ExitImages {
    private ExitImages() {}

    static final int U = 16;
    static final int INOUT = 0, VMX = 1, BOGUS = 2, RDMSR = 3, WRMSR = 4, HLT = 5, MTRAP = 6, PAUSE = 7, PAGING = 8,
            INST_EMUL = 9, SPINUP_AP = 10, RENDEZVOUS = 12, SUSPENDED = 14, INOUT_STR = 15, TASK_SWITCH = 16,
            SVM = 19, REQIDLE = 20, DEBUG = 21, BPT = 23, IPI = 24, DB = 25;

    static ByteBuffer blank(int exitcode, int instLength, long rip) {
        ByteBuffer b = ByteBuffer.allocate(136).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, exitcode);
        b.putInt(4, instLength);
        b.putLong(8, rip);
        return b;
    }

    static short inoutBits(int bytes, boolean in, boolean string, boolean rep) {
        return (short) (bytes | (in ? 1 << 3 : 0) | (string ? 1 << 4 : 0) | (rep ? 1 << 5 : 0));
    }

    static byte[] out(int port, int size, int value, long rip, int instLength) {
        ByteBuffer b = blank(INOUT, instLength, rip);
        b.putShort(U, inoutBits(size, false, false, false));
        b.putShort(U + 2, (short) port);
        b.putInt(U + 4, value);
        return b.array();
    }

    static byte[] in(int port, int size, int eax, long rip, int instLength) {
        ByteBuffer b = blank(INOUT, instLength, rip);
        b.putShort(U, inoutBits(size, true, false, false));
        b.putShort(U + 2, (short) port);
        b.putInt(U + 4, eax);
        return b.array();
    }

    /** A string I/O exit; {@code segName} a VM_REG_GUEST_* number, paging = {cr3, cpl, cpu_mode, paging_mode}. */
    static byte[] inoutStr(int port, int size, boolean in, boolean rep, long rip, int instLength, long cr3, int cpl,
                           int cpuMode, int pagingMode, long rflags, long cr0, long index, long count, int addrsize,
                           int segName, long segBase) {
        ByteBuffer b = blank(INOUT_STR, instLength, rip);
        b.putShort(U, inoutBits(size, in, true, rep));
        b.putShort(U + 2, (short) port);
        b.putLong(U + 8, cr3);
        b.putInt(U + 16, cpl);
        b.putInt(U + 20, cpuMode);
        b.putInt(U + 24, pagingMode);
        b.putLong(U + 32, rflags);
        b.putLong(U + 40, cr0);
        b.putLong(U + 48, index);
        b.putLong(U + 56, count);
        b.putInt(U + 64, addrsize);
        b.putInt(U + 68, segName);
        b.putLong(U + 72, segBase);
        b.putInt(U + 80, 0xffff_ffff);
        b.putInt(U + 84, 0xc093);
        return b.array();
    }

    static byte[] instEmul(long rip, long gpa, long gla, long csBase, int csD, long cr3, int cpl, int cpuMode,
                           int pagingMode) {
        ByteBuffer b = blank(INST_EMUL, 0, rip);
        b.putLong(U, gpa);
        b.putLong(U + 8, gla);
        b.putLong(U + 16, csBase);
        b.putInt(U + 24, csD);
        b.putLong(U + 32, cr3);
        b.putInt(U + 40, cpl);
        b.putInt(U + 44, cpuMode);
        b.putInt(U + 48, pagingMode);
        for (int i = U + 56; i < 136; i++) b.put(i, (byte) 0xee); // struct vie: opaque to jbhyve
        return b.array();
    }

    static byte[] rdmsr(int msr, long rip) {
        ByteBuffer b = blank(RDMSR, 2, rip);
        b.putInt(U, msr);
        return b.array();
    }

    static byte[] wrmsr(int msr, long value, long rip) {
        ByteBuffer b = blank(WRMSR, 2, rip);
        b.putInt(U, msr);
        b.putLong(U + 8, value);
        return b.array();
    }

    static byte[] hlt(long rip, long rflags) {
        ByteBuffer b = blank(HLT, 1, rip);
        b.putLong(U, rflags);
        return b.array();
    }

    static byte[] suspended(int how, long rip) {
        ByteBuffer b = blank(SUSPENDED, 0, rip);
        b.putInt(U, how);
        return b.array();
    }

    static byte[] ipi(int mode, int vector, long rip) {
        ByteBuffer b = blank(IPI, 0, rip);
        b.putInt(U, mode);
        b.put(U + 4, (byte) vector);
        return b.array();
    }

    static byte[] spinupAp(int vcpu, long apRip, long rip) {
        ByteBuffer b = blank(SPINUP_AP, 0, rip);
        b.putInt(U, vcpu);
        b.putLong(U + 8, apRip);
        return b.array();
    }

    static byte[] vmx(int status, int reason, long qualification, int instType, int instError, long rip) {
        ByteBuffer b = blank(VMX, 0, rip);
        b.putInt(U, status);
        b.putInt(U + 4, reason);
        b.putLong(U + 8, qualification);
        b.putInt(U + 16, instType);
        b.putInt(U + 20, instError);
        return b.array();
    }

    static byte[] svm(long exitcode, long info1, long info2, long rip) {
        ByteBuffer b = blank(SVM, 0, rip);
        b.putLong(U, exitcode);
        b.putLong(U + 8, info1);
        b.putLong(U + 16, info2);
        return b.array();
    }

    static byte[] plain(int exitcode, long rip) {
        return blank(exitcode, 0, rip).array();
    }
}
