package org.jbhyve.vmm.state;

/** The legacy x87/SSE state ({@code FXSAVE} image fields). Arrays are copied in and out. */
public record FpuState(byte[] fpr, int fcw, int fsw, int ftwx, int lastOpcode, long lastIp, long lastDp,
                       byte[] xmm, int mxcsr) {
    public FpuState {
        if (fpr.length != 128 || xmm.length != 256) throw new IllegalArgumentException("fpr is 128 bytes, xmm 256");
        fpr = fpr.clone();
        xmm = xmm.clone();
    }

    @Override
    public byte[] fpr() { return fpr.clone(); }

    @Override
    public byte[] xmm() { return xmm.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof FpuState f && java.util.Arrays.equals(fpr, f.fpr) && fcw == f.fcw && fsw == f.fsw
                && ftwx == f.ftwx && lastOpcode == f.lastOpcode && lastIp == f.lastIp && lastDp == f.lastDp
                && java.util.Arrays.equals(xmm, f.xmm) && mxcsr == f.mxcsr;
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(fcw, fsw, mxcsr, java.util.Arrays.hashCode(xmm)); }

    public FpuState withMxcsr(int v) {
        return new FpuState(fpr, fcw, fsw, ftwx, lastOpcode, lastIp, lastDp, xmm, v);
    }

    public FpuState withXmm(byte[] v) {
        return new FpuState(fpr, fcw, fsw, ftwx, lastOpcode, lastIp, lastDp, v, mxcsr);
    }
}
