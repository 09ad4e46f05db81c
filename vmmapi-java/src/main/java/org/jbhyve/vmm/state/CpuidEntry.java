package org.jbhyve.vmm.state;

/**
 * One CPUID leaf as the guest sees it.
 *
 * @param flags backend flags (KVM: 1 = the leaf is indexed by ECX)
 */
public record CpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
    public static final int FLAG_SIGNIFICANT_INDEX = 1;

    public CpuidEntry withEbx(int v) { return new CpuidEntry(function, index, flags, eax, v, ecx, edx); }

    public CpuidEntry withEcx(int v) { return new CpuidEntry(function, index, flags, eax, ebx, v, edx); }

    public CpuidEntry withEdx(int v) { return new CpuidEntry(function, index, flags, eax, ebx, ecx, v); }

    public CpuidEntry withEax(int v) { return new CpuidEntry(function, index, flags, v, ebx, ecx, edx); }
}
