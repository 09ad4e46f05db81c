// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_run} from {@code <linux/kvm.h>} (x86-64, 304 bytes): the shared vCPU run page (mmapped from the vCPU fd); the exit detail union is reached through the nested classes. The synced-register area that follows is not bound. */
@SuppressWarnings("unused")
public final class kvm_run {
    private kvm_run() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("request_interrupt_window"),
            JAVA_BYTE.withName("immediate_exit"),
            MemoryLayout.sequenceLayout(6, JAVA_BYTE).withName("padding1"),
            JAVA_INT.withName("exit_reason"),
            JAVA_BYTE.withName("ready_for_interrupt_injection"),
            JAVA_BYTE.withName("if_flag"),
            JAVA_SHORT.withName("flags"),
            JAVA_LONG.withName("cr8"),
            JAVA_LONG.withName("apic_base"),
            MemoryLayout.unionLayout(kvm_run_hw.layout().withName("hw"), kvm_run_fail_entry.layout().withName("fail_entry"), kvm_run_ex.layout().withName("ex"), kvm_run_io.layout().withName("io"), kvm_run_mmio.layout().withName("mmio"), kvm_run_internal.layout().withName("internal"), kvm_run_system_event.layout().withName("system_event"), kvm_run_msr.layout().withName("msr"), MemoryLayout.paddingLayout(256)).withName("$anon0"),
            JAVA_LONG.withName("kvm_valid_regs"),
            JAVA_LONG.withName("kvm_dirty_regs")).withName("kvm_run");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 304; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long request_interrupt_window$OFFSET = 0;
    /** Offset of field {@code request_interrupt_window}. */
    public static long request_interrupt_window$offset() { return request_interrupt_window$OFFSET; }
    public static byte request_interrupt_window(MemorySegment struct) { return struct.get(JAVA_BYTE, request_interrupt_window$OFFSET); }
    public static void request_interrupt_window(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, request_interrupt_window$OFFSET, value); }
    private static final long immediate_exit$OFFSET = 1;
    /** Offset of field {@code immediate_exit}. */
    public static long immediate_exit$offset() { return immediate_exit$OFFSET; }
    public static byte immediate_exit(MemorySegment struct) { return struct.get(JAVA_BYTE, immediate_exit$OFFSET); }
    public static void immediate_exit(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, immediate_exit$OFFSET, value); }
    private static final long padding1$OFFSET = 2;
    /** Offset of field {@code padding1}. */
    public static long padding1$offset() { return padding1$OFFSET; }
    public static MemorySegment padding1(MemorySegment struct) { return struct.asSlice(padding1$OFFSET, 6); }
    public static byte padding1(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, padding1$OFFSET / 1 + java.util.Objects.checkIndex(index, 6)); }
    public static void padding1(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, padding1$OFFSET / 1 + java.util.Objects.checkIndex(index, 6), value); }
    private static final long exit_reason$OFFSET = 8;
    /** Offset of field {@code exit_reason}. */
    public static long exit_reason$offset() { return exit_reason$OFFSET; }
    public static int exit_reason(MemorySegment struct) { return struct.get(JAVA_INT, exit_reason$OFFSET); }
    public static void exit_reason(MemorySegment struct, int value) { struct.set(JAVA_INT, exit_reason$OFFSET, value); }
    private static final long ready_for_interrupt_injection$OFFSET = 12;
    /** Offset of field {@code ready_for_interrupt_injection}. */
    public static long ready_for_interrupt_injection$offset() { return ready_for_interrupt_injection$OFFSET; }
    public static byte ready_for_interrupt_injection(MemorySegment struct) { return struct.get(JAVA_BYTE, ready_for_interrupt_injection$OFFSET); }
    public static void ready_for_interrupt_injection(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, ready_for_interrupt_injection$OFFSET, value); }
    private static final long if_flag$OFFSET = 13;
    /** Offset of field {@code if_flag}. */
    public static long if_flag$offset() { return if_flag$OFFSET; }
    public static byte if_flag(MemorySegment struct) { return struct.get(JAVA_BYTE, if_flag$OFFSET); }
    public static void if_flag(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, if_flag$OFFSET, value); }
    private static final long flags$OFFSET = 14;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    public static short flags(MemorySegment struct) { return struct.get(JAVA_SHORT, flags$OFFSET); }
    public static void flags(MemorySegment struct, short value) { struct.set(JAVA_SHORT, flags$OFFSET, value); }
    private static final long cr8$OFFSET = 16;
    /** Offset of field {@code cr8}. */
    public static long cr8$offset() { return cr8$OFFSET; }
    public static long cr8(MemorySegment struct) { return struct.get(JAVA_LONG, cr8$OFFSET); }
    public static void cr8(MemorySegment struct, long value) { struct.set(JAVA_LONG, cr8$OFFSET, value); }
    private static final long apic_base$OFFSET = 24;
    /** Offset of field {@code apic_base}. */
    public static long apic_base$offset() { return apic_base$OFFSET; }
    public static long apic_base(MemorySegment struct) { return struct.get(JAVA_LONG, apic_base$OFFSET); }
    public static void apic_base(MemorySegment struct, long value) { struct.set(JAVA_LONG, apic_base$OFFSET, value); }
    private static final long $anon0$OFFSET = 32;
    /** Offset of field {@code $anon0}. */
    public static long $anon0$offset() { return $anon0$OFFSET; }
    public static MemorySegment $anon0(MemorySegment struct) { return struct.asSlice($anon0$OFFSET, 256); }
    private static final long kvm_valid_regs$OFFSET = 288;
    /** Offset of field {@code kvm_valid_regs}. */
    public static long kvm_valid_regs$offset() { return kvm_valid_regs$OFFSET; }
    public static long kvm_valid_regs(MemorySegment struct) { return struct.get(JAVA_LONG, kvm_valid_regs$OFFSET); }
    public static void kvm_valid_regs(MemorySegment struct, long value) { struct.set(JAVA_LONG, kvm_valid_regs$OFFSET, value); }
    private static final long kvm_dirty_regs$OFFSET = 296;
    /** Offset of field {@code kvm_dirty_regs}. */
    public static long kvm_dirty_regs$offset() { return kvm_dirty_regs$OFFSET; }
    public static long kvm_dirty_regs(MemorySegment struct) { return struct.get(JAVA_LONG, kvm_dirty_regs$OFFSET); }
    public static void kvm_dirty_regs(MemorySegment struct, long value) { struct.set(JAVA_LONG, kvm_dirty_regs$OFFSET, value); }

    /** Union member {@code hw} (at offset 32 of {@code struct kvm_run}); accessors take the whole struct. */
    public static final class hw {
        private hw() {}
        public static long $offset() { return 32; }
        private static final long hardware_exit_reason$OFFSET = 32 + 0;
        /** Offset of field {@code hardware_exit_reason}. */
        public static long hardware_exit_reason$offset() { return hardware_exit_reason$OFFSET; }
        public static long hardware_exit_reason(MemorySegment struct) { return struct.get(JAVA_LONG, hardware_exit_reason$OFFSET); }
        public static void hardware_exit_reason(MemorySegment struct, long value) { struct.set(JAVA_LONG, hardware_exit_reason$OFFSET, value); }
    }

    /** Union member {@code fail_entry} (at offset 32 of {@code struct kvm_run}); accessors take the whole struct. */
    public static final class fail_entry {
        private fail_entry() {}
        public static long $offset() { return 32; }
        private static final long hardware_entry_failure_reason$OFFSET = 32 + 0;
        /** Offset of field {@code hardware_entry_failure_reason}. */
        public static long hardware_entry_failure_reason$offset() { return hardware_entry_failure_reason$OFFSET; }
        public static long hardware_entry_failure_reason(MemorySegment struct) { return struct.get(JAVA_LONG, hardware_entry_failure_reason$OFFSET); }
        public static void hardware_entry_failure_reason(MemorySegment struct, long value) { struct.set(JAVA_LONG, hardware_entry_failure_reason$OFFSET, value); }
        private static final long cpu$OFFSET = 32 + 8;
        /** Offset of field {@code cpu}. */
        public static long cpu$offset() { return cpu$OFFSET; }
        public static int cpu(MemorySegment struct) { return struct.get(JAVA_INT, cpu$OFFSET); }
        public static void cpu(MemorySegment struct, int value) { struct.set(JAVA_INT, cpu$OFFSET, value); }
    }

    /** Union member {@code ex} (at offset 32 of {@code struct kvm_run}); accessors take the whole struct. */
    public static final class ex {
        private ex() {}
        public static long $offset() { return 32; }
        private static final long exception$OFFSET = 32 + 0;
        /** Offset of field {@code exception}. */
        public static long exception$offset() { return exception$OFFSET; }
        public static int exception(MemorySegment struct) { return struct.get(JAVA_INT, exception$OFFSET); }
        public static void exception(MemorySegment struct, int value) { struct.set(JAVA_INT, exception$OFFSET, value); }
        private static final long error_code$OFFSET = 32 + 4;
        /** Offset of field {@code error_code}. */
        public static long error_code$offset() { return error_code$OFFSET; }
        public static int error_code(MemorySegment struct) { return struct.get(JAVA_INT, error_code$OFFSET); }
        public static void error_code(MemorySegment struct, int value) { struct.set(JAVA_INT, error_code$OFFSET, value); }
    }

    /** Union member {@code io} (at offset 32 of {@code struct kvm_run}); accessors take the whole struct. */
    public static final class io {
        private io() {}
        public static long $offset() { return 32; }
        private static final long direction$OFFSET = 32 + 0;
        /** Offset of field {@code direction}. */
        public static long direction$offset() { return direction$OFFSET; }
        public static byte direction(MemorySegment struct) { return struct.get(JAVA_BYTE, direction$OFFSET); }
        public static void direction(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, direction$OFFSET, value); }
        private static final long size$OFFSET = 32 + 1;
        /** Offset of field {@code size}. */
        public static long size$offset() { return size$OFFSET; }
        public static byte size(MemorySegment struct) { return struct.get(JAVA_BYTE, size$OFFSET); }
        public static void size(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, size$OFFSET, value); }
        private static final long port$OFFSET = 32 + 2;
        /** Offset of field {@code port}. */
        public static long port$offset() { return port$OFFSET; }
        public static short port(MemorySegment struct) { return struct.get(JAVA_SHORT, port$OFFSET); }
        public static void port(MemorySegment struct, short value) { struct.set(JAVA_SHORT, port$OFFSET, value); }
        private static final long count$OFFSET = 32 + 4;
        /** Offset of field {@code count}. */
        public static long count$offset() { return count$OFFSET; }
        public static int count(MemorySegment struct) { return struct.get(JAVA_INT, count$OFFSET); }
        public static void count(MemorySegment struct, int value) { struct.set(JAVA_INT, count$OFFSET, value); }
        private static final long data_offset$OFFSET = 32 + 8;
        /** Offset of field {@code data_offset}. */
        public static long data_offset$offset() { return data_offset$OFFSET; }
        public static long data_offset(MemorySegment struct) { return struct.get(JAVA_LONG, data_offset$OFFSET); }
        public static void data_offset(MemorySegment struct, long value) { struct.set(JAVA_LONG, data_offset$OFFSET, value); }
    }

    /** Union member {@code mmio} (at offset 32 of {@code struct kvm_run}); accessors take the whole struct. */
    public static final class mmio {
        private mmio() {}
        public static long $offset() { return 32; }
        private static final long phys_addr$OFFSET = 32 + 0;
        /** Offset of field {@code phys_addr}. */
        public static long phys_addr$offset() { return phys_addr$OFFSET; }
        public static long phys_addr(MemorySegment struct) { return struct.get(JAVA_LONG, phys_addr$OFFSET); }
        public static void phys_addr(MemorySegment struct, long value) { struct.set(JAVA_LONG, phys_addr$OFFSET, value); }
        private static final long data$OFFSET = 32 + 8;
        /** Offset of field {@code data}. */
        public static long data$offset() { return data$OFFSET; }
        public static MemorySegment data(MemorySegment struct) { return struct.asSlice(data$OFFSET, 8); }
        public static byte data(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, data$OFFSET / 1 + java.util.Objects.checkIndex(index, 8)); }
        public static void data(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, data$OFFSET / 1 + java.util.Objects.checkIndex(index, 8), value); }
        private static final long len$OFFSET = 32 + 16;
        /** Offset of field {@code len}. */
        public static long len$offset() { return len$OFFSET; }
        public static int len(MemorySegment struct) { return struct.get(JAVA_INT, len$OFFSET); }
        public static void len(MemorySegment struct, int value) { struct.set(JAVA_INT, len$OFFSET, value); }
        private static final long is_write$OFFSET = 32 + 20;
        /** Offset of field {@code is_write}. */
        public static long is_write$offset() { return is_write$OFFSET; }
        public static byte is_write(MemorySegment struct) { return struct.get(JAVA_BYTE, is_write$OFFSET); }
        public static void is_write(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, is_write$OFFSET, value); }
    }

    /** Union member {@code internal} (at offset 32 of {@code struct kvm_run}); accessors take the whole struct. */
    public static final class internal {
        private internal() {}
        public static long $offset() { return 32; }
        private static final long suberror$OFFSET = 32 + 0;
        /** Offset of field {@code suberror}. */
        public static long suberror$offset() { return suberror$OFFSET; }
        public static int suberror(MemorySegment struct) { return struct.get(JAVA_INT, suberror$OFFSET); }
        public static void suberror(MemorySegment struct, int value) { struct.set(JAVA_INT, suberror$OFFSET, value); }
        private static final long ndata$OFFSET = 32 + 4;
        /** Offset of field {@code ndata}. */
        public static long ndata$offset() { return ndata$OFFSET; }
        public static int ndata(MemorySegment struct) { return struct.get(JAVA_INT, ndata$OFFSET); }
        public static void ndata(MemorySegment struct, int value) { struct.set(JAVA_INT, ndata$OFFSET, value); }
        private static final long data$OFFSET = 32 + 8;
        /** Offset of field {@code data}. */
        public static long data$offset() { return data$OFFSET; }
        public static MemorySegment data(MemorySegment struct) { return struct.asSlice(data$OFFSET, 128); }
        public static long data(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, data$OFFSET / 8 + java.util.Objects.checkIndex(index, 16)); }
        public static void data(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, data$OFFSET / 8 + java.util.Objects.checkIndex(index, 16), value); }
    }

    /** Union member {@code system_event} (at offset 32 of {@code struct kvm_run}); accessors take the whole struct. */
    public static final class system_event {
        private system_event() {}
        public static long $offset() { return 32; }
        private static final long type$OFFSET = 32 + 0;
        /** Offset of field {@code type}. */
        public static long type$offset() { return type$OFFSET; }
        public static int type(MemorySegment struct) { return struct.get(JAVA_INT, type$OFFSET); }
        public static void type(MemorySegment struct, int value) { struct.set(JAVA_INT, type$OFFSET, value); }
        private static final long ndata$OFFSET = 32 + 4;
        /** Offset of field {@code ndata}. */
        public static long ndata$offset() { return ndata$OFFSET; }
        public static int ndata(MemorySegment struct) { return struct.get(JAVA_INT, ndata$OFFSET); }
        public static void ndata(MemorySegment struct, int value) { struct.set(JAVA_INT, ndata$OFFSET, value); }
        private static final long data$OFFSET = 32 + 8;
        /** Offset of field {@code data}. */
        public static long data$offset() { return data$OFFSET; }
        public static MemorySegment data(MemorySegment struct) { return struct.asSlice(data$OFFSET, 128); }
        public static long data(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, data$OFFSET / 8 + java.util.Objects.checkIndex(index, 16)); }
        public static void data(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, data$OFFSET / 8 + java.util.Objects.checkIndex(index, 16), value); }
    }

    /** Union member {@code msr} (at offset 32 of {@code struct kvm_run}); accessors take the whole struct. */
    public static final class msr {
        private msr() {}
        public static long $offset() { return 32; }
        private static final long error$OFFSET = 32 + 0;
        /** Offset of field {@code error}. */
        public static long error$offset() { return error$OFFSET; }
        public static byte error(MemorySegment struct) { return struct.get(JAVA_BYTE, error$OFFSET); }
        public static void error(MemorySegment struct, byte value) { struct.set(JAVA_BYTE, error$OFFSET, value); }
        private static final long pad$OFFSET = 32 + 1;
        /** Offset of field {@code pad}. */
        public static long pad$offset() { return pad$OFFSET; }
        public static MemorySegment pad(MemorySegment struct) { return struct.asSlice(pad$OFFSET, 7); }
        public static byte pad(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, pad$OFFSET / 1 + java.util.Objects.checkIndex(index, 7)); }
        public static void pad(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, pad$OFFSET / 1 + java.util.Objects.checkIndex(index, 7), value); }
        private static final long reason$OFFSET = 32 + 8;
        /** Offset of field {@code reason}. */
        public static long reason$offset() { return reason$OFFSET; }
        public static int reason(MemorySegment struct) { return struct.get(JAVA_INT, reason$OFFSET); }
        public static void reason(MemorySegment struct, int value) { struct.set(JAVA_INT, reason$OFFSET, value); }
        private static final long index$OFFSET = 32 + 12;
        /** Offset of field {@code index}. */
        public static long index$offset() { return index$OFFSET; }
        public static int index(MemorySegment struct) { return struct.get(JAVA_INT, index$OFFSET); }
        public static void index(MemorySegment struct, int value) { struct.set(JAVA_INT, index$OFFSET, value); }
        private static final long data$OFFSET = 32 + 16;
        /** Offset of field {@code data}. */
        public static long data$offset() { return data$OFFSET; }
        public static long data(MemorySegment struct) { return struct.get(JAVA_LONG, data$OFFSET); }
        public static void data(MemorySegment struct, long value) { struct.set(JAVA_LONG, data$OFFSET, value); }
    }
}
