package org.jbhyve.vmm.x86;

import java.util.Arrays;

/**
 * Reads the bytes of the faulting instruction from guest memory at CS:RIP, through the guest's paging
 * with instruction-fetch permission checks, for backends whose exit does not carry them (FreeBSD's
 * {@code struct vie} is opaque in our bindings).
 */
public final class InstructionFetch {
    private InstructionFetch() {}

    /** {@link Fetched}, or the fault/failure that prevented reading even the first byte. */
    public sealed interface Result permits Fetched, EmulationResult.Fault, EmulationResult.EmulationFailure {}

    /** Up to 15 bytes; fewer when the next page is not mapped or not RAM. */
    public record Fetched(byte[] bytes) implements Result {
        public Fetched {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() { return bytes.clone(); }

        @Override
        public boolean equals(Object o) { return o instanceof Fetched f && Arrays.equals(bytes, f.bytes); }

        @Override
        public int hashCode() { return Arrays.hashCode(bytes); }

        @Override
        public String toString() { return "Fetched[" + Hex.bytes(bytes, bytes.length) + "]"; }
    }

    /**
     * Reads up to 15 bytes at linear address {@code csBase + rip} (just {@code rip} in 64-bit mode),
     * stopping early at a page that cannot be fetched from.
     */
    public static Result fetch(GuestMemoryAccess memory, PagingState paging, CpuMode mode, long csBase, long rip) {
        PageWalker walker = new PageWalker(memory);
        long linear = mode == CpuMode.BITS64 ? rip : (csBase + rip) & 0xffff_ffffL;
        byte[] buf = new byte[Decoder.MAX_INSTRUCTION_LENGTH];
        int n = 0;
        try {
            while (n < buf.length) {
                long la = (linear + n) & mode.linearMask();
                Translation t = walker.translate(paging, la, AccessType.EXECUTE);
                if (!(t instanceof Translation.Mapped m)) {
                    if (n > 0) break;
                    return switch (t) {
                        case Translation.PageFault pf -> EmulationResult.Fault.pageFault(pf.linear(), pf.errorCode());
                        case Translation.NonCanonical nc -> EmulationResult.Fault.generalProtection(false);
                        case Translation.Failed f -> new EmulationResult.EmulationFailure(
                                "cannot fetch the instruction: " + f.reason(), new byte[0]);
                        case Translation.Mapped mm -> throw new AssertionError();
                    };
                }
                int chunk = (int) Math.min(buf.length - n, 4096 - (la & 0xfff));
                int got = 0;
                while (got < chunk && memory.isRam(m.gpa() + got, 1)) {
                    buf[n + got] = (byte) memory.read(m.gpa() + got, 1);
                    got++;
                }
                n += got;
                if (got < chunk) break;
            }
        } catch (RuntimeException e) {
            if (n == 0) return new EmulationResult.EmulationFailure("cannot fetch the instruction: " + e, new byte[0]);
        }
        if (n == 0) {
            return new EmulationResult.EmulationFailure("the instruction at linear address 0x" + Long.toHexString(linear)
                    + " is not in guest RAM", new byte[0]);
        }
        return new Fetched(Arrays.copyOf(buf, n));
    }
}
