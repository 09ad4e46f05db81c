package org.jbhyve.vmm.x86;

/**
 * The vCPU state the instruction emulator reads and writes. The FreeBSD backend implements it over
 * {@code vm_get_register}/{@code vm_set_register} and {@code vm_get_desc} (see
 * {@link FreeBsdInstEmul#registers}); tests implement it over an array.
 *
 * <p>The emulator reads what an instruction needs and writes back only registers the instruction
 * changes, after the instruction (or, for a repeated string instruction, an iteration) has
 * completed; it never writes RIP. Values are full 64-bit registers: the emulator merges 8- and 16-bit
 * results into the old value itself and zero-extends 32-bit results, as the processor does.
 */
public interface RegisterAccess {
    /** General-purpose register {@code reg}, numbered as in {@link Gpr} (0..15). */
    long gpr(int reg);

    void setGpr(int reg, long value);

    long rflags();

    void setRflags(long value);

    /** The address of the instruction being emulated (the faulting instruction, not the next one). */
    long rip();

    /**
     * The base address in the hidden part of segment register {@code seg}. In 64-bit mode the emulator
     * only asks for FS and GS (the other bases are treated as zero, as the processor does).
     */
    long segmentBase(SegmentRegister seg);

    /**
     * The B flag of the stack segment (SS.D/B): true when the stack pointer is ESP, false when it is
     * SP. Only asked outside 64-bit mode, where RSP is always used.
     */
    boolean stackSegment32();
}
