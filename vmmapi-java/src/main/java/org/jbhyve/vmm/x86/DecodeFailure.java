package org.jbhyve.vmm.x86;


/**
 * The bytes are not an instruction this emulator supports (unknown opcode, invalid or register-only
 * form, truncated, longer than 15 bytes). The VMM reports it and stops the VM: emulating it wrongly
 * would be worse.
 *
 * @param reason what is wrong, in words
 * @param bytes  the instruction bytes that were examined (at most 15)
 */
public record DecodeFailure(String reason, byte[] bytes) implements DecodeResult, EmulationResult {
    public DecodeFailure {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() { return bytes.clone(); }

    /** The bytes as space-separated hex, e.g. {@code "0f 0b"}. */
    public String hex() {
        return Hex.bytes(bytes, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodeFailure f && reason.equals(f.reason) && java.util.Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() { return reason.hashCode() * 31 + java.util.Arrays.hashCode(bytes); }

    @Override
    public String toString() {
        return "cannot decode instruction [" + hex() + "]: " + reason;
    }
}
