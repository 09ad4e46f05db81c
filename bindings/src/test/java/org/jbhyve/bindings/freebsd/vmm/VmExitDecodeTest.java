package org.jbhyve.bindings.freebsd.vmm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decodes hand-made byte images of {@code struct vm_exit} (little-endian, laid out by the offsets in
 * shared/reference/freebsd-bhyve.md section 2: exitcode @0, inst_length @4, rip @8, union u @16;
 * inout bitfield bits 0-2 bytes, 3 in, 4 string, 5 rep @u+0, port @u+2, eax @u+4; inout_str
 * rflags @u+32, count @u+56, addrsize @u+64, seg_name @u+68, seg_desc @u+72; inst_emul gpa @u+0,
 * gla @u+8, cs_base @u+16, cs_d @u+24, paging @u+32, vie @u+56). The images are built with raw
 * byte offsets, independently of the bindings, then read back through them.
 */
class VmExitDecodeTest {

    private static final int U = 16;

    private static ByteBuffer image() {
        return ByteBuffer.allocate(136).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static MemorySegment load(Arena arena, ByteBuffer image) {
        MemorySegment exit = vm_exit.allocate(arena);
        MemorySegment.copy(MemorySegment.ofArray(image.array()), 0, exit, 0, 136);
        return exit;
    }

    @Test
    void outbTo3f8() {
        ByteBuffer b = image();
        b.putInt(0, 0);                      // exitcode = VM_EXITCODE_INOUT
        b.putInt(4, 1);                      // inst_length: "out %al,(%dx)" is one byte
        b.putLong(8, 0xffff_fff0L);          // rip
        b.putShort(U, (short) 0b000_001);    // bytes = 1, in = 0, string = 0, rep = 0
        b.putShort(U + 2, (short) 0x3f8);    // port (COM1)
        b.putInt(U + 4, 'A');                // eax: the byte written
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment exit = load(arena, b);
            assertThat(vm_exit.exitcode(exit)).isEqualTo(vmm_h.VM_EXITCODE_INOUT);
            assertThat(vm_exit.inst_length(exit)).isEqualTo(1);
            assertThat(vm_exit.rip(exit)).isEqualTo(0xffff_fff0L);

            MemorySegment io = vm_exit.u.inout(vm_exit.u(exit));
            assertThat(io.byteSize()).isEqualTo(8);
            assertThat(vm_inout.bytes(io)).isEqualTo(1);
            assertThat(vm_inout.in(io)).isFalse();
            assertThat(vm_inout.string(io)).isFalse();
            assertThat(vm_inout.rep(io)).isFalse();
            assertThat(Short.toUnsignedInt(vm_inout.port(io))).isEqualTo(0x3f8);
            assertThat(vm_inout.eax(io) & 0xff).isEqualTo('A');
        }
    }

