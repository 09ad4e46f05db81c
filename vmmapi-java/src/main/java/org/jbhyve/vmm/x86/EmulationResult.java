package org.jbhyve.vmm.x86;

/**
 * The outcome of {@link InstructionEmulator#emulate}. Never an exception: every case is a value the
 * VMM acts on.
 */
public sealed interface EmulationResult permits EmulationResult.Completed, EmulationResult.Restart,
        EmulationResult.Fault, EmulationResult.Deferred, DecodeFailure, EmulationResult.EmulationFailure {

    /**
     * The instruction has completed: its MMIO accesses were made and its register and RAM results
     * written. The caller advances RIP by {@code length} and resumes the guest.
     */
    record Completed(int length) implements EmulationResult {}

    /**
     * A repeated string instruction has done some iterations (registers and memory reflect them) but
     * its count is not exhausted. The caller resumes the guest <em>without</em> advancing RIP: the
     * processor re-executes the instruction, which exits again for the remaining iterations.
     */
    record Restart(int length) implements EmulationResult {}

    /**
     * The instruction faults: inject exception {@code vector} (with {@code errorCode} when
     * {@code hasErrorCode}; for #PF, CR2 = {@code address}) and do not advance RIP. Iterations of a
     * repeated string instruction completed before the fault are kept, as on hardware.
     */
    record Fault(int vector, boolean hasErrorCode, int errorCode, long address)
            implements EmulationResult, InstructionFetch.Result {
        public static final int SS = 12, GP = 13, PF = 14;

        static Fault pageFault(long linear, int errorCode) {
            return new Fault(PF, true, errorCode, linear);
        }

        static Fault generalProtection(boolean stack) {
            return new Fault(stack ? SS : GP, true, 0, 0);
        }

        @Override
        public String toString() {
            String name = switch (vector) {
                case PF -> "#PF";
                case GP -> "#GP";
                case SS -> "#SS";
                default -> "vector " + vector;
            };
            return name + (hasErrorCode ? "(0x" + Integer.toHexString(errorCode) + ")" : "")
                    + (vector == PF ? " at 0x" + Long.toHexString(address) : "");
        }
    }

    /**
     * The {@link MmioAccess} threw {@link MmioAccess.Deferred}: nothing has been changed. Complete the
     * pending access and call the emulator again with the same state (see {@link ReplayingMmio}).
     */
    enum Deferred implements EmulationResult { INSTANCE }

    /**
     * The instruction decoded but could not be emulated safely: its memory operand does not match the
     * address the exit reports, a paging structure is outside RAM, an access straddles RAM and device
     * memory, a callback failed, and the like. The VMM reports it and stops the VM.
     */
    record EmulationFailure(String reason, byte[] bytes) implements EmulationResult, InstructionFetch.Result {
        public EmulationFailure {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() { return bytes.clone(); }

        public String hex() { return Hex.bytes(bytes, bytes.length); }

        @Override
        public boolean equals(Object o) {
            return o instanceof EmulationFailure f && reason.equals(f.reason) && java.util.Arrays.equals(bytes, f.bytes);
        }

        @Override
        public int hashCode() { return reason.hashCode(); }

        @Override
        public String toString() {
            return "cannot emulate instruction [" + hex() + "]: " + reason;
        }
    }
}
