package org.jbhyve.bhyve.devices.acpi.aml;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One encoded piece of AML: a term, a name string or a data object, as the bytes that go into the
 * table. Immutable; built by {@link Aml} and {@link ResourceTemplate}.
 */
public final class AmlTerm {
    private final byte[] bytes;

    AmlTerm(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of the encoding. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    void writeTo(ByteArrayOutputStream out) {
        out.writeBytes(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmlTerm t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
