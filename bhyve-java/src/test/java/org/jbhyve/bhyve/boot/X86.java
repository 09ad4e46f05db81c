package org.jbhyve.bhyve.boot;

import java.io.ByteArrayOutputStream;

/**
 * A few hand-encoded x86 instructions, enough for the tiny guests these tests assemble. Unless noted,
 * the encodings are the same in 32-bit and 64-bit mode (no REX prefixes), so one probe runs under
 * either of Linux's entry points.
 */
final class X86 {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long origin;

    /** {@code origin}: the guest address the first byte will run at. */
    X86(long origin) {
        this.origin = origin;
    }

    long here() { return origin + out.size(); }

    byte[] bytes() { return out.toByteArray(); }

    X86 raw(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    private X86 imm32(long v) {
        return raw((int) v & 0xff, (int) (v >> 8) & 0xff, (int) (v >> 16) & 0xff, (int) (v >> 24) & 0xff);
    }

    private X86 imm16(int v) {
        return raw(v & 0xff, (v >> 8) & 0xff);
    }

    X86 movEdx(int imm) { return raw(0xba).imm32(imm); }

    /** out dx, eax (32/64-bit mode; in 16-bit mode this is out dx, ax). */
    X86 outEax() { return raw(0xef); }

    X86 outAl() { return raw(0xee); }

    /** Reports EAX on port 0x3f8 and keeps EDX pointing there. */
    X86 report() { return movEdx(0x3f8).outEax(); }

    /** mov eax, [ebx + disp8] */
    X86 movEaxEbxDisp(int disp) { return raw(0x8b, 0x43, disp); }

    /** mov eax, [esi/rsi + disp32] */
    X86 movEaxSiDisp(int disp) { return raw(0x8b, 0x86).imm32(disp); }

    /** movzx eax, byte [esi/rsi + disp32] */
    X86 movzxEaxByteSiDisp(int disp) { return raw(0x0f, 0xb6, 0x86).imm32(disp); }

    /** mov eax, [eax/rax] */
    X86 movEaxAtEax() { return raw(0x8b, 0x00); }

    /** mov eax, [absolute] (32-bit mode only) */
    X86 movEaxAbs(long address) { return raw(0xa1).imm32(address); }

    X86 movEaxEbx() { return raw(0x89, 0xd8); }

    X86 movEaxEsi() { return raw(0x89, 0xf0); }

    X86 movEaxEdi() { return raw(0x89, 0xf8); }

    X86 movEaxEbp() { return raw(0x89, 0xe8); }

    X86 movEaxEsp() { return raw(0x89, 0xe0); }

    X86 movEaxCs() { return raw(0x8c, 0xc8); }

    X86 movEaxDs() { return raw(0x8c, 0xd8); }

    X86 movEaxSs() { return raw(0x8c, 0xd0); }

    X86 movEaxCr0() { return raw(0x0f, 0x20, 0xc0); }

    /** pushf; pop eax/rax */
    X86 movEaxFlags() { return raw(0x9c, 0x58); }

    /** Loads DS, ES and SS with {@code selector} from the GDT. */
    X86 loadDataSegments(int selector) {
        raw(0x66, 0xb8).imm16(selector); // mov ax, imm16
        return raw(0x8e, 0xd8, 0x8e, 0xc0, 0x8e, 0xd0); // mov ds/es/ss, ax
    }

    /** jmp far selector:next-instruction (32-bit mode only): reloads CS from the GDT. */
    X86 reloadCs(int selector) {
        long next = here() + 7;
        raw(0xea).imm32(next);
        return imm16(selector);
    }

    /** Writes status 0 to port 0xf4 and halts. */
    X86 exit() { return movEdx(0xf4).raw(0x31, 0xc0).outAl().raw(0xf4); }
}
