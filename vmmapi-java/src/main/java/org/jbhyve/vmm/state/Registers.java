package org.jbhyve.vmm.state;

/** The general-purpose registers, RIP and RFLAGS of a vCPU. */
public record Registers(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp,
                        long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
                        long rip, long rflags) {

    /** RFLAGS bit 1 is reserved and always set. */
    public static final long RFLAGS_RESERVED = 0x2;

    /** All zero except the reserved RFLAGS bit. */
    public static Registers reset() {
        return new Registers(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RFLAGS_RESERVED);
    }

    /** The registers in {@code kvm_regs} order (rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8..r15, rip, rflags). */
    public long[] toArray() {
        return new long[] {rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags};
    }

    public static Registers fromArray(long[] a) {
        if (a.length != 18) throw new IllegalArgumentException("need 18 registers, got " + a.length);
        return new Registers(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
                a[13], a[14], a[15], a[16], a[17]);
    }

    public Registers withRip(long v) {
        long[] a = toArray(); a[16] = v; return fromArray(a);
    }

    public Registers withRsp(long v) {
        long[] a = toArray(); a[6] = v; return fromArray(a);
    }

    public Registers withRflags(long v) {
        long[] a = toArray(); a[17] = v; return fromArray(a);
    }

    public Registers withRbx(long v) {
        long[] a = toArray(); a[1] = v; return fromArray(a);
    }

    public Registers withR12(long v) {
        long[] a = toArray(); a[12] = v; return fromArray(a);
    }

    public Registers withRsi(long v) {
        long[] a = toArray(); a[4] = v; return fromArray(a);
    }

    @Override
    public String toString() {
        String[] names = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11",
                "r12", "r13", "r14", "r15", "rip", "rflags"};
        long[] a = toArray();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            sb.append(String.format("%-6s %016x", names[i], a[i])).append(i % 4 == 3 ? '\n' : ' ');
        }
        return sb.toString().trim();
    }
}
