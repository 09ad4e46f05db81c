package org.jbhyve.vmm.x86;

final class Hex {
    private Hex() {}

    static String bytes(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n && i < b.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(java.util.HexFormat.of().toHexDigits(b[i]));
        }
        return sb.toString();
    }
}