    @Test
    void repInslFromCfcThroughInoutStr() {
        ByteBuffer b = image();
        b.putInt(0, 15);                                 // VM_EXITCODE_INOUT_STR
        b.putInt(4, 2);                                  // "rep insl (%dx),%es:(%rdi)"
        b.putLong(8, 0x7c00);
        b.putShort(U, (short) (4 | 1 << 3 | 1 << 4 | 1 << 5)); // bytes 4, in, string, rep
        b.putShort(U + 2, (short) 0xcfc);
        b.putLong(U + 8, 0x1000);                        // paging.cr3
        b.putLong(U + 32, 0x202);                        // rflags
        b.putLong(U + 40, 0x8001_0031L);                 // cr0
        b.putLong(U + 48, 0x5000);                       // index (RDI)
        b.putLong(U + 56, 3);                            // count (RCX)
        b.putInt(U + 64, 8);                             // addrsize
        b.putInt(U + 68, 22);                            // seg_name = VM_REG_GUEST_ES
        b.putLong(U + 72, 0x1234_0000L);                 // seg_desc.base
        b.putInt(U + 80, 0xffff_ffff);                   // seg_desc.limit
        b.putInt(U + 84, 0xc093);                        // seg_desc.access
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment exit = load(arena, b);
            assertThat(vm_exit.exitcode(exit)).isEqualTo(vmm_h.VM_EXITCODE_INOUT_STR);

            MemorySegment str = vm_exit.u.inout_str(vm_exit.u(exit));
            MemorySegment io = vm_inout_str.inout(str);
            assertThat(vm_inout.bytes(io)).isEqualTo(4);
            assertThat(vm_inout.in(io)).isTrue();
            assertThat(vm_inout.string(io)).isTrue();
            assertThat(vm_inout.rep(io)).isTrue();
            assertThat(Short.toUnsignedInt(vm_inout.port(io))).isEqualTo(0xcfc);

            assertThat(vm_guest_paging.cr3(vm_inout_str.paging(str))).isEqualTo(0x1000);
            assertThat(vm_inout_str.rflags(str)).isEqualTo(0x202);
            assertThat(vm_inout_str.cr0(str)).isEqualTo(0x8001_0031L);
            assertThat(vm_inout_str.index(str)).isEqualTo(0x5000);
            assertThat(vm_inout_str.count(str)).isEqualTo(3);
            assertThat(vm_inout_str.addrsize(str)).isEqualTo(8);
            assertThat(vm_inout_str.seg_name(str)).isEqualTo(vmm_h.VM_REG_GUEST_ES);
            MemorySegment desc = vm_inout_str.seg_desc(str);
            assertThat(seg_desc.base(desc)).isEqualTo(0x1234_0000L);
            assertThat(Integer.toUnsignedLong(seg_desc.limit(desc))).isEqualTo(0xffff_ffffL);
            assertThat(seg_desc.access(desc)).isEqualTo(0xc093);
        }
    }

    @Test
    void bitfieldDecodersIgnoreTheUnusedBitsAndPortIsUnsigned() {
        short bits = (short) (0xffc0 | 2 | 1 << 3);     // junk in bits 6-15; bytes 2, in
        assertThat(vm_inout.bytes(bits)).isEqualTo(2);
        assertThat(vm_inout.in(bits)).isTrue();
        assertThat(vm_inout.string(bits)).isFalse();
        assertThat(vm_inout.rep(bits)).isFalse();

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment io = vm_inout.allocate(arena);
            vm_inout.bitfield(io, vm_inout.encode(2, false, true, false));
            vm_inout.port(io, (short) 0xfffe);
            assertThat(io.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) 0b010_010);
            assertThat(vm_inout.string(io)).isTrue();
            assertThat(Short.toUnsignedInt(vm_inout.port(io))).isEqualTo(0xfffe);
        }
        assertThat(vm_inout.encode(4, true, true, true)).isEqualTo((short) 0x3c);
        assertThatThrownBy(() -> vm_inout.encode(8, false, false, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instEmulMmioRead() {
        ByteBuffer b = image();
        b.putInt(0, 9);                                  // VM_EXITCODE_INST_EMUL
        b.putLong(8, 0xffff_8000_0010_0000L);
        b.putLong(U, 0xfee0_0300L);                      // gpa: LAPIC ICR low
        b.putLong(U + 8, 0xffff_8000_fee0_0300L);        // gla
        b.putLong(U + 16, 0);                            // cs_base
        b.putInt(U + 24, 1);                             // cs_d
        b.putLong(U + 32, 0x0123_4000L);                 // paging.cr3
        b.putInt(U + 40, 0);                             // paging.cpl
        b.putInt(U + 44, 3);                             // paging.cpu_mode
        b.putInt(U + 48, 3);                             // paging.paging_mode
        for (int i = 0; i < 64; i++) {
            b.put(U + 56 + i, (byte) (0x80 + i));        // vie, opaque
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment exit = load(arena, b);
            assertThat(vm_exit.exitcode(exit)).isEqualTo(vmm_h.VM_EXITCODE_INST_EMUL);
            MemorySegment emul = vm_exit.u.inst_emul(vm_exit.u(exit));
            assertThat(vm_exit.u.inst_emul.gpa(emul)).isEqualTo(0xfee0_0300L);
            assertThat(vm_exit.u.inst_emul.gla(emul)).isEqualTo(0xffff_8000_fee0_0300L);
            assertThat(vm_exit.u.inst_emul.cs_base(emul)).isZero();
            assertThat(vm_exit.u.inst_emul.cs_d(emul)).isEqualTo(1);
            MemorySegment paging = vm_exit.u.inst_emul.paging(emul);
            assertThat(vm_guest_paging.cr3(paging)).isEqualTo(0x0123_4000L);
            assertThat(vm_guest_paging.cpl(paging)).isZero();
            assertThat(vm_guest_paging.cpu_mode(paging)).isEqualTo(3);
            assertThat(vm_guest_paging.paging_mode(paging)).isEqualTo(3);
            MemorySegment vie = vm_exit.u.inst_emul.vie(emul);
            assertThat(vie.byteSize()).isEqualTo(64);
            assertThat(vie.address() - exit.address()).isEqualTo(72);
            assertThat(vie.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x80);
            assertThat(vie.get(ValueLayout.JAVA_BYTE, 63)).isEqualTo((byte) 0xbf);
        }
    }

    @Test
    void otherUnionMembersReadTheirDocumentedOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            ByteBuffer b = image();
            b.putInt(U, 0xc000_0080);                    // msr.code (EFER)
            b.putLong(U + 8, 0xd01L);                    // msr.wval
            MemorySegment u = vm_exit.u(load(arena, b));
            assertThat(vm_exit.u.msr.code(vm_exit.u.msr(u))).isEqualTo(0xc000_0080);
            assertThat(vm_exit.u.msr.wval(vm_exit.u.msr(u))).isEqualTo(0xd01L);

            b = image();
            b.putInt(U, 5);                              // ipi.mode (APIC_DELMODE_INIT >> 8)
            b.put(U + 4, (byte) 0x9a);                   // ipi.vector
            u = vm_exit.u(load(arena, b));
            assertThat(vm_exit.u.ipi.mode(vm_exit.u.ipi(u))).isEqualTo(5);
            assertThat(Byte.toUnsignedInt(vm_exit.u.ipi.vector(vm_exit.u.ipi(u)))).isEqualTo(0x9a);

            b = image();
            b.putInt(U, 2);                              // suspended.how = VM_SUSPEND_POWEROFF
            u = vm_exit.u(load(arena, b));
            assertThat(vm_exit.u.suspended.how(vm_exit.u.suspended(u))).isEqualTo(vmm_h.VM_SUSPEND_POWEROFF);

            b = image();
            b.putInt(U, 0);                              // vmx.status
            b.putInt(U + 4, 48);                         // vmx.exit_reason (EPT violation)
            b.putLong(U + 8, 0x181);                     // vmx.exit_qualification
            b.putInt(U + 16, 7);                         // vmx.inst_type
            b.putInt(U + 20, 9);                         // vmx.inst_error
            MemorySegment vmx = vm_exit.u.vmx(vm_exit.u(load(arena, b)));
            assertThat(vm_exit.u.vmx.exit_reason(vmx)).isEqualTo(48);
            assertThat(vm_exit.u.vmx.exit_qualification(vmx)).isEqualTo(0x181);
            assertThat(vm_exit.u.vmx.inst_type(vmx)).isEqualTo(7);
            assertThat(vm_exit.u.vmx.inst_error(vmx)).isEqualTo(9);

            b = image();
            b.putShort(U, (short) 0x28);                 // task_switch.tsssel
            b.putInt(U + 4, 1);                          // ext
            b.putInt(U + 8, 0x10);                       // errcode
            b.putInt(U + 12, 1);                         // errcode_valid
            b.putInt(U + 16, 3);                         // reason = TSR_IDT_GATE
            b.putLong(U + 24, 0xabc000L);                // paging.cr3
            MemorySegment ts = vm_exit.u.task_switch(vm_exit.u(load(arena, b)));
            assertThat(vm_task_switch.tsssel(ts)).isEqualTo((short) 0x28);
            assertThat(vm_task_switch.ext(ts)).isEqualTo(1);
            assertThat(vm_task_switch.errcode(ts)).isEqualTo(0x10);
            assertThat(vm_task_switch.errcode_valid(ts)).isEqualTo(1);
            assertThat(vm_task_switch.reason(ts)).isEqualTo(3);
            assertThat(vm_guest_paging.cr3(vm_task_switch.paging(ts))).isEqualTo(0xabc000L);
        }
    }

    @Test
    void settersWriteWhereTheKernelReads() {
        try (Arena arena = Arena.ofConfined()) {
            // vm_run: cpuid @0, cpuset @8, cpusetsize @16, vm_exit @24 (section 2)
            MemorySegment run = vm_run.allocate(arena);
            MemorySegment exit = vm_exit.allocate(arena);
            vm_run.cpuid(run, 3);
            vm_run.cpusetsize(run, 128);
            vm_run.vm_exit(run, exit);
            assertThat(run.get(ValueLayout.JAVA_INT, 0)).isEqualTo(3);
            assertThat(run.get(ValueLayout.JAVA_LONG, 16)).isEqualTo(128);
            assertThat(run.get(ValueLayout.JAVA_LONG, 24)).isEqualTo(exit.address());
            assertThat(vm_run.vm_exit(run).address()).isEqualTo(exit.address());

            // vm_snapshot_meta: buffer.buf_rem @48, op @56 (section 1d)
            MemorySegment meta = vm_snapshot_meta.allocate(arena);
            vm_snapshot_meta.dev_req(meta, vmm_h.STRUCT_VRTC);
            vm_snapshot_buffer.buf_size(vm_snapshot_meta.buffer(meta), 4096);
            vm_snapshot_buffer.buf_rem(vm_snapshot_meta.buffer(meta), 1000);
            vm_snapshot_meta.op(meta, vmm_h.VM_SNAPSHOT_RESTORE);
            assertThat(meta.get(ValueLayout.JAVA_INT, 16)).isEqualTo(10);
            assertThat(meta.get(ValueLayout.JAVA_LONG, 32)).isEqualTo(4096);
            assertThat(meta.get(ValueLayout.JAVA_LONG, 48)).isEqualTo(1000);
            assertThat(meta.get(ValueLayout.JAVA_INT, 56)).isEqualTo(1);

            // vm_memseg name[16] @16; ds_policy @48
            MemorySegment seg = vm_memseg.allocate(arena);
            MemorySegment name = arena.allocate(vm_memseg.name$layout());
            name.setString(0, "bootrom");
            vm_memseg.name(seg, name);
            vm_memseg.ds_policy(seg, 7);
            assertThat(seg.asSlice(16).getString(0)).isEqualTo("bootrom");
            assertThat(vm_memseg.name(seg, 6)).isEqualTo((byte) 'm');
            assertThat(seg.get(ValueLayout.JAVA_INT, 48)).isEqualTo(7);
        }
    }
}
