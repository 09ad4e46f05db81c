package org.jbhyve.bhyve.devices.acpi.aml;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A small AML encoder: just the terms jbhyve's DSDT needs (ACPI 6.5, chapter 20 "ACPI Machine
 * Language (AML) Specification"). Each method returns the finished encoding of one term; terms
 * that contain others (Scope, Device, Method, If, Package, Buffer) compute their PkgLength from the
 * encoded children, so nothing is patched afterwards.
 *
 * <p>The DSDT that carries this AML must have revision 2 or later: integers are then 64 bits wide,
 * which {@link #integer} relies on for {@code QWordConst} and {@code Ones}.
 */
public final class Aml {
    // Opcodes, ACPI 6.5 section 20.3 "AML Byte Stream Byte Values".
    static final int ZERO_OP = 0x00, ONE_OP = 0x01, ONES_OP = 0xff;
    static final int NAME_OP = 0x08;
    static final int BYTE_PREFIX = 0x0a, WORD_PREFIX = 0x0b, DWORD_PREFIX = 0x0c,
            STRING_PREFIX = 0x0d, QWORD_PREFIX = 0x0e;
    static final int SCOPE_OP = 0x10, BUFFER_OP = 0x11, PACKAGE_OP = 0x12, METHOD_OP = 0x14;
    static final int EXT_OP_PREFIX = 0x5b, DEVICE_OP = 0x82;
    static final int LOCAL0_OP = 0x60, ARG0_OP = 0x68;
    static final int STORE_OP = 0x70;
    static final int IF_OP = 0xa0, ELSE_OP = 0xa1, RETURN_OP = 0xa4;

    /** The largest PkgLength the encoding can express (four bytes: 4 + 8 + 8 + 8 bits). */
    static final int MAX_PKG_LENGTH = (1 << 28) - 1;

    private Aml() {}

    // ---- data objects ----

    /**
     * An integer in its smallest encoding: {@code Zero}, {@code One}, {@code Ones} (all 64 bits
     * set), or a Byte/Word/DWord/QWord constant.
     */
    public static AmlTerm integer(long v) {
        if (v == 0) return op(ZERO_OP);
        if (v == 1) return op(ONE_OP);
        if (v == -1) return op(ONES_OP);
        if ((v & ~0xffL) == 0) return prefixed(BYTE_PREFIX, v, 1);
        if ((v & ~0xffffL) == 0) return prefixed(WORD_PREFIX, v, 2);
        if ((v & ~0xffff_ffffL) == 0) return prefixed(DWORD_PREFIX, v, 4);
        return prefixed(QWORD_PREFIX, v, 8);
    }

    /**
     * A compressed EISA identifier such as {@code PNP0A03}, as ASL's {@code EisaId()} produces it:
     * three letters of five bits and four hex digits, stored so the bytes read in that order, in the
     * smallest integer encoding (iasl makes {@code PNP0000} a WordConst).
     */
    public static AmlTerm eisaId(String id) {
        return integer(EisaId.encode(id));
    }

    /** A null-terminated ASCII string constant. */
    public static AmlTerm string(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(STRING_PREFIX);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7f) throw new IllegalArgumentException("AML strings are 7-bit ASCII without NUL: " + s);
            out.write(c);
        }
        out.write(0);
        return new AmlTerm(out.toByteArray());
    }

    /** {@code Buffer (n) { bytes }} with the size given as an integer term, as iasl writes it. */
    public static AmlTerm buffer(byte[] contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        integer(contents.length).writeTo(body);
        body.writeBytes(contents);
        return withPkgLength(new int[] {BUFFER_OP}, body.toByteArray());
    }

    /** {@code Package () { elements }}: at most 255 elements (larger needs VarPackage). */
    public static AmlTerm pkg(List<AmlTerm> elements) {
        if (elements.size() > 255) {
            throw new IllegalArgumentException("a Package holds at most 255 elements, got " + elements.size());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(elements.size());
        elements.forEach(e -> e.writeTo(body));
        return withPkgLength(new int[] {PACKAGE_OP}, body.toByteArray());
    }

    public static AmlTerm pkg(AmlTerm... elements) {
        return pkg(List.of(elements));
    }

    /** A reference to a named object, e.g. {@code PICM} or {@code \_SB.PC00}. */
    public static AmlTerm nameRef(String path) {
        return new AmlTerm(NameString.encode(path));
    }

    /** {@code ArgN}, N in 0..6. */
    public static AmlTerm arg(int n) {
        if (n < 0 || n > 6) throw new IllegalArgumentException("Arg" + n);
        return op(ARG0_OP + n);
    }

    /** {@code LocalN}, N in 0..7. */
    public static AmlTerm local(int n) {
        if (n < 0 || n > 7) throw new IllegalArgumentException("Local" + n);
        return op(LOCAL0_OP + n);
    }

    // ---- named objects and namespace modifiers ----

    /** {@code Name (path, value)}. */
    public static AmlTerm name(String path, AmlTerm value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(NAME_OP);
        out.writeBytes(NameString.encode(path));
        value.writeTo(out);
        return new AmlTerm(out.toByteArray());
    }

    /** {@code Scope (path) { body }}. */
    public static AmlTerm scope(String path, List<AmlTerm> body) {
        return withPkgLength(new int[] {SCOPE_OP}, concat(NameString.encode(path), body));
    }

    /** {@code Device (path) { body }}. */
    public static AmlTerm device(String path, List<AmlTerm> body) {
        return withPkgLength(new int[] {EXT_OP_PREFIX, DEVICE_OP}, concat(NameString.encode(path), body));
    }

    /**
     * {@code Method (path, argCount, NotSerialized/Serialized) { body }}, sync level 0.
     */
    public static AmlTerm method(String path, int argCount, boolean serialized, List<AmlTerm> body) {
        if (argCount < 0 || argCount > 7) throw new IllegalArgumentException("a Method takes 0-7 arguments");
        byte[] name = NameString.encode(path);
        byte[] head = new byte[name.length + 1];
        System.arraycopy(name, 0, head, 0, name.length);
        // MethodFlags: bits 0-2 ArgCount, bit 3 SerializeFlag, bits 4-7 SyncLevel.
        head[name.length] = (byte) (argCount | (serialized ? 0x08 : 0));
        return withPkgLength(new int[] {METHOD_OP}, concat(head, body));
    }

    // ---- statements ----

    /** {@code Return (value)}. */
    public static AmlTerm returnOf(AmlTerm value) {
        return new AmlTerm(concat(new byte[] {(byte) RETURN_OP}, List.of(value)));
    }

    /** {@code Store (source, target)}. */
    public static AmlTerm store(AmlTerm source, AmlTerm target) {
        return new AmlTerm(concat(new byte[] {(byte) STORE_OP}, List.of(source, target)));
    }

    /** {@code If (predicate) { then }}. */
    public static AmlTerm ifThen(AmlTerm predicate, List<AmlTerm> then) {
        return withPkgLength(new int[] {IF_OP}, concat(predicate.bytes(), then));
    }

    /**
     * {@code If (predicate) { then } Else { otherwise }}: two terms in AML, returned as one so the
     * Else can never drift away from its If.
     */
    public static AmlTerm ifElse(AmlTerm predicate, List<AmlTerm> then, List<AmlTerm> otherwise) {
        AmlTerm ifPart = ifThen(predicate, then);
        AmlTerm elsePart = withPkgLength(new int[] {ELSE_OP}, concat(new byte[0], otherwise));
        return new AmlTerm(concat(ifPart.bytes(), List.of(elsePart)));
    }

    /** The terms one after the other, as one term (a TermList fragment). */
    public static AmlTerm sequence(List<AmlTerm> terms) {
        return new AmlTerm(concat(new byte[0], terms));
    }

    // ---- encoding helpers ----

    /**
     * The PkgLength encoding for a package whose contents (after the PkgLength) are
     * {@code contentLength} bytes. The encoded value counts the PkgLength bytes themselves, so the
     * size of the encoding is chosen first and the value includes it.
     */
    public static byte[] pkgLength(int contentLength) {
        if (contentLength < 0) throw new IllegalArgumentException("negative length");
        // One byte holds values up to 63; with N follow bytes, 4 + 8N bits.
        if (contentLength + 1 <= 0x3f) return new byte[] {(byte) (contentLength + 1)};
        for (int follow = 1; follow <= 3; follow++) {
            long total = (long) contentLength + 1 + follow;
            if (total < (1L << (4 + 8 * follow))) {
                byte[] b = new byte[1 + follow];
                b[0] = (byte) ((follow << 6) | (total & 0x0f));
                for (int k = 1; k <= follow; k++) b[k] = (byte) (total >>> (4 + 8 * (k - 1)));
                return b;
            }
        }
        throw new IllegalArgumentException("AML package of " + contentLength
                + " bytes exceeds the PkgLength limit of " + MAX_PKG_LENGTH);
    }

    private static AmlTerm op(int opcode) {
        return new AmlTerm(new byte[] {(byte) opcode});
    }

    private static AmlTerm prefixed(int prefix, long v, int size) {
        byte[] b = new byte[1 + size];
        b[0] = (byte) prefix;
        for (int k = 0; k < size; k++) b[1 + k] = (byte) (v >>> (8 * k));
        return new AmlTerm(b);
    }

    private static AmlTerm withPkgLength(int[] opcode, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b : opcode) out.write(b);
        out.writeBytes(pkgLength(contents.length));
        out.writeBytes(contents);
        return new AmlTerm(out.toByteArray());
    }

    private static byte[] concat(byte[] head, List<AmlTerm> terms) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        terms.forEach(t -> t.writeTo(out));
        return out.toByteArray();
    }
}
