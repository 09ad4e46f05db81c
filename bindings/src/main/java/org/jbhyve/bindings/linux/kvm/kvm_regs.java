// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (sizeof/offsetof from a compiled C program).
package org.jbhyve.bindings.linux.kvm;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct kvm_regs} from {@code <asm/kvm.h>} (x86-64, 144 bytes): general registers (KVM_GET/SET_REGS). */
@SuppressWarnings("unused")
public final class kvm_regs {
    private kvm_regs() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("rax"),
            JAVA_LONG.withName("rbx"),
            JAVA_LONG.withName("rcx"),
            JAVA_LONG.withName("rdx"),
            JAVA_LONG.withName("rsi"),
            JAVA_LONG.withName("rdi"),
            JAVA_LONG.withName("rsp"),
            JAVA_LONG.withName("rbp"),
            JAVA_LONG.withName("r8"),
            JAVA_LONG.withName("r9"),
            JAVA_LONG.withName("r10"),
            JAVA_LONG.withName("r11"),
            JAVA_LONG.withName("r12"),
            JAVA_LONG.withName("r13"),
            JAVA_LONG.withName("r14"),
            JAVA_LONG.withName("r15"),
            JAVA_LONG.withName("rip"),
            JAVA_LONG.withName("rflags")).withName("kvm_regs");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 144; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long rax$OFFSET = 0;
    /** Offset of field {@code rax}. */
    public static long rax$offset() { return rax$OFFSET; }
    public static long rax(MemorySegment struct) { return struct.get(JAVA_LONG, rax$OFFSET); }
    public static void rax(MemorySegment struct, long value) { struct.set(JAVA_LONG, rax$OFFSET, value); }
    private static final long rbx$OFFSET = 8;
    /** Offset of field {@code rbx}. */
    public static long rbx$offset() { return rbx$OFFSET; }
    public static long rbx(MemorySegment struct) { return struct.get(JAVA_LONG, rbx$OFFSET); }
    public static void rbx(MemorySegment struct, long value) { struct.set(JAVA_LONG, rbx$OFFSET, value); }
    private static final long rcx$OFFSET = 16;
    /** Offset of field {@code rcx}. */
    public static long rcx$offset() { return rcx$OFFSET; }
    public static long rcx(MemorySegment struct) { return struct.get(JAVA_LONG, rcx$OFFSET); }
    public static void rcx(MemorySegment struct, long value) { struct.set(JAVA_LONG, rcx$OFFSET, value); }
    private static final long rdx$OFFSET = 24;
    /** Offset of field {@code rdx}. */
    public static long rdx$offset() { return rdx$OFFSET; }
    public static long rdx(MemorySegment struct) { return struct.get(JAVA_LONG, rdx$OFFSET); }
    public static void rdx(MemorySegment struct, long value) { struct.set(JAVA_LONG, rdx$OFFSET, value); }
    private static final long rsi$OFFSET = 32;
    /** Offset of field {@code rsi}. */
    public static long rsi$offset() { return rsi$OFFSET; }
    public static long rsi(MemorySegment struct) { return struct.get(JAVA_LONG, rsi$OFFSET); }
    public static void rsi(MemorySegment struct, long value) { struct.set(JAVA_LONG, rsi$OFFSET, value); }
    private static final long rdi$OFFSET = 40;
    /** Offset of field {@code rdi}. */
    public static long rdi$offset() { return rdi$OFFSET; }
    public static long rdi(MemorySegment struct) { return struct.get(JAVA_LONG, rdi$OFFSET); }
    public static void rdi(MemorySegment struct, long value) { struct.set(JAVA_LONG, rdi$OFFSET, value); }
    private static final long rsp$OFFSET = 48;
    /** Offset of field {@code rsp}. */
    public static long rsp$offset() { return rsp$OFFSET; }
    public static long rsp(MemorySegment struct) { return struct.get(JAVA_LONG, rsp$OFFSET); }
    public static void rsp(MemorySegment struct, long value) { struct.set(JAVA_LONG, rsp$OFFSET, value); }
    private static final long rbp$OFFSET = 56;
    /** Offset of field {@code rbp}. */
    public static long rbp$offset() { return rbp$OFFSET; }
    public static long rbp(MemorySegment struct) { return struct.get(JAVA_LONG, rbp$OFFSET); }
    public static void rbp(MemorySegment struct, long value) { struct.set(JAVA_LONG, rbp$OFFSET, value); }
    private static final long r8$OFFSET = 64;
    /** Offset of field {@code r8}. */
    public static long r8$offset() { return r8$OFFSET; }
    public static long r8(MemorySegment struct) { return struct.get(JAVA_LONG, r8$OFFSET); }
    public static void r8(MemorySegment struct, long value) { struct.set(JAVA_LONG, r8$OFFSET, value); }
    private static final long r9$OFFSET = 72;
    /** Offset of field {@code r9}. */
    public static long r9$offset() { return r9$OFFSET; }
    public static long r9(MemorySegment struct) { return struct.get(JAVA_LONG, r9$OFFSET); }
    public static void r9(MemorySegment struct, long value) { struct.set(JAVA_LONG, r9$OFFSET, value); }
    private static final long r10$OFFSET = 80;
    /** Offset of field {@code r10}. */
    public static long r10$offset() { return r10$OFFSET; }
    public static long r10(MemorySegment struct) { return struct.get(JAVA_LONG, r10$OFFSET); }
    public static void r10(MemorySegment struct, long value) { struct.set(JAVA_LONG, r10$OFFSET, value); }
    private static final long r11$OFFSET = 88;
    /** Offset of field {@code r11}. */
    public static long r11$offset() { return r11$OFFSET; }
    public static long r11(MemorySegment struct) { return struct.get(JAVA_LONG, r11$OFFSET); }
    public static void r11(MemorySegment struct, long value) { struct.set(JAVA_LONG, r11$OFFSET, value); }
    private static final long r12$OFFSET = 96;
    /** Offset of field {@code r12}. */
    public static long r12$offset() { return r12$OFFSET; }
    public static long r12(MemorySegment struct) { return struct.get(JAVA_LONG, r12$OFFSET); }
    public static void r12(MemorySegment struct, long value) { struct.set(JAVA_LONG, r12$OFFSET, value); }
    private static final long r13$OFFSET = 104;
    /** Offset of field {@code r13}. */
    public static long r13$offset() { return r13$OFFSET; }
    public static long r13(MemorySegment struct) { return struct.get(JAVA_LONG, r13$OFFSET); }
    public static void r13(MemorySegment struct, long value) { struct.set(JAVA_LONG, r13$OFFSET, value); }
    private static final long r14$OFFSET = 112;
    /** Offset of field {@code r14}. */
    public static long r14$offset() { return r14$OFFSET; }
    public static long r14(MemorySegment struct) { return struct.get(JAVA_LONG, r14$OFFSET); }
    public static void r14(MemorySegment struct, long value) { struct.set(JAVA_LONG, r14$OFFSET, value); }
    private static final long r15$OFFSET = 120;
    /** Offset of field {@code r15}. */
    public static long r15$offset() { return r15$OFFSET; }
    public static long r15(MemorySegment struct) { return struct.get(JAVA_LONG, r15$OFFSET); }
    public static void r15(MemorySegment struct, long value) { struct.set(JAVA_LONG, r15$OFFSET, value); }
    private static final long rip$OFFSET = 128;
    /** Offset of field {@code rip}. */
    public static long rip$offset() { return rip$OFFSET; }
    public static long rip(MemorySegment struct) { return struct.get(JAVA_LONG, rip$OFFSET); }
    public static void rip(MemorySegment struct, long value) { struct.set(JAVA_LONG, rip$OFFSET, value); }
    private static final long rflags$OFFSET = 136;
    /** Offset of field {@code rflags}. */
    public static long rflags$offset() { return rflags$OFFSET; }
    public static long rflags(MemorySegment struct) { return struct.get(JAVA_LONG, rflags$OFFSET); }
    public static void rflags(MemorySegment struct, long value) { struct.set(JAVA_LONG, rflags$OFFSET, value); }
}
