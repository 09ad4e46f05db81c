package org.jbhyve.vmm.x86;

/**
 * The vCPU and guest that an instruction is emulated against.
 *
 * @param mode      the decoding mode at the faulting RIP
 * @param registers the vCPU registers
 * @param mmio      device memory (the faulting address and any other non-RAM address touched)
 * @param memory    guest RAM; needed only by STOS, MOVS, PUSH and POP (may be null otherwise)
 * @param paging    the guest's paging state for translating the linear addresses of STOS, MOVS,
 *                  PUSH and POP (may be null when {@code memory} is)
 */
public record EmulationContext(CpuMode mode, RegisterAccess registers, MmioAccess mmio, GuestMemoryAccess memory,
                               PagingState paging) {
    public EmulationContext {
        java.util.Objects.requireNonNull(mode, "mode");
        java.util.Objects.requireNonNull(registers, "registers");
        java.util.Objects.requireNonNull(mmio, "mmio");
        if (memory != null && paging == null) throw new IllegalArgumentException("guest memory needs a paging state");
    }
}
