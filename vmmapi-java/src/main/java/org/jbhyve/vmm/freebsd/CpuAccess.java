package org.jbhyve.vmm.freebsd;

/**
 * The register-level view of one vCPU that string I/O ({@link StringIo}) and MMIO instruction emulation
 * ({@link MmioInstruction}) work through: {@code vm_get_register}, {@code vm_set_register(_set)},
 * {@code vm_get_desc} and {@code vm_inject_exception}. {@link FreeBsdVcpu} implements it over libvmmapi;
 * failures are {@link org.jbhyve.vmm.VmmException}s.
 */
interface CpuAccess {
    long register(int vmReg);

    void setRegister(int vmReg, long value);

    /** {@code vm_set_register_set} of the first {@code count} entries. */
    void setRegisters(int count, int[] vmRegs, long[] values);

    /** The base of segment register {@code vmReg}, from {@code vm_get_desc}. */
    long segmentBase(int vmReg);

    /** The access rights (VMX format) of segment register {@code vmReg}, from {@code vm_get_desc}. */
    int segmentAccess(int vmReg);

    /** {@code vm_inject_exception}; with {@code restart} the faulting instruction runs again after the handler. */
    void injectException(int vector, boolean errorCodeValid, int errorCode, boolean restart);
}
